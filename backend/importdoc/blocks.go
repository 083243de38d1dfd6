package importdoc

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The office readers turn a document into a flat run of blocks, which
// sections() cuts and writes as Markdown.

type blockKind int

const (
	paraBlock blockKind = iota
	headingBlock
	itemBlock
)

// block is a heading (level 1…), a paragraph or a list item (level is the
// nesting depth from 1; list identifies the list for its numbering).
type block struct {
	kind    blockKind
	level   int
	ordered bool
	list    int
	runs    []run
}

// run is text with one formatting; brk is a line break.
type run struct {
	text         string
	bold, italic bool
	href         string
	brk          bool
}

// plain is the block's text without formatting, whitespace collapsed.
func (b *block) plain() string {
	var sb strings.Builder
	for _, r := range b.runs {
		if r.brk {
			sb.WriteByte(' ')
		}
		sb.WriteString(r.text)
	}
	return collapse(sb.String())
}

// collapse replaces runs of white space and control characters by one
// space and trims.
func collapse(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
}

// truncateTitle shortens a heading to max code points.
func truncateTitle(s string, max int) string {
	s = collapse(s)
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:max-1])) + "…"
}

// sections cuts blocks at the headings of the highest level present: each
// starts a section titled with its text, deeper headings stay in the text,
// moved up so that the first level below the cut is "#" (as the export
// moves a section's "#" right below the section's own heading).
func sections(l Limits, fileName string, bs []block) []ImportedSection {
	top := 0
	for i := range bs {
		if bs[i].kind == headingBlock && bs[i].plain() != "" && (top == 0 || bs[i].level < top) {
			top = bs[i].level
		}
	}
	var out []ImportedSection
	w := &mdWriter{}
	cur := ImportedSection{Title: introTitle}
	if top == 0 {
		cur.Title = FileTitle(fileName)
	}
	flush := func(always bool) {
		body := strings.TrimSpace(w.sb.String())
		if always || body != "" {
			cur.Body = body
			out = append(out, cur)
		}
		w.reset()
	}
	started := false
	for i := range bs {
		b := &bs[i]
		if b.kind == headingBlock && b.level == top && b.plain() != "" {
			flush(started)
			cur = ImportedSection{Title: truncateTitle(b.plain(), l.MaxTitleLen)}
			started = true
			continue
		}
		w.block(b, top)
	}
	flush(started)
	return out
}

// mdWriter writes blocks as Markdown.
type mdWriter struct {
	sb      strings.Builder
	inList  bool
	widths  []int // marker widths of the open list levels
	counter []int
	lists   []int
}

func (w *mdWriter) reset() { *w = mdWriter{} }

func (w *mdWriter) block(b *block, top int) {
	if b.kind != itemBlock {
		text := inline(b.runs)
		if text == "" {
			return
		}
		w.separate(false)
		if b.kind == headingBlock {
			lvl := min(max(b.level-top, 1), 6)
			text = strings.ReplaceAll(text, "\\\n", " ")
			w.sb.WriteString(strings.Repeat("#", lvl) + " " + text + "\n")
			return
		}
		w.sb.WriteString(text + "\n")
		return
	}
	text := inline(b.runs)
	w.separate(true)
	depth := min(max(b.level, 1), len(w.widths)+1)
	if depth == 1 && len(w.lists) > 0 && w.lists[0] != b.list {
		w.sb.WriteByte('\n') // another list begins
	}
	n := 0
	if depth <= len(w.lists) && w.lists[depth-1] == b.list {
		n = w.counter[depth-1]
	}
	keep := depth - 1
	w.widths, w.counter, w.lists = w.widths[:keep], w.counter[:keep], w.lists[:keep]
	indent := 0
	for _, n := range w.widths {
		indent += n
	}
	marker := "- "
	if b.ordered {
		n++
		marker = fmt.Sprintf("%d. ", n)
	}
	w.widths, w.counter, w.lists = append(w.widths, len(marker)), append(w.counter, n), append(w.lists, b.list)
	pad := strings.Repeat(" ", indent)
	text = strings.ReplaceAll(text, "\n", "\n"+pad+strings.Repeat(" ", len(marker)))
	w.sb.WriteString(pad + marker + text + "\n")
}

// separate writes the blank line between blocks; list items follow each
// other without one.
func (w *mdWriter) separate(item bool) {
	if w.sb.Len() > 0 && !(item && w.inList) {
		w.sb.WriteByte('\n')
	}
	if !item {
		w.widths, w.counter, w.lists = nil, nil, nil
	}
	w.inList = item
}

// inline writes runs as Markdown: bold and italic as ** and *, links as
// [text](url) for http(s) and mailto only, line breaks as a backslash at
// the end of the line; everything else is escaped so that it stays text.
func inline(runs []run) string {
	runs = trimBreaks(runs)
	var sb strings.Builder
	atStart := true
	for i := 0; i < len(runs); {
		r := runs[i]
		if r.brk {
			sb.WriteString("\\\n")
			atStart = true
			i++
			continue
		}
		j := i + 1
		for j < len(runs) && !runs[j].brk && runs[j].href == r.href {
			j++
		}
		group := runs[i:j]
		text := emphasised(group, atStart)
		if href := safeHref(r.href); href != "" && strings.TrimSpace(text) != "" {
			lead, core, trail := splitSpace(text)
			text = lead + "[" + core + "](" + href + ")" + trail
		}
		sb.WriteString(text)
		if text != "" {
			atStart = false
		}
		i = j
	}
	return strings.TrimSpace(sb.String())
}

// emphasised writes runs of one link (or none) with their emphasis,
// merging neighbours of the same formatting first.
func emphasised(runs []run, atStart bool) string {
	var sb strings.Builder
	for i := 0; i < len(runs); {
		j := i + 1
		var joined strings.Builder // a paragraph may hold very many runs
		joined.WriteString(runs[i].text)
		for j < len(runs) && runs[j].bold == runs[i].bold && runs[j].italic == runs[i].italic {
			joined.WriteString(runs[j].text)
			j++
		}
		text := strings.Map(func(r rune) rune {
			if r == '\t' || r == '\n' || r == '\r' || r == '\u00a0' {
				return ' '
			}
			if unicode.IsControl(r) {
				return -1
			}
			return r
		}, joined.String())
		esc := escape(text, atStart && sb.Len() == 0)
		marker := ""
		switch {
		case runs[i].bold && runs[i].italic:
			marker = "***"
		case runs[i].bold:
			marker = "**"
		case runs[i].italic:
			marker = "*"
		}
		if lead, core, trail := splitSpace(esc); marker != "" && core != "" {
			esc = lead + marker + core + marker + trail
		}
		sb.WriteString(esc)
		i = j
	}
	return sb.String()
}

// splitSpace splits s into its leading space, its core and its trailing
// space, since an emphasis marker must touch the text it marks.
func splitSpace(s string) (lead, core, trail string) {
	core = strings.TrimLeft(s, " ")
	lead = s[:len(s)-len(core)]
	trimmed := strings.TrimRight(core, " ")
	return lead, trimmed, core[len(trimmed):]
}

var (
	entityLike  = regexp.MustCompile(`&([A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);`)
	orderedLike = regexp.MustCompile(`^(\s*[0-9]{1,9})([.)])`)
)

// escape makes s literal Markdown text. atStart is true when s begins a
// line, where #, >, -, +, = and "1." would start a block.
func escape(s string, atStart bool) string {
	var sb strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '~':
			sb.WriteByte('\\')
		}
		sb.WriteRune(r)
	}
	out := entityLike.ReplaceAllString(sb.String(), `\$0`)
	if atStart {
		trimmed := strings.TrimLeft(out, " ")
		if trimmed != "" && strings.ContainsRune("#>-+=|", rune(trimmed[0])) {
			out = out[:len(out)-len(trimmed)] + "\\" + trimmed
		} else if m := orderedLike.FindStringSubmatchIndex(out); m != nil {
			out = out[:m[4]] + "\\" + out[m[4]:]
		}
	}
	return out
}

// safeHref returns href as a Markdown link destination if it is http(s)
// or mailto, the links the export and the preview keep; "" otherwise.
func safeHref(href string) string {
	href = strings.TrimSpace(href)
	low := strings.ToLower(href)
	if !strings.HasPrefix(low, "http://") && !strings.HasPrefix(low, "https://") && !strings.HasPrefix(low, "mailto:") {
		return ""
	}
	var sb strings.Builder
	for _, r := range href {
		switch {
		case r == ' ':
			sb.WriteString("%20")
		case r == '(':
			sb.WriteString("%28")
		case r == ')':
			sb.WriteString("%29")
		case r == '<' || r == '>' || unicode.IsControl(r):
			sb.WriteString(fmt.Sprintf("%%%02X", r))
		default:
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// trimBreaks drops line breaks at the start and end of runs.
func trimBreaks(runs []run) []run {
	for len(runs) > 0 && (runs[0].brk || strings.TrimSpace(runs[0].text) == "" && runs[0].href == "") {
		runs = runs[1:]
	}
	for len(runs) > 0 && (runs[len(runs)-1].brk || strings.TrimSpace(runs[len(runs)-1].text) == "" && runs[len(runs)-1].href == "") {
		runs = runs[:len(runs)-1]
	}
	return runs
}
