package consult

import (
	"context"
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/ot"
	"github.com/strategieraum/strategieraum/backend/policy"
)

// acceptAttempts bounds how often Accept re-reads a passage that keeps
// changing under it.
const acceptAttempts = 5

// Accept applies an open change proposal: it replaces the anchored passage
// at the newest version with the proposal's text, commits that edit through
// the op log attributed to the proposer, records the accepter and marks
// other open proposals on overlapping passages as affected. If the passage
// no longer reads as quoted, confirm must be true; otherwise ECONFLICT with
// the current passage in Fields["current"]. Errors: ENOTFOUND, EFORBIDDEN,
// ELOCKED (final section), ECONFLICT (not open, passage removed or changed).
func (s *Service) Accept(ctx context.Context, u *domain.User, threadID int64, confirm bool) (*domain.Thread, error) {
	t, sec, st, err := s.allowedThread(ctx, u, threadID, policy.AcceptProposal, threadTarget(threadID))
	if err != nil {
		return nil, err
	}
	if err := decidable(t); err != nil {
		return nil, err
	}
	var committed *domain.CommittedOp
	var start, end int
	for attempt := 0; ; attempt++ {
		if err := s.refresh(ctx, []*domain.Thread{t}); err != nil {
			return nil, err
		}
		if t.Anchor.Removed {
			return nil, domain.Errorf(domain.ECONFLICT, "Der Bezugstext wurde entfernt; der Vorschlag kann nicht übernommen werden.")
		}
		text, version, err := s.d.OpLog.Snapshot(ctx, domain.SectionDoc(sec.ID))
		if err != nil {
			return nil, err
		}
		if version != t.Anchor.Version {
			if attempt < acceptAttempts {
				continue // an edit landed between reading the anchor and the text
			}
			return nil, domain.Errorf(domain.ECONFLICT, "Der Abschnitt wird gerade stark bearbeitet; bitte erneut versuchen.")
		}
		start, end = t.Anchor.Start, t.Anchor.End
		if current := runeSlice(text, start, end); current != t.Quote && !confirm {
			e := domain.Errorf(domain.ECONFLICT, "Die Passage wurde seit dem Vorschlag geändert. Bitte prüfen Sie den Vorschlag gegen den aktuellen Text und bestätigen Sie die Übernahme.")
			e.Fields = map[string]string{"current": current}
			return nil, e
		}
		op := ot.Op{{Skip: start}, {Del: end - start}, {Ins: t.Replacement}}.Normalize()
		raw, err := json.Marshal(op)
		if err != nil {
			return nil, err
		}
		// (client, seq) is fixed per proposal, so a retried accept can never
		// apply the replacement twice; the op log transforms it past any
		// edit committed meanwhile.
		res, err := s.d.OpLog.Submit(ctx, domain.SubmitRequest{Doc: domain.SectionDoc(sec.ID), BaseVersion: version, Op: raw,
			UserID: t.AuthorID, ClientID: fmt.Sprintf("proposal-%d", t.ID), Seq: 1})
		if err != nil {
			return nil, err
		}
		committed = res.Op
		break
	}
	// The accepted thread now anchors the replacement.
	newAnchor := domain.Anchor{Start: start, End: start + utf8.RuneCountInString(t.Replacement), Version: committed.Version + 1}
	if newAnchor.End == newAnchor.Start {
		newAnchor.Removed = true
	}
	if committed.Version != t.Anchor.Version {
		// Transformed past concurrent edits: place it from the committed op.
		op, err := ot.Parse(committed.Op)
		if err == nil {
			newAnchor.Start = firstChange(op)
			newAnchor.End = newAnchor.Start + utf8.RuneCountInString(t.Replacement)
		}
	}
	if err := s.markOverlapping(ctx, t, start, end); err != nil {
		return nil, err
	}
	if err := s.followReplacement(ctx, t, committed, newAnchor); err != nil {
		return nil, err
	}
	offen, status, uid, v := domain.StatusOffen, domain.StatusUebernommen, u.ID, committed.Version
	now := s.now()
	uidp, nowp := &uid, &now
	out, err := s.d.Store.UpdateThread(ctx, t.ID, domain.ThreadUpdate{IfStatus: &offen, Status: &status, AcceptedBy: &uid,
		AcceptedVersion: &v, ResolvedBy: &uidp, ResolvedAt: &nowp, Anchor: &newAnchor})
	if err != nil {
		return nil, err
	}
	s.audit(ctx, u, "proposal_accepted", threadTarget(t.ID), fmt.Sprintf("section:%d version:%d", sec.ID, v))
	s.threadChanged(t, "accepted")
	if t.AuthorID != u.ID {
		s.notify(ctx, []*domain.Notification{threadNote(t.AuthorID, domain.NotifyProposalAccepted, t,
			fmt.Sprintf("Ihr Änderungsvorschlag zu „%s“ wurde übernommen.", sec.Title))})
	}
	return s.redact(u, out, sec, st), nil
}

// firstChange returns where op first deletes or inserts.
func firstChange(op ot.Op) int {
	if len(op) > 0 && op[0].Skip != 0 {
		return op[0].Skip
	}
	return 0
}

// followReplacement re-anchors the other threads on exactly the passage an
// accepted proposal replaced to the replacement, at the version after the
// commit. Moving their anchors over the edit would mark them "Bezugstext
// entfernt", as the passage was deleted as a whole; but a comment on the
// passage is about what now stands in its place. Threads on part of the
// passage still lose what was deleted. Only an edit of one deletion plus
// its insertion is handled: one that was split by a concurrent insert
// into the passage leaves the other threads to the usual anchor moves.
func (s *Service) followReplacement(ctx context.Context, accepted *domain.Thread, committed *domain.CommittedOp, to domain.Anchor) error {
	op, err := ot.Parse(committed.Op)
	if err != nil || to.Removed {
		return err
	}
	start, deleted, ok := replaced(op)
	if !ok {
		return nil
	}
	threads, err := s.d.Store.FindThreads(ctx, domain.ThreadFilter{SectionID: accepted.SectionID})
	if err != nil {
		return err
	}
	var rest []*domain.Thread
	var anchors []*domain.Anchor
	for _, o := range threads {
		if o.ID != accepted.ID && !o.Anchor.Removed && o.Anchor.Version <= committed.Version {
			a := o.Anchor
			rest, anchors = append(rest, o), append(anchors, &a)
		}
	}
	if err := s.advanceTo(ctx, accepted.SectionID, anchors, committed.Version); err != nil {
		return err
	}
	var ups []domain.AnchorUpdate
	for i, o := range rest {
		if a := anchors[i]; !a.Removed && a.Version == committed.Version && a.Start == start && a.End == start+deleted {
			ups = append(ups, domain.AnchorUpdate{ThreadID: o.ID, FromVersion: o.Anchor.Version, Anchor: to})
		}
	}
	_, err = s.d.Store.UpdateAnchors(ctx, ups)
	return err
}

// replaced reports where op deletes and how much, if op is a skip followed
// by one deletion and at most one insertion (in either order).
func replaced(op ot.Op) (start, deleted int, ok bool) {
	inserts := 0
	for i, c := range op {
		switch {
		case c.Skip != 0 && i == 0:
			start = c.Skip
		case c.Del != 0 && deleted == 0:
			deleted = c.Del
		case c.Ins != "" && inserts == 0:
			inserts++
		default:
			return 0, 0, false
		}
	}
	return start, deleted, deleted > 0
}

// markOverlapping flags the other open proposals of the section whose
// passage (at the same version as t's) overlaps [start, end).
func (s *Service) markOverlapping(ctx context.Context, t *domain.Thread, start, end int) error {
	others, err := s.d.Store.FindThreads(ctx, domain.ThreadFilter{SectionID: t.SectionID, Kind: domain.KindAenderungsvorschlag, Status: domain.StatusOffen})
	if err != nil {
		return err
	}
	var rest []*domain.Thread
	for _, o := range others {
		if o.ID != t.ID {
			rest = append(rest, o)
		}
	}
	// Bring them to the version the accepted passage was read at: the
	// anchors move in lockstep, so comparing at one version is exact.
	anchors := make([]*domain.Anchor, len(rest))
	for i, o := range rest {
		a := o.Anchor
		anchors[i] = &a
	}
	if err := s.advanceTo(ctx, t.SectionID, anchors, t.Anchor.Version); err != nil {
		return err
	}
	var ids []int64
	for i, o := range rest {
		a := anchors[i]
		if !a.Removed && a.Start < end && start < a.End {
			ids = append(ids, o.ID)
		}
	}
	return s.d.Store.MarkAffected(ctx, ids)
}

// advanceTo moves anchors no further than version to.
func (s *Service) advanceTo(ctx context.Context, sectionID int64, anchors []*domain.Anchor, to int64) error {
	var below []*domain.Anchor
	for _, a := range anchors {
		if a.Version < to {
			below = append(below, a)
		}
	}
	for len(below) > 0 {
		from := below[0].Version
		for _, a := range below {
			from = min(from, a.Version)
		}
		ops, err := s.d.OpLog.OpsSince(ctx, domain.SectionDoc(sectionID), from, int(min(to-from, opsPage)))
		if err != nil {
			return err
		}
		if len(ops) == 0 {
			return nil
		}
		for _, c := range ops {
			op, err := ot.Parse(c.Op)
			if err != nil {
				return err
			}
			for _, a := range below {
				if !a.Removed && a.Version == c.Version {
					*a = moveAnchor(*a, op)
				}
			}
		}
		next := below[:0]
		for _, a := range below {
			if !a.Removed && a.Version < to {
				next = append(next, a)
			}
		}
		below = next
	}
	return nil
}

// Reject turns an open proposal down with a reason. Errors: ENOTFOUND,
// EFORBIDDEN, ECONFLICT (not open), EINVALID (no reason).
func (s *Service) Reject(ctx context.Context, u *domain.User, threadID int64, reason string) (*domain.Thread, error) {
	t, sec, st, err := s.allowedThread(ctx, u, threadID, policy.RejectProposal, threadTarget(threadID))
	if err != nil {
		return nil, err
	}
	if err := decidable(t); err != nil {
		return nil, err
	}
	if reason, err = text("reason", reason, MaxReasonLen); err != nil {
		return nil, err
	}
	offen, status, uid, now := domain.StatusOffen, domain.StatusAbgelehnt, u.ID, s.now()
	uidp, nowp := &uid, &now
	out, err := s.d.Store.UpdateThread(ctx, t.ID, domain.ThreadUpdate{IfStatus: &offen, Status: &status,
		Resolution: &reason, ResolvedBy: &uidp, ResolvedAt: &nowp})
	if err != nil {
		return nil, err
	}
	s.audit(ctx, u, "proposal_rejected", threadTarget(t.ID), fmt.Sprintf("section:%d", sec.ID))
	s.threadChanged(t, "rejected")
	if t.AuthorID != u.ID {
		s.notify(ctx, []*domain.Notification{threadNote(t.AuthorID, domain.NotifyProposalRejected, t,
			fmt.Sprintf("Ihr Änderungsvorschlag zu „%s“ wurde abgelehnt.", sec.Title))})
	}
	return s.redact(u, out, sec, st), nil
}

// decidable reports whether t is an open, visible proposal.
func decidable(t *domain.Thread) error {
	if t.Kind != domain.KindAenderungsvorschlag {
		return domain.Errorf(domain.ECONFLICT, "Nur Änderungsvorschläge können übernommen oder abgelehnt werden.")
	}
	if t.Status != domain.StatusOffen {
		return domain.Errorf(domain.ECONFLICT, "Über diesen Vorschlag wurde bereits entschieden (Status: %s).", t.Status)
	}
	if t.Hidden {
		return domain.Errorf(domain.ECONFLICT, "Der Vorschlag wurde von der Moderation ausgeblendet.")
	}
	return nil
}
