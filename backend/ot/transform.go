package ot

import "unicode/utf8"

// iter walks an op component by component and can split components, which
// transform and compose need to line two ops up against each other.
type iter struct {
	op  Op
	idx int
	off int // code points into a skip or delete, bytes into an insert
}

// indivisible tells take which kind of component must not be split.
const (
	splitAll  = 0
	keepIns   = 'i'
	keepDel   = 'd'
	takeWhole = -1
)

// take returns up to n code points from the front of the remaining op (the
// whole next component for n == takeWhole). Past the end an op skips
// forever, so take returns a skip of n there, or ok == false for takeWhole.
func (it *iter) take(n int, keep byte) (c Component, ok bool) {
	if it.idx == len(it.op) {
		if n == takeWhole {
			return Component{}, false
		}
		return Component{Skip: n}, true
	}
	cur := it.op[it.idx]
	switch {
	case cur.Skip != 0:
		if rest := cur.Skip - it.off; n == takeWhole || rest <= n {
			it.idx, it.off = it.idx+1, 0
			return Component{Skip: rest}, true
		}
		it.off += n
		return Component{Skip: n}, true
	case cur.Ins != "":
		rest := cur.Ins[it.off:]
		if n == takeWhole || keep == keepIns || utf8.RuneCountInString(rest) <= n {
			it.idx, it.off = it.idx+1, 0
			return Component{Ins: rest}, true
		}
		b := byteOffset(rest, n)
		it.off += b
		return Component{Ins: rest[:b]}, true
	default:
		if rest := cur.Del - it.off; n == takeWhole || keep == keepDel || rest <= n {
			it.idx, it.off = it.idx+1, 0
			return Component{Del: rest}, true
		}
		it.off += n
		return Component{Del: n}, true
	}
}

// peekIns reports whether the next component is an insert.
func (it *iter) peekIns() bool {
	return it.idx < len(it.op) && it.op[it.idx].Ins != ""
}

// byteOffset returns the byte index of code point n in s (len(s) if beyond).
func byteOffset(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}

// length is the number of code points a component covers.
func (c Component) length() int {
	if c.Ins != "" {
		return utf8.RuneCountInString(c.Ins)
	}
	return c.Skip + c.Del
}

// Transform rewrites op, made concurrently with other on the same document,
// so that it applies after other. side breaks ties between inserts at the
// same position: Left puts op's insert first. Both ops must be valid.
func Transform(op, other Op, side Side) (Op, error) {
	if side != Left && side != Right {
		return nil, errorf("side %d must be Left or Right", int(side))
	}
	if err := checkOp(op); err != nil {
		return nil, err
	}
	if err := checkOp(other); err != nil {
		return nil, err
	}
	out := make(Op, 0, len(op)+2)
	it := iter{op: op}
	for _, c2 := range other {
		switch {
		case c2.Skip != 0:
			for n := c2.Skip; n > 0; {
				c1, _ := it.take(n, keepIns)
				out = appendComp(out, c1)
				if c1.Ins == "" {
					n -= c1.length()
				}
			}
		case c2.Ins != "":
			if side == Left && it.peekIns() {
				c1, _ := it.take(takeWhole, splitAll)
				out = appendComp(out, c1)
			}
			out = appendComp(out, Component{Skip: utf8.RuneCountInString(c2.Ins)})
		default:
			for n := c2.Del; n > 0; {
				c1, _ := it.take(n, keepIns)
				if c1.Ins != "" {
					out = appendComp(out, c1)
				} else {
					// Text op deleted or skipped is gone after other.
					n -= c1.length()
				}
			}
		}
	}
	for c, ok := it.take(takeWhole, splitAll); ok; c, ok = it.take(takeWhole, splitAll) {
		out = appendComp(out, c)
	}
	return trim(out), nil
}

// Compose returns one op with the effect of applying a and then b. Both ops
// must be valid; b is read against the document a produces.
func Compose(a, b Op) (Op, error) {
	if err := checkOp(a); err != nil {
		return nil, err
	}
	if err := checkOp(b); err != nil {
		return nil, err
	}
	out := make(Op, 0, len(a)+len(b))
	it := iter{op: a}
	for _, c := range b {
		switch {
		case c.Skip != 0:
			for n := c.Skip; n > 0; {
				chunk, _ := it.take(n, keepDel)
				out = appendComp(out, chunk)
				if chunk.Del == 0 {
					n -= chunk.length()
				}
			}
		case c.Ins != "":
			out = appendComp(out, c)
		default:
			for done := 0; done < c.Del; {
				chunk, _ := it.take(c.Del-done, keepDel)
				switch {
				case chunk.Skip != 0:
					out = appendComp(out, Component{Del: chunk.Skip})
					done += chunk.Skip
				case chunk.Ins != "":
					// b deletes what a inserted: both vanish.
					done += utf8.RuneCountInString(chunk.Ins)
				default:
					out = appendComp(out, chunk)
				}
			}
		}
	}
	for c, ok := it.take(takeWhole, splitAll); ok; c, ok = it.take(takeWhole, splitAll) {
		out = appendComp(out, c)
	}
	return trim(out), nil
}

// TransformPosition moves a cursor position (in code points) over op the way
// ot-text-unicode's transformPosition does: an insert exactly at the cursor
// does not push it, a delete around it pulls it to the delete's start.
func TransformPosition(pos int, op Op) int { return transformPosition(pos, op, false) }

// TransformPositionAfter is TransformPosition except that an insert exactly
// at pos pushes it behind the inserted text. Ranges use it for their start,
// so that text typed just in front of a passage stays outside it.
func TransformPositionAfter(pos int, op Op) int { return transformPosition(pos, op, true) }

func transformPosition(pos int, op Op, pushAtPos bool) int {
	p := 0
	for _, c := range op {
		if p > pos || (p == pos && !(pushAtPos && c.Ins != "")) {
			break
		}
		switch {
		case c.Skip != 0:
			p += c.Skip
		case c.Ins != "":
			n := utf8.RuneCountInString(c.Ins)
			p += n
			pos += n
		default:
			pos -= min(c.Del, pos-p)
		}
	}
	return pos
}
