package collab

import (
	"fmt"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/ot"
)

// entry is a committed op as the transform needs it.
type entry struct {
	op    ot.Op
	delta int // code points inserted minus deleted
}

// cache is what a document's committer remembers between transactions: the
// text at version and the ops just before it. It only ever describes a past
// state of the log, which never changes, so it is never wrong, only stale;
// every transaction compares it with the locked row and catches up.
type cache struct {
	loaded bool
	// contended is set while other instances write to the document too:
	// the optimistic path then reads what they committed before it
	// builds a batch, rather than finding out from a failed write.
	contended bool
	version   int64
	doc       *ot.Doc // the text at version; a gap buffer, so typing is cheap
	recent    []entry // the ops at versions version-len(recent) .. version-1
}

// work is the state a transaction builds on. It edits the cached Doc in
// place (copying the text for every batch would cost more than the commit),
// so a failed transaction must either roll its edits back (when it kept an
// undo log) or drop the cache; its op list is a copy.
//
// Ops are not applied to the Doc one by one: they are composed into
// pending, which is applied in one pass when the text is needed (settle).
// Ops at random places in a long text would each move the gap across a
// third of it on average; composed, the gap crosses the text at most once
// per batch.
type work struct {
	load    loader
	version int64
	doc     *ot.Doc // the text at version, once pending is applied
	n       int     // code points in the text at version
	pending ot.Op   // the ops since doc's version, composed; nil if none
	base    int64   // version of ops[0]
	ops     []entry // the ops at versions base .. version-1
	undo    []ot.Op // inverses of the ops applied to doc so far, if recording
	record  bool
	// later holds snapshots of a long text, written after the commit
	// rather than with it (flush.go).
	later []domain.DocSnapshot
}

// loader reads n committed ops from version from on.
type loader func(from int64, n int) ([]*domain.LoggedOp, error)

// current returns a work state on the cached version without checking it
// against the database.
func (c *cache) current(load loader) *work {
	return &work{load: load, version: c.version, doc: c.doc, n: c.doc.Len(),
		base: c.version - int64(len(c.recent)), ops: c.recent[:len(c.recent):len(c.recent)]}
}

// start returns the state at the locked head version, from the cache when
// it is current, by replaying the few ops it missed, or from the row.
func (c *cache) start(tx domain.OpLogTx, head int64, maxCatchUp int) (*work, error) {
	if c.loaded && head >= c.version && head-c.version <= int64(maxCatchUp) {
		w := c.current(tx.OpsSince)
		if head == c.version {
			return w, nil
		}
		rows, err := tx.OpsSince(c.version, int(head-c.version))
		if err != nil {
			return nil, err
		}
		if int64(len(rows)) == head-c.version {
			if err := w.replay(rows); err == nil {
				return w, nil
			}
		}
	}
	c.loaded = false // the Doc may be half caught up
	text, err := tx.Text()
	if err != nil {
		return nil, err
	}
	doc := ot.NewDoc(text)
	return &work{load: tx.OpsSince, version: head, doc: doc, n: doc.Len(), base: head}, nil
}

// replay applies ops committed elsewhere to w.
func (w *work) replay(rows []*domain.LoggedOp) error {
	for _, r := range rows {
		if err := w.replayOne(&r.CommittedOp); err != nil {
			return err
		}
	}
	return w.settle()
}

// replayOne applies one committed op, which must be at w's version.
func (w *work) replayOne(c *domain.CommittedOp) error {
	if c.Version != w.version {
		return fmt.Errorf("collab: op log gap at version %d", w.version)
	}
	op, err := ot.Parse(c.Op)
	if err != nil {
		return fmt.Errorf("collab: stored op %d: %w", c.Version, err)
	}
	ins, del := op.Stats()
	if err := w.apply(op, ins-del); err != nil {
		return fmt.Errorf("collab: stored op %d: %w", c.Version, err)
	}
	return nil
}

// apply applies op, which changes the length by delta, to the text (by
// composing it into pending) and appends it to the known ops. On error
// nothing changes.
func (w *work) apply(op ot.Op, delta int) error {
	if err := ot.Validate(op, w.n); err != nil {
		return err
	}
	if w.pending == nil {
		w.pending = op
	} else {
		all, err := ot.Compose(w.pending, op)
		if err != nil {
			return err
		}
		w.pending = all
	}
	w.n += delta
	w.ops = append(w.ops, entry{op: op, delta: delta})
	w.version++
	return nil
}

// settle applies pending to the Doc, recording its inverse if w records.
// An error means the Doc disagrees with the ops; the caller must drop it.
func (w *work) settle() error {
	op := w.pending
	if op == nil {
		return nil
	}
	if w.record {
		inv, err := w.doc.ApplyInvert(op)
		if err != nil {
			return err
		}
		w.undo = append(w.undo, inv)
	} else if err := w.doc.Apply(op); err != nil {
		return err
	}
	w.pending = nil
	return nil
}

// text returns the text at w's version.
func (w *work) text() (string, error) {
	if err := w.settle(); err != nil {
		return "", err
	}
	return w.doc.String(), nil
}

// rollback undoes the edits w made to the cached Doc, which then holds the
// cache's text again. It reports false if an inverse did not apply, which
// would mean the Doc is no longer what the cache says; the caller must then
// drop the cache.
func (w *work) rollback() bool {
	w.pending = nil // never applied
	for i := len(w.undo) - 1; i >= 0; i-- {
		if err := w.doc.Apply(w.undo[i]); err != nil {
			return false
		}
	}
	w.undo = nil
	return true
}

// observe applies ops other instances committed, as the realtime layer saw
// them in version order, so that the next optimistic write starts from the
// head more often. Ops the cache already has are skipped; a gap stops it
// (the op log fills it when needed). It reports whether the cache moved.
func (c *cache) observe(ops []*domain.CommittedOp, keep int) bool {
	if !c.loaded {
		return false
	}
	w := c.current(nil) // replaying needs no older ops
	for _, op := range ops {
		if op.Version < w.version {
			continue
		}
		if op.Version > w.version {
			break
		}
		if err := w.replayOne(op); err != nil {
			c.drop()
			return false
		}
	}
	if w.version == c.version {
		return false
	}
	return c.save(w, keep)
}

// catchUp applies ops committed since the cached version (read by load,
// without a lock: committed ops never change) to the cache. It reports
// false, with the cache dropped, when more than max are missing or they do
// not apply; the locked path then starts from the row.
func (c *cache) catchUp(load loader, max, keep int) (caught int, ok bool, err error) {
	rows, err := load(c.version, max+1)
	if err != nil {
		return 0, false, err
	}
	if len(rows) > max {
		c.drop()
		return 0, false, nil
	}
	if len(rows) == 0 {
		return 0, true, nil
	}
	w := c.current(load)
	if err := w.replay(rows); err != nil {
		c.drop()
		return 0, false, nil
	}
	c.save(w, keep)
	return len(rows), true, nil
}

// since returns the ops at versions from .. version-1, reading older ones
// from the database (under the same lock) when the cache does not reach.
func (w *work) since(from int64) ([]entry, error) {
	if from < w.base {
		rows, err := w.load(from, int(w.base-from))
		if err != nil {
			return nil, err
		}
		if int64(len(rows)) != w.base-from {
			return nil, fmt.Errorf("collab: op log has %d ops in [%d, %d)", len(rows), from, w.base)
		}
		older := make([]entry, 0, len(rows)+len(w.ops))
		for _, r := range rows {
			op, err := ot.Parse(r.Op)
			if err != nil {
				return nil, fmt.Errorf("collab: stored op %d: %w", r.Version, err)
			}
			older = append(older, entry{op: op, delta: r.Inserted - r.Deleted})
		}
		w.ops = append(older, w.ops...)
		w.base = from
	}
	return w.ops[from-w.base:], nil
}

// save makes w the new cached state, keeping at most keep recent ops, and
// reports true. If w's ops do not apply to its text, which would be a bug,
// the cache is dropped instead (false) and the next transaction starts
// from the row.
func (c *cache) save(w *work, keep int) bool {
	if err := w.settle(); err != nil {
		c.drop()
		return false
	}
	ops := w.ops
	if len(ops) > keep {
		ops = ops[len(ops)-keep:]
	}
	// Copy so that the cache never shares a backing array that a later
	// transaction's work appends to.
	c.recent = append(make([]entry, 0, len(ops)+64), ops...)
	c.loaded, c.version, c.doc = true, w.version, w.doc
	return true
}

// drop forgets the cached text after a failed transaction edited it.
func (c *cache) drop() {
	c.loaded, c.doc, c.recent = false, nil, nil
	c.contended = true
}
