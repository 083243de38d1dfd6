package ot

import "testing"

// TestConcurrentTrace replays the concurrent traces through the simulated
// ShareDB server and clients (see sim_test.go) under both schedules: every
// replica must converge, every txn must be typed on exactly its causal view
// and the result must equal endContent.
func TestConcurrentTrace(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"friendsforever", "clownschool"} {
		t.Run(name, func(t *testing.T) {
			tr := mustTrace(t, "concurrent_traces", name)
			for _, eager := range []bool{false, true} {
				res, err := runSimulation(tr, eager)
				if err != nil {
					t.Fatalf("eager=%v: %v", eager, err)
				}
				t.Logf("eager=%v: %d txns, %d server transforms, %d client transform pairs, %d overseen",
					eager, res.Txns, res.Transforms, res.ClientXs, res.Overseen)
				if res.Overseen != 0 {
					t.Errorf("eager=%v: %d txns were typed on a view that is not their causal history", eager, res.Overseen)
				}
				if res.Text != tr.EndContent {
					ins, del := Diff(tr.EndContent, res.Text).Stats()
					t.Fatalf("eager=%v: converged text differs from endContent (+%d -%d code points)", eager, ins, del)
				}
			}
		})
	}
}

func BenchmarkConcurrentTraces(b *testing.B) {
	for _, name := range []string{"friendsforever", "clownschool"} {
		for _, eager := range []bool{false, true} {
			mode := map[bool]string{false: "lazy", true: "eager"}[eager]
			b.Run(name+"/"+mode, func(b *testing.B) {
				tr := mustTrace(b, "concurrent_traces", name)
				b.ReportAllocs()
				n := 0
				for b.Loop() {
					res, err := runSimulation(tr, eager)
					if err != nil {
						b.Fatal(err)
					}
					n += res.Txns
				}
				b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "txns/s")
			})
		}
	}
}
