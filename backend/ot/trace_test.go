package ot

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// tracesDir holds the editing traces (josephg/editing-traces, CC BY 4.0; see
// its README.md), kept in the repository so that a clean clone tests alone.
const tracesDir = "testdata/traces"

// patch is one [pos, delCount, insertText] edit in code points.
type patch struct {
	Pos, Del int
	Ins      string
}

// UnmarshalJSON reads the trace's array form.
func (p *patch) UnmarshalJSON(b []byte) error {
	var raw [3]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	if err := json.Unmarshal(raw[0], &p.Pos); err != nil {
		return err
	}
	if err := json.Unmarshal(raw[1], &p.Del); err != nil {
		return err
	}
	return json.Unmarshal(raw[2], &p.Ins)
}

// trace holds both sequential and concurrent trace files.
type trace struct {
	EndContent string `json:"endContent"`
	NumAgents  int    `json:"numAgents"`
	Txns       []struct {
		Parents []int   `json:"parents"`
		Agent   int     `json:"agent"`
		Patches []patch `json:"patches"`
	} `json:"txns"`
}

// loadTrace reads kind/name.json.gz.
func loadTrace(kind, name string) (*trace, error) {
	f, err := os.Open(filepath.Join(tracesDir, kind, name+".json.gz"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	var tr trace
	if err := json.NewDecoder(zr).Decode(&tr); err != nil {
		return nil, fmt.Errorf("decoding %s: %w", name, err)
	}
	return &tr, nil
}

// mustTrace loads a trace for a test or benchmark; a missing file fails it.
func mustTrace(tb testing.TB, kind, name string) *trace {
	tb.Helper()
	tr, err := loadTrace(kind, name)
	if err != nil {
		tb.Fatal(err)
	}
	return tr
}

// patchOp writes the op for p into buf, reusing its storage.
func patchOp(buf Op, p patch) Op {
	op := buf[:0]
	if p.Pos > 0 {
		op = append(op, Component{Skip: p.Pos})
	}
	if p.Del > 0 {
		op = append(op, Component{Del: p.Del})
	}
	if p.Ins != "" {
		op = append(op, Component{Ins: p.Ins})
	}
	return trim(op)
}

// replay applies every patch of a sequential trace to a new Doc.
func replay(tr *trace) (*Doc, int, error) {
	d := NewDoc("")
	buf := make(Op, 0, 3)
	n := 0
	for _, txn := range tr.Txns {
		for _, p := range txn.Patches {
			buf = patchOp(buf, p)
			if err := d.Apply(buf); err != nil {
				return nil, n, fmt.Errorf("patch %d: %w", n, err)
			}
			n++
		}
	}
	return d, n, nil
}

func TestSequentialTraces(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"json-crdt-patch", "rustcode"} {
		t.Run(name, func(t *testing.T) {
			tr := mustTrace(t, "sequential_traces", name)
			d, _, err := replay(tr)
			if err != nil {
				t.Fatal(err)
			}
			if got := d.String(); got != tr.EndContent {
				t.Fatalf("replay ends with %d bytes, want %d bytes of endContent", len(got), len(tr.EndContent))
			}
		})
	}
}

func BenchmarkSequentialTraces(b *testing.B) {
	for _, name := range []string{"automerge-paper", "seph-blog1", "rustcode", "sveltecomponent",
		"json-crdt-patch", "json-crdt-blog-post", "friendsforever_flat", "clownschool_flat"} {
		b.Run(name, func(b *testing.B) {
			tr := mustTrace(b, "sequential_traces", name)
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				d, k, err := replay(tr)
				if err != nil {
					b.Fatal(err)
				}
				if d.String() != tr.EndContent {
					b.Fatal("replay does not match endContent")
				}
				n += k
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "ops/s")
		})
	}
}

// BenchmarkSpliceBaseline replays automerge-paper (pure ASCII, so code
// points are bytes) by splicing a flat []byte: the floor for any text
// structure, measured beside the Doc numbers so load on the machine shows
// in both.
func BenchmarkSpliceBaseline(b *testing.B) {
	tr := mustTrace(b, "sequential_traces", "automerge-paper")
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		var buf []byte
		for _, txn := range tr.Txns {
			for _, p := range txn.Patches {
				delta := len(p.Ins) - p.Del
				if delta > 0 {
					for range delta {
						buf = append(buf, 0)
					}
					copy(buf[p.Pos+len(p.Ins):], buf[p.Pos+p.Del:len(buf)-delta])
				} else {
					copy(buf[p.Pos+len(p.Ins):], buf[p.Pos+p.Del:])
					buf = buf[:len(buf)+delta]
				}
				copy(buf[p.Pos:], p.Ins)
				n++
			}
		}
		if string(buf) != tr.EndContent {
			b.Fatal("splice replay does not match endContent")
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "ops/s")
}
