package export

import (
	"embed"
	"fmt"
	"io"
	"strings"

	"github.com/go-pdf/fpdf"
)

//go:embed fonts/*.ttf
var fontFiles embed.FS

// PDF writes a PDF with github.com/go-pdf/fpdf and the embedded DejaVu
// fonts: headings become bookmarks (the reader's outline), the footer has
// "Seite n von m". There is no table of contents page; the outline serves
// instead. In paragraphs, Synopse deletions are struck through and
// insertions underlined; inside table cells, which are wrapped as plain
// lines, they are shown as [−…] and [+…].
type PDF struct{}

func init() { Register(PDF{}) }

// Name implements Renderer.
func (PDF) Name() string { return "pdf" }

// ContentType implements Renderer.
func (PDF) ContentType() string { return "application/pdf" }

const (
	pdfFont = "DejaVu"
	pdfMono = "DejaVuMono"
	pdfBody = 10.5 // points
	pdfLine = 5.2  // mm per body line
)

// Render implements Renderer.
func (PDF) Render(w io.Writer, d *Document) error {
	p := fpdf.New("P", "mm", "A4", "")
	for style, file := range map[string]string{"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf", "BI": "DejaVuSans-BoldOblique.ttf"} {
		b, err := fontFiles.ReadFile("fonts/" + file)
		if err != nil {
			return err
		}
		p.AddUTF8FontFromBytes(pdfFont, style, b)
	}
	mono, err := fontFiles.ReadFile("fonts/DejaVuSansMono.ttf")
	if err != nil {
		return err
	}
	p.AddUTF8FontFromBytes(pdfMono, "", mono)
	p.SetTitle(d.Title, true)
	p.SetCreator("Strategieraum", true)
	p.SetLang("de-DE")
	p.SetMargins(25, 20, 20)
	p.SetAutoPageBreak(true, 20)
	p.AliasNbPages("{nb}")
	p.SetHeaderFuncMode(func() {
		p.SetFont(pdfFont, "", 8)
		p.SetY(10)
		p.CellFormat(0, 4, d.Header, "", 1, "L", false, 0, "")
		p.SetY(20)
	}, false)
	p.SetFooterFunc(func() {
		p.SetY(-14)
		p.SetFont(pdfFont, "", 8)
		footer := fmt.Sprintf("Seite %d von {nb}", p.PageNo())
		if d.Footer != "" {
			footer = d.Footer + " – " + footer
		}
		p.CellFormat(0, 4, footer, "", 0, "C", false, 0, "")
	})
	p.AddPage()
	r := &pdfWriter{p: p}
	if d.Title != "" {
		p.SetFont(pdfFont, "B", 20)
		p.MultiCell(0, 9, d.Title, "", "C", false)
		p.Ln(2)
	}
	if d.Subtitle != "" {
		p.SetFont(pdfFont, "", 13)
		p.MultiCell(0, 6, d.Subtitle, "", "C", false)
		p.Ln(4)
	}
	r.blocks(d.Blocks, 0)
	return p.Output(w)
}

type pdfWriter struct {
	p *fpdf.Fpdf
}

func (r *pdfWriter) blocks(bs []Block, depth int) {
	p := r.p
	for _, b := range bs {
		switch b := b.(type) {
		case Heading:
			l := clampLevel(b.Level)
			size := []float64{16, 13.5, 12}[l-1]
			p.Ln(2)
			_, _, _, bottom := p.GetMargins()
			_, ph := p.GetPageSize()
			if p.GetY() > ph-bottom-25 {
				p.AddPage()
			}
			p.Bookmark(PlainText(b.Runs), l-1, -1)
			p.SetFont(pdfFont, "B", size)
			p.MultiCell(0, size*0.5, PlainText(b.Runs), "", "L", false)
			p.Ln(1)
		case Paragraph:
			r.paragraph(b)
		case List:
			for i, it := range b.Items {
				mark := "•"
				if b.Ordered {
					mark = fmt.Sprintf("%d.", i+1)
				}
				left, top, right, _ := p.GetMargins()
				indent := 6.0
				p.SetFont(pdfFont, "", pdfBody)
				p.SetX(left)
				p.CellFormat(indent, pdfLine, mark, "", 0, "R", false, 0, "")
				p.SetLeftMargin(left + indent + 1)
				p.SetX(left + indent + 1)
				if len(it) == 0 {
					p.Ln(pdfLine)
				}
				r.blocks(it, depth+1)
				p.SetMargins(left, top, right)
			}
			p.Ln(1)
		case Table:
			r.table(&b)
		}
	}
}

func pdfStyle(run Run) (string, string) {
	if run.Code {
		return pdfMono, ""
	}
	s := ""
	if run.Bold {
		s += "B"
	}
	if run.Italic {
		s += "I"
	}
	if run.Inserted || run.Link != "" {
		s += "U"
	}
	if run.Deleted {
		s += "S"
	}
	return pdfFont, s
}

func (r *pdfWriter) paragraph(b Paragraph) {
	p := r.p
	for _, run := range b.Runs {
		family, style := pdfStyle(run)
		p.SetFont(family, style, pdfBody)
		switch {
		case run.Link != "":
			p.SetTextColor(0, 0, 128)
			p.WriteLinkString(pdfLine, run.Text, run.Link)
			p.SetTextColor(0, 0, 0)
		case run.Inserted:
			p.SetTextColor(0, 97, 0)
			p.Write(pdfLine, run.Text)
			p.SetTextColor(0, 0, 0)
		case run.Deleted:
			p.SetTextColor(156, 0, 6)
			p.Write(pdfLine, run.Text)
			p.SetTextColor(0, 0, 0)
		default:
			p.Write(pdfLine, run.Text)
		}
	}
	p.Ln(pdfLine)
	p.Ln(1.5)
}

// cellText flattens a cell to lines of text for wrapping; Synopse marks
// become brackets, as fpdf cannot strike through inside wrapped text.
func cellText(bs []Block) string {
	var parts []string
	for _, b := range bs {
		switch b := b.(type) {
		case Paragraph:
			parts = append(parts, runsText(b.Runs))
		case Heading:
			parts = append(parts, runsText(b.Runs))
		case List:
			for _, it := range b.Items {
				parts = append(parts, "• "+cellText(it))
			}
		case Table:
			for _, row := range b.Rows {
				var cs []string
				for _, c := range row {
					cs = append(cs, cellText(c.Blocks))
				}
				parts = append(parts, strings.Join(cs, " | "))
			}
		}
	}
	return strings.Join(parts, "\n")
}

func runsText(rs []Run) string {
	var b strings.Builder
	for _, r := range rs {
		switch {
		case r.Deleted:
			b.WriteString("[−" + r.Text + "]")
		case r.Inserted:
			b.WriteString("[+" + r.Text + "]")
		default:
			b.WriteString(r.Text)
		}
	}
	return b.String()
}

func (r *pdfWriter) table(t *Table) {
	p := r.p
	cols := tableColumns(t)
	widths := columnWidths(t, cols)
	left, _, right, bottom := p.GetMargins()
	pw, ph := p.GetPageSize()
	total := 0
	for _, w := range widths {
		total += w
	}
	avail := pw - left - right
	cw := make([]float64, cols)
	for i, w := range widths {
		cw[i] = avail * float64(w) / float64(total)
	}
	const pad, lh = 1.5, 4.6
	split := func(cells []Cell, style string) [][]string {
		p.SetFont(pdfFont, style, 9)
		out := make([][]string, cols)
		for i := range out {
			if i < len(cells) {
				for _, para := range strings.Split(cellText(cells[i].Blocks), "\n") {
					out[i] = append(out[i], p.SplitText(para, cw[i]-2*pad)...)
				}
			}
		}
		return out
	}
	var head [][]string
	if len(t.Header) > 0 {
		head = split(t.Header, "B")
	}
	// row draws lines in chunks that fit the page; a row taller than a
	// page continues on the next, under the repeated header row.
	var row func(lines [][]string, style string, fill bool)
	row = func(lines [][]string, style string, fill bool) {
		n := 1
		for _, l := range lines {
			n = max(n, len(l))
		}
		for off := 0; off < n; {
			room := int((ph - bottom - p.GetY() - 2*pad) / lh)
			if room < 1 || (off == 0 && room < min(n, 3)) {
				p.AddPage()
				if head != nil && style == "" {
					row(head, "B", true)
				}
				continue
			}
			k := min(room, n-off)
			y := p.GetY()
			x := left
			h := float64(k)*lh + 2*pad
			p.SetFont(pdfFont, style, 9)
			for i := 0; i < cols; i++ {
				if fill {
					p.SetFillColor(230, 230, 230)
					p.Rect(x, y, cw[i], h, "FD")
				} else {
					p.Rect(x, y, cw[i], h, "D")
				}
				for j := off; j < off+k && j < len(lines[i]); j++ {
					p.SetXY(x+pad, y+pad+float64(j-off)*lh)
					p.CellFormat(cw[i]-2*pad, lh, lines[i][j], "", 0, "L", false, 0, "")
				}
				x += cw[i]
			}
			p.SetXY(left, y+h)
			off += k
			if off < n {
				p.AddPage()
				if head != nil && style == "" {
					row(head, "B", true)
				}
			}
		}
	}
	p.SetAutoPageBreak(false, bottom)
	if head != nil {
		row(head, "B", true)
	}
	for _, cells := range t.Rows {
		row(split(cells, ""), "", false)
	}
	p.SetAutoPageBreak(true, bottom)
	p.Ln(3)
}
