package testclock_test

import (
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/testclock"
)

func TestClockMovesOnlyWhenTold(t *testing.T) {
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	c := testclock.New(start)
	if !c.Now().Equal(start) {
		t.Fatalf("Now = %v, want %v", c.Now(), start)
	}
	c.Add(90 * time.Second)
	if want := start.Add(90 * time.Second); !c.Now().Equal(want) {
		t.Fatalf("after Add: %v, want %v", c.Now(), want)
	}
	later := start.Add(24 * time.Hour)
	c.Set(later)
	if !c.Now().Equal(later) {
		t.Fatalf("after Set: %v, want %v", c.Now(), later)
	}
}
