package consult

import (
	"context"
	"fmt"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/policy"
)

// DeadlineChange moves a consultation round's window in place. Reason is
// required: it is audited and shown to nobody but the moderation.
type DeadlineChange struct {
	OpensAt  *time.Time `json:"opens_at"`
	ClosesAt *time.Time `json:"closes_at"`
	Reason   string     `json:"reason"`
}

// ChangeDeadline changes the opening and closing time of round phaseID of
// strategyID in place, so that everything already contributed stays in its
// round; an omitted time stays. The change is audited with its reason and
// every active account is told ("Frist verlängert bis …" or "Frist
// verkürzt bis …", Europe/Berlin time). Errors: ENOTFOUND, EFORBIDDEN
// (moderators and admins only), EINVALID (no reason, not a round, closes
// before it opens).
func (s *Service) ChangeDeadline(ctx context.Context, u *domain.User, strategyID, phaseID int64, in DeadlineChange) (*domain.Phase, error) {
	st, err := s.d.Strategies.FindStrategyByID(ctx, strategyID)
	if err != nil {
		return nil, err
	}
	target := fmt.Sprintf("strategy:%d", st.ID)
	if err := s.check(ctx, u, policy.ChangePhase, policy.Resource{Strategy: st}, target); err != nil {
		return nil, err
	}
	reason, err := text("reason", in.Reason, MaxReasonLen)
	if err != nil {
		return nil, err
	}
	var cur *domain.Phase
	for _, p := range st.Phases {
		if p.ID == phaseID {
			cur = p
		}
	}
	if cur == nil {
		return nil, domain.Errorf(domain.ENOTFOUND, "Diese Strategie hat keine Phase %d.", phaseID)
	}
	if cur.Kind != domain.PhaseBeteiligung || cur.OpensAt == nil || cur.ClosesAt == nil {
		return nil, domain.Invalid("phase", "Beginn und Ende gibt es nur für eine Beteiligung.")
	}
	opens, closes := *cur.OpensAt, *cur.ClosesAt
	if in.OpensAt != nil {
		opens = in.OpensAt.UTC()
	}
	if in.ClosesAt != nil {
		closes = in.ClosesAt.UTC()
	}
	if opens.Equal(*cur.OpensAt) && closes.Equal(*cur.ClosesAt) {
		return nil, domain.Invalid("closes_at", "Beginn und Ende sind unverändert.")
	}
	before, after, err := s.d.Strategies.UpdatePhaseTimes(ctx, st.ID, phaseID, opens, closes)
	if err != nil {
		return nil, err
	}
	s.audit(ctx, u, "phase_times_changed", fmt.Sprintf("phase:%d", phaseID),
		fmt.Sprintf("strategy:%d opens_at:%s→%s closes_at:%s→%s reason:%s", st.ID,
			before.OpensAt.Format(time.RFC3339), after.OpensAt.Format(time.RFC3339),
			before.ClosesAt.Format(time.RFC3339), after.ClosesAt.Format(time.RFC3339), reason))
	s.deadlineChanged(ctx, st, before, after)
	return after, nil
}

// DeadlineText is the notice of a changed deadline, or "" if the closing
// time did not move.
func DeadlineText(st *domain.Strategy, before, after *domain.Phase) string {
	switch {
	case after.ClosesAt.After(*before.ClosesAt):
		return fmt.Sprintf("Frist verlängert bis %s: die Beteiligung an „%s“ endet später.", Berlin(*after.ClosesAt), st.Title)
	case after.ClosesAt.Before(*before.ClosesAt):
		return fmt.Sprintf("Frist verkürzt bis %s: die Beteiligung an „%s“ endet früher.", Berlin(*after.ClosesAt), st.Title)
	}
	return fmt.Sprintf("Die Beteiligung an „%s“ beginnt jetzt am %s.", st.Title, Berlin(*after.OpensAt))
}

// deadlineChanged tells every active account of the new window, once per
// change.
func (s *Service) deadlineChanged(ctx context.Context, st *domain.Strategy, before, after *domain.Phase) {
	msg := DeadlineText(st, before, after)
	key := fmt.Sprintf("deadline-change:%d:%d:%d:%d", after.ID, after.OpensAt.Unix(), after.ClosesAt.Unix(), s.now().UnixNano())
	var ns []*domain.Notification
	for _, u := range s.usersWhere(ctx, func(*domain.User) bool { return true }) {
		ns = append(ns, &domain.Notification{UserID: u.ID, Kind: domain.NotifyDeadline, StrategyID: st.ID,
			Target: fmt.Sprintf("strategy:%d", st.ID), Key: key, Text: msg})
	}
	s.notify(ctx, ns)
}
