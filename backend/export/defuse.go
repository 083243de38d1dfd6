package export

import (
	"regexp"
	"strings"
)

// MaxInlineRun is the length in bytes of the longest run of text whose
// inline Markdown (emphasis, links, code spans) is interpreted. goldmark's
// inline parsing takes time quadratic in the length of one paragraph for
// some shapes: 64 KiB of "[a](" take seconds, a section of 1 MiB in one such
// paragraph minutes. Longer runs are shown as their literal text; real
// paragraphs are far shorter (4 KiB are some 550 words). The worst case is
// then linear: about 2.5 s for 1 MiB cut into hostile runs just below the
// limit, instead of minutes.
const MaxInlineRun = 4 << 10

// blockStart matches a line that begins a block of its own, so that a long
// list or table is judged item by item, row by row.
var blockStart = regexp.MustCompile(`^ {0,3}([-+*]\s|\d{1,9}[.)]\s|#{1,6}(\s|$)|>|\|)`)

// fence matches the line that opens or closes a fenced code block.
var fence = regexp.MustCompile("^ {0,3}(```|~~~)")

// Defuse returns src with the inline Markdown of every run longer than
// MaxInlineRun escaped, so that rendering it takes time linear in its
// length. A run is a block's lines: a paragraph up to the next blank line,
// or one list item, heading, quote line or table row. Code blocks are left
// alone (they are not parsed inline). Text without such a run comes back
// unchanged.
func Defuse(src string) string {
	if len(src) <= MaxInlineRun {
		return src
	}
	lines := strings.SplitAfter(src, "\n")
	var out strings.Builder
	out.Grow(len(src))
	inFence := false
	start := 0 // first line of the current run
	flush := func(end int) {
		run := strings.Join(lines[start:end], "")
		if len(run) > MaxInlineRun {
			run = escapeInline(run)
		}
		out.WriteString(run)
		start = end
	}
	for i, line := range lines {
		switch {
		case fence.MatchString(line):
			flush(i)
			inFence = !inFence
			out.WriteString(line)
			start = i + 1
		case inFence:
			out.WriteString(line)
			start = i + 1
		case strings.TrimSpace(line) == "" || blockStart.MatchString(line):
			flush(i)
		}
	}
	flush(len(lines))
	return out.String()
}

// escapeInline puts a backslash before every character that can open or
// close an inline construct.
func escapeInline(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '!', '~', '&':
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
