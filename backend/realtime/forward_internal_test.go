package realtime

import (
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// A submit resent after a reconnect is forwarded again while the first
// forward may not have returned yet. When the first one finishes, the
// second must still be told its outcome.
func TestForwarderKeepsASecondWaiterForTheSameSubmit(t *testing.T) {
	f := newForwarder(time.Minute)
	k := fwdKey{domain.SectionDoc(7), "c", 1}
	first := f.expect(k)
	f.resolve(k, fwdResult{res: &domain.SubmitResult{Op: &domain.CommittedOp{Version: 3}}})
	second := f.expect(k)
	f.forget(k, first) // the first caller returns only now
	f.resolve(k, fwdResult{res: &domain.SubmitResult{Duplicate: true, Op: &domain.CommittedOp{Version: 3}}})
	select {
	case r := <-second:
		if r.res == nil || !r.res.Duplicate {
			t.Fatalf("second waiter got %+v; want the duplicate outcome", r)
		}
	default:
		t.Fatal("the second waiter was not told its outcome")
	}
	if r := <-first; r.res == nil || r.res.Duplicate {
		t.Fatalf("first waiter got %+v; want its own commit", r)
	}
	f.forget(k, second)
	if len(f.waiting) != 0 || f.nwaiting.Load() != 0 {
		t.Fatalf("%d keys, %d waiters left", len(f.waiting), f.nwaiting.Load())
	}
}

// Two callers waiting for the same submit at once are both told.
func TestForwarderResolvesEveryWaiter(t *testing.T) {
	f := newForwarder(time.Minute)
	k := fwdKey{domain.SectionDoc(7), "c", 1}
	a, b := f.expect(k), f.expect(k)
	f.resolve(k, fwdResult{err: domain.Invalid("op", "x")})
	for i, ch := range []chan fwdResult{a, b} {
		select {
		case r := <-ch:
			if domain.ErrorCode(r.err) != domain.EINVALID {
				t.Fatalf("waiter %d got %v", i, r.err)
			}
		default:
			t.Fatalf("waiter %d was not told", i)
		}
	}
}

// A committer counts as busy, not gone, while it has committed to the
// document within the last timeout; only to that document, and only ops
// seen after the given time.
func TestForwarderTellsABusyCommitterFromAGoneOne(t *testing.T) {
	f := newForwarder(time.Minute)
	doc, other := domain.SectionDoc(7), domain.StatementDoc(7)
	t0 := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	if f.committedSince(doc, "a", t0.Add(-time.Hour)) {
		t.Fatal("an instance never seen counts as committing")
	}
	f.seen(doc, "a", t0)
	if !f.committedSince(doc, "a", t0.Add(-time.Second)) {
		t.Error("an op seen within the timeout does not count")
	}
	if f.committedSince(doc, "a", t0) || f.committedSince(doc, "a", t0.Add(time.Second)) {
		t.Error("an op seen before the timeout began counts")
	}
	if f.committedSince(other, "a", t0.Add(-time.Second)) || f.committedSince(doc, "b", t0.Add(-time.Second)) {
		t.Error("an op to another document, or by another instance, counts")
	}
}
