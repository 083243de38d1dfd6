package importdoc

import (
	"bytes"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// mdParser reads a heading's text as the editor, the export and the
// preview do, to give its title without markup.
var mdParser = goldmark.New(goldmark.WithExtensions(extension.Strikethrough, extension.Table, extension.Linkify)).Parser()

// maxParsedTitle is the longest heading handed to goldmark: its inline
// parser takes time that grows faster than the input on some inputs
// (nested brackets, runs of emphasis markers), so whole files are not
// parsed, only short heading lines.
const maxParsedTitle = 1000

var (
	atxHeading = regexp.MustCompile(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$`)
	setextLine = regexp.MustCompile(`^ {0,3}(=+|-+)[ \t]*$`)
	fenceOpen  = regexp.MustCompile("^ {0,3}(`{3,}|~{3,})")
	// notParaLine: lines that do not begin a paragraph a Setext underline
	// could turn into a heading: indented code, list items, quotes, HTML,
	// tables and thematic breaks.
	notParaLine = regexp.MustCompile(`^( {4}| {0,3}([-+*]|\d{1,9}[.)])([ \t]|$)| {0,3}>| {0,3}<| {0,3}\|)|` +
		`^ {0,3}((-[ \t]*){3,}|(\*[ \t]*){3,}|(_[ \t]*){3,})$`)
)

// mdHeading is a heading found in the file: its level, the lines it takes
// and its text as written.
type mdHeading struct {
	level      int
	start, end int // line indexes, end exclusive
	raw        string
}

// parseMarkdown keeps the text as written and only cuts it. A line scan
// in linear time finds the headings as CommonMark has them (ATX "# …" and
// Setext underlines, never inside fenced code or an HTML comment); the
// text between the headings of the top level is copied verbatim and the
// deeper headings are rewritten one or more levels up, as the office
// readers do.
func parseMarkdown(l Limits, fileName string, data []byte) ([]ImportedSection, error) {
	if !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 {
		return nil, invalid("„%s“ ist keine Textdatei in UTF-8.", baseName(fileName))
	}
	src := strings.TrimPrefix(string(data), "\ufeff")
	src = strings.ReplaceAll(src, "\r\n", "\n")
	lines := strings.Split(strings.ReplaceAll(src, "\r", "\n"), "\n")
	hs := findHeadings(lines)
	top, count := 0, 0
	for i := range hs {
		if hs[i].raw != "" && (top == 0 || hs[i].level < top) {
			top, count = hs[i].level, 0
		}
		if hs[i].raw != "" && hs[i].level == top {
			count++
		}
	}
	// Titles are read only for the sections' headings, and only when
	// there are not too many of them.
	if count > l.MaxSections {
		return nil, tooLarge("Die Datei ergäbe %d Abschnitte; höchstens %d sind möglich.", count, l.MaxSections)
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
	next := 0
	for _, h := range hs {
		for _, line := range lines[next:h.start] {
			body.WriteString(line + "\n")
		}
		next = h.end
		switch {
		case h.raw == "":
		case h.level == top:
			title := titleOf(h.raw)
			if title == "" {
				title = truncateTitle(h.raw, l.MaxTitleLen)
			}
			flush()
			cur, started = ImportedSection{Title: truncateTitle(title, l.MaxTitleLen)}, true
		default:
			body.WriteString(strings.Repeat("#", max(h.level-top, 1)) + " " + h.raw + "\n")
		}
	}
	for _, line := range lines[next:] {
		body.WriteString(line + "\n")
	}
	flush()
	return out, nil
}

// findHeadings scans the lines once.
func findHeadings(lines []string) []mdHeading {
	var hs []mdHeading
	fence := ""      // the open code fence, "" if none
	comment := false // inside <!-- … -->
	paraStart := -1  // first line of the paragraph being read, -1 if none
	for i, line := range lines {
		switch {
		case fence != "":
			if t := strings.TrimSpace(line); strings.HasPrefix(t, fence) && strings.Trim(t, fence[:1]) == "" && len(line)-len(strings.TrimLeft(line, " ")) < 4 {
				fence = ""
			}
			continue
		case comment:
			comment = !strings.Contains(line, "-->")
			continue
		}
		if t := strings.TrimLeft(line, " "); t == "" || (t[0] != '`' && t[0] != '~') {
			// not a fence
		} else if m := fenceOpen.FindStringSubmatch(line); m != nil && !(m[1][0] == '`' && strings.Contains(line[len(m[0]):], "`")) {
			fence, paraStart = m[1], -1
			continue
		}
		if t := strings.TrimLeft(line, " "); strings.HasPrefix(t, "<!--") && len(line)-len(t) < 4 {
			comment, paraStart = !strings.Contains(t[4:], "-->"), -1
			continue
		}
		if level, raw, ok := atx(line); ok {
			hs = append(hs, mdHeading{level: level, start: i, end: i + 1, raw: raw})
			paraStart = -1
			continue
		}
		if t := strings.TrimLeft(line, " "); t == "" || (t[0] != '=' && t[0] != '-') {
			// not an underline; the regular expression is left out
		} else if m := setextLine.FindStringSubmatch(line); m != nil && paraStart >= 0 {
			level := 1
			if m[1][0] == '-' {
				level = 2
			}
			var raw []string
			for _, l := range lines[paraStart:i] {
				raw = append(raw, strings.TrimSpace(l))
			}
			hs = append(hs, mdHeading{level: level, start: paraStart, end: i + 1, raw: strings.Join(raw, " ")})
			paraStart = -1
			continue
		}
		switch {
		case strings.TrimSpace(line) == "":
			paraStart = -1
		case paraStart < 0 && !notParaLine.MatchString(line):
			paraStart = i
		}
	}
	return hs
}

// atx reads an ATX heading: up to three spaces, one to six #, then a space
// or the end; the text without a closing sequence of #.
func atx(line string) (level int, raw string, ok bool) {
	t := strings.TrimLeft(line, " ")
	if len(line)-len(t) > 3 {
		return 0, "", false
	}
	for level < len(t) && t[level] == '#' {
		level++
	}
	if level < 1 || level > 6 || (level < len(t) && t[level] != ' ' && t[level] != '\t') {
		return 0, "", false
	}
	raw = strings.Trim(t[level:], " \t")
	if closed := strings.TrimRight(raw, "#"); closed == "" {
		raw = ""
	} else if c := closed[len(closed)-1]; c == ' ' || c == '\t' {
		raw = strings.TrimRight(closed, " \t")
	}
	return level, raw, true
}

// titleOf is a heading's text without markup.
func titleOf(raw string) string {
	if len(raw) > maxParsedTitle {
		return collapse(raw)
	}
	// Read as the inline text it is: a leading word keeps "1. Ziele" or
	// "- x" from being taken for a list.
	src := []byte("x " + raw)
	doc := mdParser.Parse(text.NewReader(src))
	var sb strings.Builder
	_ = ast.Walk(doc, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
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
	return strings.TrimPrefix(collapse(sb.String()), "x ")
}
