package consult

import (
	"unicode"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// ChangeKind marks a piece of a Synopse.
type ChangeKind string

// Change kinds.
const (
	Unchanged ChangeKind = "equal"
	Inserted  ChangeKind = "insert"
	Deleted   ChangeKind = "delete"
)

// Change is a run of text that is unchanged, inserted or deleted.
type Change struct {
	Kind ChangeKind `json:"kind"`
	Text string     `json:"text"`
}

// WordDiff compares two texts word by word: each word and each run of
// whitespace is mapped to one rune, diffed, and mapped back, so changes
// never split a word.
func WordDiff(from, to string) []Change {
	index := map[string]rune{}
	var tokens []string
	encode := func(s string) []rune {
		var out []rune
		for _, tok := range splitWords(s) {
			r, ok := index[tok]
			if !ok {
				r = tokenRune(len(tokens))
				index[tok] = r
				tokens = append(tokens, tok)
			}
			out = append(out, r)
		}
		return out
	}
	a, b := encode(from), encode(to)
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0
	diffs := dmp.DiffCleanupSemantic(dmp.DiffMainRunes(a, b, false))
	decode := make(map[rune]string, len(tokens))
	for tok, r := range index {
		decode[r] = tok
	}
	var out []Change
	for _, d := range diffs {
		kind := Unchanged
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			kind = Inserted
		case diffmatchpatch.DiffDelete:
			kind = Deleted
		}
		var text []byte
		for _, r := range d.Text {
			text = append(text, decode[r]...)
		}
		if n := len(out); n > 0 && out[n-1].Kind == kind {
			out[n-1].Text += string(text)
		} else {
			out = append(out, Change{Kind: kind, Text: string(text)})
		}
	}
	return out
}

// tokenRune maps the i-th token to a valid rune, skipping surrogates.
func tokenRune(i int) rune {
	r := rune(i + 1)
	if r >= 0xD800 {
		r += 0x800
	}
	return r
}

// splitWords splits s into alternating runs of whitespace and non-space.
func splitWords(s string) []string {
	var out []string
	start := 0
	prevSpace := false
	for i, r := range s {
		sp := unicode.IsSpace(r)
		if i > start && sp != prevSpace {
			out = append(out, s[start:i])
			start = i
		}
		prevSpace = sp
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}
