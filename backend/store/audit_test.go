package store_test

import (
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

func TestAuditAppendAndFind(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		base := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
		actor := int64(7)
		events := []*domain.AuditEvent{
			{At: base, ActorID: &actor, OrgCode: "HE", Action: "login", Target: "user:7"},
			{At: base.Add(time.Minute), Action: "login_failed", Target: "user:8", Detail: "Passwort falsch"},
			{At: base.Add(2 * time.Minute), ActorID: &actor, OrgCode: "HE", Action: "phase_changed", Target: "strategy:1"},
			{At: base.Add(2 * time.Minute), ActorID: &actor, OrgCode: "HE", Action: "login", Target: "user:7"},
		}
		for _, e := range events {
			must(t, db.AppendAudit(ctx, e))
			if e.ID == 0 {
				t.Fatal("ID not set")
			}
		}
		now := &domain.AuditEvent{Action: "denied"}
		must(t, db.AppendAudit(ctx, now))
		if time.Since(now.At) > time.Minute || now.At.Location() != time.UTC {
			t.Errorf("At not set to now in UTC: %v", now.At)
		}
		wantCode(t, db.AppendAudit(ctx, &domain.AuditEvent{Action: " "}), domain.EINVALID)

		all, err := db.FindAuditEvents(ctx, domain.AuditFilter{})
		must(t, err)
		if got := auditIDs(all); !equal(got, []int64{now.ID, events[3].ID, events[2].ID, events[1].ID, events[0].ID}) {
			t.Errorf("newest first = %v", got)
		}
		if e := all[4]; !e.At.Equal(base) || e.OrgCode != "HE" || e.Target != "user:7" || *e.ActorID != 7 {
			t.Errorf("stored event = %+v", e)
		}
		logins, err := db.FindAuditEvents(ctx, domain.AuditFilter{Action: "login"})
		must(t, err)
		if got := auditIDs(logins); !equal(got, []int64{events[3].ID, events[0].ID}) {
			t.Errorf("logins = %v", got)
		}
		byActor, err := db.FindAuditEvents(ctx, domain.AuditFilter{ActorID: &actor, Since: ptr(base.Add(time.Minute))})
		must(t, err)
		if got := auditIDs(byActor); !equal(got, []int64{events[3].ID, events[2].ID}) {
			t.Errorf("by actor since = %v", got)
		}
		page, err := db.FindAuditEvents(ctx, domain.AuditFilter{Limit: 2, Offset: 1})
		must(t, err)
		if got := auditIDs(page); !equal(got, []int64{events[3].ID, events[2].ID}) {
			t.Errorf("page = %v", got)
		}
		users, err := db.FindAuditEvents(ctx, domain.AuditFilter{Target: "user:"})
		must(t, err)
		if got := auditIDs(users); !equal(got, []int64{events[3].ID, events[1].ID, events[0].ID}) {
			t.Errorf("target kind user: = %v", got)
		}
		one, err := db.FindAuditEvents(ctx, domain.AuditFilter{Target: "strategy:1", OrgCode: "HE"})
		must(t, err)
		if got := auditIDs(one); !equal(got, []int64{events[2].ID}) {
			t.Errorf("target strategy:1 in HE = %v", got)
		}
		if none, err := db.FindAuditEvents(ctx, domain.AuditFilter{OrgCode: "BY"}); err != nil || len(none) != 0 {
			t.Errorf("org BY = %v, %v", auditIDs(none), err)
		}
		// The actor's name comes from the users table when listing.
		u := newUser(t, db, "protokoll@hessen.example", "HE", domain.RoleModerator)
		must(t, db.AppendAudit(ctx, &domain.AuditEvent{ActorID: &u.ID, OrgCode: "HE", Action: "thread_resolved", Target: "thread:3"}))
		named, err := db.FindAuditEvents(ctx, domain.AuditFilter{Action: "thread_resolved"})
		must(t, err)
		if len(named) != 1 || named[0].ActorName != u.Name || u.Name == "" || all[4].ActorName != "" {
			t.Errorf("actor names: %+v (want %q), unknown actor %q", named, u.Name, all[4].ActorName)
		}
		_, err = db.FindAuditEvents(ctx, domain.AuditFilter{Limit: -1})
		wantCode(t, err, domain.EINVALID)
		_, err = db.FindAuditEvents(ctx, domain.AuditFilter{Offset: -1})
		wantCode(t, err, domain.EINVALID)
	})
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := &domain.AuditEvent{Action: "role_changed", Target: "user:1"}
		must(t, db.AppendAudit(ctx, e))
		for _, q := range []string{
			"UPDATE audit_events SET detail = 'geändert'",
			"DELETE FROM audit_events",
		} {
			if err := db.ExecRaw(ctx, q); err == nil {
				t.Errorf("%s succeeded", q)
			}
		}
		if db.Dialect() == store.DialectPostgres {
			if err := db.ExecRaw(ctx, "TRUNCATE audit_events"); err == nil {
				t.Error("TRUNCATE succeeded")
			}
		}
		list, err := db.FindAuditEvents(ctx, domain.AuditFilter{})
		must(t, err)
		if len(list) != 1 || list[0].Detail != "" {
			t.Errorf("audit log changed: %+v", list)
		}
	})
}

func auditIDs(list []*domain.AuditEvent) []int64 {
	ids := make([]int64, len(list))
	for i, e := range list {
		ids[i] = e.ID
	}
	return ids
}
