package export

import (
	"fmt"
	"strings"
	"testing"

	"github.com/strategieraum/strategieraum/backend/export/exporttest"
)

// TestOfficeOpensDocuments has LibreOffice open the ODT and the DOCX and
// checks what it sees: the headings with their levels, the Synopse as a
// table with the contributions beside the passages, lists, links and
// German characters.
func TestOfficeOpensDocuments(t *testing.T) {
	d := sample()
	pages := exporttest.OfficeHTML(t, map[string][]byte{"strategie-odt.odt": render(t, "odt", d), "strategie-docx.docx": render(t, "docx", d)})
	for name, page := range pages {
		t.Run(name, func(t *testing.T) {
			hs := strings.Join(exporttest.Headings(page), "\n")
			for _, want := range []string{"1 Dachstrategie – Zukunftsbild", "2 Ziele für Länder", "2 Synopse: Zielbild Datennutzung"} {
				if !strings.Contains(hs, want) {
					t.Errorf("heading %q not found; headings:\n%s", want, hs)
				}
			}
			var synopse string
			for _, tb := range exporttest.Tables(page) {
				if strings.Contains(tb, "Beteiligungsfassung") {
					synopse = tb
				}
			}
			for _, want := range []string{"Beteiligungsfassung Aktuelle Fassung Beiträge", "Daten werden künftig gemeinsam genutzt.",
				"Daten werden ab 2027 über Ländergrenzen gemeinsam genutzt.", "BY – Änderungsvorschlag: „ab 2027“ statt „künftig“ – verbindlicher."} {
				if !strings.Contains(synopse, want) {
					t.Errorf("Synopse table lacks %q: %q", want, synopse)
				}
			}
			text := exporttest.Plain(page)
			for _, want := range []string{"Die Föderale Digitalstrategie verbindet Bund und Länder „gemeinsam“ – straßenweit.", "Übergabe", "Maßnahme"} {
				if !strings.Contains(text, want) {
					t.Errorf("text lacks %q", want)
				}
			}
			if got := strings.Count(page, "<li"); got < 4 {
				t.Errorf("%d list items, want 4", got)
			}
			if !strings.Contains(page, `href="https://www.it-planungsrat.de/"`) {
				t.Error("the link is lost")
			}
		})
	}
}

// TestPDFReadable reads the PDF back with pdftotext: headings, German
// characters, the Synopse's marks and contributions, and page numbers.
func TestPDFReadable(t *testing.T) {
	text := exporttest.Plain(exporttest.PDFText(t, render(t, "pdf", sample())))
	for _, want := range []string{"Föderale Digitalstrategie", "Dachstrategie – Zukunftsbild", "Ziele für Länder",
		"„gemeinsam“ – straßenweit.", "[−künftig]", "[+ab 2027 über Ländergrenzen]", "BY – Änderungsvorschlag:", "Übergabe", "Maßnahme", "Seite 1 von 1"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q:\n%s", want, text)
		}
	}
}

// A table row longer than a page continues on the next pages with the
// header row repeated, and no text is lost.
func TestPDFLongTableRow(t *testing.T) {
	var long []string
	for i := range 150 {
		long = append(long, fmt.Sprintf("Zeile %03d", i))
	}
	d := &Document{Blocks: []Block{Table{Header: []Cell{TextCell("Kopf Ä")}, Rows: [][]Cell{{TextCell(strings.Join(long, "\n"))}}}}}
	text := exporttest.PDFText(t, render(t, "pdf", d))
	for i := range 150 {
		if !strings.Contains(text, fmt.Sprintf("Zeile %03d", i)) {
			t.Fatalf("line %d lost", i)
		}
	}
	if pages, heads := strings.Count(text, "\f"), strings.Count(text, "Kopf Ä"); pages < 3 || heads != pages {
		t.Fatalf("%d pages, %d header rows: the header should repeat on each page", pages, heads)
	}
}
