package collab_test

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/strategieraum/strategieraum/backend/collab"
	"github.com/strategieraum/strategieraum/backend/ot"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// traceDir holds the concurrent editing traces, kept in the repository beside
// the OT package's tests (see ../ot/testdata/traces/README.md).
const traceDir = "../ot/testdata/traces/concurrent_traces"

// concurrentTrace is the file format of a concurrent editing trace.
type concurrentTrace struct {
	EndContent string `json:"endContent"`
	NumAgents  int    `json:"numAgents"`
	Txns       []struct {
		Parents []int                `json:"parents"`
		Agent   int                  `json:"agent"`
		Patches [][3]json.RawMessage `json:"patches"`
	} `json:"txns"`
}

// BenchmarkTraces replays each concurrent trace through Submit: every txn
// is sent at the version right after its newest parent, one client per
// agent, in file order, and the final text is compared with endContent.
func BenchmarkTraces(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join(traceDir, "*.json.gz"))
	if len(files) == 0 {
		b.Fatal("no traces in " + traceDir)
	}
	for _, file := range files {
		tr := loadTrace(b, file)
		name := filepath.Base(file[:len(file)-len(".json.gz")])
		b.Run(name+"/sqlite", func(b *testing.B) { benchTrace(b, storetest.Open, tr) })
		b.Run(name+"/postgres", func(b *testing.B) { benchTrace(b, storetest.OpenPostgres, tr) })
	}
}

func loadTrace(b *testing.B, file string) *concurrentTrace {
	f, err := os.Open(file)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		b.Fatal(err)
	}
	var tr concurrentTrace
	if err := json.NewDecoder(z).Decode(&tr); err != nil {
		b.Fatal(err)
	}
	return &tr
}

func benchTrace(b *testing.B, open func(testing.TB) *store.DB, tr *concurrentTrace) {
	var r traceRun
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := open(b)
		f := newFixture(b, db, "")
		b.StartTimer()
		r = replayTrace(b, f, collab.New(db, collab.Options{}), tr)
	}
	b.ReportMetric(r.txnsPerSec, "txns/s")
	b.ReportMetric(float64(r.exact)*100/float64(len(tr.Txns)), "exact-context-%")
	b.ReportMetric(float64(r.transformed)/float64(len(tr.Txns)), "transforms/txn")
	b.ReportMetric(float64(r.clamped), "clamped-patches")
	b.ReportMetric(float64(r.misplaced), "chars-not-in-endContent")
	b.ReportMetric(0, "ns/op")
	b.Logf("converged=%v: final %d code points, endContent %d; same characters up to %d; %d of %d txns had an exact server context",
		r.final == tr.EndContent, utf8.RuneCountInString(r.final), utf8.RuneCountInString(tr.EndContent),
		r.misplaced, r.exact, len(tr.Txns))
}

// traceRun is the outcome of one replay.
type traceRun struct {
	final       string
	txnsPerSec  float64
	exact       int // txns whose causal history equals the server prefix they were sent at
	transformed int // ops the server transformed txns past, summed
	clamped     int // patches cut to the text length at their base version
	misplaced   int // code points in the final text beyond endContent's multiset of characters
}

func replayTrace(b *testing.B, f *fixture, s *collab.Service, tr *concurrentTrace) traceRun {
	n, agents := len(tr.Txns), tr.NumAgents
	// after[i] is txn i's vector clock including itself: per agent, how
	// many of its txns are in i's causal history.
	after := make([][]int32, n)
	top := make([]int64, n) // newest server version in i's causal history
	lengths := []int{0}     // text length at each server version
	seqs := make([]int64, agents)
	var r traceRun
	start := time.Now()
	for i, txn := range tr.Txns {
		vc := make([]int32, agents)
		base := int64(0)
		for _, p := range txn.Parents {
			for a := range vc {
				vc[a] = max(vc[a], after[p][a])
			}
			base = max(base, top[p]+1)
		}
		hist := int64(0)
		for _, c := range vc {
			hist += int64(c)
		}
		if hist == base {
			r.exact++
		}
		op, clamped := patchesToOp(b, txn.Patches, lengths[base])
		r.clamped += clamped
		raw, err := json.Marshal(op)
		if err != nil {
			b.Fatal(err)
		}
		seqs[txn.Agent]++
		res, err := s.Submit(context.Background(), f.req(f.anna, fmt.Sprint("agent-", txn.Agent), seqs[txn.Agent], base, string(raw)))
		if err != nil {
			b.Fatalf("txn %d: %v", i, err)
		}
		v := res.Op.Version
		r.transformed += int(v - base)
		committed, err := ot.Parse(res.Op.Op)
		if err != nil {
			b.Fatal(err)
		}
		ins, del := committed.Stats()
		lengths = append(lengths, lengths[v]+ins-del)
		top[i] = v
		vc[txn.Agent]++
		after[i] = vc
	}
	r.txnsPerSec = float64(n) / time.Since(start).Seconds()
	r.final, _ = f.snapshot(b, s)
	counts := map[rune]int{}
	for _, c := range tr.EndContent {
		counts[c]++
	}
	for _, c := range r.final {
		if counts[c]--; counts[c] < 0 {
			r.misplaced++
		}
	}
	return r
}

// patchesToOp turns a txn's patches (applied one after another, positions
// in code points) into one op on a text of length n, clamping positions
// that fall past the end of the server text at the chosen base.
func patchesToOp(b *testing.B, patches [][3]json.RawMessage, n int) (ot.Op, int) {
	var op ot.Op
	clamped := 0
	for _, p := range patches {
		var pos, del int
		var ins string
		if json.Unmarshal(p[0], &pos) != nil || json.Unmarshal(p[1], &del) != nil || json.Unmarshal(p[2], &ins) != nil {
			b.Fatalf("bad patch %s", p)
		}
		if pos > n || pos+del > n {
			clamped++
			pos = min(pos, n)
			del = min(del, n-pos)
		}
		next := ot.Op{{Skip: pos}, {Del: del}, {Ins: ins}}.Normalize()
		var err error
		if op, err = ot.Compose(op, next); err != nil {
			b.Fatalf("compose: %v", err)
		}
		n += utf8.RuneCountInString(ins) - del
	}
	return op, clamped
}
