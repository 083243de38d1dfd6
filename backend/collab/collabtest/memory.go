// Package collabtest holds an in-memory collab.Store, so that the op log's
// commit path can be tested without a database, and so that tests can
// inject storage faults a real database produces only under load.
package collabtest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/ot"
)

// Memory is a collab.Store in memory. Each document has a lock that a
// LockDoc call holds for its whole callback, like a row lock; a
// transaction's appends become visible only when the callback returns nil.
// The zero value is not usable; call NewMemory.
type Memory struct {
	mu     sync.Mutex
	docs   map[domain.DocKey]*memDoc
	audit  []*domain.AuditEvent
	faults []error // returned by the next write attempts, in order
	races  int     // conditional appends still to refuse as outdated
	// textReads counts DocText calls: the reads that return a whole text.
	textReads int

	// Conditional says whether AppendIfCurrent is offered (the fast path).
	Conditional bool
}

type memDoc struct {
	lock    sync.Mutex // held by LockDoc for a transaction
	text    string     // the stored text, at textVersion
	version int64
	// textVersion lags behind version when commits leave the text out,
	// as in a database; readers rebuild the head (textAt).
	textVersion int64
	final       bool
	ops         []*domain.LoggedOp
	snaps       map[int64]string
}

// errRetry is the fault a write reports when told to fail retryably.
var errRetry = errors.New("collabtest: write conflict")

// NewMemory returns an empty store.
func NewMemory() *Memory { return &Memory{docs: map[domain.DocKey]*memDoc{}} }

// Create adds a document with text at version 0.
func (m *Memory) Create(doc domain.DocKey, text string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.docs[doc] = &memDoc{text: text, snaps: map[int64]string{}}
}

// SetFinal marks a document final (or not).
func (m *Memory) SetFinal(doc domain.DocKey, final bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.docs[doc].final = final
}

// FailNextWrites makes the next n writes (locked appends or conditional
// appends) fail with a retryable conflict and nothing written.
func (m *Memory) FailNextWrites(n int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for range n {
		m.faults = append(m.faults, errRetry)
	}
}

// TextReads returns how often a document's current text was read
// (DocText).
func (m *Memory) TextReads() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.textReads
}

// LoseNextRaces makes the next n conditional appends report that the
// document moved on (false, no error) with nothing written, as when another
// instance commits between the read and the write.
func (m *Memory) LoseNextRaces(n int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.races += n
}

// Audit returns the audit events appended so far.
func (m *Memory) Audit() []*domain.AuditEvent {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.audit)
}

func (m *Memory) doc(doc domain.DocKey) (*memDoc, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	d := m.docs[doc]
	if d == nil {
		return nil, domain.Errorf(domain.ENOTFOUND, "Das Dokument wurde nicht gefunden.")
	}
	return d, nil
}

// fault pops the next injected fault, if any.
func (m *Memory) fault() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.faults) == 0 {
		return nil
	}
	err := m.faults[0]
	m.faults = m.faults[1:]
	return err
}

// LockDoc implements collab.Store.
func (m *Memory) LockDoc(ctx context.Context, doc domain.DocKey, fn func(domain.OpLogTx, domain.DocHead) error) error {
	d, err := m.doc(doc)
	if err != nil {
		return err
	}
	d.lock.Lock()
	defer d.lock.Unlock()
	m.mu.Lock()
	tx := &memTx{m: m, d: d, version: d.version}
	head := domain.DocHead{Version: d.version, Final: d.final, TextVersion: d.textVersion}
	m.mu.Unlock()
	if err := fn(tx, head); err != nil {
		return err
	}
	if tx.appended == nil {
		return nil
	}
	if err := m.fault(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return d.append(tx.appended, tx.newText, tx.snaps)
}

// append writes ops that start at d's version, and the text at the new
// version if it is not nil; the caller holds m.mu.
func (d *memDoc) append(ops []*domain.LoggedOp, text *string, snaps []domain.DocSnapshot) error {
	if len(ops) == 0 {
		return nil
	}
	if ops[0].Version != d.version {
		return fmt.Errorf("collabtest: append at %d, document at %d", ops[0].Version, d.version)
	}
	seen := map[domain.OpKey]bool{}
	for _, o := range d.ops {
		seen[domain.OpKey{ClientID: o.ClientID, Seq: o.Seq}] = true
	}
	for i, o := range ops {
		k := domain.OpKey{ClientID: o.ClientID, Seq: o.Seq}
		if seen[k] || o.Version != d.version+int64(i) {
			return errRetry // a unique violation in a database
		}
		seen[k] = true
	}
	for _, s := range snaps {
		if _, ok := d.snaps[s.Version]; !ok {
			d.snaps[s.Version] = s.Text
		}
	}
	d.ops = append(d.ops, ops...)
	d.version += int64(len(ops))
	if text != nil {
		d.text, d.textVersion = *text, d.version
	}
	return nil
}

// textAt rebuilds the text at version v from the newer of the stored text
// (if not after v) and the newest snapshot at or before v, as the database
// store does; the caller holds m.mu.
func (d *memDoc) textAt(v int64) (string, error) {
	if v < 0 || v > d.version {
		return "", domain.Invalid("v", fmt.Sprintf("Version %d gibt es nicht.", v))
	}
	from, text := int64(-1), ""
	if d.textVersion <= v {
		from, text = d.textVersion, d.text
	}
	for sv, st := range d.snaps {
		if sv <= v && sv > from {
			from, text = sv, st
		}
	}
	if from < 0 {
		return "", domain.Invalid("v", fmt.Sprintf("Version %d ist nicht gespeichert.", v))
	}
	for _, o := range d.ops[from:v] {
		op, err := ot.Parse(o.Op)
		if err == nil {
			text, err = ot.Apply(text, op)
		}
		if err != nil {
			return "", fmt.Errorf("collabtest: replay op %d: %w", o.Version, err)
		}
	}
	return text, nil
}

// TextVersion returns the version the document's stored text is at.
func (m *Memory) TextVersion(doc domain.DocKey) int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.docs[doc].textVersion
}

// memTx is a transaction on one document.
type memTx struct {
	m        *Memory
	d        *memDoc
	version  int64
	appended []*domain.LoggedOp
	newText  *string
	snaps    []domain.DocSnapshot
}

func (t *memTx) Text() (string, error) {
	t.m.mu.Lock()
	defer t.m.mu.Unlock()
	return t.d.textAt(t.version)
}

func (t *memTx) OpsSince(from int64, limit int) ([]*domain.LoggedOp, error) {
	t.m.mu.Lock()
	defer t.m.mu.Unlock()
	return opsSince(t.d, from, limit), nil
}

func (t *memTx) FindOps(keys []domain.OpKey) (map[domain.OpKey]*domain.LoggedOp, error) {
	t.m.mu.Lock()
	defer t.m.mu.Unlock()
	want := map[domain.OpKey]bool{}
	for _, k := range keys {
		want[k] = true
	}
	found := map[domain.OpKey]*domain.LoggedOp{}
	for _, o := range t.d.ops {
		if k := (domain.OpKey{ClientID: o.ClientID, Seq: o.Seq}); want[k] {
			found[k] = o
		}
	}
	return found, nil
}

func (t *memTx) AppendOps(ops []*domain.LoggedOp, text *string, snaps []domain.DocSnapshot, _ time.Time) error {
	if len(ops) == 0 {
		return nil
	}
	if t.appended != nil || ops[0].Version != t.version {
		return fmt.Errorf("collabtest: append at %d in a transaction at %d", ops[0].Version, t.version)
	}
	t.appended, t.newText, t.snaps = slices.Clone(ops), text, slices.Clone(snaps)
	return nil
}

// opsSince copies up to limit ops from version from; the caller holds m.mu.
func opsSince(d *memDoc, from int64, limit int) []*domain.LoggedOp {
	if from >= int64(len(d.ops)) || from < 0 {
		return nil
	}
	end := min(int64(len(d.ops)), from+int64(limit))
	return slices.Clone(d.ops[from:end])
}

// OpsSince implements collab.Store.
func (m *Memory) OpsSince(_ context.Context, doc domain.DocKey, from int64, limit int) ([]*domain.LoggedOp, error) {
	d, err := m.doc(doc)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return opsSince(d, from, limit), nil
}

// DocText implements collab.Store.
func (m *Memory) DocText(_ context.Context, doc domain.DocKey) (domain.DocHead, string, error) {
	d, err := m.doc(doc)
	if err != nil {
		return domain.DocHead{}, "", err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.textReads++
	text, err := d.textAt(d.version)
	return domain.DocHead{Version: d.version, Final: d.final, TextVersion: d.textVersion}, text, err
}

// DocHead implements collab.Store.
func (m *Memory) DocHead(_ context.Context, doc domain.DocKey) (domain.DocHead, error) {
	d, err := m.doc(doc)
	if err != nil {
		return domain.DocHead{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return domain.DocHead{Version: d.version, Final: d.final, TextVersion: d.textVersion}, nil
}

// ConditionalAppend implements collab.Store.
func (m *Memory) ConditionalAppend() bool { return m.Conditional }

// AppendIfCurrent implements collab.Store: it writes, under the document's
// lock like a single statement, only if the document is at ops[0].Version
// and not final.
func (m *Memory) AppendIfCurrent(_ context.Context, doc domain.DocKey, ops []*domain.LoggedOp, text *string, snaps []domain.DocSnapshot, _ time.Time) (bool, error) {
	if !m.Conditional {
		return false, nil
	}
	d, err := m.doc(doc)
	if err != nil {
		return false, err
	}
	if len(ops) == 0 {
		return true, nil
	}
	d.lock.Lock()
	defer d.lock.Unlock()
	if err := m.fault(); err != nil {
		return false, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.races > 0 {
		m.races--
		return false, nil
	}
	if d.final || d.version != ops[0].Version {
		return false, nil
	}
	if err := d.append(ops, text, snaps); err != nil {
		return false, err
	}
	return true, nil
}

// SnapshotVersions returns the versions of doc's snapshots, in order.
func (m *Memory) SnapshotVersions(doc domain.DocKey) []int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	var vs []int64
	for v := range m.docs[doc].snaps {
		vs = append(vs, v)
	}
	slices.Sort(vs)
	return vs
}

// StoreSnapshot implements collab.Store.
func (m *Memory) StoreSnapshot(_ context.Context, doc domain.DocKey, snap domain.DocSnapshot) error {
	d, err := m.doc(doc)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if snap.Version < 0 || snap.Version > d.version {
		return fmt.Errorf("collabtest: snapshot at %d of a document at %d", snap.Version, d.version)
	}
	if _, ok := d.snaps[snap.Version]; !ok {
		d.snaps[snap.Version] = snap.Text
	}
	return nil
}

// FlushText implements collab.Store.
func (m *Memory) FlushText(_ context.Context, doc domain.DocKey, v int64, text string) (bool, error) {
	d, err := m.doc(doc)
	if err != nil {
		return false, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if d.textVersion >= v || d.version < v {
		return false, nil
	}
	d.text, d.textVersion = text, v
	return true, nil
}

// TextAt implements collab.Store by replaying from the stored text or the
// nearest snapshot.
func (m *Memory) TextAt(_ context.Context, doc domain.DocKey, v int64) (string, error) {
	d, err := m.doc(doc)
	if err != nil {
		return "", err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return d.textAt(v)
}

// Revisions implements collab.Store: one revision per op, newest first
// (grouping is the database's business and tested there).
func (m *Memory) Revisions(_ context.Context, doc domain.DocKey, before int64, limit int, _ time.Duration) ([]*domain.Revision, error) {
	d, err := m.doc(doc)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if before <= 0 || before > d.version {
		before = d.version
	}
	var revs []*domain.Revision
	for v := before - 1; v >= 0 && len(revs) < limit; v-- {
		o := d.ops[v]
		r := &domain.Revision{FromVersion: v, ToVersion: v + 1, UserID: o.UserID, StartedAt: o.CreatedAt, EndedAt: o.CreatedAt,
			Inserted: o.Inserted, Deleted: o.Deleted}
		if from, ok := domain.RestoredFrom(o.ClientID); ok {
			r.RestoredFrom = &from
		}
		revs = append(revs, r)
	}
	return revs, nil
}

// Retryable implements collab.Store.
func (m *Memory) Retryable(err error) bool { return errors.Is(err, errRetry) }

// AppendAudit implements collab.Store.
func (m *Memory) AppendAudit(_ context.Context, e *domain.AuditEvent) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.audit = append(m.audit, e)
	return nil
}
