package ot

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// errorf prefixes every error of the package so callers can log it as is.
func errorf(format string, args ...any) error {
	return fmt.Errorf("ot: "+format, args...)
}

// Validate checks that every component of op is well formed and that op
// does not skip or delete past the end of a document of docLen code points.
func Validate(op Op, docLen int) error {
	if err := checkOp(op); err != nil {
		return err
	}
	if n := op.inputLen(); n > docLen {
		return errorf("op covers %d characters but the document has only %d", n, docLen)
	}
	return nil
}

// inputLen is the number of code points op skips or deletes.
func (op Op) inputLen() int {
	n := 0
	for _, c := range op {
		n += c.Skip + c.Del
	}
	return n
}

// Apply returns doc with op applied. It fails, leaving nothing half done,
// if op is malformed or runs past the end of doc. (ot-text-unicode silently
// ignores a delete that runs past the end; a server must not.)
func Apply(doc string, op Op) (string, error) {
	if !utf8.ValidString(doc) {
		return "", errorf("document is not valid UTF-8")
	}
	if err := Validate(op, utf8.RuneCountInString(doc)); err != nil {
		return "", err
	}
	var b strings.Builder
	b.Grow(len(doc) + 16)
	rest := doc
	for _, c := range op {
		switch {
		case c.Skip != 0:
			i := byteOffset(rest, c.Skip)
			b.WriteString(rest[:i])
			rest = rest[i:]
		case c.Ins != "":
			b.WriteString(c.Ins)
		default:
			rest = rest[byteOffset(rest, c.Del):]
		}
	}
	b.WriteString(rest)
	return b.String(), nil
}

// Diff returns an op that turns from into to (both valid UTF-8). It keeps the common prefix and
// suffix and replaces the middle, which is small for the edits between two
// nearby versions and always correct.
func Diff(from, to string) Op {
	p := 0 // common prefix in bytes, on a rune boundary
	for p < len(from) && p < len(to) {
		_, n1 := utf8.DecodeRuneInString(from[p:])
		_, n2 := utf8.DecodeRuneInString(to[p:])
		if n1 != n2 || from[p:p+n1] != to[p:p+n2] {
			break
		}
		p += n1
	}
	s := 0 // common suffix in bytes, not overlapping the prefix
	for s < len(from)-p && s < len(to)-p {
		_, n1 := utf8.DecodeLastRuneInString(from[:len(from)-s])
		_, n2 := utf8.DecodeLastRuneInString(to[:len(to)-s])
		if n1 != n2 || len(from)-s-n1 < p || len(to)-s-n2 < p ||
			from[len(from)-s-n1:len(from)-s] != to[len(to)-s-n2:len(to)-s] {
			break
		}
		s += n1
	}
	op := Op{}
	op = appendComp(op, Component{Skip: utf8.RuneCountInString(from[:p])})
	op = appendComp(op, Component{Del: utf8.RuneCountInString(from[p : len(from)-s])})
	op = appendComp(op, Component{Ins: to[p : len(to)-s]})
	return trim(op)
}
