package ot

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	in := Op{{Skip: 2}, {Skip: 3}, {Ins: "a"}, {}, {Ins: "😀"}, {Del: 1}, {Del: 2}, {Skip: 4}}
	want := Op{{Skip: 5}, {Ins: "a😀"}, {Del: 3}}
	if got := in.Normalize(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Normalize = %v, want %v", got, want)
	}
	if in[0].Skip != 2 {
		t.Fatal("Normalize modified its receiver")
	}
	if got := (Op{{Skip: 7}}).Normalize(); len(got) != 0 {
		t.Fatalf("a lone skip should normalise to the empty op, got %v", got)
	}
}

func TestParse(t *testing.T) {
	ok := map[string]Op{
		`[]`:                                 {},
		` [ 3 , "hi" , 5 , {"d":8} ]`:        {{Skip: 3}, {Ins: "hi"}, {Skip: 5}, {Del: 8}},
		`[1,2,"a","b",{"d":1},{"d":"xy"},4]`: {{Skip: 3}, {Ins: "ab"}, {Del: 3}},
		`[{"d":"😀e\u0301"}]`:                 {{Del: 3}},
		`["\ud83d\ude00\n\u00e4"]`:           {{Ins: "😀\nä"}},
	}
	for in, want := range ok {
		got, err := Parse([]byte(in))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("Parse(%s) = %v, %v; want %v", in, got, err, want)
		}
	}
	bad := []string{
		``, `{}`, `[`, `[1,]`, `[0]`, `[-2]`, `[1.5]`, `[1e2]`, `[01]`, `[""]`, `[null]`, `[true]`,
		`[[1]]`, `[{"d":0}]`, `[{"d":-1}]`, `[{"d":""}]`, `[{"d":1,"x":2}]`, `[{"x":1}]`, `[{}]`,
		`["\ud83d"]`, `["\ude00x"]`, "[\"\xff\"]", "[\"a\x01\"]", `["\q"]`, `[1] 2`,
		`[4294967296]`, `[99999999999999999999999]`,
	}
	for _, in := range bad {
		if op, err := Parse([]byte(in)); err == nil {
			t.Errorf("Parse(%q) = %v, want an error", in, op)
		}
	}
}

func TestMarshalJSON(t *testing.T) {
	op := Op{{Skip: 3}, {Ins: "\"a\"\n😀<"}, {Del: 2}}
	js, err := op.MarshalJSON()
	if want := `[3,"\"a\"\n😀<",{"d":2}]`; err != nil || string(js) != want {
		t.Fatalf("MarshalJSON = %s, %v; want %s", js, err, want)
	}
	if js, _ := Op(nil).MarshalJSON(); string(js) != "[]" {
		t.Fatalf("nil op marshals to %s, want []", js)
	}
	if _, err := (Op{{Skip: 1, Del: 1}}).MarshalJSON(); err == nil {
		t.Fatal("MarshalJSON accepted a component with two fields")
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		op      Op
		docLen  int
		wantErr string
	}{
		{Op{{Skip: 2}, {Del: 1}}, 3, ""},
		{Op{{Skip: 2}, {Del: 2}}, 3, "covers 4 characters but the document has only 3"},
		{Op{{Skip: -1}}, 3, "skip must be between"},
		{Op{{Del: -1}}, 3, "delete count must be between"},
		{Op{{Skip: 1 << 40}, {Skip: 1 << 62}, {Skip: 1 << 62}}, 3, "skip must be between"},
		{Op{{}}, 3, "exactly one of"},
		{Op{{Skip: 1, Ins: "a"}}, 3, "exactly one of"},
		{Op{{Ins: "\xff"}}, 3, "not valid UTF-8"},
	}
	for _, c := range cases {
		err := Validate(c.op, c.docLen)
		if c.wantErr == "" && err != nil || c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)) {
			t.Errorf("Validate(%v, %d) = %v, want %q", c.op, c.docLen, err, c.wantErr)
		}
	}
	if _, err := Apply("ab", Op{{Skip: 1}, {Del: 2}}); err == nil {
		t.Error("Apply accepted a delete past the end")
	}
	if _, err := Transform(Op{{Skip: 0}}, nil, Left); err == nil {
		t.Error("Transform accepted an invalid op")
	}
	if _, err := Transform(nil, nil, Side(7)); err == nil {
		t.Error("Transform accepted an unknown side")
	}
	if _, err := Compose(nil, Op{{Del: -3}}); err == nil {
		t.Error("Compose accepted an invalid op")
	}
}

// Non-BMP characters count as one position, unlike JavaScript's length.
func TestNonBMPPositions(t *testing.T) {
	doc := "a😀b𝄞c"
	got := mustApply(t, doc, Op{{Skip: 2}, {Ins: "X"}, {Skip: 1}, {Del: 1}})
	if got != "a😀Xbc" {
		t.Fatalf("Apply = %q", got)
	}
	if got := mustApply(t, "👩\u200d👧", Op{{Skip: 1}, {Del: 1}}); got != "👩👧" {
		t.Fatalf("deleting the ZWJ gave %q", got)
	}
	if got := TransformPosition(3, Op{{Ins: "😀😀"}}); got != 5 {
		t.Fatalf("TransformPosition over an astral insert = %d, want 5", got)
	}
	if got := TransformPosition(2, Op{{Skip: 2}, {Ins: "x"}}); got != 2 {
		t.Fatalf("an insert at the cursor must not move it, got %d", got)
	}
	if got := TransformPosition(4, Op{{Skip: 1}, {Del: 5}}); got != 1 {
		t.Fatalf("a delete around the cursor must pull it to the start, got %d", got)
	}
	if ins, del := (Op{{Ins: "😀e\u0301"}, {Skip: 3}, {Del: 4}}).Stats(); ins != 3 || del != 4 {
		t.Fatalf("Stats = %d, %d", ins, del)
	}
}

func TestDiff(t *testing.T) {
	pairs := [][2]string{
		{"", ""}, {"", "abc"}, {"abc", ""}, {"abc", "abc"}, {"abXc", "abc"},
		{"a😀b", "a😁b"}, {"😀😀", "😀"}, {"aaa", "aaaa"}, {"e\u0301", "e\u0300"}, {"中文", "中国文"},
	}
	for _, p := range pairs {
		op := Diff(p[0], p[1])
		if got := mustApply(t, p[0], op); got != p[1] {
			t.Errorf("Diff(%q, %q) = %v applies to %q", p[0], p[1], op, got)
		}
		if !reflect.DeepEqual(op, op.Normalize()) {
			t.Errorf("Diff(%q, %q) = %v is not normalised", p[0], p[1], op)
		}
	}
	if op := Diff("hello world", "hello brave world"); !reflect.DeepEqual(op, Op{{Skip: 6}, {Ins: "brave "}}) {
		t.Errorf("Diff kept too little: %v", op)
	}
}

// TestDocMatchesApply applies long random op sequences to a Doc and to a
// plain string and requires identical text after every op.
func TestDocMatchesApply(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"a", "bc", "😀", "中文", "e\u0301", "\n", "🇩🇪"}
	for run := 0; run < 10; run++ {
		s := ""
		d := NewDoc(s)
		for i := 0; i < 300; i++ {
			n := utf8.RuneCountInString(s)
			var op Op
			pos := rng.IntN(n + 1)
			op = appendComp(op, Component{Skip: pos})
			if rng.IntN(3) == 0 && pos < n {
				op = appendComp(op, Component{Del: 1 + rng.IntN(min(n-pos, 5))})
			}
			if rng.IntN(4) != 0 {
				op = appendComp(op, Component{Ins: strings.Repeat(pieces[rng.IntN(len(pieces))], 1+rng.IntN(30))})
			}
			op = trim(op)
			s = mustApply(t, s, op)
			if err := d.Apply(op); err != nil {
				t.Fatal(err)
			}
			if d.String() != s || d.Len() != utf8.RuneCountInString(s) {
				t.Fatalf("run %d step %d: Doc has %q (len %d), want %q", run, i, d.String(), d.Len(), s)
			}
		}
	}
	d := NewDoc("abc")
	if err := d.Apply(Op{{Skip: 2}, {Ins: "x"}, {Del: 5}}); err == nil || d.String() != "abc" {
		t.Fatalf("Doc.Apply of a too-long op: err %v, text %q; want an error and no change", err, d.String())
	}
	if d := NewDoc("a\xffb"); d.Len() != 3 || d.String() != "a\uFFFDb" {
		t.Fatalf("NewDoc with invalid UTF-8: %q len %d", d.String(), d.Len())
	}
}

// TestDocApplyInvert applies random multi-component ops with ApplyInvert and
// requires that the new text is Apply's and that the inverse, applied to it,
// restores the old text; undoing a whole sequence in reverse order must end
// at the start.
func TestDocApplyInvert(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	pieces := []string{"a", "bc", "😀", "中文", "e\u0301", "\n", "🇩🇪", "ß"}
	randomOp := func(n int) Op {
		var op Op
		for left := n; ; {
			if k := rng.IntN(left + 1); k > 0 && rng.IntN(2) == 0 {
				op, left = appendComp(op, Component{Skip: k}), left-k
			}
			if rng.IntN(2) == 0 {
				op = appendComp(op, Component{Ins: pieces[rng.IntN(len(pieces))]})
			}
			if left > 0 && rng.IntN(2) == 0 {
				k := 1 + rng.IntN(min(left, 4))
				op, left = appendComp(op, Component{Del: k}), left-k
			}
			if left == 0 || rng.IntN(4) == 0 {
				return trim(op)
			}
		}
	}
	for run := 0; run < 20; run++ {
		start := strings.Repeat("Zeile 😀 中文 e\u0301\n", rng.IntN(20))
		d, s := NewDoc(start), start
		var undo []Op
		for i := 0; i < 200; i++ {
			op := randomOp(d.Len())
			inv, err := d.ApplyInvert(op)
			if err != nil {
				t.Fatalf("run %d step %d: ApplyInvert(%v): %v", run, i, op, err)
			}
			before := s
			s = mustApply(t, s, op)
			if d.String() != s {
				t.Fatalf("run %d step %d: ApplyInvert gave %q, Apply %q", run, i, d.String(), s)
			}
			if len(inv.Normalize()) != len(inv) {
				t.Fatalf("run %d step %d: inverse %v is not normalised", run, i, inv)
			}
			if back := mustApply(t, s, inv); back != before {
				t.Fatalf("run %d step %d: inverse %v of %v gives %q, want %q", run, i, inv, op, back, before)
			}
			undo = append(undo, inv)
		}
		for i := len(undo) - 1; i >= 0; i-- {
			if err := d.Apply(undo[i]); err != nil {
				t.Fatalf("run %d: undo %d: %v", run, i, err)
			}
		}
		if d.String() != start {
			t.Fatalf("run %d: undoing everything gives %q, want %q", run, d.String(), start)
		}
	}
	d := NewDoc("abc")
	if _, err := d.ApplyInvert(Op{{Skip: 2}, {Del: 5}}); err == nil || d.String() != "abc" {
		t.Fatalf("ApplyInvert of a too-long op: err %v, text %q; want an error and no change", err, d.String())
	}
}
