package consult

import (
	"context"
	"fmt"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/policy"
)

// Resolve marks an open thread erledigt with an optional note. Proposals are
// decided with Accept or Reject instead. Errors: ENOTFOUND, EFORBIDDEN,
// ECONFLICT (not open or a proposal), ETOOLARGE.
func (s *Service) Resolve(ctx context.Context, u *domain.User, threadID int64, note string) (*domain.Thread, error) {
	return s.setStatus(ctx, u, threadID, note, domain.StatusOffen, domain.StatusErledigt, "thread_resolved")
}

// Reopen sets a resolved or decided thread back to offen with an optional
// note. An accepted proposal stays in the text; reopening only reopens the
// discussion. Errors as for Resolve.
func (s *Service) Reopen(ctx context.Context, u *domain.User, threadID int64, note string) (*domain.Thread, error) {
	return s.setStatus(ctx, u, threadID, note, "", domain.StatusOffen, "thread_reopened")
}

func (s *Service) setStatus(ctx context.Context, u *domain.User, threadID int64, note string, from, to domain.ThreadStatus, action string) (*domain.Thread, error) {
	t, sec, st, err := s.allowedThread(ctx, u, threadID, policy.ResolveThread, threadTarget(threadID))
	if err != nil {
		return nil, err
	}
	if note, err = optionalText("note", note, MaxReasonLen); err != nil {
		return nil, err
	}
	switch {
	case to == domain.StatusErledigt && t.Kind == domain.KindAenderungsvorschlag:
		return nil, domain.Errorf(domain.ECONFLICT, "Änderungsvorschläge werden übernommen oder abgelehnt, nicht erledigt.")
	case from != "" && t.Status != from:
		return nil, domain.Errorf(domain.ECONFLICT, "Die Diskussion ist nicht offen (Status: %s).", t.Status)
	case t.Status == to:
		return nil, domain.Errorf(domain.ECONFLICT, "Die Diskussion ist bereits offen.")
	}
	cur := t.Status
	upd := domain.ThreadUpdate{IfStatus: &cur, Status: &to, Resolution: &note}
	uid, now := u.ID, s.now()
	if to == domain.StatusOffen {
		var noUser *int64
		var noTime *time.Time
		upd.ResolvedBy, upd.ResolvedAt = &noUser, &noTime
	} else {
		uidp, nowp := &uid, &now
		upd.ResolvedBy, upd.ResolvedAt = &uidp, &nowp
	}
	out, err := s.d.Store.UpdateThread(ctx, t.ID, upd)
	if err != nil {
		return nil, err
	}
	s.audit(ctx, u, action, threadTarget(t.ID), fmt.Sprintf("section:%d", sec.ID))
	s.threadChanged(t, map[domain.ThreadStatus]string{domain.StatusOffen: "reopened", domain.StatusErledigt: "resolved"}[to])
	if to == domain.StatusErledigt {
		s.notifyResolved(ctx, u, t, now)
	}
	return s.redact(u, out, sec, st), nil
}

// HideThread hides a thread with a reason: it stays stored and visible to
// moderators and its author. Errors: ENOTFOUND, EFORBIDDEN, ECONFLICT
// (already hidden), EINVALID (no reason).
func (s *Service) HideThread(ctx context.Context, u *domain.User, threadID int64, reason string) (*domain.Thread, error) {
	t, sec, st, err := s.allowedThread(ctx, u, threadID, policy.HideComment, threadTarget(threadID))
	if err != nil {
		return nil, err
	}
	if t.Hidden {
		return nil, domain.Errorf(domain.ECONFLICT, "Die Diskussion ist bereits ausgeblendet.")
	}
	if reason, err = text("reason", reason, MaxReasonLen); err != nil {
		return nil, err
	}
	yes, uid := true, u.ID
	out, err := s.d.Store.UpdateThread(ctx, t.ID, domain.ThreadUpdate{Hidden: &yes, HiddenReason: &reason, HiddenBy: &uid})
	if err != nil {
		return nil, err
	}
	s.audit(ctx, u, "thread_hidden", threadTarget(t.ID), fmt.Sprintf("section:%d", sec.ID))
	s.threadChanged(t, "hidden")
	s.notify(ctx, []*domain.Notification{threadNote(t.AuthorID, domain.NotifyHidden, t,
		"Ihre Diskussion wurde von der Moderation ausgeblendet. Grund: "+reason)})
	return s.redact(u, out, sec, st), nil
}

// HideComment hides one comment with a reason and closes reports on it.
// Errors as for HideThread.
func (s *Service) HideComment(ctx context.Context, u *domain.User, commentID int64, reason string) (*domain.Comment, error) {
	c, err := s.d.Store.FindCommentByID(ctx, commentID)
	if err != nil {
		return nil, err
	}
	t, _, _, err := s.allowedThread(ctx, u, c.ThreadID, policy.HideComment, commentTarget(c.ID))
	if err != nil {
		return nil, err
	}
	if c.Hidden {
		return nil, domain.Errorf(domain.ECONFLICT, "Der Beitrag ist bereits ausgeblendet.")
	}
	if reason, err = text("reason", reason, MaxReasonLen); err != nil {
		return nil, err
	}
	out, err := s.d.Store.HideComment(ctx, c.ID, reason, u.ID)
	if err != nil {
		return nil, err
	}
	s.audit(ctx, u, "comment_hidden", commentTarget(c.ID), threadTarget(t.ID))
	s.threadChanged(t, "hidden")
	s.notify(ctx, []*domain.Notification{threadNote(c.AuthorID, domain.NotifyHidden, t,
		"Ihr Beitrag wurde von der Moderation ausgeblendet. Grund: "+reason)})
	return out, nil
}

// ReportComment puts a comment with a reason into the moderators' queue.
// Errors: ENOTFOUND, EFORBIDDEN, EINVALID (no reason), ETOOLARGE.
func (s *Service) ReportComment(ctx context.Context, u *domain.User, commentID int64, reason string) (*domain.CommentReport, error) {
	c, err := s.d.Store.FindCommentByID(ctx, commentID)
	if err != nil {
		return nil, err
	}
	_, _, st, err := s.allowedThread(ctx, u, c.ThreadID, policy.ReportComment, commentTarget(c.ID))
	if err != nil {
		return nil, err
	}
	if reason, err = text("reason", reason, MaxReasonLen); err != nil {
		return nil, err
	}
	r := &domain.CommentReport{CommentID: c.ID, ThreadID: c.ThreadID, StrategyID: st.ID, ReporterID: u.ID, ReporterName: u.Name, Reason: reason}
	if err := s.d.Store.CreateReport(ctx, r); err != nil {
		return nil, err
	}
	s.audit(ctx, u, "comment_reported", commentTarget(c.ID), "")
	return r, nil
}

// ReportQueue lists open reports for moderators; strategyID 0 lists all.
func (s *Service) ReportQueue(ctx context.Context, u *domain.User, strategyID int64) ([]*domain.CommentReport, error) {
	if err := s.check(ctx, u, policy.ModerateQueue, policy.Resource{}, "reports"); err != nil {
		return nil, err
	}
	return s.d.Store.FindOpenReports(ctx, strategyID)
}

// DismissReport closes a report without hiding the comment, with an
// optional note for the audit log. Errors: ENOTFOUND (no open report),
// EFORBIDDEN, ETOOLARGE.
func (s *Service) DismissReport(ctx context.Context, u *domain.User, reportID int64, note string) (*domain.CommentReport, error) {
	target := fmt.Sprintf("report:%d", reportID)
	if err := s.check(ctx, u, policy.ModerateQueue, policy.Resource{}, target); err != nil {
		return nil, err
	}
	note, err := optionalText("note", note, MaxReasonLen)
	if err != nil {
		return nil, err
	}
	r, err := s.d.Store.CloseReport(ctx, reportID)
	if err != nil {
		return nil, err
	}
	detail := commentTarget(r.CommentID)
	if note != "" {
		detail += " " + note
	}
	s.audit(ctx, u, "report_dismissed", target, detail)
	return r, nil
}
