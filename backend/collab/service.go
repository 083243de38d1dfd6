// Package collab is the server-authoritative op log of every live document
// (a section's text, a statement's), after
// ShareDB's model: clients submit text ops against the version they last
// saw, the server transforms them past everything committed since, commits
// them at the next version and tells the realtime layer.
//
// Correctness across server instances rests on the database alone: a
// commit either locks the document's row or writes only if the row is still
// at the version the batch was built on, and the UNIQUE (document, version)
// and (document, client_id, seq) constraints reject anything that slipped
// past; such a commit is re-read, re-transformed and retried. In-process,
// concurrent submits to one document are queued and committed together in
// one transaction (group commit) for throughput. collab reaches storage
// only through its Store interface (storage.go). docs/realtime.md ("Committing
// ops") describes the whole path.
package collab

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// Compile-time checks that Service implements the domain contracts.
var (
	_ domain.OpLogService   = (*Service)(nil)
	_ domain.HistoryService = (*Service)(nil)
)

// Defaults for Options.
const (
	DefaultMaxBatch         = 256
	DefaultRecentOps        = 1024
	DefaultMaxTransformSpan = 20000
	DefaultSnapshotEvery    = 100
	DefaultRevisionGap      = 10 * time.Minute
	DefaultLinger           = time.Millisecond
	DefaultMaxDocs          = 1000
	DefaultMaxTextLen       = 1 << 20
	DefaultLongText         = 64 << 10
	DefaultFlushIdle        = time.Second
)

// Fixed limits.
const (
	maxOpBytes       = 1 << 20
	maxClientIDBytes = 128
	maxOpsSinceLimit = 1000
	commitAttempts   = 8
	commitTimeout    = 15 * time.Second
)

// ErrVersionAhead is wrapped by the ECONFLICT error Submit returns when the
// client claims a version the document has not reached ("version_ahead").
var ErrVersionAhead = errors.New("version_ahead")

// ErrVersionTooOld is wrapped by the ECONFLICT error Submit returns when the
// client's version lies more than Options.MaxTransformSpan versions behind
// ("version_too_old"): transforming that far would let one request load the
// whole log.
var ErrVersionTooOld = errors.New("version_too_old")

// Options tunes a Service; zero values take the defaults.
type Options struct {
	// MaxBatch caps how many queued submits share one transaction.
	MaxBatch int
	// RecentOps is how many recent ops per document stay in memory for
	// transforming without reading the database.
	RecentOps int
	// MaxTransformSpan is how many versions behind a submit may be.
	MaxTransformSpan int64
	// SnapshotEvery stores the full text every this many versions; texts
	// longer than 256 Ki code points are stored less often (see
	// snapshotEvery).
	SnapshotEvery int64
	// LongText is the length, in code points, beyond which a text is not
	// written to the document's head row with every commit: the commit
	// writes only the ops and the version, and the text is written once
	// the document has been idle for FlushIdle, when the Service closes,
	// and when it lags far behind (see flush.go). Shorter texts are
	// written with every commit.
	LongText int
	// FlushIdle is how long a document whose long text was not written
	// stays idle before it is written.
	FlushIdle time.Duration
	// RevisionGap splits one author's consecutive ops into separate
	// revisions when they pause longer than this.
	RevisionGap time.Duration
	// Linger is how long the committer may wait for a batch to fill up to
	// the size of the previous one, when that was large (negative: never);
	// it trades a little latency under load for fewer, larger transactions.
	Linger time.Duration
	// MaxDocs bounds how many documents keep a queue and a cache (text
	// and recent ops) in memory; the ones idle longest are dropped first.
	MaxDocs int
	// MaxTextLen caps a document's text, in code points: an op that would
	// make the text longer is refused with ETOOLARGE (one that shortens an
	// over-long text is still taken). A kind with a smaller cap of its own
	// (domain.DocKind.MaxLen) keeps that.
	MaxTextLen int
	// Logger receives commit failures; nil discards them.
	Logger *slog.Logger
}

// Service implements domain.OpLogService and domain.HistoryService on top of
// the store. Safe for concurrent use; any number of Services (one per server
// instance) may share one database.
type Service struct {
	db   Store
	opts Options
	log  *slog.Logger
	now  func() time.Time

	mu      sync.Mutex
	docs    map[domain.DocKey]*document
	closed  bool
	lookups int       // document lookups since the last sweep
	swept   time.Time // when idle documents were last swept
	// work counts running Submit calls and committers, so that Close can
	// wait for them before it stops the dispatcher.
	work sync.WaitGroup
	// flushes counts running writes of long texts (flush.go), which Close
	// waits for.
	flushes sync.WaitGroup

	batches, committed, retries, fast, flushed atomic.Int64

	hooksMu      sync.RWMutex
	hooks        []func(op *domain.CommittedOp)
	publish      chan []*domain.CommittedOp
	dispatchDone chan struct{}
}

// New returns a Service that keeps the op log in db.
func New(db Store, opts Options) *Service {
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = DefaultMaxBatch
	}
	if opts.RecentOps <= 0 {
		opts.RecentOps = DefaultRecentOps
	}
	if opts.MaxTransformSpan <= 0 {
		opts.MaxTransformSpan = DefaultMaxTransformSpan
	}
	if opts.MaxTextLen <= 0 {
		opts.MaxTextLen = DefaultMaxTextLen
	}
	if opts.SnapshotEvery <= 0 {
		opts.SnapshotEvery = DefaultSnapshotEvery
	}
	if opts.LongText <= 0 {
		opts.LongText = DefaultLongText
	}
	if opts.FlushIdle <= 0 {
		opts.FlushIdle = DefaultFlushIdle
	}
	if opts.Linger == 0 {
		opts.Linger = DefaultLinger
	}
	if opts.MaxDocs <= 0 {
		opts.MaxDocs = DefaultMaxDocs
	}
	if opts.RevisionGap <= 0 {
		opts.RevisionGap = DefaultRevisionGap
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Service{
		db:      db,
		opts:    opts,
		log:     log,
		now:     func() time.Time { return time.Now().UTC() },
		docs:    make(map[domain.DocKey]*document),
		publish: make(chan []*domain.CommittedOp, 1024),

		dispatchDone: make(chan struct{}),
	}
	go s.dispatch()
	return s
}

// Stats counts this Service's work since it started, for metrics.
type Stats struct {
	Batches int64 // committed transactions
	Ops     int64 // ops committed in them
	Retries int64 // transactions retried after a write conflict
	Fast    int64 // batches committed with one statement, without the row lock
	Flushed int64 // long texts written to the head row after their commits
	// Docs is how many documents are held in memory now.
	Docs int
}

// Stats returns the counters so far.
func (s *Service) Stats() Stats {
	s.mu.Lock()
	n := len(s.docs)
	s.mu.Unlock()
	return Stats{Batches: s.batches.Load(), Ops: s.committed.Load(), Retries: s.retries.Load(), Fast: s.fast.Load(), Flushed: s.flushed.Load(), Docs: n}
}

// OnCommit registers fn to be called with every op this Service commits,
// after its transaction has committed and in version order per document.
// Calls happen on one goroutine shared by all documents, so fn must not block
// (hand the op to a queue or a non-blocking publish). Ops committed by other
// instances are not reported here; they reach clients through the broker.
func (s *Service) OnCommit(fn func(op *domain.CommittedOp)) {
	s.hooksMu.Lock()
	defer s.hooksMu.Unlock()
	s.hooks = append(s.hooks, fn)
}

// Observe takes an op committed by any instance, this one included; wire
// it to the realtime layer's in-order delivery (realtime.Deps.Observe).
// Ops of documents this instance is committing to catch its cache up, so
// that its next write rarely loses against another instance's. It never
// blocks for long and never touches the database.
func (s *Service) Observe(op *domain.CommittedOp) {
	s.mu.Lock()
	d := s.docs[op.Doc]
	s.mu.Unlock()
	if d != nil {
		d.observe(op)
	}
}

// Submit implements domain.OpLogService.
func (s *Service) Submit(ctx context.Context, req domain.SubmitRequest) (*domain.SubmitResult, error) {
	p, err := newPending(req)
	if err != nil {
		return nil, err
	}
	return s.submit(ctx, p)
}

// submit queues p and waits for its outcome.
func (s *Service) submit(ctx context.Context, p *pending) (*domain.SubmitResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	d, err := s.acquire(p.req.Doc)
	if err != nil {
		return nil, err
	}
	defer s.work.Done()
	d.enqueue(s, p)
	select {
	case <-p.done:
		return p.res, p.err
	case <-ctx.Done():
		// The op may still commit; the client resubmits with the same
		// (client, seq) and is told it was a duplicate.
		return nil, ctx.Err()
	}
}

// OpsSince implements domain.OpLogService.
func (s *Service) OpsSince(ctx context.Context, doc domain.DocKey, from int64, limit int) ([]*domain.CommittedOp, error) {
	if from < 0 {
		return nil, domain.Invalid("from", "Die Version darf nicht negativ sein.")
	}
	if limit <= 0 || limit > maxOpsSinceLimit {
		limit = maxOpsSinceLimit
	}
	rows, err := s.db.OpsSince(ctx, doc, from, limit)
	if err != nil {
		return nil, err
	}
	ops := make([]*domain.CommittedOp, len(rows))
	for i, r := range rows {
		ops[i] = &r.CommittedOp
	}
	return ops, nil
}

// marshalOp encodes an op in the wire format; ot.Op marshals itself.
func marshalOp(v any) (json.RawMessage, error) {
	return json.Marshal(v)
}
