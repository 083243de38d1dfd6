package consult

import (
	"context"
	"fmt"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// ReminderDays are the days before a round's closes_at on which the
// organisations that have not submitted a statement are reminded by mail.
var ReminderDays = []int{7, 1}

// MailReminders queues the deadline reminders that are due: for every open
// round closing within 7 days (or 1 day), one mail to each active Land
// account of an organisation that has not submitted a statement. Each job
// carries the key (round, deadline, days, account), so calling it
// periodically from every instance queues each reminder once; a moved
// deadline gets its own reminders. It returns how many were queued.
func (s *Service) MailReminders(ctx context.Context, out domain.MailOutbox) (int, error) {
	sts, err := s.d.Strategies.FindStrategies(ctx)
	if err != nil {
		return 0, err
	}
	now := s.now()
	total := 0
	for _, lite := range sts {
		st, err := s.d.Strategies.FindStrategyByID(ctx, lite.ID)
		if err != nil {
			return total, err
		}
		p := st.CurrentPhase
		if !p.Open(now) || p.ClosesAt == nil {
			continue
		}
		days := reminderDue(p.ClosesAt.Sub(now))
		if days == 0 {
			continue
		}
		done, err := s.submittedOrgs(ctx, p.ID)
		if err != nil {
			return total, err
		}
		payload := domain.ReminderMail{StrategyID: st.ID, PhaseID: p.ID, ClosesAt: p.ClosesAt.UTC(), Days: days}
		var jobs []*domain.MailJob
		for _, u := range s.usersWhere(ctx, func(u *domain.User) bool { return u.HasRole(domain.RoleLand) && !done[u.OrgID] }) {
			j, err := domain.NewMailJob(domain.MailReminder, u.ID,
				fmt.Sprintf("reminder:%d:%d:%d:%d", p.ID, p.ClosesAt.Unix(), days, u.ID), payload)
			if err != nil {
				return total, err
			}
			jobs = append(jobs, j)
		}
		n, err := out.EnqueueMail(ctx, jobs)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// reminderDue is the reminder (7 or 1 days) whose window left is in, or 0:
// the 7-day reminder from 7 days to 1 day before, the 1-day one in the
// last day.
func reminderDue(left time.Duration) int {
	for i := len(ReminderDays) - 1; i >= 0; i-- {
		if left > 0 && left <= time.Duration(ReminderDays[i])*24*time.Hour {
			return ReminderDays[i]
		}
	}
	return 0
}

// submittedOrgs are the organisations that have submitted a statement in
// round phaseID. A newer version than 1 is only started after a submit.
func (s *Service) submittedOrgs(ctx context.Context, phaseID int64) (map[int64]bool, error) {
	stmts, err := s.d.Store.FindStatements(ctx, phaseID)
	if err != nil {
		return nil, err
	}
	done := map[int64]bool{}
	for _, st := range stmts {
		if st.Submitted() || st.Version > 1 {
			done[st.OrgID] = true
		}
	}
	return done, nil
}
