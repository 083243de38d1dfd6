package ot

import (
	"encoding/binary"
	"math/bits"
	"strings"
	"unicode/utf8"
)

// starts counts the code points that begin in the 8 bytes of w: every byte
// except UTF-8 continuation bytes (10xxxxxx). Moving the gap a word at a
// time keeps long moves cheap in any script, not just ASCII.
func starts(w uint64) int {
	const high = 0x8080808080808080
	return 8 - bits.OnesCount64(w&^(w<<1)&high)
}

// isStart reports whether byte i of the buffer begins a code point.
func (d *Doc) isStart(i int) bool { return i >= len(d.buf) || d.buf[i]&0xC0 != 0x80 }

// Doc is a mutable text that applies ops in place. It is a gap buffer over
// UTF-8 bytes that remembers the gap's position in code points, so an edit
// costs time proportional to the distance from the previous edit, not to
// the length of the text: typing never copies the whole section. A Doc is
// not safe for concurrent use.
type Doc struct {
	buf    []byte // text is buf[:gs] followed by buf[ge:]
	gs, ge int    // gap start and end, in bytes
	gcp    int    // code points before the gap
	n      int    // code points in the text
}

// NewDoc returns a Doc holding s. Invalid UTF-8 in s is replaced by
// U+FFFD so that code point counting stays consistent.
func NewDoc(s string) *Doc {
	s = strings.ToValidUTF8(s, "\uFFFD")
	buf := make([]byte, len(s)+64)
	copy(buf[64:], s)
	return &Doc{buf: buf, gs: 0, ge: 64, n: utf8.RuneCountInString(s)}
}

// Len returns the length of the text in code points.
func (d *Doc) Len() int { return d.n }

// String returns the current text.
func (d *Doc) String() string {
	b := make([]byte, 0, d.gs+len(d.buf)-d.ge)
	b = append(b, d.buf[:d.gs]...)
	return string(append(b, d.buf[d.ge:]...))
}

// Apply applies op in place. It validates op first, so on error the text
// is unchanged.
func (d *Doc) Apply(op Op) error {
	if err := Validate(op, d.n); err != nil {
		return err
	}
	d.apply(op, nil)
	return nil
}

// ApplyInvert applies op in place like Apply and returns the op that undoes
// it: applied to the new text, the inverse restores the old one. Its inserts
// carry the text op deleted, read from the buffer before it goes. On error
// the text is unchanged.
func (d *Doc) ApplyInvert(op Op) (Op, error) {
	if err := Validate(op, d.n); err != nil {
		return nil, err
	}
	inv := make(Op, 0, len(op))
	d.apply(op, &inv)
	return trim(inv), nil
}

// apply applies a validated op and, if inv is not nil, appends its inverse
// to *inv.
func (d *Doc) apply(op Op, inv *Op) {
	pos := 0 // in the text as edited so far
	for _, c := range op {
		switch {
		case c.Skip != 0:
			pos += c.Skip
			if inv != nil {
				*inv = appendComp(*inv, Component{Skip: c.Skip})
			}
		case c.Ins != "":
			d.moveGap(pos)
			d.insert(c.Ins)
			if inv != nil {
				*inv = appendComp(*inv, Component{Del: d.gcp - pos})
			}
			pos = d.gcp
		default:
			d.moveGap(pos)
			gone := d.delete(c.Del)
			if inv != nil {
				*inv = appendComp(*inv, Component{Ins: string(gone)})
			}
		}
	}
}

// moveGap puts the gap at code point pos.
func (d *Doc) moveGap(pos int) {
	if pos < d.gcp {
		b := d.gs
		for k := d.gcp - pos; k > 0; {
			if b >= 8 && d.isStart(b-8) {
				if n := starts(binary.LittleEndian.Uint64(d.buf[b-8:])); n <= k {
					b, k = b-8, k-n
					continue
				}
			}
			b--
			for d.buf[b]&0xC0 == 0x80 {
				b--
			}
			k--
		}
		m := d.gs - b
		copy(d.buf[d.ge-m:d.ge], d.buf[b:d.gs])
		d.gs, d.ge = b, d.ge-m
	} else if pos > d.gcp {
		e := d.skipForward(d.ge, pos-d.gcp)
		m := e - d.ge
		copy(d.buf[d.gs:d.gs+m], d.buf[d.ge:e])
		d.gs, d.ge = d.gs+m, e
	}
	d.gcp = pos
}

// skipForward returns the byte index k code points after byte index b.
func (d *Doc) skipForward(b, k int) int {
	for k > 0 {
		if b+8 <= len(d.buf) && d.isStart(b+8) {
			if n := starts(binary.LittleEndian.Uint64(d.buf[b:])); n <= k {
				b, k = b+8, k-n
				continue
			}
		}
		b++
		for b < len(d.buf) && d.buf[b]&0xC0 == 0x80 {
			b++
		}
		k--
	}
	return b
}

// insert writes s at the gap, growing the buffer when the gap is too small.
func (d *Doc) insert(s string) {
	if d.ge-d.gs < len(s) {
		tail := len(d.buf) - d.ge
		size := 2*len(d.buf) + len(s)
		nb := make([]byte, size)
		copy(nb, d.buf[:d.gs])
		copy(nb[size-tail:], d.buf[d.ge:])
		d.buf, d.ge = nb, size-tail
	}
	copy(d.buf[d.gs:], s)
	d.gs += len(s)
	k := len(s)
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			k = utf8.RuneCountInString(s)
			break
		}
	}
	d.gcp += k
	d.n += k
}

// delete removes k code points after the gap and returns their bytes,
// which stay valid until the next insert.
func (d *Doc) delete(k int) []byte {
	end := d.skipForward(d.ge, k)
	gone := d.buf[d.ge:end]
	d.ge = end
	d.n -= k
	return gone
}
