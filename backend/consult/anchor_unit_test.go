package consult

import (
	"testing"

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
