package retention_test

import (
	"context"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/retention"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// TestSweep runs the janitor on a real database: expired sessions, audit
// entries and notifications past their periods go, everything younger
// stays; a zero period keeps everything.
func TestSweep(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		now := time.Now().UTC()
		o, err := db.FindOrganisationByCode(ctx, "BY")
		must(t, err)
		u := &domain.User{Email: "anna@by.example", Name: "Anna", OrgID: o.ID, Roles: []domain.Role{domain.RoleLand}}
		must(t, db.CreateUser(ctx, u, "hash"))
		for id, age := range map[string]time.Duration{"old": 13 * time.Hour, "new": time.Minute} {
			must(t, db.CreateSession(ctx, &domain.Session{ID: id, PublicID: "p" + id, UserID: u.ID,
				CreatedAt: now.Add(-age), LastSeenAt: now.Add(-age), ExpiresAt: now.Add(-age + 12*time.Hour)}))
		}
		for _, age := range []time.Duration{400 * 24 * time.Hour, 100 * 24 * time.Hour, time.Hour} {
			must(t, db.AppendAudit(ctx, &domain.AuditEvent{At: now.Add(-age), Action: "login"}))
		}
		_, err = db.CreateNotifications(ctx, []*domain.Notification{{UserID: u.ID, Kind: domain.NotifyReply, Text: "neu"}})
		must(t, err)

		// Periods of zero keep audit entries and notifications forever.
		must(t, retention.New(db, retention.Periods{}, nil, func() time.Time { return now }).Sweep(ctx))
		sessions, err := db.FindUserSessions(ctx, u.ID)
		must(t, err)
		if len(sessions) != 1 || sessions[0].PublicID != "pnew" {
			t.Fatalf("sessions after sweep: %+v, want only the live one", sessions)
		}
		if n := audits(t, db); n != 3 {
			t.Fatalf("%d audit entries with no retention set, want 3", n)
		}

		later := now.Add(100 * 24 * time.Hour)
		j := retention.New(db, retention.Periods{Audit: 365 * 24 * time.Hour, Notifications: 90 * 24 * time.Hour}, nil,
			func() time.Time { return later })
		must(t, j.Sweep(ctx))
		if n := audits(t, db); n != 2 {
			t.Fatalf("%d audit entries, want 2 (the one older than a year deleted)", n)
		}
		ns, err := db.FindNotifications(ctx, u.ID, false, 10)
		must(t, err)
		if len(ns) != 0 {
			t.Fatalf("notifications older than 90 days kept: %+v", ns)
		}
	})
}

// A store that refuses a step does not stop the others.
func TestSweepReportsFailuresAndCarriesOn(t *testing.T) {
	f := &failing{}
	err := retention.New(f, retention.Periods{Audit: time.Hour, Notifications: time.Hour}, nil, nil).Sweep(context.Background())
	if err == nil || f.notifications != 1 {
		t.Fatalf("err %v, notifications purged %d times; want an error and the purge still run", err, f.notifications)
	}
}

type failing struct{ notifications int }

func (f *failing) DeleteExpiredSessions(context.Context, time.Time) (int, error) { return 0, nil }
func (f *failing) PurgeAudit(context.Context, time.Time) (int, error) {
	return 0, domain.Errorf(domain.EINVALID, "too young")
}
func (f *failing) PurgeNotifications(context.Context, time.Time) (int, error) {
	f.notifications++
	return 0, nil
}

var _ retention.Store = (*store.DB)(nil)

func audits(t *testing.T, db *store.DB) int {
	t.Helper()
	evs, err := db.FindAuditEvents(t.Context(), domain.AuditFilter{})
	must(t, err)
	return len(evs)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
