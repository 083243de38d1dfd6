package consult

import (
	"context"
	"fmt"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/policy"
)

// Cosign records that u's organisation joins thread id of another
// organisation (Mitzeichnung) and returns the thread. A second Mitzeichnung
// of the same organisation changes nothing (also when members of it click
// at once). The thread's author is notified and every open sidebar
// refreshes through the thread event. Errors: ENOTFOUND, EFORBIDDEN (not a
// participant, own organisation's thread, outside the round's window),
// ECONFLICT (hidden thread).
func (s *Service) Cosign(ctx context.Context, u *domain.User, id int64) (*domain.Thread, error) {
	t, sec, st, err := s.cosignable(ctx, u, id)
	if err != nil {
		return nil, err
	}
	created, err := s.abw().Cosign(ctx, t.ID, u.OrgID, u.ID, s.now())
	if err != nil {
		return nil, err
	}
	if created {
		s.audit(ctx, u, "thread_cosigned", threadTarget(t.ID), fmt.Sprintf("org:%s", u.Org.Code))
		s.threadChanged(t, "cosigned")
		s.notify(ctx, []*domain.Notification{threadNote(t.AuthorID, domain.NotifyCosigned, t,
			fmt.Sprintf("%s zeichnet Ihren Beitrag zu „%s“ mit.", u.Org.Code, sec.Title))})
	}
	return s.reloadThread(ctx, u, t.ID, sec, st)
}

// Withdraw takes back the Mitzeichnung of u's organisation on thread id,
// under the same rules as Cosign. Withdrawing one that does not exist
// changes nothing.
func (s *Service) Withdraw(ctx context.Context, u *domain.User, id int64) (*domain.Thread, error) {
	t, sec, st, err := s.cosignable(ctx, u, id)
	if err != nil {
		return nil, err
	}
	removed, err := s.abw().Uncosign(ctx, t.ID, u.OrgID)
	if err != nil {
		return nil, err
	}
	if removed {
		s.audit(ctx, u, "thread_cosign_withdrawn", threadTarget(t.ID), fmt.Sprintf("org:%s", u.Org.Code))
		s.threadChanged(t, "cosigned")
	}
	return s.reloadThread(ctx, u, t.ID, sec, st)
}

// cosignable loads thread id and asks the policy whether u may co-sign it.
func (s *Service) cosignable(ctx context.Context, u *domain.User, id int64) (*domain.Thread, *domain.Section, *domain.Strategy, error) {
	t, sec, st, err := s.threadContext(ctx, u, id)
	if err != nil {
		return nil, nil, nil, err
	}
	r := threadResource(t, sec, st)
	r.OrgID = t.OrgID
	if err := s.check(ctx, u, policy.Cosign, r, threadTarget(t.ID)); err != nil {
		return nil, nil, nil, err
	}
	if t.Hidden {
		return nil, nil, nil, domain.Errorf(domain.ECONFLICT, "Der Beitrag wurde von der Moderation ausgeblendet.")
	}
	return t, sec, st, nil
}

// reloadThread returns thread id as u sees it now.
func (s *Service) reloadThread(ctx context.Context, u *domain.User, id int64, sec *domain.Section, st *domain.Strategy) (*domain.Thread, error) {
	t, err := s.d.Store.FindThreadByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.refresh(ctx, []*domain.Thread{t}); err != nil {
		return nil, err
	}
	return s.redact(u, t, sec, st), nil
}

// cosignCan says whether u may co-sign t or withdraw the Mitzeichnung of
// u's organisation.
func cosignCan(u *domain.User, t *domain.Thread, r policy.Resource, now time.Time) (cosign, withdraw bool) {
	r.OrgID = t.OrgID
	if t.Hidden || !policy.Allowed(u, policy.Cosign, r, now) {
		return false, false
	}
	for _, c := range t.Cosigners {
		if c.OrgID == u.OrgID {
			return false, true
		}
	}
	return true, false
}
