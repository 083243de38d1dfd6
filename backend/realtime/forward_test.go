package realtime_test

import (
	"context"
	"encoding/json"
	"sync/atomic"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/realtime"
)

// deafBroker stops passing messages to its instance once deaf is set, as
// when the instance hangs or its process died without closing anything.
type deafBroker struct {
	realtime.Broker
	deaf atomic.Bool
}

func (b *deafBroker) Run(ctx context.Context, handle func(*realtime.Message)) error {
	return b.Broker.Run(ctx, func(m *realtime.Message) {
		if !b.deaf.Load() {
			handle(m)
		}
	})
}

// committerWorld starts instances "a" and "b" on one broker and makes "a"
// the section's committer: it commits one op, and b sees it. It returns the
// instances and an open connection on each. b waits a minute for a
// forwarded submit, so that however slow the machine, a submit that a
// answers is never committed by b instead.
func committerWorld(t *testing.T, w *world) (a, b *instance, ca, cb *rawConn) {
	a, b, _, ca, cb = committerWorldDeaf(t, w, time.Minute)
	return a, b, ca, cb
}

// committerWorldDeaf is committerWorld with a's broker returned, so that a
// can be made deaf, and b's ForwardTimeout chosen.
func committerWorldDeaf(t *testing.T, w *world, forwardTimeout time.Duration) (a, b *instance, abroker *deafBroker, ca, cb *rawConn) {
	mem := realtime.NewMemoryBroker()
	abroker = &deafBroker{Broker: mem.View()}
	// a stays the committer for the whole test however slow the machine.
	acfg := testConfig("a")
	acfg.CommitterWindow = time.Hour
	a = w.start(acfg, abroker)
	cfg := testConfig("b")
	cfg.ForwardTimeout = forwardTimeout
	cfg.CommitterWindow = time.Hour
	b = w.start(cfg, mem.View())
	ca, cb = dialRaw(t, a, w.editors[0].ID), dialRaw(t, b, w.editors[1].ID)
	ca.open(w.section)
	cb.open(w.section)
	ca.submit(w.section, 0, []any{"A"}, "ca", 1)
	cb.next("op", "ops") // b has seen a commit
	return a, b, abroker, ca, cb
}

// With a committing to the section, b's submits are committed by a on b's
// behalf and acknowledged to b's client as usual.
func TestSubmitsGoToTheSectionsCommitter(t *testing.T) {
	databases(t, func(t *testing.T, w *world) {
		a, b, _, cb := committerWorld(t, w)
		for i := range int64(5) {
			ack := cb.submit(w.section, 1+i, []any{1 + i, "b"}, "cb", 1+i)
			if ack.V != 1+i {
				t.Fatalf("b's op %d acknowledged at version %d; want %d", i, ack.V, 1+i)
			}
		}
		if got := b.svc.Stats().Ops; got != 0 {
			t.Errorf("b committed %d ops itself; want all committed by a", got)
		}
		if got := a.svc.Stats().Ops; got != 6 {
			t.Errorf("a committed %d ops; want 6", got)
		}
		// A submit is acknowledged from the room, which may happen a moment
		// before the forwarding call that waits for it returns and counts.
		if got := b.waitMetric(t, "strategieraum_ws_submits_forwarded_total", 5); got != 5 {
			t.Errorf("b forwarded %v submits; want 5", got)
		}
		if text, v := w.dbText(domain.SectionDoc(w.section)); v != 6 || text[:6] != "Abbbbb" {
			t.Errorf("database has %q at %d", text, v)
		}
	})
}

// A forwarded submit that is refused, or that was committed before, is
// answered to the instance that forwarded it.
func TestForwardedRefusalsAndDuplicatesComeBack(t *testing.T) {
	databases(t, func(t *testing.T, w *world) {
		_, b, _, cb := committerWorld(t, w)
		cb.send(map[string]any{"t": "op", "section": w.section, "v": 1, "op": []any{5000, "x"}, "client": "cb", "seq": 1})
		cb.expectError("invalid_op")
		cb.send(map[string]any{"t": "op", "section": w.section, "v": 9, "op": []any{"x"}, "client": "cb", "seq": 1})
		cb.expectError("version_ahead")
		first := cb.submit(w.section, 1, []any{"B"}, "cb", 1)
		// The same op again, as after a reconnect, from another connection.
		again := dialRaw(t, b, w.editors[1].ID)
		again.open(w.section)
		if ack := again.submit(w.section, 1, []any{"B"}, "cb", 1); ack.V != first.V {
			t.Fatalf("resent op acknowledged at %d; first at %d", ack.V, first.V)
		}
		if got := b.svc.Stats().Ops; got != 0 {
			t.Errorf("b committed %d ops itself; want none", got)
		}
		if got, fb := b.waitMetric(t, "strategieraum_ws_submits_forwarded_total", 4), b.metric(t, "strategieraum_ws_submit_forward_fallbacks_total"); got != 4 || fb != 0 {
			t.Errorf("b forwarded %v submits, %v fell back; want 4 and none", got, fb)
		}
		if _, v := w.dbText(domain.SectionDoc(w.section)); v != 2 {
			t.Errorf("database at version %d; want 2 (a's op and b's once)", v)
		}
	})
}

// When the committer hangs or died, a forwarded submit goes unanswered and
// the instance commits it itself after the timeout; later submits are not
// forwarded there any more.
func TestForwardFallsBackWhenTheCommitterIsGone(t *testing.T) {
	databases(t, func(t *testing.T, w *world) {
		_, b, abroker, _, cb := committerWorldDeaf(t, w, testConfig("b").ForwardTimeout)
		abroker.deaf.Store(true)
		for i := range int64(3) {
			if ack := cb.submit(w.section, 1+i, []any{"B"}, "cb", 1+i); ack.V != 1+i {
				t.Fatalf("op %d acknowledged at %d", i, ack.V)
			}
		}
		if got := b.metric(t, "strategieraum_ws_submit_forward_fallbacks_total"); got != 1 {
			t.Errorf("%v fallbacks; want 1 (then a is left out)", got)
		}
		if got := b.svc.Stats().Ops; got != 3 {
			t.Errorf("b committed %d ops; want 3", got)
		}
		if text, v := w.dbText(domain.SectionDoc(w.section)); v != 4 || text[:4] != "BBBA" {
			t.Errorf("database has %q at %d", text, v)
		}
	})
}

// A committer that shuts down says so, and nobody waits for it.
func TestCommitterShuttingDownIsNotWaitedFor(t *testing.T) {
	databases(t, func(t *testing.T, w *world) {
		a, b, _, cb := committerWorld(t, w)
		if got := realtime.Committer(b.hub, domain.SectionDoc(w.section)); got != "a" {
			t.Fatalf("b takes %q as the section's committer; want a", got)
		}
		a.kill() // closes its hub, as a graceful shutdown does
		waitUntil(t, "b to hear that a is leaving", func() bool { return realtime.Committer(b.hub, domain.SectionDoc(w.section)) == "" })
		cb.submit(w.section, 1, []any{"B"}, "cb", 1)
		if f, fb := b.metric(t, "strategieraum_ws_submits_forwarded_total"), b.metric(t, "strategieraum_ws_submit_forward_fallbacks_total"); f != 0 || fb != 0 {
			t.Errorf("b forwarded %v submits (%v fallbacks) to an instance that said it was leaving", f, fb)
		}
	})
}

// An instance that commits to a section it does not have open (an accepted
// change proposal over REST, say) would not hear forwarded submits, so it
// is not taken as the section's committer.
func TestCommitterMustHaveTheSectionOpen(t *testing.T) {
	databases(t, func(t *testing.T, w *world) {
		mem := realtime.NewMemoryBroker()
		a := w.start(testConfig("a"), mem.View())
		b := w.start(testConfig("b"), mem.View())
		cb := dialRaw(t, b, w.editors[1].ID)
		cb.open(w.section)
		if _, err := a.svc.Submit(context.Background(), domain.SubmitRequest{Doc: domain.SectionDoc(w.section), Op: json.RawMessage(`["A"]`),
			UserID: w.editors[0].ID, ClientID: "rest", Seq: 1}); err != nil {
			t.Fatal(err)
		}
		cb.next("op", "ops")
		cb.submit(w.section, 1, []any{"B"}, "cb", 1)
		// b committing itself (Stats below) is what shows it did not
		// forward; a forwarded submit would also be counted here.
		if f, fb := b.metric(t, "strategieraum_ws_submits_forwarded_total"), b.metric(t, "strategieraum_ws_submit_forward_fallbacks_total"); f != 0 || fb != 0 {
			t.Errorf("b forwarded %v submits (%v fallbacks); want it to commit itself", f, fb)
		}
		if got := b.svc.Stats().Ops; got != 1 {
			t.Errorf("b committed %d ops; want 1", got)
		}
	})
}
