// Package limittest checks any implementation of the limit interfaces
// against their contract; the memory and Redis tests both run it.
package limittest

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/limit"
)

// Conformance runs the contract checks. Two limiters from newPair must share
// their budgets (two instances on one Redis, or the same Memory twice).
func Conformance(t *testing.T, newPair func(t *testing.T) (limit.Limiter, limit.Slots, limit.Limiter, limit.Slots)) {
	t.Run("ConcurrentAllowTakesOnlyTheBurst", func(t *testing.T) {
		a, _, b, _ := newPair(t)
		r := limit.Rate{Count: 5, Period: time.Hour, Burst: 5}
		var allowed atomic.Int32
		var wg sync.WaitGroup
		for i := range 30 {
			l := a
			if i%2 == 1 {
				l = b
			}
			wg.Go(func() {
				res, err := l.Allow(context.Background(), "konto", r)
				if err != nil {
					t.Error(err)
				}
				if res.Allowed {
					allowed.Add(1)
				} else if res.RetryAfter <= 0 {
					t.Errorf("refused without RetryAfter: %+v", res)
				}
			})
		}
		wg.Wait()
		if n := allowed.Load(); n != 5 {
			t.Fatalf("%d of 30 concurrent events allowed, want 5", n)
		}
		if res, _ := a.Allow(context.Background(), "anderes-konto", r); !res.Allowed {
			t.Fatal("another key shares the budget")
		}
		if err := b.Reset(context.Background(), "konto"); err != nil {
			t.Fatal(err)
		}
		if res, _ := a.Allow(context.Background(), "konto", r); !res.Allowed {
			t.Fatal("refused after Reset")
		}
	})
	t.Run("SlotsCapConcurrentHolders", func(t *testing.T) {
		_, a, _, b := newPair(t)
		var mu sync.Mutex
		var leases []limit.Lease
		var wg sync.WaitGroup
		for i := range 50 {
			s := a
			if i%2 == 1 {
				s = b
			}
			wg.Go(func() {
				l, ok, err := s.Acquire(context.Background(), "user:1", 20, time.Minute)
				if err != nil {
					t.Error(err)
				}
				if ok {
					mu.Lock()
					leases = append(leases, l)
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if len(leases) != 20 {
			t.Fatalf("%d of 50 concurrent acquisitions held, want 20", len(leases))
		}
		if _, ok, _ := a.Acquire(context.Background(), "user:2", 20, time.Minute); !ok {
			t.Fatal("another key shares the cap")
		}
		must(t, leases[0].Refresh(context.Background()))
		must(t, leases[0].Release(context.Background()))
		must(t, leases[0].Release(context.Background()))
		if _, ok, _ := b.Acquire(context.Background(), "user:1", 20, time.Minute); !ok {
			t.Fatal("released slot not free")
		}
		if _, ok, _ := b.Acquire(context.Background(), "user:1", 20, time.Minute); ok {
			t.Fatal("more than 20 slots after a release")
		}
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
