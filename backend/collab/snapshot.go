package collab

import (
	"context"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// textCopy is a document's text at a version, materialised from the cache
// for readers; it is immutable once stored.
type textCopy struct {
	version int64
	text    string
}

// Snapshot implements domain.OpLogService. A document this Service holds
// is answered from its cache when the cache has caught up with the stored
// head, which is checked by reading the head's version alone; so reading a
// long text that is being edited here costs no read of the text from the
// database. Otherwise, and while the document's committer is busy, the
// text is read from the store.
func (s *Service) Snapshot(ctx context.Context, doc domain.DocKey) (string, int64, error) {
	if d := s.held(doc); d != nil {
		text, v, ok, err := s.cachedText(ctx, d)
		s.work.Done()
		if err != nil || ok {
			return text, v, err
		}
	}
	head, text, err := s.db.DocText(ctx, doc)
	if err != nil {
		return "", 0, err
	}
	return text, head.Version, nil
}

// held returns the in-process state of doc if this Service has it, counted
// in s.work like a committer (the caller calls s.work.Done); nil if it has
// none or is closing.
func (s *Service) held(doc domain.DocKey) *document {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.docs[doc]
	if d == nil || s.closed {
		return nil
	}
	s.work.Add(1)
	return d
}

// cachedText returns d's text at the stored head version or later from the
// cache; ok is false when the cache cannot tell it without reading the text.
// While a committer runs the cache is moving, so it is not asked at all and
// the caller reads the text with one query, as without a cache.
func (s *Service) cachedText(ctx context.Context, d *document) (text string, v int64, ok bool, err error) {
	if d.busy() {
		return "", 0, false, nil
	}
	head, err := s.db.DocHead(ctx, d.id)
	if err != nil {
		return "", 0, false, err
	}
	if c := d.text.Load(); c != nil && c.version >= head.Version {
		return c.text, c.version, true, nil
	}
	observed, idle := d.takeIdle()
	if !idle {
		return "", 0, false, nil // the committer has the cache; it is busy
	}
	defer s.release(d)
	c := &d.cache
	c.observe(observed, s.opts.RecentOps)
	if c.loaded && c.version < head.Version {
		load := func(from int64, n int) ([]*domain.LoggedOp, error) { return s.db.OpsSince(ctx, d.id, from, n) }
		caught, _, err := c.catchUp(load, s.opts.RecentOps, s.opts.RecentOps)
		if err != nil {
			return "", 0, false, err
		}
		if caught > 0 {
			c.contended = true // someone else commits to it
		}
	}
	if !c.loaded || c.version < head.Version {
		return "", 0, false, nil
	}
	cp := &textCopy{version: c.version, text: c.doc.String()}
	d.text.Store(cp)
	return cp.text, cp.version, true, nil
}

// busy reports whether a committer (or a reader in its place) runs.
func (d *document) busy() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.running
}

// takeIdle takes the committer's place if no committer runs, so that the
// caller may use d.cache, and hands over the ops observed since the
// committer last ran; the caller gives the place back with Service.release.
// It reports false if a committer runs.
func (d *document) takeIdle() ([]*domain.CommittedOp, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.running {
		return nil, false
	}
	d.running = true
	observed := d.observed
	d.observed = nil
	return observed, true
}

// release gives back the committer's place that takeIdle or flushIdle took:
// a committer starts for submits queued meanwhile; otherwise the document
// is idle again. A reader does not postpone the idle flush: the timer the
// committer armed goes on, and is armed again only if it fired while the
// place was held.
func (s *Service) release(d *document) {
	d.mu.Lock()
	d.known = d.cache.version
	start := len(d.queue) > 0
	d.running = start
	if start {
		s.work.Add(1) // a queued submitter is counted, so work is above zero
	} else {
		d.idleSince = time.Now() // read or flushed: worth keeping cached
		if d.flushMissed && d.dirty {
			s.armFlush(d)
		}
	}
	d.mu.Unlock()
	if start {
		go s.commitLoop(d)
	}
}
