package realtime_test

import (
	"strings"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/realtime"
)

// A client that stops reading must not hold up anyone: its queue
// overflows, it is told to resync, and it catches up from the log.
//
// The overflow is driven, not hoped for: the slow client never reads, so
// once its socket buffers are full the server's write to it blocks and
// every further flush queues a frame. Neither the write timeout nor an
// unanswered ping may drop it first (the hub pings everyone on its first
// tick, which may come after the slow client connected). The typist goes
// on until the overflow has happened.
func TestSlowReaderResyncsOthersUnaffected(t *testing.T) {
	w := newWorldSQLite(t)
	cfg := testConfig("a")
	cfg.SendQueue = 16
	cfg.WriteTimeout, cfg.PingInterval, cfg.PongTimeout = time.Hour, time.Hour, time.Hour
	in := w.start(cfg, nil)
	typist := dialRaw(t, in, w.editors[0].ID)
	watcher := dialRaw(t, in, w.reader.ID)
	slow := dialRawWith(t, in, w.editors[1].ID, smallBufferClient())
	base := typist.open(w.section)
	watcher.open(w.section)
	slowSnap := slow.open(w.section)

	// The watcher reads all the time; what it gets is checked below.
	watched := make(chan *frame, 1<<14)
	go func() {
		defer close(watched)
		for {
			f, err := watcher.nextErr(time.Minute, "op", "ops", "error")
			if err != nil {
				return // the test has ended and closed the connection
			}
			watched <- f
		}
	}()
	// The typist inserts and deletes large blocks; the slow client does not
	// read meanwhile.
	block := strings.Repeat("Breitband für alle Kommunen. ", 3000) // ~87k characters
	n := len([]rune(block))
	const maxRounds = 500 // ~45 MB, far beyond any socket buffer
	var v int64
	for i := 0; in.metric(t, "strategieraum_ws_resyncs_total") < 1; i++ {
		if i == maxRounds {
			t.Fatalf("resyncs = 0 after %d ops; the slow client's queue never overflowed (%v connections)", v, in.metric(t, "strategieraum_ws_connections"))
		}
		typist.submit(w.section, v, []any{block}, "ty", int64(2*i+1))
		typist.submit(w.section, v+1, []any{map[string]int{"d": n}}, "ty", int64(2*i+2))
		v += 2
	}
	t.Logf("typed %d ops until the slow client overflowed", v)
	// The watcher got every op, in order, and no resync.
	for next := int64(0); next < v; {
		var f *frame
		select {
		case f = <-watched:
		case <-time.After(20 * time.Second):
			t.Fatalf("watcher: no frame after v%d", next-1)
		}
		if f == nil || f.T == "error" {
			t.Fatalf("watcher: %+v", f)
		}
		for _, op := range opsOf(f) {
			if op.V != next {
				t.Fatalf("watcher: op v%d, want v%d", op.V, next)
			}
			next++
		}
	}
	// The slow client now reads: some ops, then a resync; re-opening from
	// its last version brings it up to date.
	last := slowSnap.V
	for {
		f := slow.next("op", "ops", "error")
		if f.T == "error" {
			if f.Code != realtime.CodeResync || f.Section != w.section {
				t.Fatalf("slow client: %+v", f)
			}
			break
		}
		for _, op := range opsOf(f) {
			if op.V != last {
				t.Fatalf("slow client: op v%d, want v%d", op.V, last)
			}
			last++
		}
	}
	slow.send(map[string]any{"t": "open", "section": w.section, "v": last})
	for got := last; got < v; {
		for _, op := range opsOf(slow.next("op", "ops")) {
			if op.V != got {
				t.Fatalf("slow client after re-open: op v%d, want v%d", op.V, got)
			}
			got++
		}
	}
	if text, dbv := w.dbText(domain.SectionDoc(w.section)); dbv != v || text != base.Text {
		t.Fatalf("database at v%d", dbv)
	}
}

// opsOf returns the ops an "op" or "ops" frame carries.
func opsOf(f *frame) []frame {
	if f.T == "op" {
		return []frame{*f}
	}
	return f.Ops
}

// A peer that stops answering pings is dropped.
func TestDeadPeerIsDropped(t *testing.T) {
	w := newWorldSQLite(t)
	cfg := testConfig("a")
	cfg.PingInterval, cfg.PongTimeout = 100*time.Millisecond, 200*time.Millisecond
	in := w.start(cfg, nil)
	c := dialRaw(t, in, w.editors[0].ID)
	c.open(w.section) // and then never reads again, so pongs go unanswered
	deadline := time.Now().Add(5 * time.Second)
	for in.metric(t, "strategieraum_ws_connections") != 0 {
		if time.Now().After(deadline) {
			t.Fatal("a peer that does not answer pings is still connected")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// A peer that takes no frames at all (its socket buffers are full) is
// dropped once a write has waited WriteTimeout.
//
// The socket buffers on both sides are fixed and small (the kernel would
// otherwise let the server's send buffer grow to megabytes, and how many
// ops it takes to fill it, and so how long, would depend on the machine),
// so the typist's ops surely block a write to the stuck peer: 20 frames
// of ~90 kB against buffers of ~100 kB. Then the test waits for the drop.
// How much the server's own write buffer holds does not matter.
func TestStuckWriterIsDropped(t *testing.T) {
	w := newWorldSQLite(t)
	w.sendBuffer = 16 << 10
	cfg := testConfig("a")
	cfg.WriteTimeout = 300 * time.Millisecond
	cfg.PongTimeout = time.Hour // only the write may notice
	in := w.start(cfg, nil)
	typist := dialRaw(t, in, w.editors[0].ID)
	stuck := dialRawWith(t, in, w.editors[1].ID, smallBufferClient())
	typist.open(w.section)
	stuck.open(w.section) // and then never reads again
	block := strings.Repeat("Breitband für alle Kommunen. ", 3000)
	n := len([]rune(block))
	const rounds = 20 // ~1.8 MB to the stuck peer
	var v int64
	for range rounds {
		typist.submit(w.section, v, []any{block}, "ty", v+1)
		typist.submit(w.section, v+1, []any{map[string]int{"d": n}}, "ty", v+2)
		v += 2
	}
	waitUntil(t, "the stuck peer to be dropped", func() bool {
		return in.metric(t, "strategieraum_ws_connections") == 1
	})
	if got := in.metric(t, "strategieraum_ws_resyncs_total"); got != 0 {
		t.Errorf("resyncs = %v; the stuck peer should be dropped by the write timeout, not told to resync", got)
	}
}
