package store_test

import (
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// The audit log stays append-only: only PurgeAudit deletes, and only
// entries older than the cutoff and older than the schema's minimum.
func TestPurgeAuditDeletesOnlyOldEntries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Now().UTC()
		for _, age := range []time.Duration{400 * 24 * time.Hour, 40 * 24 * time.Hour, 10 * 24 * time.Hour, time.Hour} {
			must(t, db.AppendAudit(ctx, &domain.AuditEvent{At: now.Add(-age), Action: "login", Detail: age.String()}))
		}
		count := func() int {
			evs, err := db.FindAuditEvents(ctx, domain.AuditFilter{})
			must(t, err)
			return len(evs)
		}
		if err := db.ExecRaw(ctx, "DELETE FROM audit_events"); err == nil {
			t.Fatal("a plain DELETE passed the append-only trigger")
		}
		if err := db.ExecRaw(ctx, "UPDATE audit_events SET detail = 'x'"); err == nil {
			t.Fatal("an UPDATE passed the append-only trigger")
		}
		if n := count(); n != 4 {
			t.Fatalf("%d entries after refused changes, want 4", n)
		}

		n, err := db.PurgeAudit(ctx, now.Add(-365*24*time.Hour))
		must(t, err)
		if n != 1 || count() != 3 {
			t.Fatalf("purge older than a year deleted %d, %d left; want 1 deleted, 3 left", n, count())
		}
		_, err = db.PurgeAudit(ctx, now.Add(-10*24*time.Hour))
		wantCode(t, err, domain.EINVALID)

		// Even with a cutoff in the future the trigger keeps entries
		// younger than 30 days, and clearing the cutoff closes the door.
		must(t, db.ExecRaw(ctx, "UPDATE audit_purge SET cutoff = '2100-01-01 00:00:00+00:00' WHERE id = 1"))
		if err := db.ExecRaw(ctx, "DELETE FROM audit_events"); err == nil {
			t.Fatal("entries younger than 30 days were deleted")
		}
		must(t, db.ExecRaw(ctx, "UPDATE audit_purge SET cutoff = NULL WHERE id = 1"))
		if n := count(); n != 3 {
			t.Fatalf("%d entries, want 3", n)
		}
		n, err = db.PurgeAudit(ctx, now.Add(-31*24*time.Hour))
		must(t, err)
		if n != 1 || count() != 2 {
			t.Fatalf("purge older than 31 days deleted %d, %d left; want 1, 2", n, count())
		}
		if err := db.ExecRaw(ctx, "DELETE FROM audit_events"); err == nil {
			t.Fatal("the purge left the door open")
		}
	})
}

func TestPurgeNotifications(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		u := newUser(t, db, "anna@by.example", "BY", domain.RoleLand)
		now := time.Now().UTC()
		for _, age := range []time.Duration{100 * 24 * time.Hour, 24 * time.Hour} {
			db.SetClock(func() time.Time { return now.Add(-age) })
			_, err := db.CreateNotifications(ctx, []*domain.Notification{{UserID: u.ID, Kind: "reply", Text: age.String()}})
			must(t, err)
		}
		db.SetClock(time.Now)
		n, err := db.PurgeNotifications(ctx, now.Add(-90*24*time.Hour))
		must(t, err)
		left, err := db.FindNotifications(ctx, u.ID, false, 10)
		must(t, err)
		if n != 1 || len(left) != 1 || left[0].Text != (24*time.Hour).String() {
			t.Fatalf("deleted %d, left %+v; want the 100-day-old one deleted", n, left)
		}
	})
}
