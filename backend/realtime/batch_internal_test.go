package realtime

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// batchRoom is a room of section 7 at version 10 whose connections have no
// socket: their writer counts as running, so queued items stay in the queue
// for the test to look at.
type batchRoom struct {
	t *testing.T
	h *Hub
	r *room
}

func newBatchRoom(t *testing.T, sendQueue int) *batchRoom {
	h := NewHub(HubConfig{Instance: "t", SendQueue: sendQueue}, Deps{})
	r := newRoom(h, domain.SectionDoc(7))
	r.mu.Lock()
	r.start(10)
	r.mu.Unlock()
	return &batchRoom{t: t, h: h, r: r}
}

// join adds a connection of user with sub.next at next; client, if set, is
// an editor id the connection has submitted with.
func (b *batchRoom) join(user, next int64, client string) *conn {
	c := &conn{hub: b.h, userID: user, subs: map[domain.DocKey]*sub{}, writing: true}
	s := &sub{c: c, next: next, clients: map[string]int64{}}
	if client != "" {
		s.clients[client] = next
	}
	c.subs[domain.SectionDoc(7)] = s
	b.r.mu.Lock()
	b.r.subs[c] = s
	b.r.mu.Unlock()
	return c
}

// commit offers ops at versions from.. (user, client, seq taken from each
// spec) as one batch and flushes it.
func (b *batchRoom) commit(specs ...opSpec) {
	b.r.mu.Lock()
	defer b.r.mu.Unlock()
	// A busy room: a flush counts as scheduled, so everything offered waits
	// for the flush below however long offering takes.
	b.r.flushDue = true
	for _, sp := range specs {
		b.r.offer(&domain.CommittedOp{Doc: domain.SectionDoc(7), Version: sp.v, Op: json.RawMessage(`["x"]`), UserID: sp.user, ClientID: sp.client, Seq: sp.seq}, false)
	}
	b.r.flushDue = false
	b.r.flush()
}

type opSpec struct {
	v, user int64
	client  string
	seq     int64
}

// frames returns what the writer would send for c's queue.
func frames(c *conn) [][]byte {
	c.mu.Lock()
	items := append([]outItem(nil), c.queue...)
	c.mu.Unlock()
	var out [][]byte
	for len(items) > 0 {
		f, n := nextFrame(items)
		out = append(out, f)
		items = items[n:]
	}
	return out
}

func queued(c *conn) []outItem {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]outItem(nil), c.queue...)
}

// describe turns frames into "ops 10 11", "ack 11", "op 12", "error resync".
func describe(t *testing.T, fs [][]byte) []string {
	var out []string
	for _, f := range fs {
		var x struct {
			T    string `json:"t"`
			V    int64  `json:"v"`
			Code string `json:"code"`
			Ops  []struct {
				V int64 `json:"v"`
			} `json:"ops"`
		}
		if err := json.Unmarshal(f, &x); err != nil {
			t.Fatalf("frame %s: %v", f, err)
		}
		switch x.T {
		case "ops":
			s := "ops"
			for _, o := range x.Ops {
				s += fmt.Sprintf(" %d", o.V)
			}
			out = append(out, s)
		case "error":
			out = append(out, "error "+x.Code)
		default:
			out = append(out, fmt.Sprintf("%s %d", x.T, x.V))
		}
	}
	return out
}

func expectFrames(t *testing.T, who string, c *conn, want ...string) {
	t.Helper()
	got := describe(t, frames(c))
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s got %q, want %q", who, got, want)
	}
}

func TestBatchKeepsOrderAndPlacesAcks(t *testing.T) {
	b := newBatchRoom(t, 64)
	editor := b.join(1, 10, "a")
	reader := b.join(2, 10, "")
	other := b.join(2, 10, "")
	late := b.join(3, 12, "") // opened at version 12
	// Arriving out of order, the ops are still batched in version order.
	b.commit(opSpec{12, 2, "b", 1}, opSpec{10, 2, "b", 0}, opSpec{11, 1, "a", 0})

	expectFrames(t, "reader", reader, "ops 10 11 12")
	expectFrames(t, "editor", editor, "op 10", "ack 11", "op 12")
	expectFrames(t, "late", late, "op 12")
	// The readers share one encoded frame rather than a copy each.
	ri, oi := queued(reader), queued(other)
	if len(ri) != 1 || len(oi) != 1 || &ri[0].frame[0] != &oi[0].frame[0] {
		t.Fatalf("readers do not share the frame: %d and %d items", len(ri), len(oi))
	}
}

func TestBatchEditorWithAckFirstAndLast(t *testing.T) {
	b := newBatchRoom(t, 64)
	editor := b.join(1, 10, "a")
	b.commit(opSpec{10, 1, "a", 0}, opSpec{11, 2, "b", 0}, opSpec{12, 1, "a", 1})
	expectFrames(t, "editor", editor, "ack 10", "op 11", "ack 12")
	// The same user on another connection (another tab) gets plain ops.
	tab := b.join(1, 13, "")
	b.commit(opSpec{13, 1, "a", 2})
	expectFrames(t, "tab", tab, "op 13")
}

func TestSharedFrameSurvivesLaterBatches(t *testing.T) {
	b := newBatchRoom(t, 64)
	reader := b.join(2, 10, "")
	b.join(3, 10, "")
	b.commit(opSpec{10, 1, "a", 0}, opSpec{11, 1, "a", 1})
	first := queued(reader)[0].frame
	saved := bytes.Clone(first)
	b.commit(opSpec{12, 1, "a", 2}, opSpec{13, 1, "a", 3})
	b.commit(opSpec{14, 1, "a", 4})
	// The writer coalesces the queued batches into one new frame.
	expectFrames(t, "reader", reader, "ops 10 11 12 13 14")
	if !bytes.Equal(first, saved) {
		t.Fatalf("the shared frame changed:\n%s\n%s", saved, first)
	}
	if got := describe(t, [][]byte{first}); fmt.Sprint(got) != "[ops 10 11]" {
		t.Fatalf("first frame now %q", got)
	}
}

func TestBatchOverflowMarksSlowSubscriberForResync(t *testing.T) {
	b := newBatchRoom(t, 3)
	slow := b.join(2, 10, "")
	fast := b.join(3, 10, "")
	for v := int64(10); v < 15; v++ {
		b.commit(opSpec{v, 1, "a", v})
		if v < 12 { // the fast one's writer drains its queue meanwhile
			fast.mu.Lock()
			fast.queue = fast.queue[:0]
			fast.mu.Unlock()
		}
	}
	expectFrames(t, "slow", slow, "error resync")
	if !slow.subs[domain.SectionDoc(7)].stale {
		t.Fatal("the slow subscription is not marked stale")
	}
	expectFrames(t, "fast", fast, "ops 12 13 14")
}

func TestBatchSplitsLongRuns(t *testing.T) {
	b := newBatchRoom(t, 64)
	reader := b.join(2, 10, "")
	var specs []opSpec
	for v := int64(10); v < 10+maxOpsPerFrame+3; v++ {
		specs = append(specs, opSpec{v, 1, "a", v})
	}
	b.commit(specs...)
	fs := describe(t, frames(reader))
	if len(fs) != 2 || len(fs[1]) == 0 || fs[1] != "ops 266 267 268" {
		t.Fatalf("got %d frames, last %q", len(fs), fs[len(fs)-1])
	}
}

func TestQuietRoomFlushesAtOnce(t *testing.T) {
	b := newBatchRoom(t, 64)
	reader := b.join(2, 10, "")
	b.r.mu.Lock()
	b.r.offer(&domain.CommittedOp{Doc: domain.SectionDoc(7), Version: 10, Op: json.RawMessage(`["x"]`), UserID: 1, ClientID: "a"}, false)
	b.r.mu.Unlock()
	expectFrames(t, "reader", reader, "op 10")
}

// BenchmarkRoomFlush reports the cost of handing a batch of 8 ops to 700
// subscribers (queues only, no sockets), one of them the sender of an op.
func BenchmarkRoomFlush(b *testing.B) {
	h := NewHub(HubConfig{Instance: "t", SendQueue: 1 << 30}, Deps{})
	r := newRoom(h, domain.SectionDoc(7))
	r.start(0)
	var conns []*conn
	for i := range 700 {
		c := &conn{hub: h, userID: int64(i), subs: map[domain.DocKey]*sub{}, writing: true}
		s := &sub{c: c, clients: map[string]int64{fmt.Sprint("c", i): 0}}
		c.subs[domain.SectionDoc(7)] = s
		r.subs[c] = s
		conns = append(conns, c)
	}
	op := json.RawMessage(`[17,"x"]`)
	b.ReportAllocs()
	v := int64(0)
	for b.Loop() {
		r.mu.Lock()
		r.lastFlush = time.Now()
		for i := range 8 {
			r.offer(&domain.CommittedOp{Doc: domain.SectionDoc(7), Version: v, Op: op, UserID: int64(i * 50), ClientID: fmt.Sprint("c", i*50), Seq: v}, false)
			v++
		}
		r.flush()
		r.mu.Unlock()
		for _, c := range conns {
			c.queue = c.queue[:0]
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/700, "ns/subscriber")
}
