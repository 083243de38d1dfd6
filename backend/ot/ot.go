// Package ot implements the plain-text operational-transformation type used
// for live co-editing of sections. Its semantics are exactly those of the npm
// package ot-text-unicode version 4 (ShareDB's "text-unicode" type), so a
// browser running ShareDB-compatible code and this server agree on every
// apply, transform, compose and cursor transformation.
//
// # Op format
//
// An op is a JSON array of components that walk over the document from its
// start:
//
//   - a positive integer N skips N characters,
//   - a non-empty string inserts that text at the current position,
//   - {"d": N} deletes N characters at the current position.
//
// Example: [3, "hi", 5, {"d": 8}]. All lengths and positions count Unicode
// code points (not bytes, not UTF-16 units), so "😭" is one character. Ops are
// kept normalised: no empty or zero components, no trailing skip, and
// adjacent components of one kind merged. On input the package's invertible
// delete form {"d": "text"} is accepted too and reduced to {"d": N}, the same
// as ot-text-unicode's stripInvertible; output always uses {"d": N}.
//
// # Versions
//
// A section's text has a version number that counts the ops applied to it.
// An op is always made against some version v; to apply it at a later
// version it is transformed, in order, past every op committed after v
// (Transform with side Left for the incoming op, as ShareDB's server does),
// and the result becomes version v+1 of the log. Cursors and comment anchors
// move the same way with TransformPosition.
//
// The type itself is identified as "text-unicode" (URI
// http://sharejs.org/types/text-unicode) and follows ot-text-unicode 4.0.0.
// The differential test in difftest/ pins that exact package version in its
// package-lock.json and compares results case by case. Where this package
// is stricter, on purpose: Apply and Validate reject a delete that runs past
// the end of the document (the package ignores the excess), and Parse
// rejects input the package would let through by accident (see Parse).
//
// Doc is the mutable text to keep per live section: it applies ops in
// place, in time proportional to the distance between edits.
package ot

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// TypeName is the ShareDB name of the type implemented here.
const TypeName = "text-unicode"

// Component is one step of an op; exactly one of its fields is non-zero.
type Component struct {
	Skip int    // skip this many code points
	Ins  string // insert this text
	Del  int    // delete this many code points
}

// Op is a sequence of components applied from the start of the document.
type Op []Component

// Side decides which of two concurrent inserts at one position goes first.
type Side int

// Left puts the transformed op's insert before the other op's insert; Right
// puts it after.
const (
	Left Side = iota
	Right
)

// String names the side as ot-text-unicode does.
func (s Side) String() string {
	if s == Left {
		return "left"
	}
	return "right"
}

// kind of a component: 's' skip, 'i' insert, 'd' delete, 0 invalid.
func (c Component) kind() byte {
	switch {
	case c.Skip != 0 && c.Ins == "" && c.Del == 0:
		return 's'
	case c.Ins != "" && c.Skip == 0 && c.Del == 0:
		return 'i'
	case c.Del != 0 && c.Skip == 0 && c.Ins == "":
		return 'd'
	}
	return 0
}

// check reports why a component is invalid, or nil.
func (c Component) check() error {
	switch c.kind() {
	case 's':
		if c.Skip < 0 || c.Skip > maxCount {
			return fmt.Errorf("ot: skip must be between 1 and %d, got %d", maxCount, c.Skip)
		}
	case 'd':
		if c.Del < 0 || c.Del > maxCount {
			return fmt.Errorf("ot: delete count must be between 1 and %d, got %d", maxCount, c.Del)
		}
	case 'i':
		if !utf8.ValidString(c.Ins) {
			return errors.New("ot: insert is not valid UTF-8")
		}
	default:
		return errors.New("ot: a component must have exactly one of skip, insert or delete")
	}
	return nil
}

// checkOp validates every component (not the document length).
func checkOp(op Op) error {
	for i, c := range op {
		if err := c.check(); err != nil {
			return fmt.Errorf("%w (component %d)", err, i)
		}
	}
	return nil
}

// appendComp appends c to op, merging with the last component of the same
// kind and dropping empty components, so results stay normalised.
func appendComp(op Op, c Component) Op {
	if c.Skip == 0 && c.Ins == "" && c.Del == 0 {
		return op
	}
	if n := len(op); n > 0 {
		last := &op[n-1]
		switch {
		case c.Skip != 0 && last.Skip != 0:
			last.Skip += c.Skip
			return op
		case c.Ins != "" && last.Ins != "":
			last.Ins += c.Ins
			return op
		case c.Del != 0 && last.Del != 0:
			last.Del += c.Del
			return op
		}
	}
	return append(op, c)
}

// trim drops a trailing skip, which has no effect on the document.
func trim(op Op) Op {
	if n := len(op); n > 0 && op[n-1].Skip != 0 {
		return op[:n-1]
	}
	return op
}

// Normalize returns an equivalent op without empty components, without a
// trailing skip and with adjacent components of one kind merged. It does not
// modify op.
func (op Op) Normalize() Op {
	out := make(Op, 0, len(op))
	for _, c := range op {
		out = appendComp(out, c)
	}
	return trim(out)
}

// Stats returns how many code points the op inserts and deletes.
func (op Op) Stats() (inserted, deleted int) {
	for _, c := range op {
		inserted += utf8.RuneCountInString(c.Ins)
		deleted += c.Del
	}
	return inserted, deleted
}

// IsNoop reports whether the op changes nothing.
func (op Op) IsNoop() bool { return len(op.Normalize()) == 0 }
