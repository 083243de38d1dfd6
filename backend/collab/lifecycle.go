package collab

import (
	"slices"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// Idle documents are forgotten after idleTTL, checked at most every
// sweepEvery lookups and once per sweepInterval, so that the cache holds
// only documents being edited.
const (
	idleTTL       = 10 * time.Minute
	sweepEvery    = 256
	sweepInterval = time.Minute
)

// acquire returns the in-process state of a document, creating it on first
// use, and counts the caller in s.work; the caller must call s.work.Done.
// EUNAVAILABLE once Close has begun.
func (s *Service) acquire(id domain.DocKey) (*document, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, &domain.Error{Code: domain.EUNAVAILABLE, Message: "Der Dienst wird gerade beendet. Bitte versuchen Sie es gleich noch einmal."}
	}
	s.work.Add(1)
	if s.lookups++; s.lookups >= sweepEvery && time.Since(s.swept) > sweepInterval {
		s.sweep()
	}
	d := s.docs[id]
	if d == nil {
		if len(s.docs) >= s.opts.MaxDocs {
			s.evict(s.opts.MaxDocs * 9 / 10)
		}
		d = &document{id: id}
		s.docs[id] = d
	}
	return d, nil
}

// evict drops the documents idle longest until at most keep remain. Busy
// documents stay, so more than MaxDocs may be held while all are busy.
func (s *Service) evict(keep int) {
	type idle struct {
		id    domain.DocKey
		since time.Time
	}
	var cand []idle
	for id, d := range s.docs {
		d.mu.Lock()
		if !d.running && len(d.queue) == 0 {
			cand = append(cand, idle{id, d.idleSince})
		}
		d.mu.Unlock()
	}
	slices.SortFunc(cand, func(a, b idle) int { return a.since.Compare(b.since) })
	for _, c := range cand {
		if len(s.docs) <= keep {
			break
		}
		delete(s.docs, c.id)
	}
}

// sweep drops documents whose committer has been idle for idleTTL. A caller
// still holding a dropped document's pointer stays correct: the database
// serialises its commits with those of the document's new entry.
func (s *Service) sweep() {
	now := time.Now()
	s.lookups, s.swept = 0, now
	for id, d := range s.docs {
		d.mu.Lock()
		idle := !d.running && len(d.queue) == 0 && now.Sub(d.idleSince) > idleTTL
		d.mu.Unlock()
		if idle {
			delete(s.docs, id)
		}
	}
}

// dispatch calls the hooks for each committed batch in the order the
// committers handed them over, decoupling slow hooks from the commit path.
func (s *Service) dispatch() {
	defer close(s.dispatchDone)
	for ops := range s.publish {
		s.hooksMu.RLock()
		hooks := s.hooks
		s.hooksMu.RUnlock()
		for _, op := range ops {
			for _, fn := range hooks {
				s.callHook(fn, op)
			}
		}
	}
}

// callHook runs one hook; a panicking hook is logged and does not stop the
// delivery of later ops.
func (s *Service) callHook(fn func(*domain.CommittedOp), op *domain.CommittedOp) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("op log commit hook panicked", "doc", op.Doc, "version", op.Version, "panic", r)
		}
	}()
	fn(op)
}

// Close stops accepting submits (EUNAVAILABLE), waits until every queued
// op is committed or failed, writes the long texts not written yet
// (flush.go), waits until every hook has been called, and stops the
// dispatcher. Reads keep working.
func (s *Service) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		<-s.dispatchDone
		return
	}
	s.closed = true
	s.mu.Unlock()
	s.work.Wait()
	s.flushAll()
	s.flushes.Wait()
	close(s.publish)
	<-s.dispatchDone
}
