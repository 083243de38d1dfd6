package collab

import (
	"context"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// Writing a long text to the document's head row costs more than the
// commit itself: on PostgreSQL the row's search vector is computed from the
// whole text in the same statement (about 1.5 s for 1 MB, against about
// 1.4 ms for an update of the version alone). So a commit writes the text
// only while it is at most Options.LongText code points long. A longer text
// is written ("flushed") from the committed state, off the commit path:
//
//   - when the document has been idle for Options.FlushIdle after its last
//     commit,
//   - when the Service closes,
//   - and, for a document that is never idle that long, with a snapshot
//     when the stored text lags behind it by flushLag snapshot intervals.
//
// A flush writes the text only if the stored one is older
// (Store.FlushText), so instances flushing the same document in any order
// never move it back. Readers rebuild the head from the stored text or a
// newer snapshot, with the ops since, so they never depend on a flush.

// snapshotSpan is the text length up to which snapshots are stored every
// Options.SnapshotEvery versions; each doubling beyond it doubles the
// interval, so a 1 MiB text is stored every 400 versions by default and the
// snapshots cost at most about snapshotSpan/SnapshotEvery code points per
// version whatever the text's length.
const snapshotSpan = 256 << 10

// flushLag is how many snapshot intervals the stored text may lag behind a
// new snapshot before the snapshot's text is flushed.
const flushLag = 64

// flushTimeout bounds one flush.
const flushTimeout = time.Minute

// snapshotEvery returns the snapshot interval for a text of n code points.
func (s *Service) snapshotEvery(n int) int64 {
	every := s.opts.SnapshotEvery
	for span := snapshotSpan; n > span; span *= 2 {
		every *= 2
	}
	return every
}

// long reports whether a text of n code points is long: written when the
// document is idle rather than with each commit, its snapshots after the
// commit rather than with it.
func (s *Service) long(n int) bool { return n > s.opts.LongText }

// headText returns the text to write with a commit that leaves w's state:
// the text if it is short, nil if it is long and is flushed later.
func (s *Service) headText(w *work) *string {
	if s.long(w.n) {
		return nil
	}
	text, err := w.text()
	if err != nil {
		return nil // not written; the cache is dropped when it is saved
	}
	return &text
}

// written records a commit that brought d to w's state, with the text
// written (text != nil) or not, and the snapshots it stored; the committer
// calls it after the commit. It starts writing w.later.
func (s *Service) written(d *document, w *work, text *string, snaps []domain.DocSnapshot) {
	if len(w.later) > 0 {
		s.writeSnapshots(d, w.later)
		snaps = append(snaps, w.later...)
	}
	if text != nil {
		d.storedAt(w.version)
		d.mu.Lock()
		d.dirty = false
		d.mu.Unlock()
		return
	}
	d.mu.Lock()
	d.dirty = true // flushed when the committer goes idle (document.next)
	d.mu.Unlock()
	if len(snaps) == 0 {
		return
	}
	last := snaps[len(snaps)-1]
	if last.Version-d.stored.Load() < flushLag*s.snapshotEvery(w.n) || !d.flushMu.TryLock() {
		return // recent enough, or a flush is already being written
	}
	s.flushes.Add(1) // the committer is counted in work, so Close is still waiting
	go func() {
		defer s.flushes.Done()
		defer d.flushMu.Unlock()
		s.writeText(d, last.Version, last.Text)
	}()
}

// armFlush starts d's idle flush timer; the caller holds d.mu.
func (s *Service) armFlush(d *document) {
	d.flushMissed = false
	if d.flushTimer == nil {
		d.flushTimer = time.AfterFunc(s.opts.FlushIdle, func() { s.flushIdle(d) })
		return
	}
	d.flushTimer.Reset(s.opts.FlushIdle)
}

// flushIdle writes d's text once its committer has been idle for
// FlushIdle. It holds the committer's place only while it copies the
// cached text; submits arriving meanwhile are queued and committed right
// after, and the write itself runs beside them.
func (s *Service) flushIdle(d *document) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return // Close flushes
	}
	s.flushes.Add(1)
	s.mu.Unlock()
	defer s.flushes.Done()

	d.mu.Lock()
	if d.running || !d.dirty {
		// A running committer arms the timer again when it stops; a
		// reader holding its place arms it when it gives the place back.
		d.flushMissed = d.running && d.dirty
		d.mu.Unlock()
		return
	}
	if !d.cache.loaded {
		// A failed commit dropped the cache: nothing to write from
		// here, and readers rebuild the text anyway.
		d.dirty = false
		d.mu.Unlock()
		return
	}
	d.running = true
	d.mu.Unlock()
	v, text := d.cache.version, d.cache.doc.String()
	d.mu.Lock()
	d.dirty = false
	d.mu.Unlock()
	s.release(d)
	d.flushMu.Lock()
	defer d.flushMu.Unlock()
	s.writeText(d, v, text)
}

// flushAll writes the text of every document whose long text was not
// written yet; Close calls it once no committer runs any more.
func (s *Service) flushAll() {
	s.mu.Lock()
	docs := make([]*document, 0, len(s.docs))
	for _, d := range s.docs {
		docs = append(docs, d)
	}
	s.mu.Unlock()
	for _, d := range docs {
		d.mu.Lock()
		if d.flushTimer != nil {
			d.flushTimer.Stop()
		}
		dirty := d.dirty && d.cache.loaded
		d.dirty = false
		d.mu.Unlock()
		if dirty {
			d.flushMu.Lock()
			s.writeText(d, d.cache.version, d.cache.doc.String())
			d.flushMu.Unlock()
		}
	}
}

// writeSnapshots stores snapshots of a long text after the commit of
// their versions, beside the next commits: written with the commit, a
// 1 MB snapshot made that commit several times slower than the others.
// Nothing depends on them being there: a reader that misses one (the
// instance stopped before it was written) replays from an older one or
// from the stored text. A failure is logged.
func (s *Service) writeSnapshots(d *document, snaps []domain.DocSnapshot) {
	s.flushes.Add(1) // the committer is counted in work, so Close is still waiting
	go func() {
		defer s.flushes.Done()
		ctx, cancel := context.WithTimeout(context.Background(), flushTimeout)
		defer cancel()
		for _, snap := range snaps {
			if err := s.db.StoreSnapshot(ctx, d.id, snap); err != nil {
				s.log.Warn("op log: writing a snapshot failed", "doc", d.id, "version", snap.Version, "err", err)
				return
			}
		}
	}()
}

// writeText stores text as d's text at version v. A failure is logged and
// the flush tried again after the next idle period; readers do not need it.
func (s *Service) writeText(d *document, v int64, text string) {
	if d.stored.Load() >= v {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), flushTimeout)
	defer cancel()
	ok, err := s.db.FlushText(ctx, d.id, v, text)
	if err != nil {
		s.log.Warn("op log: writing a long text failed", "doc", d.id, "version", v, "err", err)
		s.mu.Lock()
		closed := s.closed
		s.mu.Unlock()
		d.mu.Lock()
		d.dirty = true
		if !d.running && !closed {
			s.armFlush(d)
		}
		d.mu.Unlock()
		return
	}
	if ok {
		s.flushed.Add(1)
	}
	d.storedAt(v) // written now, or by another instance already
}
