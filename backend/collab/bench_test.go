package collab_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
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
	b.Run("sqlite", func(b *testing.B) { benchCommit(b, storetest.Open(b), 50) })
	b.Run("postgres", func(b *testing.B) { benchCommit(b, storetest.OpenPostgres(b), 50) })
}

func benchCommit(b *testing.B, db *store.DB, submitters int) {
	const initial = "Die Verwaltung wird digital. "
	f := newFixture(b, db, initial)
	s := collab.New(db, collab.Options{})

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
				// has utf8 length len(initial)+base.
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
	if _, v := f.snapshot(b, s); v != int64(total) {
		b.Fatalf("section at version %d after %d submits", v, total)
	}
}
