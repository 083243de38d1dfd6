// Package export turns documents (the strategy, statements, the
// consultation report, a Synopse) into office files. A Document is a small
// tree of headings, paragraphs, lists and tables; a Renderer writes it in
// one format, and each format lives in one file registered by name.
package export

// Document is what every format renders: a title page line, an optional
// table of contents, blocks, and the text of the page header and footer
// (the footer also carries the page number where the format has one).
type Document struct {
	Title    string
	Subtitle string
	// Header is the text in the page header, e.g. the strategy's title.
	Header string
	// Footer is the text in the page footer before the page number.
	Footer string
	// Contents asks for a table of contents after the title.
	Contents bool
	Blocks   []Block
}

// Block is one of Heading, Paragraph, List or Table.
type Block interface{ block() }

// Heading is a heading of level 1 to 3 (deeper levels are shown as 3).
type Heading struct {
	Level int
	Runs  []Run
}

// Paragraph is a paragraph of runs. Preformatted keeps line breaks and
// spaces and sets the text in a fixed-width font.
type Paragraph struct {
	Runs         []Run
	Preformatted bool
}

// List is a bulleted or numbered list; each item is a list of blocks, so
// lists nest.
type List struct {
	Ordered bool
	Items   [][]Block
}

// Table is a table with an optional header row repeated on every page.
// Widths are relative column widths; empty means equal columns.
type Table struct {
	Header []Cell
	Rows   [][]Cell
	Widths []int
}

// Cell is one table cell, holding blocks (usually paragraphs).
type Cell struct {
	Blocks []Block
}

func (Heading) block()   {}
func (Paragraph) block() {}
func (List) block()      {}
func (Table) block()     {}

// Run is a piece of text with one formatting. Link, when set, is the
// address the run points to. Inserted and Deleted mark the changes of a
// Synopse (underlined and struck through).
type Run struct {
	Text     string
	Bold     bool
	Italic   bool
	Code     bool
	Inserted bool
	Deleted  bool
	Link     string
}

// Text is a run of plain text.
func Text(s string) Run { return Run{Text: s} }

// Para is a paragraph of plain text.
func Para(s string) Paragraph { return Paragraph{Runs: []Run{Text(s)}} }

// H is a heading of plain text.
func H(level int, s string) Heading { return Heading{Level: level, Runs: []Run{Text(s)}} }

// TextCell is a cell holding one paragraph of plain text.
func TextCell(s string) Cell { return Cell{Blocks: []Block{Para(s)}} }

// PlainText joins the text of runs.
func PlainText(runs []Run) string {
	n := 0
	for _, r := range runs {
		n += len(r.Text)
	}
	b := make([]byte, 0, n)
	for _, r := range runs {
		b = append(b, r.Text...)
	}
	return string(b)
}

// clampLevel maps a heading level to 1..3.
func clampLevel(l int) int {
	return min(max(l, 1), 3)
}
