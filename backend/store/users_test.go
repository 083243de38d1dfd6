package store_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

func TestCreateAndFindUser(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newStrategy(t, db, "Föderale Digitalstrategie")
		topic := &domain.Topic{StrategyID: s.ID, Title: "Datennutzung"}
		must(t, db.CreateTopic(ctx, topic))
		hh := org(t, db, "HH")
		before := time.Now().Add(-time.Second)
		u := &domain.User{Email: " Anna.Beispiel@Hamburg.de ", Name: " Anna Beispiel ", OrgID: hh.ID,
			Roles:    []domain.Role{domain.RoleThemenpate, domain.RoleAdmin, domain.RoleThemenpate},
			TopicIDs: []int64{topic.ID}}
		must(t, db.CreateUser(ctx, u, "argon2id$hash"))
		if u.ID == 0 || u.CreatedAt.Before(before) || u.CreatedAt.Location() != time.UTC {
			t.Fatalf("CreateUser set ID %d, CreatedAt %v", u.ID, u.CreatedAt)
		}
		got, err := db.FindUserByID(ctx, u.ID)
		must(t, err)
		if got.Email != "Anna.Beispiel@Hamburg.de" || got.Name != "Anna Beispiel" {
			t.Errorf("email/name = %q/%q, want trimmed", got.Email, got.Name)
		}
		if got.Org != *hh {
			t.Errorf("Org = %+v, want %+v", got.Org, *hh)
		}
		if !slices.Equal(got.Roles, []domain.Role{domain.RoleAdmin, domain.RoleThemenpate}) {
			t.Errorf("Roles = %v, want [admin themenpate]", got.Roles)
		}
		if !slices.Equal(got.TopicIDs, []int64{topic.ID}) || !got.SponsorsTopic(topic.ID) {
			t.Errorf("TopicIDs = %v, want [%d]", got.TopicIDs, topic.ID)
		}
		if !got.CreatedAt.Equal(u.CreatedAt) {
			t.Errorf("CreatedAt = %v, want %v", got.CreatedAt, u.CreatedAt)
		}
		byMail, err := db.FindUserByEmail(ctx, "anna.beispiel@HAMBURG.de")
		must(t, err)
		if byMail.ID != u.ID {
			t.Errorf("FindUserByEmail found %d, want %d", byMail.ID, u.ID)
		}
		hash, err := db.PasswordHash(ctx, u.ID)
		must(t, err)
		if hash != "argon2id$hash" {
			t.Errorf("PasswordHash = %q", hash)
		}
		must(t, db.SetPasswordHash(ctx, u.ID, "new"))
		if hash, _ = db.PasswordHash(ctx, u.ID); hash != "new" {
			t.Errorf("PasswordHash after set = %q, want new", hash)
		}
	})
}

func TestUserNotFound(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, err := db.FindUserByID(ctx, 4711)
		wantCode(t, err, domain.ENOTFOUND)
		if msg := domain.ErrorMessage(err); msg != "Benutzerkonto 4711 nicht gefunden." {
			t.Errorf("message = %q", msg)
		}
		_, err = db.FindUserByEmail(ctx, "niemand@example.org")
		wantCode(t, err, domain.ENOTFOUND)
		_, err = db.PasswordHash(ctx, 4711)
		wantCode(t, err, domain.ENOTFOUND)
		wantCode(t, db.SetPasswordHash(ctx, 4711, "x"), domain.ENOTFOUND)
		_, err = db.UpdateUser(ctx, 4711, domain.UserUpdate{Name: ptr("x")})
		wantCode(t, err, domain.ENOTFOUND)
	})
}

func TestCreateUserDuplicateEmailConflicts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		newUser(t, db, "poststelle@bayern.de", "BY", domain.RoleLand)
		dup := &domain.User{Email: "PostStelle@Bayern.DE", Name: "Zweites Konto", OrgID: org(t, db, "BY").ID}
		err := db.CreateUser(ctx, dup, "h")
		wantCode(t, err, domain.ECONFLICT)
		if domain.ErrorMessage(err) != "Diese E-Mail-Adresse ist bereits vergeben." {
			t.Errorf("message = %q", domain.ErrorMessage(err))
		}
		users, err := db.FindUsers(ctx, domain.UserFilter{})
		must(t, err)
		if len(users) != 1 {
			t.Errorf("%d users after failed duplicate, want 1", len(users))
		}
	})
}

func TestCreateUserValidation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		by := org(t, db, "BY").ID
		cases := []struct {
			name  string
			user  domain.User
			field string
		}{
			{"no email", domain.User{Name: "A", OrgID: by}, "email"},
			{"bad email", domain.User{Email: "kein-at", Name: "A", OrgID: by}, "email"},
			{"no name", domain.User{Email: "a@b.de", OrgID: by}, "name"},
			{"unknown org", domain.User{Email: "a@b.de", Name: "A", OrgID: 999}, "org_id"},
			{"unknown role", domain.User{Email: "a@b.de", Name: "A", OrgID: by, Roles: []domain.Role{"chef"}}, "roles"},
			{"unknown topic", domain.User{Email: "a@b.de", Name: "A", OrgID: by, TopicIDs: []int64{999}}, "topic_ids"},
		}
		for _, c := range cases {
			u := c.user
			err := db.CreateUser(ctx, &u, "h")
			wantCode(t, err, domain.EINVALID)
			if _, ok := domain.ErrorFields(err)[c.field]; !ok {
				t.Errorf("%s: fields = %v, want %s", c.name, domain.ErrorFields(err), c.field)
			}
		}
		users, err := db.FindUsers(ctx, domain.UserFilter{})
		must(t, err)
		if len(users) != 0 {
			t.Errorf("%d users stored by failed creates (partial writes not rolled back)", len(users))
		}
	})
}

func TestFindUsersFilterAndOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a := newUser(t, db, "a@hessen.de", "HE", domain.RoleLand)
		b := newUser(t, db, "b@bremen.de", "HB", domain.RoleLand)
		c := newUser(t, db, "c@hessen.de", "HE", domain.RoleReader)
		all, err := db.FindUsers(ctx, domain.UserFilter{})
		must(t, err)
		if ids := userIDs(all); !slices.Equal(ids, []int64{a.ID, b.ID, c.ID}) {
			t.Errorf("all users = %v, want ordered by id", ids)
		}
		he, err := db.FindUsers(ctx, domain.UserFilter{OrgID: &a.OrgID})
		must(t, err)
		if ids := userIDs(he); !slices.Equal(ids, []int64{a.ID, c.ID}) {
			t.Errorf("Hessen users = %v, want [%d %d]", ids, a.ID, c.ID)
		}
		if he[1].Org.Code != "HE" || !slices.Equal(he[1].Roles, []domain.Role{domain.RoleReader}) {
			t.Errorf("hydrated user = %+v", he[1])
		}
		byMail, err := db.FindUsers(ctx, domain.UserFilter{Email: ptr("B@Bremen.de")})
		must(t, err)
		if ids := userIDs(byMail); !slices.Equal(ids, []int64{b.ID}) {
			t.Errorf("by e-mail = %v, want [%d]", ids, b.ID)
		}
	})
}

func TestUpdateUser(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newStrategy(t, db, "S")
		t1 := &domain.Topic{StrategyID: s.ID, Title: "Digitale Infrastruktur"}
		t2 := &domain.Topic{StrategyID: s.ID, Title: "Digitale Anwendungen"}
		must(t, db.CreateTopic(ctx, t1))
		must(t, db.CreateTopic(ctx, t2))
		u := newUser(t, db, "pate@hessen.de", "HE", domain.RoleLand)
		hb := org(t, db, "HB")
		got, err := db.UpdateUser(ctx, u.ID, domain.UserUpdate{
			Name: ptr("Neuer Name"), OrgID: &hb.ID, Disabled: ptr(true),
			Roles:    &[]domain.Role{domain.RoleThemenpate, domain.RoleModerator},
			TopicIDs: &[]int64{t2.ID, t1.ID},
		})
		must(t, err)
		if got.Name != "Neuer Name" || got.Org.Code != "HB" || !got.Disabled ||
			!slices.Equal(got.Roles, []domain.Role{domain.RoleModerator, domain.RoleThemenpate}) ||
			!slices.Equal(got.TopicIDs, []int64{t1.ID, t2.ID}) {
			t.Fatalf("after update: %+v", got)
		}
		// Nil fields stay; empty slices clear.
		got, err = db.UpdateUser(ctx, u.ID, domain.UserUpdate{TopicIDs: &[]int64{}})
		must(t, err)
		if got.Name != "Neuer Name" || len(got.Roles) != 2 || len(got.TopicIDs) != 0 {
			t.Errorf("after clearing topics: %+v", got)
		}
		// A failing update changes nothing.
		_, err = db.UpdateUser(ctx, u.ID, domain.UserUpdate{Name: ptr("Zwischenstand"), Roles: &[]domain.Role{"boss"}})
		wantCode(t, err, domain.EINVALID)
		_, err = db.UpdateUser(ctx, u.ID, domain.UserUpdate{OrgID: ptr(int64(999))})
		wantCode(t, err, domain.EINVALID)
		_, err = db.UpdateUser(ctx, u.ID, domain.UserUpdate{TopicIDs: &[]int64{999}})
		wantCode(t, err, domain.EINVALID)
		_, err = db.UpdateUser(ctx, u.ID, domain.UserUpdate{Name: ptr("  ")})
		wantCode(t, err, domain.EINVALID)
		got, err = db.FindUserByID(ctx, u.ID)
		must(t, err)
		if got.Name != "Neuer Name" || len(got.Roles) != 2 {
			t.Errorf("failed update left changes: %+v", got)
		}
	})
}

func userIDs(users []*domain.User) []int64 {
	ids := make([]int64, len(users))
	for i, u := range users {
		ids[i] = u.ID
	}
	return ids
}

func TestPseudonymiseUser(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := newStrategy(t, db, "Föderale Digitalstrategie")
		topic := &domain.Topic{StrategyID: s.ID, Title: "Daten", Sponsors: []domain.Organisation{*org(t, db, "HE")}}
		must(t, db.CreateTopic(ctx, topic))
		u := newUser(t, db, "erika@hessen.de", "HE", domain.RoleThemenpate)
		_, err := db.UpdateUser(ctx, u.ID, domain.UserUpdate{TopicIDs: &[]int64{topic.ID}})
		must(t, err)
		must(t, db.CreateSession(ctx, &domain.Session{ID: "h1", PublicID: "p1", UserID: u.ID, CreatedAt: time.Now(), LastSeenAt: time.Now(), ExpiresAt: time.Now().Add(time.Hour)}))
		must(t, db.CreateAPIToken(ctx, &domain.APIToken{UserID: u.ID, Name: "skript", Prefix: "srt_abcdef", Hash: "hash"}))
		_, err = db.CreateNotifications(ctx, []*domain.Notification{{UserID: u.ID, Kind: domain.NotifyReply, Text: "Antwort"}})
		must(t, err)

		got, err := db.PseudonymiseUser(ctx, u.ID)
		must(t, err)
		if got.Name != fmt.Sprintf("Gelöschtes Konto #%d", u.ID) || got.Email == u.Email || !got.Disabled || !got.Deleted || u.Deleted ||
			len(got.Roles) != 0 || len(got.TopicIDs) != 0 || got.OrgID != u.OrgID {
			t.Fatalf("pseudonymised = %+v", got)
		}
		if h, err := db.PasswordHash(ctx, u.ID); err != nil || h != "" {
			t.Fatalf("password hash %q, %v", h, err)
		}
		_, err = db.FindUserByEmail(ctx, u.Email)
		wantCode(t, err, domain.ENOTFOUND)
		if ss, err := db.FindUserSessions(ctx, u.ID); err != nil || len(ss) != 0 {
			t.Fatalf("sessions left: %v %v", ss, err)
		}
		if ts, err := db.FindUserAPITokens(ctx, u.ID); err != nil || len(ts) != 0 {
			t.Fatalf("tokens left: %v %v", ts, err)
		}
		if ns, err := db.FindNotifications(ctx, u.ID, false, 10); err != nil || len(ns) != 0 {
			t.Fatalf("notifications left: %v %v", ns, err)
		}
		_, err = db.PseudonymiseUser(ctx, 999999)
		wantCode(t, err, domain.ENOTFOUND)
	})
}
