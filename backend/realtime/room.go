package realtime

import (
	"context"
	"sync"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// recentOps is how many delivered ops a room keeps to move cursors forward
// without asking the database.
const recentOps = 256

// repairPage is how many ops one log read returns during repair.
const repairPage = 500

// room is one document on this instance: its local subscribers and the
// in-order delivery of its ops. All fields are guarded by mu, which is taken
// after Hub.mu and before conn.mu.
type room struct {
	hub  *Hub
	id   domain.DocKey
	refs int // guarded by hub.mu

	mu           sync.Mutex
	subs         map[*conn]*sub
	next         int64                         // next version to deliver; -1 until known
	sent         int64                         // next version to send: ops [sent, next) wait in batch
	batch        []*domain.CommittedOp         // delivered in order, not yet sent to subscribers
	lastFlush    time.Time                     // when the batch was last sent
	flushDue     bool                          // a timed flush is scheduled
	pending      map[int64]*domain.CommittedOp // arrived ahead of next
	gapSince     time.Time                     // when the oldest pending op arrived
	checkAt      time.Time                     // when to compare with the log next
	repairing    bool
	recent       []*domain.CommittedOp // the last delivered ops, in order
	remote       map[string]*Presence  // other instances' connections
	sentUsers    string                // last presence list sent, to skip repeats
	presenceSent time.Time             // when it was sent
	presenceDue  bool                  // a delayed send is scheduled
	subsGen      int64                 // counts changes of subs
	subsGenSeen  int64                 // subsGen when presence was last considered
}

// sub is one connection's view of a room.
type sub struct {
	c       *conn
	next    int64            // next version this connection needs
	clients map[string]int64 // client id → sub.next when first used; ops from then on are acked
	self    *Presence
	stale   bool // the send queue overflowed; the client must re-open (guarded by conn.mu)

	editChecked time.Time // guarded by the connection's read loop
	editGen     int64     // access.gen when editErr was found
	editErr     error
}

func newRoom(h *Hub, id domain.DocKey) *room {
	return &room{hub: h, id: id, subs: map[*conn]*sub{}, next: -1,
		pending: map[int64]*domain.CommittedOp{}, remote: map[string]*Presence{}}
}

// start sets the room's position when its first subscriber arrives with a
// version read from the log, then delivers what was buffered meanwhile.
func (r *room) start(v int64) {
	if r.next >= 0 {
		return
	}
	r.next, r.sent = v, v
	r.checkAt = time.Now().Add(r.hub.cfg.IdleCheck)
	r.drain()
}

// offer takes an op from any source. Ops at the expected version are
// delivered, later ones wait for the gap to be filled, older ones are
// duplicates and dropped.
func (r *room) offer(op *domain.CommittedOp, repaired bool) {
	switch {
	case r.next >= 0 && op.Version < r.next:
		return
	case r.next < 0 || op.Version > r.next:
		if _, ok := r.pending[op.Version]; !ok {
			if len(r.pending) == 0 {
				r.gapSince = time.Now()
			}
			r.pending[op.Version] = op
		}
		return
	}
	if repaired {
		r.hub.metrics.gapsRepaired.Inc()
	}
	r.deliver(op)
	r.drain()
}

// drain delivers buffered ops that have become next in line.
func (r *room) drain() {
	for {
		op, ok := r.pending[r.next]
		if !ok {
			break
		}
		delete(r.pending, r.next)
		r.deliver(op)
	}
	for v := range r.pending {
		if v < r.next {
			delete(r.pending, v)
		}
	}
	if len(r.pending) > 0 {
		r.gapSince = time.Now()
	}
}

// deliver accepts op (which is at r.next) into the batch that the next
// flush sends to every subscriber (batch.go).
func (r *room) deliver(op *domain.CommittedOp) {
	if r.hub.deps.Observe != nil {
		r.hub.deps.Observe(op)
	}
	r.hub.fwd.delivered(op)
	r.next = op.Version + 1
	r.checkAt = time.Now().Add(r.hub.cfg.IdleCheck)
	r.batch = append(r.batch, op)
	r.scheduleFlush()
}

// tick starts a log read when a gap has lasted GapWait or the room has been
// quiet for IdleCheck, so that lost broker messages, including the last one
// before a pause, are repaired.
func (r *room) tick(ctx context.Context, now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.repairing || r.next < 0 {
		return
	}
	gap := len(r.pending) > 0 && now.Sub(r.gapSince) >= r.hub.cfg.GapWait
	if !gap && now.Before(r.checkAt) {
		return
	}
	r.repairing = true
	r.checkAt = now.Add(r.hub.cfg.IdleCheck)
	go r.repair(ctx)
}

func (r *room) repair(ctx context.Context) {
	defer func() {
		r.mu.Lock()
		r.repairing = false
		r.mu.Unlock()
	}()
	for {
		r.mu.Lock()
		from := r.next
		r.mu.Unlock()
		rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		ops, err := r.hub.deps.OpLog.OpsSince(rctx, r.id, from, repairPage)
		cancel()
		if err != nil {
			// An unreachable database is logged once by the store.
			if ctx.Err() == nil && domain.ErrorCode(err) != domain.EUNAVAILABLE {
				r.hub.log.Warn("reading the op log for repair failed", "doc", r.id, "err", err)
			}
			return
		}
		r.mu.Lock()
		for _, op := range ops {
			r.offer(op, true)
		}
		r.mu.Unlock()
		if len(ops) < repairPage {
			return
		}
	}
}

// opsBetween returns the ops from version from up to r.sent from the recent
// buffer, or false if they are no longer there.
func (r *room) opsBetween(from int64) ([]*domain.CommittedOp, bool) {
	if from >= r.sent {
		return nil, true
	}
	if len(r.recent) == 0 || r.recent[0].Version > from {
		return nil, false
	}
	i := int(from - r.recent[0].Version)
	return r.recent[i:], true
}
