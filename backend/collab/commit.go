package collab

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/ot"
)

// outcome is what one queued submit will be told once the batch committed.
type outcome struct {
	row *domain.LoggedOp
	dup bool
	err error
}

// commitBatch commits a batch of submits to one document in one transaction,
// retrying on write conflicts, resolves every caller and returns the newly
// committed ops in version order. seen says the cache has just caught up
// with ops observed from other instances.
func (s *Service) commitBatch(d *document, batch []*pending, seen bool) []*domain.CommittedOp {
	outs, ok, err := s.tryFast(d, batch, seen)
	for attempt := 0; !ok && attempt < commitAttempts; attempt++ {
		if attempt > 0 {
			time.Sleep(time.Duration(attempt*attempt) * time.Millisecond)
		}
		if err != nil && !s.retryable(err) {
			break
		}
		// Resent ops are not looked up at first: they are rare
		// (reconnects), and the UNIQUE (document, client_id, seq)
		// constraint rejects the batch if one slips in; the retry then
		// looks them up. This saves a round trip on every commit.
		outs, err = s.tryCommit(d, batch, err != nil)
		if ok = err == nil; ok || !s.retryable(err) {
			break
		}
		s.retries.Add(1)
		s.log.Debug("op log commit conflict, retrying", "doc", d.id, "attempt", attempt, "err", err)
	}
	if err != nil {
		if domain.ErrorCode(err) == domain.EINTERNAL {
			s.log.Error("op log commit failed", "doc", d.id, "ops", len(batch), "err", err)
			err = internalError(err)
		}
		for _, p := range batch {
			p.resolve(nil, err)
		}
		return nil
	}
	var committed []*domain.CommittedOp
	defer func() {
		if len(committed) > 0 {
			s.batches.Add(1)
			s.committed.Add(int64(len(committed)))
		}
	}()
	for i, p := range batch {
		o := outs[i]
		switch {
		case o.err != nil:
			p.resolve(nil, o.err)
		case o.dup:
			p.resolve(&domain.SubmitResult{Op: &o.row.CommittedOp, Duplicate: true}, nil)
		default:
			p.resolve(&domain.SubmitResult{Op: &o.row.CommittedOp}, nil)
			committed = append(committed, &o.row.CommittedOp)
		}
	}
	return committed
}

// tryCommit runs one attempt: lock the document, bring the cache up to the
// locked version, look up resent ops if asked to, transform and apply each
// submit in queue order, and write all new ops plus the document's new text
// in the same transaction. The cache is updated only when the transaction
// committed.
func (s *Service) tryCommit(d *document, batch []*pending, lookup bool) ([]outcome, error) {
	ctx, cancel := context.WithTimeout(context.Background(), commitTimeout)
	defer cancel()
	var w *work
	var outs []outcome
	var text *string
	var snaps []domain.DocSnapshot
	wrote := false
	err := s.db.LockDoc(ctx, d.id, func(tx domain.OpLogTx, head domain.DocHead) error {
		d.storedAt(head.TextVersion)
		if d.cache.loaded && head.Version == d.cache.version {
			d.cache.contended = false // nobody else wrote since our last commit
		}
		var err error
		if w, err = d.cache.start(tx, head.Version, s.opts.RecentOps); err != nil {
			return err
		}
		known := map[domain.OpKey]*domain.LoggedOp{}
		// A final document commits nothing, so a resend there would not hit
		// the constraint; look it up to acknowledge it.
		if lookup || head.Final {
			if known, err = tx.FindOps(keysOf(batch)); err != nil {
				return err
			}
		}
		now := s.now()
		var rows []*domain.LoggedOp
		lookedUp := lookup || head.Final
		outs, rows, snaps, err = s.build(w, batch, known, lookedUp, head.Final, now)
		if err != nil || len(rows) == 0 {
			return err
		}
		text, wrote = s.headText(w), true
		return tx.AppendOps(rows, text, snaps, now)
	})
	if err != nil {
		d.cache.drop()
		return nil, err
	}
	d.cache.save(w, s.opts.RecentOps)
	if wrote {
		s.written(d, w, text, snaps)
	}
	return outs, nil
}

// fastAttempts is how often tryFast builds and writes a batch before it
// leaves the document to the locked path.
const fastAttempts = 3

// tryFast commits optimistically, without the row lock: it builds the batch
// on the cache and writes it with one conditional statement
// (Store.AppendIfCurrent) that succeeds only if the document is still at
// the cached version. When another instance wrote first, it rolls its edits
// of the cached text back, reads the ops it missed (committed ops never
// change, so no lock is needed), applies them to the cache and tries again.
// While other instances write too (contended), it reads before the first
// try, unless the cache has just caught up from observed ops (seen).
// So instances writing one document contend only for the moment of that one
// statement, not for a lock held over several round trips. ok is false,
// with nothing written, when the document is final, too far behind, the
// batch needs a lookup of resent ops, or it lost fastAttempts times; the
// caller then takes the locked path.
func (s *Service) tryFast(d *document, batch []*pending, seen bool) (outs []outcome, ok bool, err error) {
	c := &d.cache
	if !s.db.ConditionalAppend() || !c.loaded {
		return nil, false, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), commitTimeout)
	defer cancel()
	load := func(from int64, n int) ([]*domain.LoggedOp, error) { return s.db.OpsSince(ctx, d.id, from, n) }
	for attempt := 0; attempt < fastAttempts; attempt++ {
		if attempt > 0 || (c.contended && !seen) || aheadOf(batch, c.version) {
			caught, ok, err := c.catchUp(load, s.opts.RecentOps, s.opts.RecentOps)
			if err != nil || !ok {
				return nil, false, err
			}
			c.contended = caught > 0
		}
		if aheadOf(batch, c.version) {
			return nil, false, nil // let the locked path tell who is ahead
		}
		w := c.current(load)
		w.record = true
		now := s.now()
		outs, rows, snaps, err := s.build(w, batch, map[domain.OpKey]*domain.LoggedOp{}, false, false, now)
		var text *string
		if err == nil && len(rows) > 0 {
			text = s.headText(w)
			ok, err = s.db.AppendIfCurrent(ctx, d.id, rows, text, snaps, now)
		} else if err == nil {
			ok = true // only rejected ops: their outcome does not depend on the head
		}
		if ok && err == nil {
			c.save(w, s.opts.RecentOps)
			s.fast.Add(1)
			if len(rows) > 0 {
				s.written(d, w, text, snaps)
			}
			return outs, true, nil
		}
		if !w.rollback() {
			c.drop()
			return nil, false, err
		}
		if err != nil {
			return nil, false, err
		}
		c.contended = true
		s.retries.Add(1)
	}
	return nil, false, nil
}

// aheadOf reports whether a submit in batch claims a version after v.
func aheadOf(batch []*pending, v int64) bool {
	for _, p := range batch {
		if p.req.BaseVersion > v {
			return true
		}
	}
	return false
}

// build transforms and applies each submit of the batch on w in queue
// order and returns every caller's outcome, the rows to insert and the
// snapshots to store with them (those of a long text go to w.later).
// known holds ops already committed under a batch member's (client, seq),
// complete if lookedUp. Only an EINTERNAL failure or errNeedLookup is
// returned as err.
func (s *Service) build(w *work, batch []*pending, known map[domain.OpKey]*domain.LoggedOp, lookedUp, final bool, now time.Time) ([]outcome, []*domain.LoggedOp, []domain.DocSnapshot, error) {
	outs := make([]outcome, len(batch))
	var rows []*domain.LoggedOp
	var snaps []domain.DocSnapshot
	if w.version == 0 {
		// So that every version stays reproducible even when the
		// document began with text. Later snapshots are stored when an
		// op reaches their version, below.
		snaps = append(snaps, domain.DocSnapshot{Version: w.version, Text: w.doc.String()}) // nothing pending yet
	}
	for i, p := range batch {
		key := domain.OpKey{ClientID: p.req.ClientID, Seq: p.req.Seq}
		if row, ok := known[key]; ok {
			outs[i] = outcome{row: row, dup: true}
			continue
		}
		if final {
			outs[i].err = domain.Errorf(domain.ELOCKED, "%s", finalMessage(p.req.Doc.Kind))
			continue
		}
		row, err := s.transformApply(w, p, now)
		if errors.Is(err, ErrVersionTooOld) && !lookedUp {
			// It may be a resend of an op committed long ago, which
			// must be acknowledged rather than refused.
			return nil, nil, nil, errNeedLookup
		}
		if err != nil {
			if domain.ErrorCode(err) == domain.EINTERNAL {
				return nil, nil, nil, err
			}
			outs[i].err = err
			continue
		}
		outs[i].row = row
		known[key] = row // a resend within the same batch is a duplicate
		rows = append(rows, row)
		if w.version%s.snapshotEvery(w.n) == 0 {
			text, err := w.text()
			if err != nil {
				return nil, nil, nil, fmt.Errorf("collab: text at version %d: %w", w.version, err)
			}
			if snap := (domain.DocSnapshot{Version: w.version, Text: text}); s.long(w.n) {
				w.later = append(w.later, snap)
			} else {
				snaps = append(snaps, snap)
			}
		}
	}
	return outs, rows, snaps, nil
}

// maxLen is the cap on the text of a document of kind k: the engine's, or
// the kind's own where that is smaller (a Stellungnahme's).
func (s *Service) maxLen(k domain.DocKind) int {
	if m := k.MaxLen(); m > 0 && m < s.opts.MaxTextLen {
		return m
	}
	return s.opts.MaxTextLen
}

// transformApply transforms p's op past everything committed since its base
// version (the incoming op on side left, as ShareDB does), applies it and
// returns the row to insert at w's next version.
func (s *Service) transformApply(w *work, p *pending, now time.Time) (*domain.LoggedOp, error) {
	if p.req.BaseVersion > w.version {
		return nil, &domain.Error{
			Code:    domain.ECONFLICT,
			Message: fmt.Sprintf("Die Änderung bezieht sich auf Version %d, der Text ist erst bei Version %d. Bitte neu laden.", p.req.BaseVersion, w.version),
			Fields:  map[string]string{"v": "version_ahead"},
			Err:     ErrVersionAhead,
		}
	}
	if w.version-p.req.BaseVersion > s.opts.MaxTransformSpan {
		return nil, &domain.Error{
			Code:    domain.ECONFLICT,
			Message: "Die Änderung bezieht sich auf eine zu alte Version des Textes. Bitte laden Sie ihn neu.",
			Fields:  map[string]string{"v": "version_too_old"},
			Err:     ErrVersionTooOld,
		}
	}
	others, err := w.since(p.req.BaseVersion)
	if err != nil {
		return nil, err // EINTERNAL: the log itself is unreadable
	}
	baseLen := w.n
	for _, o := range others {
		baseLen -= o.delta
	}
	op := p.op
	if err := ot.Validate(op, baseLen); err != nil {
		return nil, invalidOp(err)
	}
	for _, o := range others {
		if op, err = ot.Transform(op, o.op, ot.Left); err != nil {
			return nil, invalidOp(err)
		}
	}
	raw, err := marshalOp(op)
	if err != nil {
		return nil, invalidOp(err)
	}
	ins, del := op.Stats()
	if limit := s.maxLen(p.req.Doc.Kind); ins > del && w.n+ins-del > limit && !p.restore {
		return nil, &domain.Error{Code: domain.ETOOLARGE, Fields: map[string]string{"op": "too_large"},
			Message: fmt.Sprintf("Der Text darf höchstens %d Zeichen lang sein; die Änderung wurde nicht übernommen.", limit)}
	}
	version := w.version
	if err := w.apply(op, ins-del); err != nil {
		return nil, invalidOp(err)
	}
	return &domain.LoggedOp{
		CommittedOp: domain.CommittedOp{
			Doc:       p.req.Doc,
			Version:   version,
			Op:        raw,
			UserID:    p.req.UserID,
			ClientID:  p.req.ClientID,
			Seq:       p.req.Seq,
			CreatedAt: now,
		},
		Inserted: ins,
		Deleted:  del,
	}, nil
}

// finalMessage tells why a final document of kind takes no edits.
func finalMessage(kind domain.DocKind) string {
	if kind == domain.DocStatement {
		return "Die Stellungnahme ist eingereicht und kann nicht mehr bearbeitet werden. Beginnen Sie eine neue Fassung."
	}
	return "Der Abschnitt ist abgeschlossen und kann nicht mehr bearbeitet werden."
}

// keysOf lists the (client, seq) of every submit in the batch.
func keysOf(batch []*pending) []domain.OpKey {
	keys := make([]domain.OpKey, len(batch))
	for i, p := range batch {
		keys[i] = domain.OpKey{ClientID: p.req.ClientID, Seq: p.req.Seq}
	}
	return keys
}

// errNeedLookup aborts an attempt that must look up resent ops first.
var errNeedLookup = errors.New("collab: resent ops must be looked up")

// retryable reports whether a failed attempt should be run again.
func (s *Service) retryable(err error) bool {
	return s.db.Retryable(err) || errors.Is(err, errNeedLookup)
}

// internalError wraps an unexpected commit failure; an unreachable or
// timed-out database is EUNAVAILABLE, anything else EINTERNAL.
func internalError(err error) error {
	var netErr net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, driver.ErrBadConn) || errors.As(err, &netErr) {
		return &domain.Error{Code: domain.EUNAVAILABLE, Message: "Die Datenbank ist nicht erreichbar. Die Änderung wurde nicht gespeichert.", Err: err}
	}
	return &domain.Error{Code: domain.EINTERNAL, Message: "Die Änderung konnte nicht gespeichert werden.", Err: err}
}
