package realtime_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/realtime"
)

// A client that stops reading must not hold up anyone: its queue
// overflows, it is told to resync, and it catches up from the log.
func TestSlowReaderResyncsOthersUnaffected(t *testing.T) {
	w := newWorldSQLite(t)
	cfg := testConfig("a")
	cfg.SendQueue = 16
	in := w.start(cfg, nil)
	typist := dialRaw(t, in, w.editors[0].ID)
	watcher := dialRaw(t, in, w.reader.ID)
	slow := dialRawWith(t, in, w.editors[1].ID, smallBufferClient())
	base := typist.open(w.section)
	watcher.open(w.section)
	slowSnap := slow.open(w.section)

	// The watcher reads all the time and must get every op, in order, and
	// no resync.
	const rounds = 60
	const total = 2 * rounds
	watched := make(chan error, 1)
	go func() {
		for next := int64(0); next < total; {
			f, err := watcher.nextErr(20*time.Second, "op", "ops", "error")
			if err != nil || f.T == "error" {
				watched <- fmt.Errorf("watcher: %+v %v", f, err)
				return
			}
			if f.T == "op" {
				f.Ops = []frame{*f}
			}
			for _, op := range f.Ops {
				if op.V != next {
					watched <- fmt.Errorf("watcher: op v%d, want v%d", op.V, next)
					return
				}
				next++
			}
		}
		watched <- nil
	}()
	// The typist inserts and deletes large blocks; the slow client does not
	// read meanwhile.
	block := strings.Repeat("Breitband für alle Kommunen. ", 3000) // ~87k characters
	n := len([]rune(block))
	var v int64
	for i := range rounds {
		typist.submit(w.section, v, []any{block}, "ty", int64(2*i+1))
		typist.submit(w.section, v+1, []any{map[string]int{"d": n}}, "ty", int64(2*i+2))
		v += 2
	}
	t.Logf("typed %d ops", v)
	if err := <-watched; err != nil {
		t.Fatal(err)
	}
	if got := in.metric(t, "strategieraum_ws_resyncs_total"); got < 1 {
		t.Fatalf("resyncs = %v; the slow client's queue never overflowed", got)
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
		if f.T == "op" {
			f.Ops = []frame{*f}
		}
		for _, op := range f.Ops {
			if op.V != last {
				t.Fatalf("slow client: op v%d, want v%d", op.V, last)
			}
			last++
		}
	}
	slow.send(map[string]any{"t": "open", "section": w.section, "v": last})
	got := last
	deadline := time.Now().Add(10 * time.Second)
	for got < v && time.Now().Before(deadline) {
		f := slow.next("op", "ops")
		if f.T == "op" {
			f.Ops = []frame{*f}
		}
		for _, op := range f.Ops {
			if op.V != got {
				t.Fatalf("slow client after re-open: op v%d, want v%d", op.V, got)
			}
			got++
		}
	}
	if got != v {
		t.Fatalf("slow client caught up to v%d, section at v%d", got, v)
	}
	if text, dbv := w.dbText(w.section); dbv != v || text != base.Text {
		t.Fatalf("database at v%d", dbv)
	}
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
func TestStuckWriterIsDropped(t *testing.T) {
	w := newWorldSQLite(t)
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
	deadline := time.Now().Add(20 * time.Second)
	var v int64
	for in.metric(t, "strategieraum_ws_connections") > 1 {
		if time.Now().After(deadline) {
			t.Fatal("a peer that takes no frames is still connected")
		}
		typist.submit(w.section, v, []any{block}, "ty", v+1)
		typist.submit(w.section, v+1, []any{map[string]int{"d": n}}, "ty", v+2)
		v += 2
	}
	t.Logf("dropped after %d ops", v)
}
