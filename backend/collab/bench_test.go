package collab_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/collab"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// BenchmarkCommit has 50 submitters type into one section at once, each
// sending its next op at the version of its own last acknowledgement (so
// every op is transformed past the others' ops), and reports committed ops
// per second and submit latency percentiles.
func BenchmarkCommit(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchCommit(b, storetest.Open(b), 50, benchText) })
	b.Run("postgres", func(b *testing.B) { benchCommit(b, storetest.OpenPostgres(b), 50, benchText) })
}

// BenchmarkCommitLong is BenchmarkCommit on sections that start with a
// text of 27 kB (below Options.LongText) and of 1 MB (far above it).
func BenchmarkCommitLong(b *testing.B) {
	for _, n := range []struct {
		name string
		len  int
	}{{"27kB", 27_000}, {"1MB", 1_000_000}} {
		b.Run("sqlite/"+n.name, func(b *testing.B) { benchCommit(b, storetest.Open(b), 50, longText(n.len)) })
		b.Run("postgres/"+n.name, func(b *testing.B) { benchCommit(b, storetest.OpenPostgres(b), 50, longText(n.len)) })
	}
}

// benchText is the text BenchmarkCommit starts with.
const benchText = "Die Verwaltung wird digital. "

// longText repeats benchText to n bytes (and code points: it is ASCII).
func longText(n int) string {
	return strings.Repeat(benchText, n/len(benchText)+1)[:n]
}

func benchCommit(b *testing.B, db *store.DB, submitters int, initial string) {
	f := newFixture(b, db, initial)
	s := collab.New(db, collab.Options{})
	defer s.Close()

	// The first commit loads the text into the cache and stores the
	// first snapshot (what BenchmarkColdStart measures); it is made
	// before the clock starts, so that the percentiles describe the
	// steady state rather than the 1 % of submits that wait for it.
	f.submit(b, s, f.anna, "warm-up", 1, 0, `["ä"]`)
	total := b.N
	latencies := make([][]time.Duration, submitters)
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for w := range submitters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			client := fmt.Sprintf("bench-%d", w)
			var base int64
			for seq := int64(1); next.Add(1) <= int64(total); seq++ {
				// Every op inserts one code point, so the text at base
				// has utf8 length len(initial)+base (at least).
				pos := rng.IntN(len(initial) + int(base) + 1)
				op := fmt.Sprintf(`[%d, "ä"]`, pos)
				if pos == 0 {
					op = `["ä"]`
				}
				t0 := time.Now()
				res, err := s.Submit(context.Background(), f.req(f.anna, client, seq, base, op))
				latencies[w] = append(latencies[w], time.Since(t0))
				if err != nil {
					b.Error(err)
					return
				}
				base = res.Op.Version + 1
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()

	var all []time.Duration
	for _, l := range latencies {
		all = append(all, l...)
	}
	slices.Sort(all)
	pct := func(p float64) float64 {
		if len(all) == 0 {
			return 0
		}
		return float64(all[min(len(all)-1, int(p*float64(len(all))))].Microseconds()) / 1000
	}
	b.ReportMetric(float64(total)/elapsed.Seconds(), "ops/s")
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	st := s.Stats()
	b.ReportMetric(float64(st.Ops)/float64(max(1, st.Batches)), "ops/commit")
	b.ReportMetric(float64(st.Retries), "retries")
	b.ReportMetric(float64(st.Fast)*100/float64(max(1, st.Batches)), "fast-%")
	b.ReportMetric(0, "ns/op")
	if _, v := f.snapshot(b, s); v != int64(total)+1 {
		b.Fatalf("section at version %d after %d submits", v, total)
	}
}

// BenchmarkColdStart commits coldOps ops to a section of 27 kB and one of
// 900 kB (which grows to 1 MB with them) with one Service and then measures, per iteration, how long a new
// Service (an instance that has never seen the document) takes to return
// the text (first-text-ms) and to commit its first op (first-commit-ms).
// No Service is closed or writes its text when idle, as after a crash:
// the stored text is as far behind as a busy document's can be.
func BenchmarkColdStart(b *testing.B) {
	for _, n := range []struct {
		name string
		len  int
	}{{"27kB", 27_000}, {"900kB", 900_000}} {
		b.Run("postgres/"+n.name, func(b *testing.B) { benchColdStart(b, storetest.OpenPostgres(b), longText(n.len)) })
	}
}

// coldOps is how many ops BenchmarkColdStart commits before it measures.
const coldOps = 100_000

func benchColdStart(b *testing.B, db *store.DB, initial string) {
	f := newFixture(b, db, initial)
	ctx := context.Background()
	w := collab.New(db, collab.Options{FlushIdle: time.Hour})
	var next atomic.Int64
	var wg sync.WaitGroup
	for c := range 256 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := fmt.Sprintf("setup-%d", c)
			var base int64
			for seq := int64(1); next.Add(1) <= coldOps; seq++ {
				res, err := w.Submit(ctx, f.req(f.anna, client, seq, base, `["ä"]`))
				if err != nil {
					b.Error(err)
					return
				}
				base = res.Op.Version + 1
			}
		}()
	}
	wg.Wait()
	want, _ := f.snapshot(b, w)
	var text, commit time.Duration
	b.ResetTimer()
	for i := range b.N {
		s := collab.New(db, collab.Options{FlushIdle: time.Hour})
		t0 := time.Now()
		got, v, err := s.Snapshot(ctx, f.doc)
		text += time.Since(t0)
		if err != nil || v != coldOps+int64(i) || got != want {
			b.Fatalf("text at version %d (%v), want %d", v, err, coldOps+i)
		}
		t0 = time.Now()
		res := f.submit(b, s, f.bernd, "cold", int64(i), v, `["ö"]`)
		commit += time.Since(t0)
		want = "ö" + want
		if res.Op.Version != v {
			b.Fatalf("committed at %d, want %d", res.Op.Version, v)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(text.Microseconds())/1000/float64(b.N), "first-text-ms")
	b.ReportMetric(float64(commit.Microseconds())/1000/float64(b.N), "first-commit-ms")
	b.ReportMetric(0, "ns/op")
}
