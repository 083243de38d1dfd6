package collab

import (
	"bytes"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/ot"
)

// pending is one Submit call waiting in its document's queue.
type pending struct {
	req  domain.SubmitRequest
	op   ot.Op
	done chan struct{}
	res  *domain.SubmitResult
	err  error
	// restore marks a restore, which brings back a text the document had
	// before: the cap on the text's length does not apply to it.
	restore bool
}

// newPending checks everything about a request that needs no database.
func newPending(req domain.SubmitRequest) (*pending, error) {
	switch {
	case !req.Doc.Kind.Known() || req.Doc.ID <= 0:
		return nil, domain.Errorf(domain.ENOTFOUND, "Das Dokument wurde nicht gefunden.")
	case req.BaseVersion < 0:
		return nil, domain.Invalid("v", "Die Version darf nicht negativ sein.")
	case strings.TrimSpace(req.ClientID) == "" || len(req.ClientID) > maxClientIDBytes || !utf8.ValidString(req.ClientID):
		return nil, domain.Invalid("client", "Die Client-Kennung fehlt oder ist ungültig.")
	case req.Seq < 0:
		return nil, domain.Invalid("seq", "Die Folgenummer darf nicht negativ sein.")
	case req.UserID <= 0:
		return nil, domain.Invalid("user", "Die Änderung hat keinen Urheber.")
	}
	op, err := parseOp(req.Op)
	if err != nil {
		return nil, err
	}
	return &pending{req: req, op: op, done: make(chan struct{})}, nil
}

// parseOp decodes a submitted op. Invalid UTF-8 is rejected before decoding
// because encoding/json would silently replace it with U+FFFD.
func parseOp(raw []byte) (ot.Op, error) {
	if len(raw) > maxOpBytes {
		return nil, &domain.Error{Code: domain.ETOOLARGE, Message: "Die Änderung ist zu groß."}
	}
	if len(bytes.TrimSpace(raw)) == 0 || !utf8.Valid(raw) {
		return nil, invalidOp(nil)
	}
	op, err := ot.Parse(raw)
	if err != nil {
		return nil, invalidOp(err)
	}
	return op, nil
}

// invalidOp is the EINVALID error for an op that cannot be applied.
func invalidOp(cause error) error {
	return &domain.Error{
		Code:    domain.EINVALID,
		Message: "Die Änderung ist ungültig und wurde nicht übernommen.",
		Fields:  map[string]string{"op": "invalid_op"},
		Err:     cause,
	}
}

// resolve hands the outcome to the waiting Submit call.
func (p *pending) resolve(res *domain.SubmitResult, err error) {
	p.res, p.err = res, err
	close(p.done)
}

// document is the in-process state of one live document: the submit queue
// and a cache of its text and recent ops. The cache fields belong to
// whichever goroutine is the document's committer; only one runs at a time.
type document struct {
	id domain.DocKey

	mu        sync.Mutex
	queue     []*pending
	running   bool
	idleSince time.Time     // when the committer last stopped
	waiting   int           // queue length the committer lingers for; 0: none
	wake      chan struct{} // closed when the queue reaches waiting
	// observed holds ops committed at or after version known, as
	// Service.Observe reported them, for the committer to apply to its
	// cache; known is the cache's version as the committer last said.
	observed []*domain.CommittedOp
	known    int64
	// dirty says the cached text is newer than what this Service wrote to
	// the head row (a long text, see flush.go); flushTimer writes it once
	// the committer has been idle for Options.FlushIdle.
	dirty      bool
	flushTimer *time.Timer
	// flushMissed says the timer fired while a reader held the
	// committer's place (Service.Snapshot), which then arms it again.
	flushMissed bool

	// stored is the newest version whose text this Service knows to be on
	// the head row; flushMu lets one flush of the document run at a time.
	stored  atomic.Int64
	flushMu sync.Mutex

	cache cache
	// text is the newest text copied from the cache for a reader
	// (Service.Snapshot), for the next reader at the same version.
	text atomic.Pointer[textCopy]
}

// storedAt records that the head row holds the text at version v or later.
func (d *document) storedAt(v int64) {
	for {
		cur := d.stored.Load()
		if cur >= v || d.stored.CompareAndSwap(cur, v) {
			return
		}
	}
}

// enqueue adds p to the queue and starts a committer if none is running.
// While a transaction is in flight, later submits pile up and go into the
// next one, so batches grow with load and latency stays one or two commits.
func (d *document) enqueue(s *Service, p *pending) {
	d.mu.Lock()
	d.queue = append(d.queue, p)
	start := !d.running
	d.running = true
	if start {
		s.work.Add(1) // the caller's own count keeps the counter above zero
	}
	if d.waiting > 0 && len(d.queue) >= d.waiting {
		d.waiting = 0
		close(d.wake)
	}
	d.mu.Unlock()
	if start {
		go s.commitLoop(d)
	}
}

// maxObserved bounds a document's list of observed ops; when the committer
// is idle the list is cleared at that length (the log has them all).
const maxObserved = 1024

// observe records an op committed by any instance for the committer.
func (d *document) observe(op *domain.CommittedOp) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if op.Version < d.known {
		return // the cache has it: this instance committed it, or saw it
	}
	if len(d.observed) >= maxObserved {
		d.observed = d.observed[:0]
	}
	d.observed = append(d.observed, op)
}

// next takes up to max queued submits and the ops observed since the last
// call, after recording that the cache is at version known; it stops the
// committer when the queue is empty, and arms the idle flush if the text
// was not written.
func (d *document) next(s *Service, max int, known int64) ([]*pending, []*domain.CommittedOp) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.known = known
	observed := d.observed
	d.observed = nil
	n := min(len(d.queue), max)
	if n == 0 {
		d.running = false
		d.idleSince = time.Now()
		if d.dirty {
			s.armFlush(d)
		}
		return nil, nil
	}
	batch := make([]*pending, n)
	copy(batch, d.queue)
	rest := copy(d.queue, d.queue[n:])
	clear(d.queue[rest:])
	d.queue = d.queue[:rest]
	return batch, observed
}

// lingerMin is the batch size from which the committer lingers for the
// next batch to fill up.
const lingerMin = 8

// linger waits up to wait for the queue to hold want submits. Under load the
// submitters just acknowledged need a moment to send their next op; without
// waiting, the committer would take only those that arrived during the
// last commit, and the submitters would settle into two half-size cohorts
// that commit alternately, halving throughput. Light load (small batches)
// never waits.
func (d *document) linger(want int, wait time.Duration) {
	d.mu.Lock()
	if len(d.queue) >= want {
		d.mu.Unlock()
		return
	}
	d.waiting, d.wake = want, make(chan struct{})
	wake := d.wake
	d.mu.Unlock()
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-wake:
	case <-t.C:
		d.mu.Lock()
		if d.wake == wake && d.waiting > 0 {
			d.waiting = 0
		}
		d.mu.Unlock()
	}
}

// commitLoop commits batches until the document's queue is empty.
func (s *Service) commitLoop(d *document) {
	last := 0
	for {
		if last >= lingerMin && s.opts.Linger > 0 {
			d.linger(min(last, s.opts.MaxBatch), s.opts.Linger)
		}
		batch, observed := d.next(s, s.opts.MaxBatch, d.cache.version)
		last = len(batch)
		if batch == nil {
			s.work.Done()
			return
		}
		seen := d.cache.observe(observed, s.opts.RecentOps)
		committed := s.commitBatch(d, batch, seen)
		if len(committed) > 0 {
			s.publish <- committed
		}
	}
}
