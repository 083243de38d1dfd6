package ot

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// opFromBytes turns fuzz bytes into a valid op on a document of docLen code
// points, so the fuzzer explores ops instead of parse errors.
func opFromBytes(data []byte, docLen int) Op {
	pieces := []string{"a", "é", "😀", "中", "e\u0301", "👩\u200d👧", "xy"}
	var op Op
	pos := 0
	for i := 0; i+1 < len(data); i += 2 {
		k, v := data[i]%3, int(data[i+1])
		switch rem := docLen - pos; {
		case k == 0 && rem > 0:
			n := 1 + v%rem
			op, pos = appendComp(op, Component{Skip: n}), pos+n
		case k == 1 && rem > 0:
			n := 1 + v%min(rem, 6)
			op, pos = appendComp(op, Component{Del: n}), pos+n
		default:
			op = appendComp(op, Component{Ins: pieces[v%len(pieces)]})
		}
	}
	return trim(op)
}

func mustApply(t *testing.T, doc string, op Op) string {
	t.Helper()
	s, err := Apply(doc, op)
	if err != nil {
		t.Fatalf("Apply(%q, %v): %v", doc, op, err)
	}
	return s
}

// FuzzTransformConvergence checks the convergence property (TP1) that the
// server relies on, and that compose agrees with applying ops one by one.
func FuzzTransformConvergence(f *testing.F) {
	f.Add("", []byte{2, 0}, []byte{2, 1}, []byte{2, 2})
	f.Add("hello world", []byte{0, 3, 1, 2, 2, 4}, []byte{0, 4, 2, 1, 1, 3}, []byte{1, 9})
	f.Add("a😀b中c\u0301d", []byte{0, 1, 2, 2}, []byte{0, 1, 2, 3}, []byte{0, 2, 1, 1})
	f.Add("👩\u200d👩\u200d👧🇩🇪", []byte{1, 4, 2, 5}, []byte{0, 2, 1, 3, 2, 6}, []byte{2, 0, 0, 1})
	f.Fuzz(func(t *testing.T, doc string, ra, rb, rc []byte) {
		doc = strings.ToValidUTF8(doc, "?")
		n := utf8.RuneCountInString(doc)
		a, b := opFromBytes(ra, n), opFromBytes(rb, n)
		ba, err := Transform(b, a, Left)
		if err != nil {
			t.Fatal(err)
		}
		ab, err := Transform(a, b, Right)
		if err != nil {
			t.Fatal(err)
		}
		da, db := mustApply(t, doc, a), mustApply(t, doc, b)
		x, y := mustApply(t, da, ba), mustApply(t, db, ab)
		if x != y {
			t.Fatalf("diverged on %q: a=%v b=%v: %q vs %q", doc, a, b, x, y)
		}
		// Compose: a then b' must equal both paths above.
		ca, err := Compose(a, ba)
		if err != nil {
			t.Fatal(err)
		}
		if got := mustApply(t, doc, ca); got != x {
			t.Fatalf("compose(a, b') = %v gives %q, want %q", ca, got, x)
		}
		// Compose of a with a third op c on apply(doc, a).
		c := opFromBytes(rc, utf8.RuneCountInString(da))
		ac, err := Compose(a, c)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := mustApply(t, doc, ac), mustApply(t, da, c); got != want {
			t.Fatalf("compose(a, c) = %v gives %q, want %q", ac, got, want)
		}
		d := NewDoc(doc)
		if err := d.Apply(a); err != nil || d.String() != da {
			t.Fatalf("Doc.Apply = %q, %v; want %q", d.String(), err, da)
		}
		// A second op on the same Doc moves its gap back and forth.
		if err := d.Apply(ba); err != nil || d.String() != x || d.Len() != utf8.RuneCountInString(x) {
			t.Fatalf("Doc.Apply(b') = %q, %v; want %q", d.String(), err, x)
		}
	})
}

// FuzzParse checks that Parse never panics and that what it accepts is
// normalised and survives a JSON round trip.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`[]`, `[3,"hi",5,{"d":8}]`, `[{"d":"abc"}]`, `["\ud83d\ude00"]`, `["\ud83d"]`,
		`[1,1]`, `[0]`, `[-1]`, `[1.5]`, `[{"d":0}]`, `[{"x":1}]`, `[""]`, `[null]`, `{}`,
		`[1e3]`, `["a\u0000"]`, "[\"\xff\"]", `[99999999999999999999]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		op, err := Parse(data)
		if err != nil {
			return
		}
		if !reflect.DeepEqual(op, op.Normalize()) {
			t.Fatalf("Parse(%q) = %v is not normalised", data, op)
		}
		if err := checkOp(op); err != nil {
			t.Fatalf("Parse(%q) accepted invalid op: %v", data, err)
		}
		js, err := op.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		back, err := Parse(js)
		if err != nil || !reflect.DeepEqual(back, op) {
			t.Fatalf("round trip of %q: %s -> %v, %v", data, js, back, err)
		}
		if !json.Valid(js) {
			t.Fatalf("MarshalJSON wrote invalid JSON %s", js)
		}
	})
}
