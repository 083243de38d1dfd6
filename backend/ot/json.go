package ot

import (
	"math"
	"strconv"
)

// maxCount bounds skip and delete counts so sums over an op cannot overflow.
const maxCount = math.MaxInt32

// Parse decodes an op from JSON strictly and returns it normalised. It
// rejects what ot-text-unicode's checkOp rejects (empty inserts, empty or
// zero deletes, skips below 1) and, beyond that, invalid UTF-8, unpaired
// surrogate escapes, non-integer numbers, other JSON types and unknown
// keys, because such input never comes from a well-behaved client. Unlike
// checkOp it accepts adjacent and trailing skips and merges or drops them,
// as normalising leaves the op's effect unchanged.
func Parse(data []byte) (Op, error) {
	p := parser{data: data}
	op, err := p.op()
	if err != nil {
		return nil, err
	}
	// The op is freshly built, so normalise it in place: appendComp writes
	// at or before the index being read.
	out := op[:0]
	for _, c := range op {
		out = appendComp(out, c)
	}
	return trim(out), nil
}

// UnmarshalJSON decodes the package's JSON format; see Parse.
func (op *Op) UnmarshalJSON(data []byte) error {
	o, err := Parse(data)
	if err != nil {
		return err
	}
	*op = o
	return nil
}

// MarshalJSON encodes the op as ot-text-unicode does: [N, "text", {"d":N}].
func (op Op) MarshalJSON() ([]byte, error) {
	if err := checkOp(op); err != nil {
		return nil, err
	}
	b := make([]byte, 0, 16*len(op)+2)
	b = append(b, '[')
	for i, c := range op {
		if i > 0 {
			b = append(b, ',')
		}
		switch {
		case c.Skip != 0:
			b = strconv.AppendInt(b, int64(c.Skip), 10)
		case c.Ins != "":
			b = appendString(b, c.Ins)
		default:
			b = append(b, `{"d":`...)
			b = strconv.AppendInt(b, int64(c.Del), 10)
			b = append(b, '}')
		}
	}
	return append(b, ']'), nil
}

// appendString writes s as a JSON string the way JSON.stringify does.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\r':
			b = append(b, '\\', 'r')
		case c == '\t':
			b = append(b, '\\', 't')
		case c == '\b':
			b = append(b, '\\', 'b')
		case c == '\f':
			b = append(b, '\\', 'f')
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}
