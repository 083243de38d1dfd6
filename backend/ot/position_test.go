package ot

import "testing"

func TestTransformPositionBias(t *testing.T) {
	ins := Op{{Skip: 3}, {Ins: "ab😀"}}
	del := Op{{Skip: 1}, {Del: 4}}
	cases := []struct {
		pos         int
		op          Op
		stay, after int
	}{
		{3, ins, 3, 6}, // insert exactly at the position: only After moves behind it
		{2, ins, 2, 2}, // before the insert: unmoved either way
		{4, ins, 7, 7}, // behind the insert: shifted by 3 code points either way
		{3, del, 1, 1}, // inside a delete: pulled to its start
		{7, del, 3, 3}, // behind a delete: shifted back
		{0, Op{{Ins: "x"}, {Ins: "y"}}.Normalize(), 0, 2},
	}
	for _, c := range cases {
		if got := TransformPosition(c.pos, c.op); got != c.stay {
			t.Errorf("TransformPosition(%d, %v) = %d, want %d", c.pos, c.op, got, c.stay)
		}
		if got := TransformPositionAfter(c.pos, c.op); got != c.after {
			t.Errorf("TransformPositionAfter(%d, %v) = %d, want %d", c.pos, c.op, got, c.after)
		}
	}
}
