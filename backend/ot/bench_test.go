package ot

import "testing"

// Micro benchmarks for the per-keystroke server path: parse the client's
// op, transform it past a concurrent op, apply it.

var benchOpJSON = []byte(`[1520,"ä",{"d":1}]`)

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(benchOpJSON); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTransform(b *testing.B) {
	op := Op{{Skip: 1520}, {Ins: "ä"}, {Del: 1}}
	other := Op{{Skip: 700}, {Ins: "hallo"}, {Skip: 900}, {Del: 3}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Transform(op, other, Left); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCompose(b *testing.B) {
	a := Op{{Skip: 1520}, {Ins: "ä"}, {Del: 1}}
	c := Op{{Skip: 1521}, {Ins: "b"}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compose(a, c); err != nil {
			b.Fatal(err)
		}
	}
}
