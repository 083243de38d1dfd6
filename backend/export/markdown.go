package export

import (
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// parser reads the Markdown the editor writes: CommonMark with
// strikethrough, tables and bare links, as the server's HTML rendering does.
var parser = goldmark.New(goldmark.WithExtensions(extension.Strikethrough, extension.Table, extension.Linkify)).Parser()

// FromMarkdown converts Markdown into blocks. Headings are shifted by
// shift levels (a section's "# Ziel" under a section heading of level 2
// becomes level 3). Raw HTML is dropped, as in the browser's preview;
// images become their alternative text.
func FromMarkdown(src string, shift int) []Block {
	source := []byte(Defuse(src))
	doc := parser.Parse(text.NewReader(source))
	c := mdConverter{src: source, shift: shift}
	return c.blocks(doc)
}

type mdConverter struct {
	src   []byte
	shift int
}

func (c *mdConverter) blocks(parent ast.Node) []Block {
	var out []Block
	for n := parent.FirstChild(); n != nil; n = n.NextSibling() {
		switch n := n.(type) {
		case *ast.Heading:
			out = append(out, Heading{Level: n.Level + c.shift, Runs: c.inlines(n, Run{})})
		case *ast.Paragraph, *ast.TextBlock:
			if runs := c.inlines(n, Run{}); len(runs) > 0 {
				out = append(out, Paragraph{Runs: runs})
			}
		case *ast.List:
			l := List{Ordered: n.IsOrdered()}
			for it := n.FirstChild(); it != nil; it = it.NextSibling() {
				l.Items = append(l.Items, c.blocks(it))
			}
			out = append(out, l)
		case *ast.Blockquote:
			for _, b := range c.blocks(n) {
				if p, ok := b.(Paragraph); ok {
					for i := range p.Runs {
						p.Runs[i].Italic = true
					}
					b = p
				}
				out = append(out, b)
			}
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			out = append(out, Paragraph{Preformatted: true, Runs: []Run{{Text: strings.TrimRight(c.lines(n), "\n"), Code: true}}})
		case *ast.ThematicBreak, *ast.HTMLBlock:
		case *east.Table:
			out = append(out, c.table(n))
		default:
			out = append(out, c.blocks(n)...)
		}
	}
	return out
}

func (c *mdConverter) lines(n ast.Node) string {
	var b strings.Builder
	ls := n.Lines()
	for i := 0; i < ls.Len(); i++ {
		seg := ls.At(i)
		b.Write(seg.Value(c.src))
	}
	return b.String()
}

func (c *mdConverter) table(t *east.Table) Table {
	var out Table
	for row := t.FirstChild(); row != nil; row = row.NextSibling() {
		var cells []Cell
		for cell := row.FirstChild(); cell != nil; cell = cell.NextSibling() {
			cells = append(cells, Cell{Blocks: []Block{Paragraph{Runs: c.inlines(cell, Run{})}}})
		}
		if _, ok := row.(*east.TableHeader); ok {
			out.Header = cells
		} else {
			out.Rows = append(out.Rows, cells)
		}
	}
	return out
}

// inlines flattens the inline children of n into runs, each carrying the
// formatting of the nodes around it.
func (c *mdConverter) inlines(n ast.Node, style Run) []Run {
	var out []Run
	add := func(s string, st Run) {
		if s == "" {
			return
		}
		st.Text = s
		if k := len(out) - 1; k >= 0 && sameStyle(out[k], st) {
			out[k].Text += s
			return
		}
		out = append(out, st)
	}
	for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
		switch ch := ch.(type) {
		case *ast.Text:
			// Backslash escapes (a backslash before a star for a literal star) are resolved
			// here, as goldmark's HTML renderer does.
			add(string(util.UnescapePunctuations(ch.Segment.Value(c.src))), style)
			if ch.HardLineBreak() {
				add("\n", style)
			} else if ch.SoftLineBreak() {
				add(" ", style)
			}
		case *ast.String:
			add(string(ch.Value), style)
		case *ast.CodeSpan:
			st := style
			st.Code = true
			add(c.plain(ch), st)
		case *ast.Emphasis:
			st := style
			if ch.Level >= 2 {
				st.Bold = true
			} else {
				st.Italic = true
			}
			for _, r := range c.inlines(ch, st) {
				add(r.Text, r)
			}
		case *east.Strikethrough:
			st := style
			st.Deleted = true
			for _, r := range c.inlines(ch, st) {
				add(r.Text, r)
			}
		case *ast.Link:
			st := style
			st.Link = safeLink(string(ch.Destination))
			for _, r := range c.inlines(ch, st) {
				add(r.Text, r)
			}
		case *ast.AutoLink:
			st := style
			url := string(ch.URL(c.src))
			if ch.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(url, "mailto:") {
				url = "mailto:" + url
			}
			st.Link = safeLink(url)
			add(string(ch.Label(c.src)), st)
		case *ast.Image:
			for _, r := range c.inlines(ch, style) {
				add(r.Text, r)
			}
		case *ast.RawHTML:
		default:
			for _, r := range c.inlines(ch, style) {
				add(r.Text, r)
			}
		}
	}
	return out
}

func (c *mdConverter) plain(n ast.Node) string {
	var b strings.Builder
	for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
		if t, ok := ch.(*ast.Text); ok {
			b.Write(t.Segment.Value(c.src))
		} else {
			b.WriteString(c.plain(ch))
		}
	}
	return b.String()
}

func sameStyle(a, b Run) bool {
	a.Text, b.Text = "", ""
	return a == b
}

// safeLink keeps web and mail addresses and drops any other scheme
// (javascript:, file:, data:), as the server's HTML sanitiser does.
func safeLink(url string) string {
	l := strings.ToLower(strings.TrimSpace(url))
	for _, p := range []string{"https://", "http://", "mailto:"} {
		if strings.HasPrefix(l, p) {
			return strings.TrimSpace(url)
		}
	}
	return ""
}
