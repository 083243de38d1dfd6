package collab

import (
	"context"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// Store is the storage the op log runs on: documents (head text and
// version, final or not) with an append-only log of ops and snapshots per
// document. backend/store implements it on SQLite and PostgreSQL, and
// collabtest in memory. Documents of every kind (domain.DocKind) go through
// the same methods; the implementation knows where each kind lives.
type Store interface {
	// LockDoc runs fn in one transaction that holds the document's lock,
	// with the head as it is under the lock; fn's writes commit only if
	// it returns nil. ENOTFOUND if the document does not exist.
	LockDoc(ctx context.Context, doc domain.DocKey, fn func(tx domain.OpLogTx, head domain.DocHead) error) error
	// OpsSince reads up to limit committed ops with version >= from, in
	// order, without a lock (committed ops never change).
	OpsSince(ctx context.Context, doc domain.DocKey, from int64, limit int) ([]*domain.LoggedOp, error)
	// DocHead returns the document's head without its text.
	DocHead(ctx context.Context, doc domain.DocKey) (domain.DocHead, error)
	// DocText returns the document's head and current text.
	DocText(ctx context.Context, doc domain.DocKey) (domain.DocHead, string, error)
	// ConditionalAppend reports whether AppendIfCurrent is available.
	ConditionalAppend() bool
	// AppendIfCurrent appends ops, sets the version (and the text, if
	// not nil, as in OpLogTx.AppendOps) and stores snaps in one step
	// without a held lock, but only if the document is still at
	// ops[0].Version and not final; it reports whether it wrote.
	AppendIfCurrent(ctx context.Context, doc domain.DocKey, ops []*domain.LoggedOp, text *string, snaps []domain.DocSnapshot, now time.Time) (bool, error)
	// FlushText stores text, which must be the document's text at version
	// v, as its stored text, unless the stored text is already at v or
	// later; it reports whether it wrote. It takes no lock beyond its one
	// write, so commits go on while the caller builds the text.
	FlushText(ctx context.Context, doc domain.DocKey, v int64, text string) (bool, error)
	// StoreSnapshot stores snap, the text at a committed version, unless
	// a snapshot of that version is stored already.
	StoreSnapshot(ctx context.Context, doc domain.DocKey, snap domain.DocSnapshot) error
	// TextAt returns the text at version v (EINVALID out of range).
	TextAt(ctx context.Context, doc domain.DocKey, v int64) (string, error)
	// Revisions groups the log into revisions, newest first (see
	// domain.HistoryService.FindRevisions).
	Revisions(ctx context.Context, doc domain.DocKey, before int64, limit int, gap time.Duration) ([]*domain.Revision, error)
	// Retryable reports whether a failed write may succeed when run again
	// from a fresh read: another instance committed the same version, a
	// serialisation failure, a busy database.
	Retryable(err error) bool
	// AppendAudit records an audit event.
	AppendAudit(ctx context.Context, e *domain.AuditEvent) error
}
