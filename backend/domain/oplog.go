package domain

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// Version semantics (ShareDB's): a snapshot at version V is the text after V
// operations; an op "at V" applies to the text at version V, after which the
// document is at V+1.

// CommittedOp is one row of a document's append-only op log. Op is in the JSON
// format of ot-text-unicode, already transformed to apply at Version.
type CommittedOp struct {
	Doc       DocKey          `json:"doc"`
	Version   int64           `json:"v"`
	Op        json.RawMessage `json:"op"`
	UserID    int64           `json:"user"`
	ClientID  string          `json:"client"`
	Seq       int64           `json:"seq"`
	CreatedAt time.Time       `json:"created_at"`
}

// SubmitRequest is an op a client made against BaseVersion. (ClientID, Seq)
// identifies it across reconnects so it is never applied twice.
type SubmitRequest struct {
	Doc         DocKey
	BaseVersion int64
	Op          json.RawMessage
	UserID      int64
	ClientID    string
	Seq         int64
}

// SubmitResult is the outcome of a submit. Duplicate is true when the same
// (client, seq) had already been committed; Op is then the original row.
type SubmitResult struct {
	Op        *CommittedOp
	Duplicate bool
}

// OpLogService is the server-authoritative op log of every live document.
type OpLogService interface {
	// Submit transforms req.Op against every op committed since
	// req.BaseVersion (the incoming op on side "left"), commits it at the
	// document's next version in the same transaction that updates the
	// document's text and version, and returns the committed row. Safe for
	// concurrent use by many instances: the database serialises commits.
	// Errors: ENOTFOUND (document), EINVALID (malformed op or positions past
	// the end; code "invalid_op" in Message is not required), ECONFLICT
	// (BaseVersion ahead of the document: "version_ahead"), ELOCKED (the
	// document is final: an adopted section, a submitted statement).
	Submit(ctx context.Context, req SubmitRequest) (*SubmitResult, error)
	// OpsSince returns up to limit committed ops with version >= from, in
	// version order.
	OpsSince(ctx context.Context, doc DocKey, from int64, limit int) ([]*CommittedOp, error)
	// Snapshot returns the current text and version of a document.
	Snapshot(ctx context.Context, doc DocKey) (text string, version int64, err error)
}

// Revision groups consecutive ops of one author in a document's history.
type Revision struct {
	FromVersion int64     `json:"from_version"` // first op's version
	ToVersion   int64     `json:"to_version"`   // section version after the last op
	UserID      int64     `json:"user_id"`
	UserName    string    `json:"user_name"`
	OrgCode     string    `json:"org_code"`
	StartedAt   time.Time `json:"started_at"`
	EndedAt     time.Time `json:"ended_at"`
	Inserted    int       `json:"inserted"` // code points inserted
	Deleted     int       `json:"deleted"`  // code points deleted
	// RestoredFrom is the version a restore brought back; nil for edits.
	// A restore is always a revision of its own.
	RestoredFrom *int64 `json:"restored_from"`
}

// restorePrefix starts the client id of a restoring op; no editor uses it.
const restorePrefix = "restore-"

// RestoreClientID is the client id of the op that restores version from;
// nonce makes it unique, so a restore is never mistaken for a resent op.
// The op log keeps client ids, so the history can tell restores apart
// without a column of its own.
func RestoreClientID(from int64, nonce string) string {
	return restorePrefix + strconv.FormatInt(from, 10) + "-" + nonce
}

// RestoredFrom returns the version restored by the op with clientID, and
// false for ordinary edits.
func RestoredFrom(clientID string) (int64, bool) {
	rest, ok := strings.CutPrefix(clientID, restorePrefix)
	if !ok {
		return 0, false
	}
	v, _, ok := strings.Cut(rest, "-")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(v, 10, 64)
	return n, err == nil && n >= 0
}

// HistoryService reads a document's history and restores old versions.
type HistoryService interface {
	// FindRevisions returns up to limit revisions ending at or before
	// beforeVersion (0: the newest), newest first.
	FindRevisions(ctx context.Context, doc DocKey, beforeVersion int64, limit int) ([]*Revision, error)
	// TextAt returns the text at version v (0 <= v <= current), using
	// snapshots so that it stays fast. EINVALID for a version out of range.
	TextAt(ctx context.Context, doc DocKey, v int64) (string, error)
	// Restore commits, as a new op by actor, the edit that turns the
	// current text into the text at version v, and publishes it like any
	// other op; the history lists it as restored from v, and the audit log
	// records it as section_restored. Returns the version the op was
	// committed at.
	Restore(ctx context.Context, actor *User, doc DocKey, v int64) (int64, error)
}

// LoggedOp is a committed op as the op log stores it, with the code points
// it inserted and deleted (kept so that history needs no OT work).
type LoggedOp struct {
	CommittedOp
	Inserted int
	Deleted  int
}

// OpKey identifies a submitted op across reconnects.
type OpKey struct {
	ClientID string
	Seq      int64
}

// DocHead is a document's current version and whether it is final (an
// adopted section, a submitted statement), in which case it takes no ops.
// TextVersion is the version at which the text stored on the head row is
// current; it lags behind Version while a long text is being edited (see
// OpLogTx.AppendOps).
type DocHead struct {
	Version     int64
	Final       bool
	TextVersion int64
}

// DocSnapshot is a document's full text at a version.
type DocSnapshot struct {
	Version int64
	Text    string
}

// OpLogTx is one document's op log inside a transaction that holds the
// document's row lock: what a committer reads and writes while no other
// commit to the document can run.
type OpLogTx interface {
	// Text returns the document's text at the locked head version.
	Text() (string, error)
	// OpsSince returns up to limit ops with version >= from, in order.
	OpsSince(from int64, limit int) ([]*LoggedOp, error)
	// FindOps returns the already committed ops among keys.
	FindOps(keys []OpKey) (map[OpKey]*LoggedOp, error)
	// AppendOps inserts ops (consecutive versions from the head's) and
	// snaps and sets the document's version, all or nothing with the
	// transaction. text, if not nil, is the text at the new version and is
	// stored with it; nil leaves the stored text at its older version
	// (readers rebuild the head from it or a newer snapshot).
	AppendOps(ops []*LoggedOp, text *string, snaps []DocSnapshot, now time.Time) error
}
