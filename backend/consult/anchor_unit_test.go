package consult

import (
	"testing"
	"unicode/utf8"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/ot"
)

func TestMoveAnchorEdges(t *testing.T) {
	a := domain.Anchor{Start: 4, End: 8} // "abcd[efgh]ijk"
	cases := []struct {
		name string
		op   ot.Op
		want domain.Anchor
	}{
		{"insert before", ot.Op{{Ins: "xy"}}, domain.Anchor{Start: 6, End: 10, Version: 1}},
		{"insert at start stays outside", ot.Op{{Skip: 4}, {Ins: "xy"}}, domain.Anchor{Start: 6, End: 10, Version: 1}},
		{"insert inside", ot.Op{{Skip: 6}, {Ins: "xy"}}, domain.Anchor{Start: 4, End: 10, Version: 1}},
		{"insert at end stays outside", ot.Op{{Skip: 8}, {Ins: "xy"}}, domain.Anchor{Start: 4, End: 8, Version: 1}},
		{"delete overlapping start", ot.Op{{Skip: 2}, {Del: 4}}, domain.Anchor{Start: 2, End: 4, Version: 1}},
		{"delete overlapping end", ot.Op{{Skip: 6}, {Del: 4}}, domain.Anchor{Start: 4, End: 6, Version: 1}},
		{"delete the passage", ot.Op{{Skip: 4}, {Del: 4}}, domain.Anchor{Start: 4, End: 4, Version: 1, Removed: true}},
		{"delete around", ot.Op{{Skip: 1}, {Del: 10}}, domain.Anchor{Start: 1, End: 1, Version: 1, Removed: true}},
		{"replace the passage", ot.Op{{Skip: 4}, {Del: 4}, {Ins: "neu"}}, domain.Anchor{Start: 4, End: 4, Version: 1, Removed: true}},
	}
	for _, c := range cases {
		if got := moveAnchor(a, c.op); got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
	removed := domain.Anchor{Start: 3, End: 3, Version: 5, Removed: true}
	if got := moveAnchor(removed, ot.Op{{Ins: "x"}}); got != removed {
		t.Errorf("a removed anchor moved: %+v", got)
	}
	if runeSlice("abc", 2, 9) != "c" || runeSlice("abc", -1, 1) != "a" || runeSlice("abc", 3, 1) != "" {
		t.Error("runeSlice does not clamp")
	}
}

// FuzzMoveAnchor checks the anchor invariant on single ops: every character
// of the passage that survives the op lies inside the moved range, and a
// removed anchor has no survivor.
func FuzzMoveAnchor(f *testing.F) {
	f.Add(uint(20), uint(4), uint(8), uint(4), uint(3), "xy", true)
	f.Add(uint(10), uint(0), uint(10), uint(0), uint(10), "", false)
	f.Fuzz(func(t *testing.T, n, start, end, pos, del uint, ins string, insFirst bool) {
		n = n%200 + 1
		start %= n
		end = start + 1 + end%(n-start)
		pos %= n + 1
		del %= n - pos + 1
		if !utf8Valid(ins) {
			return
		}
		var op ot.Op
		if pos > 0 {
			op = append(op, ot.Component{Skip: int(pos)})
		}
		parts := []ot.Component{{Del: int(del)}, {Ins: ins}}
		if insFirst {
			parts[0], parts[1] = parts[1], parts[0]
		}
		for _, c := range parts {
			if c.Del != 0 || c.Ins != "" {
				op = append(op, c)
			}
		}
		ids := make([]int, n)
		for i := range ids {
			ids[i] = i
		}
		after := tagged(ids, op)
		a := moveAnchor(domain.Anchor{Start: int(start), End: int(end)}, op)
		for p, id := range after {
			if id >= int(start) && id < int(end) && (a.Removed || p < a.Start || p >= a.End) {
				t.Fatalf("op %v: character %d at %d outside %+v", op, id, p, a)
			}
		}
		if !a.Removed && (a.Start < 0 || a.End > len(after) || a.Start >= a.End) {
			t.Fatalf("op %v: bad range %+v for length %d", op, a, len(after))
		}
	})
}

func utf8Valid(s string) bool { return utf8.ValidString(s) }

// tagged applies op to character tags; inserted characters get -1.
func tagged(ids []int, op ot.Op) []int {
	out := []int{}
	p := 0
	for _, c := range op {
		switch {
		case c.Skip != 0:
			out = append(out, ids[p:p+c.Skip]...)
			p += c.Skip
		case c.Ins != "":
			for range []rune(c.Ins) {
				out = append(out, -1)
			}
		default:
			p += c.Del
		}
	}
	return append(out, ids[p:]...)
}
