package realtime

import (
	"context"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/ot"
)

// open subscribes the connection to a document. Without from it sends a
// snapshot; with from it sends every op since from in one "ops" frame (the
// client keeps its text and pending ops). Either is followed by live ops.
func (c *conn) open(ctx context.Context, id domain.DocKey, from *int64) *frameError {
	ctx, cancel := context.WithTimeout(ctx, serviceTimeout)
	defer cancel()
	if err := c.authorize(ctx, id, toRead); err != nil {
		if domain.ErrorCode(err) == domain.EFORBIDDEN {
			c.hub.auditDenied(c, "open", id, err)
		}
		return errorFromDomain(err, false)
	}
	text, v, err := c.hub.deps.OpLog.Snapshot(ctx, id)
	if err != nil {
		return errorFromDomain(err, false)
	}
	if from != nil && *from > v {
		return &frameError{code: CodeVersionAhead, message: "Die angegebene Version ist neuer als der Abschnitt."}
	}
	c.closeDoc(id) // re-opening starts afresh
	r, err := c.hub.acquireRoom(ctx, id)
	if err != nil {
		return errorFromDomain(err, false)
	}
	s := &sub{c: c, next: v, clients: map[string]int64{}}
	self := c.self
	self.V = v
	s.self = &self

	// Known to the connection from here on, so that a send queue overflow
	// during the catch-up below marks it for resync too.
	c.mu.Lock()
	c.subs[id] = s
	c.mu.Unlock()
	r.mu.Lock()
	r.start(v)
	start := v
	if from != nil {
		start = *from
	} else {
		all := r.presenceList()
		c.enqueue(s, outItem{doc: id, frame: mustJSON(snapshotOut{T: typeSnapshot, docRef: refOf(id), V: v,
			Text: text, Presence: othersOf(all, c.id), Count: len(all)})})
	}
	// The room may be ahead of the snapshot (ops delivered meanwhile) and
	// the client may ask for ops before it. Those ops are history: read them
	// without holding the room, send them, and repeat until the connection
	// has reached the room; only then does it join the live stream.
	sentOps := false
	for r.next > start {
		target := r.next
		r.mu.Unlock()
		entries, ferr := c.catchUp(ctx, id, start, target)
		r.mu.Lock()
		if ferr == nil && len(entries) == 0 {
			ferr = &frameError{code: CodeResync, message: "Der Verlauf des Abschnitts ist unvollständig – bitte neu öffnen."}
		}
		if ferr != nil {
			r.mu.Unlock()
			c.mu.Lock()
			delete(c.subs, id)
			c.mu.Unlock()
			c.hub.releaseRoom(r)
			return ferr
		}
		for len(entries) > 0 {
			n := min(len(entries), maxOpsPerFrame)
			c.enqueue(s, outItem{doc: id, frame: opsFrame(id, entries[:n])})
			entries, start, sentOps = entries[n:], start+int64(n), true
		}
	}
	if from != nil && !sentOps {
		c.enqueue(s, outItem{doc: id, frame: opsFrame(id, nil)})
	}
	s.next = max(r.next, start)
	s.self.V = s.next
	r.subs[c] = s
	r.subsGen++
	r.mu.Unlock()
	c.hub.localPresenceChanged(id)
	return nil
}

// catchUp reads the ops [from, to) from the log as op entries.
func (c *conn) catchUp(ctx context.Context, id domain.DocKey, from, to int64) ([][]byte, *frameError) {
	var entries [][]byte
	for from < to {
		ops, err := c.hub.deps.OpLog.OpsSince(ctx, id, from, int(min(to-from, repairPage)))
		if err != nil {
			return nil, errorFromDomain(err, false)
		}
		if len(ops) == 0 {
			break
		}
		for _, op := range ops {
			if op.Version >= to {
				break
			}
			entries = append(entries, opEntry(op))
			from = op.Version + 1
		}
	}
	return entries, nil
}

// closeDoc leaves a document; closing one that is not open does nothing.
func (c *conn) closeDoc(id domain.DocKey) {
	c.mu.Lock()
	s := c.subs[id]
	delete(c.subs, id)
	c.mu.Unlock()
	if s == nil {
		return
	}
	r := c.hub.findRoom(id)
	if r == nil {
		return
	}
	r.mu.Lock()
	if r.subs[c] == s {
		delete(r.subs, c)
		r.subsGen++
	}
	r.mu.Unlock()
	c.hub.releaseRoom(r)
	c.hub.localPresenceChanged(id)
}

// submit hands an op to the op log. Its ack travels through the room like
// every op, so the sender has every earlier op before the ack.
func (c *conn) submit(ctx context.Context, f *inFrame) *frameError {
	s := c.subs[f.doc]
	if s == nil {
		return badRequest("Der Abschnitt ist auf dieser Verbindung nicht geöffnet.")
	}
	if _, err := ot.Parse(f.Op); err != nil {
		return &frameError{code: CodeInvalidOp, message: "Die Operation ist ungültig."}
	}
	ctx, cancel := context.WithTimeout(ctx, serviceTimeout)
	defer cancel()
	if gen := c.access.gen.Load(); time.Since(s.editChecked) > c.hub.cfg.PermissionTTL || s.editGen != gen {
		s.editErr = c.authorize(ctx, f.doc, toEdit)
		s.editChecked, s.editGen = time.Now(), gen
	}
	if s.editErr != nil {
		if domain.ErrorCode(s.editErr) == domain.EFORBIDDEN {
			c.hub.auditDenied(c, "op", f.doc, s.editErr)
		}
		return errorFromDomain(s.editErr, true)
	}
	r := c.hub.findRoom(f.doc)
	if r == nil {
		return &frameError{code: CodeResync, message: "Der Abschnitt ist nicht mehr geöffnet."}
	}
	r.mu.Lock()
	if _, ok := s.clients[f.Client]; !ok {
		s.clients[f.Client] = s.next
	}
	r.mu.Unlock()
	began := time.Now()
	res, err := c.hub.submitOp(ctx, domain.SubmitRequest{
		Doc: f.doc, BaseVersion: *f.V, Op: f.Op,
		UserID: c.userID, ClientID: f.Client, Seq: f.Seq,
	})
	c.hub.metrics.submitTime.Observe(time.Since(began).Seconds())
	if err != nil {
		return errorFromDomain(err, true)
	}
	committed := res.Op
	r.mu.Lock()
	defer r.mu.Unlock()
	// An op delivered to this connection before its client id was known
	// went out as a plain op (a resubmission after reconnecting); ack it
	// now. Later ones are acked, or will be, by the room.
	if committed.Version < s.next && committed.Version < s.clients[f.Client] {
		c.enqueue(s, outItem{doc: f.doc, frame: ackFrame(f.doc, committed.Version, committed.Seq)})
	}
	return nil
}
