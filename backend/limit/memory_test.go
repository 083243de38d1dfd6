package limit_test

import (
	"context"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/limit"
	"github.com/strategieraum/strategieraum/backend/limit/limittest"
	"github.com/strategieraum/strategieraum/backend/testclock"
)

func TestMemoryConformance(t *testing.T) {
	limittest.Conformance(t, func(t *testing.T) (limit.Limiter, limit.Slots, limit.Limiter, limit.Slots) {
		m := limit.NewMemory(nil)
		return m, m, m, m
	})
}

func TestMemoryRefillsAndExpires(t *testing.T) {
	ctx := context.Background()
	c := testclock.New(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	m := limit.NewMemory(c.Now)
	r := limit.Rate{Count: 1, Period: time.Minute, Burst: 2}
	for i := range 2 {
		if res, _ := m.Allow(ctx, "k", r); !res.Allowed {
			t.Fatalf("event %d within the burst refused", i)
		}
	}
	res, _ := m.Allow(ctx, "k", r)
	if res.Allowed || res.RetryAfter != time.Minute {
		t.Fatalf("over the burst: %+v, want a retry after 1m", res)
	}
	c.Add(time.Minute)
	if res, _ := m.Allow(ctx, "k", r); !res.Allowed {
		t.Fatal("not refilled after one period")
	}

	lease, ok, _ := m.Acquire(ctx, "u", 1, time.Minute)
	if !ok {
		t.Fatal("first slot refused")
	}
	c.Add(50 * time.Second)
	must(t, lease.Refresh(ctx))
	c.Add(50 * time.Second)
	if _, ok, _ := m.Acquire(ctx, "u", 1, time.Minute); ok {
		t.Fatal("refreshed lease expired")
	}
	c.Add(11 * time.Second)
	if _, ok, _ := m.Acquire(ctx, "u", 1, time.Minute); !ok {
		t.Fatal("an unrefreshed lease still holds its slot")
	}
}

func TestMemoryStaysBounded(t *testing.T) {
	m := limit.NewMemory(nil)
	r := limit.Rate{Count: 1, Period: time.Hour, Burst: 1}
	for i := range 50000 {
		m.Allow(context.Background(), string(rune(i)), r)
	}
	if n := m.Keys(); n > 20000 {
		t.Fatalf("%d keys kept", n)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
