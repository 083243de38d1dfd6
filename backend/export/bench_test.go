package export

import (
	"fmt"
	"io"
	"strings"
	"testing"
)

// bigDocument is a strategy of 200 sections, each with Markdown text
// (headings, a list, emphasis, a link), followed by a Synopse of the 200
// sections with 2,000 contributions beside them.
func bigDocument() *Document {
	d := &Document{Title: "Föderale Digitalstrategie", Header: "Föderale Digitalstrategie", Footer: "Stand", Contents: true}
	para := strings.Repeat("Bund und Länder teilen **Daten** sicher, _einmal_ und nachvollziehbar über [Ländergrenzen](https://example.org/) hinweg. ", 6)
	syn := &Synopse{Title: "Synopse", FromLabel: "Beteiligungsfassung", ToLabel: "Aktuelle Fassung"}
	for i := range 200 {
		d.Blocks = append(d.Blocks, H(2, fmt.Sprintf("Abschnitt %d", i+1)))
		d.Blocks = append(d.Blocks, FromMarkdown("### Ziel\n\n"+para+"\n\n- erstens\n- zweitens\n- drittens\n\n"+para, 2)...)
		row := SynopseRow{Passage: fmt.Sprintf("Abschnitt %d", i+1),
			Old: []Run{Text(para[:200]), {Text: "künftig", Deleted: true}, Text(para[200:400])},
			New: []Run{Text(para[:200]), {Text: "ab 2027", Inserted: true}, Text(para[200:400])}}
		for j := range 10 {
			row.Contributions = append(row.Contributions, Contribution{Org: "BY", Kind: "Änderungsvorschlag", Text: fmt.Sprintf("Beitrag %d: „präziser“ formulieren – mit Begründung.", j)})
		}
		syn.Rows = append(syn.Rows, row)
	}
	d.Blocks = append(d.Blocks, syn.Blocks()...)
	return d
}

// countingWriter counts the bytes of the file without keeping them.
type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

var _ io.Writer = (*countingWriter)(nil)

func BenchmarkExport(b *testing.B) {
	d := bigDocument()
	for _, name := range Formats() {
		r, _ := Lookup(name)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			var size int64
			for b.Loop() {
				w := &countingWriter{}
				if err := r.Render(w, d); err != nil {
					b.Fatal(err)
				}
				size = w.n
			}
			b.ReportMetric(float64(size)/1e6, "MB/file")
		})
	}
}
