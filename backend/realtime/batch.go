package realtime

import (
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// Fan-out in batches. Writing one websocket frame costs a system call, so a
// busy document with many readers cannot afford one frame per op per reader.
// A room therefore collects the ops delivered within a short window and
// sends them as one "ops" frame, encoded once and shared (the same bytes) by
// every receiver. Only a connection whose own op is in the batch gets a
// sequence of its own: the ops before its op, the ack, the ops after.
//
// The window adapts to the room: the first op after a quiet spell goes out
// at once, later ones wait until flushPerSub per subscriber has passed since
// the last flush, at most HubConfig.BatchWindow. A room's fan-out thus costs
// a bounded share of a core however fast its ops arrive, and a small room
// sends practically at once.

// flushPerSub is the pause between flushes per subscriber of a room.
const flushPerSub = 40 * time.Microsecond

// minFlushGap is the shortest pause between two flushes of a busy room.
const minFlushGap = time.Millisecond

// window returns how long the room waits after a flush before the next one.
func (r *room) window() time.Duration {
	return min(max(time.Duration(len(r.subs))*flushPerSub, minFlushGap), r.hub.cfg.BatchWindow)
}

// scheduleFlush sends the batch now if the room has been quiet for a
// window, and otherwise arranges a flush when the window has passed.
func (r *room) scheduleFlush() {
	if r.flushDue {
		return
	}
	wait := r.window() - time.Since(r.lastFlush)
	if wait <= 0 {
		r.flush()
		return
	}
	r.flushDue = true
	time.AfterFunc(wait, func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.flushDue = false
		r.flush()
	})
}

// flush sends the batch to every subscriber that needs it, in frames of at
// most maxOpsPerFrame ops.
func (r *room) flush() {
	if len(r.batch) == 0 {
		return
	}
	r.lastFlush = time.Now()
	ops := r.batch
	r.batch = nil // the entries built below are shared; start a fresh slice
	for len(ops) > 0 {
		n := min(len(ops), maxOpsPerFrame)
		r.send(ops[:n])
		ops = ops[n:]
	}
}

// send hands consecutive ops to the subscribers and records them as sent.
func (r *room) send(ops []*domain.CommittedOp) {
	first := ops[0].Version
	end := first + int64(len(ops))
	r.sent = end
	r.recent = append(r.recent, ops...)
	if len(r.recent) > recentOps {
		r.recent = append(r.recent[:0], r.recent[len(r.recent)-recentOps/2:]...)
	}
	now := time.Now()
	entries := make([][]byte, len(ops))
	for i, op := range ops {
		entries[i] = opEntry(op)
		if !op.CreatedAt.IsZero() {
			r.hub.metrics.sendDelay.Observe(now.Sub(op.CreatedAt).Seconds())
		}
	}
	var shared []byte // the frame for all of ops, built on first use
	for _, s := range r.subs {
		if s.next >= end {
			continue // opened at a newer version than this batch
		}
		lo := 0
		if s.next > first {
			lo = int(s.next - first)
		}
		s.next = end
		from := lo
		for i := lo; i < len(ops); i++ {
			op := ops[i]
			if op.UserID != s.c.userID {
				continue
			}
			if _, mine := s.clients[op.ClientID]; !mine {
				continue
			}
			if i > from {
				s.c.enqueue(s, outItem{doc: r.id, entries: entries[from:i:i]})
			}
			s.c.enqueue(s, outItem{doc: r.id, frame: ackFrame(r.id, op.Version, op.Seq)})
			from = i + 1
		}
		switch {
		case from == len(ops):
		case from == 0:
			if shared == nil {
				shared = entriesFrame(r.id, entries)
			}
			s.c.enqueue(s, outItem{doc: r.id, entries: entries, frame: shared})
		default:
			s.c.enqueue(s, outItem{doc: r.id, entries: entries[from:]})
		}
	}
}

// entriesFrame builds an "op" frame for one entry and an "ops" frame for
// several.
func entriesFrame(doc domain.DocKey, entries [][]byte) []byte {
	if len(entries) == 1 {
		return opFrame(doc, entries[0])
	}
	return opsFrame(doc, entries)
}

// ackFrame builds {"t":"ack","doc":D,"v":V,"seq":N}.
func ackFrame(doc domain.DocKey, v, seq int64) []byte {
	return mustJSON(ackOut{T: typeAck, docRef: refOf(doc), V: v, Seq: seq})
}
