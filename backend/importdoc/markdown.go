package importdoc

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// mdParser reads Markdown as the editor, the export and the preview do.
var mdParser = goldmark.New(goldmark.WithExtensions(extension.Strikethrough, extension.Table, extension.Linkify)).Parser()

// parseMarkdown keeps the text as written and only cuts it: goldmark finds
// the headings of the document's top level (so a "#" in a code block or a
// list stays text), the text between them is copied verbatim, and the
// deeper headings are rewritten one or more levels up, as the office
// readers do.
func parseMarkdown(l Limits, fileName string, data []byte) ([]ImportedSection, error) {
	if !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 {
		return nil, invalid("„%s“ ist keine Textdatei in UTF-8.", baseName(fileName))
	}
	src := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	src = bytes.ReplaceAll(src, []byte("\r"), []byte("\n"))
	doc := mdParser.Parse(text.NewReader(src))

	type heading struct {
		level      int
		start, end int // the line(s) of the heading in src
		title      string
		inline     string
	}
	var hs []heading
	top := 0
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		h, ok := n.(*ast.Heading)
		if !ok || h.Pos() < 0 || h.Pos() > len(src) {
			continue
		}
		start := bytes.LastIndexByte(src[:h.Pos()], '\n') + 1
		end := lineEnd(src, h.Pos())
		var raw []string
		for i := 0; i < h.Lines().Len(); i++ {
			seg := h.Lines().At(i)
			if seg.Start >= 0 && seg.Stop <= len(src) && seg.Start <= seg.Stop {
				raw = append(raw, strings.TrimSpace(string(seg.Value(src))))
				end = max(end, lineEnd(src, seg.Start))
			}
		}
		if !isATX(src[h.Pos():]) {
			end = lineEnd(src, end) // the underline of a Setext heading
		}
		hd := heading{level: h.Level, start: start, end: end, title: collapse(plainText(h, src)), inline: strings.Join(raw, " ")}
		hs = append(hs, hd)
		if hd.title != "" && (top == 0 || hd.level < top) {
			top = hd.level
		}
	}

	var out []ImportedSection
	cur := ImportedSection{Title: introTitle}
	if top == 0 {
		cur.Title = FileTitle(fileName)
	}
	var body strings.Builder
	started := false
	flush := func() {
		b := strings.TrimSpace(body.String())
		if started || b != "" {
			cur.Body = b
			out = append(out, cur)
		}
		body.Reset()
	}
	pos := 0
	for _, h := range hs {
		if h.start < pos {
			continue
		}
		body.Write(src[pos:h.start])
		pos = h.end
		switch {
		case h.level == top && h.title != "":
			flush()
			cur, started = ImportedSection{Title: title(h.title, l.MaxTitleLen)}, true
		case h.title != "":
			body.WriteString(strings.Repeat("#", max(h.level-top, 1)) + " " + h.inline + "\n")
		}
	}
	body.Write(src[pos:])
	flush()
	return out, nil
}

// lineEnd is the offset after the newline ending the line at i.
func lineEnd(src []byte, i int) int {
	if i >= len(src) {
		return len(src)
	}
	if j := bytes.IndexByte(src[i:], '\n'); j >= 0 {
		return i + j + 1
	}
	return len(src)
}

// isATX reports whether the heading starting at s is written with #.
func isATX(s []byte) bool {
	n := 0
	for n < len(s) && s[n] == '#' {
		n++
	}
	return n >= 1 && n <= 6 && (n == len(s) || s[n] == ' ' || s[n] == '\t' || s[n] == '\n')
}

// plainText is the text of a heading without markup.
func plainText(n ast.Node, src []byte) string {
	var sb strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			sb.Write(c.Segment.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				sb.WriteByte(' ')
			}
		case *ast.String:
			sb.Write(c.Value)
		case *ast.AutoLink:
			sb.Write(c.URL(src))
		case *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return sb.String()
}
