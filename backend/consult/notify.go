package consult

import (
	"context"
	"fmt"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/export"
	"github.com/strategieraum/strategieraum/backend/policy"
)

// DeadlineNotice is how long before closes_at participants are reminded.
const DeadlineNotice = 48 * time.Hour

// notify stores ns and hands the stored ones to the OnNotify hooks. A
// failure is logged: notifications never undo the action behind them.
func (s *Service) notify(ctx context.Context, ns []*domain.Notification) {
	if len(ns) == 0 {
		return
	}
	stored, err := s.d.Store.CreateNotifications(ctx, ns)
	if err != nil {
		s.log.Error("store notifications failed", "err", err)
		return
	}
	s.hooksMu.RLock()
	hooks := s.hooks
	s.hooksMu.RUnlock()
	for _, n := range stored {
		for _, fn := range hooks {
			fn(n.UserID, n)
		}
	}
}

// usersWhere lists active users matching keep.
func (s *Service) usersWhere(ctx context.Context, keep func(*domain.User) bool) []*domain.User {
	all, err := s.d.Users.FindUsers(ctx, domain.UserFilter{})
	if err != nil {
		s.log.Error("list users for notifications failed", "err", err)
		return nil
	}
	var out []*domain.User
	for _, u := range all {
		if !u.Disabled && keep(u) {
			out = append(out, u)
		}
	}
	return out
}

func threadNote(to int64, kind domain.NotificationKind, t *domain.Thread, text string) *domain.Notification {
	id := t.ID
	return &domain.Notification{UserID: to, Kind: kind, Text: text, Target: threadTarget(t.ID), StrategyID: t.StrategyID, ThreadID: &id}
}

// notifyNewThread tells the Themenpaten of the section's topic.
func (s *Service) notifyNewThread(ctx context.Context, actor *domain.User, sec *domain.Section, t *domain.Thread) {
	if sec.TopicID == nil {
		return
	}
	var ns []*domain.Notification
	for _, u := range s.usersWhere(ctx, func(u *domain.User) bool { return u.ID != actor.ID && u.SponsorsTopic(*sec.TopicID) }) {
		ns = append(ns, threadNote(u.ID, domain.NotifyNewThread, t,
			fmt.Sprintf("Neue Diskussion (%s) zu „%s“ von %s.", t.Kind, sec.Title, actor.Org.Code)))
	}
	s.notify(ctx, ns)
}

// notifyReply tells everyone who wrote in the thread, except the replier.
func (s *Service) notifyReply(ctx context.Context, actor *domain.User, t *domain.Thread) {
	seen := map[int64]bool{actor.ID: true}
	var ns []*domain.Notification
	add := func(id int64) {
		if !seen[id] {
			seen[id] = true
			ns = append(ns, threadNote(id, domain.NotifyReply, t, "Neue Antwort in einer Diskussion, an der Sie beteiligt sind."))
		}
	}
	add(t.AuthorID)
	for _, c := range t.Comments {
		add(c.AuthorID)
	}
	s.notify(ctx, ns)
}

// notifyResolved tells the members of the thread's organisation and
// everyone who wrote in it, except the one who resolved it, that the
// thread is erledigt. The key holds the time of resolving: once per
// resolution, again after a reopened thread is resolved anew.
func (s *Service) notifyResolved(ctx context.Context, actor *domain.User, t *domain.Thread, at time.Time) {
	wrote := map[int64]bool{t.AuthorID: true}
	for _, c := range t.Comments {
		wrote[c.AuthorID] = true
	}
	var ns []*domain.Notification
	for _, u := range s.usersWhere(ctx, func(u *domain.User) bool { return u.ID != actor.ID && (wrote[u.ID] || u.OrgID == t.OrgID) }) {
		n := threadNote(u.ID, domain.NotifyResolved, t, "Eine Diskussion, an der Sie oder Ihre Organisation beteiligt sind, wurde als erledigt markiert.")
		n.Key = fmt.Sprintf("resolved:%d:%d", t.ID, at.UnixMicro())
		ns = append(ns, n)
	}
	s.notify(ctx, ns)
}

// PhaseChanged tells every active user that strategy st entered phase p.
// The phase handler calls it after storing the phase.
func (s *Service) PhaseChanged(ctx context.Context, st *domain.Strategy, p *domain.Phase) {
	var ns []*domain.Notification
	for _, u := range s.usersWhere(ctx, func(*domain.User) bool { return true }) {
		ns = append(ns, &domain.Notification{UserID: u.ID, Kind: domain.NotifyPhaseChanged, StrategyID: st.ID,
			Target: fmt.Sprintf("strategy:%d", st.ID), Key: fmt.Sprintf("phase:%d", p.ID),
			Text: fmt.Sprintf("„%s“ ist jetzt in der Phase %s.", st.Title, p.Kind)})
	}
	s.notify(ctx, ns)
}

// NotifyDeadlines reminds participants of every open consultation that
// closes within DeadlineNotice. Each user is reminded once per phase and
// deadline (again after the deadline was moved), so it
// is safe to call periodically from every instance.
func (s *Service) NotifyDeadlines(ctx context.Context) error {
	sts, err := s.d.Strategies.FindStrategies(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	for _, lite := range sts {
		st, err := s.d.Strategies.FindStrategyByID(ctx, lite.ID)
		if err != nil {
			return err
		}
		p := st.CurrentPhase
		if !p.Open(now) || p.ClosesAt == nil || p.ClosesAt.Sub(now) > DeadlineNotice {
			continue
		}
		var ns []*domain.Notification
		for _, u := range s.usersWhere(ctx, func(u *domain.User) bool { return u.HasRole(domain.RoleLand) }) {
			ns = append(ns, &domain.Notification{UserID: u.ID, Kind: domain.NotifyDeadline, StrategyID: st.ID,
				Target: fmt.Sprintf("strategy:%d", st.ID), Key: fmt.Sprintf("deadline:%d:%d", p.ID, p.ClosesAt.Unix()),
				Text: fmt.Sprintf("Die Beteiligung an „%s“ endet am %s.", st.Title, Berlin(*p.ClosesAt))})
		}
		s.notify(ctx, ns)
	}
	return nil
}

// Notifications lists u's feed, newest first.
func (s *Service) Notifications(ctx context.Context, u *domain.User, unreadOnly bool, limit int) ([]*domain.Notification, error) {
	if u == nil {
		return nil, policy.Check(nil, policy.ReadStrategy, policy.Resource{}, s.now())
	}
	return s.d.Store.FindNotifications(ctx, u.ID, unreadOnly, limit)
}

// UnreadCount counts u's unread notifications.
func (s *Service) UnreadCount(ctx context.Context, u *domain.User) (int, error) {
	if u == nil {
		return 0, policy.Check(nil, policy.ReadStrategy, policy.Resource{}, s.now())
	}
	return s.d.Store.CountUnread(ctx, u.ID)
}

// MarkRead marks u's notifications ids (all if empty) read; ids of other
// users' notifications are ignored.
func (s *Service) MarkRead(ctx context.Context, u *domain.User, ids []int64) error {
	if u == nil {
		return policy.Check(nil, policy.ReadStrategy, policy.Resource{}, s.now())
	}
	return s.d.Store.MarkRead(ctx, u.ID, ids, s.now())
}

var berlinLoc = export.Berlin

// Berlin formats t as Germans read a date and time.
func Berlin(t time.Time) string { return t.In(berlinLoc).Format("02.01.2006 um 15:04 Uhr") }
