package collab

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/ot"
)

// maxRevisionsLimit caps one page of history.
const maxRevisionsLimit = 200

// FindRevisions implements domain.HistoryService. A revision is a run of
// consecutive ops by one author without a pause longer than RevisionGap.
func (s *Service) FindRevisions(ctx context.Context, doc domain.DocKey, beforeVersion int64, limit int) ([]*domain.Revision, error) {
	if beforeVersion < 0 {
		return nil, domain.Invalid("before", "Die Version darf nicht negativ sein.")
	}
	if limit <= 0 || limit > maxRevisionsLimit {
		limit = maxRevisionsLimit
	}
	return s.db.Revisions(ctx, doc, beforeVersion, limit, s.opts.RevisionGap)
}

// TextAt implements domain.HistoryService.
func (s *Service) TextAt(ctx context.Context, doc domain.DocKey, v int64) (string, error) {
	return s.db.TextAt(ctx, doc, v)
}

// Restore implements domain.HistoryService. The restoring edit is submitted
// like any other op (at the current version, under a fresh client id), so
// it is transformed past concurrent edits, batched, and reported through
// OnCommit. Its client id names the restored version, so the history lists
// it as a restore, and it is audited as section_restored. The returned
// version is the one the op was committed at; the section is at that
// version plus one afterwards.
func (s *Service) Restore(ctx context.Context, actor *domain.User, doc domain.DocKey, v int64) (int64, error) {
	if actor == nil || actor.ID <= 0 {
		return 0, domain.Errorf(domain.EUNAUTHORIZED, "Bitte melden Sie sich an.")
	}
	old, err := s.db.TextAt(ctx, doc, v)
	if err != nil {
		return 0, err
	}
	current, version, err := s.Snapshot(ctx, doc)
	if err != nil {
		return 0, err
	}
	op := ot.Diff(current, old)
	raw, err := marshalOp(op)
	if err != nil {
		return 0, err
	}
	// Queued directly: the diff of a long section may exceed the size
	// limit for ops from clients, and it is well-formed by construction.
	res, err := s.submit(ctx, &pending{req: domain.SubmitRequest{
		Doc:         doc,
		BaseVersion: version,
		Op:          raw,
		UserID:      actor.ID,
		ClientID:    restoreClientID(v),
		Seq:         0,
	}, op: op, done: make(chan struct{}), restore: true})
	if err != nil {
		return 0, err
	}
	s.auditRestore(ctx, actor, doc, v, res.Op.Version+1)
	return res.Op.Version, nil
}

// auditRestore appends the <kind>_restored event (section_restored for a
// section). The op is committed by
// then and stays; a failed append is logged, like every audit write.
func (s *Service) auditRestore(ctx context.Context, actor *domain.User, doc domain.DocKey, from, now int64) {
	id := actor.ID
	e := &domain.AuditEvent{At: s.now(), ActorID: &id, OrgCode: actor.Org.Code, Action: string(doc.Kind) + "_restored",
		Target: doc.String(),
		Detail: fmt.Sprintf("Fassung %d wiederhergestellt als Fassung %d", from, now)}
	if err := s.db.AppendAudit(ctx, e); err != nil {
		s.log.Error("audit append failed", "action", e.Action, "target", e.Target, "err", err)
	}
}

// restoreClientID returns the client id of a restore of version from.
func restoreClientID(from int64) string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return domain.RestoreClientID(from, hex.EncodeToString(b))
}
