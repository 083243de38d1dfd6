package store_test

import (
	"slices"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

func TestSessionLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		u := newUser(t, db, "s@sachsen.de", "SN", domain.RoleLand)
		berlin := time.FixedZone("CET", 3600)
		created := time.Date(2026, 3, 1, 10, 0, 0, 123456789, berlin)
		s := &domain.Session{ID: "hash-1", PublicID: "pub-1", UserID: u.ID, CreatedAt: created,
			LastSeenAt: created, ExpiresAt: created.Add(12 * time.Hour), UserAgent: "Firefox"}
		must(t, db.CreateSession(ctx, s))
		got, err := db.FindSession(ctx, "hash-1")
		must(t, err)
		wantCreated := created.UTC().Truncate(time.Microsecond)
		if !got.CreatedAt.Equal(wantCreated) || got.CreatedAt.Location() != time.UTC {
			t.Errorf("CreatedAt = %v, want %v in UTC", got.CreatedAt, wantCreated)
		}
		if got.PublicID != "pub-1" || got.UserID != u.ID || got.UserAgent != "Firefox" ||
			!got.ExpiresAt.Equal(wantCreated.Add(12*time.Hour)) {
			t.Errorf("FindSession = %+v", got)
		}
		seen := created.Add(10 * time.Minute)
		must(t, db.TouchSession(ctx, "hash-1", seen))
		got, _ = db.FindSession(ctx, "hash-1")
		if !got.LastSeenAt.Equal(seen.Truncate(time.Microsecond)) {
			t.Errorf("LastSeenAt = %v, want %v", got.LastSeenAt, seen)
		}
		wantCode(t, db.TouchSession(ctx, "nope", seen), domain.ENOTFOUND)
		_, err = db.FindSession(ctx, "nope")
		wantCode(t, err, domain.ENOTFOUND)

		must(t, db.DeleteSession(ctx, "hash-1"))
		must(t, db.DeleteSession(ctx, "hash-1")) // absent: no error
		_, err = db.FindSession(ctx, "hash-1")
		wantCode(t, err, domain.ENOTFOUND)
	})
}

func TestCreateSessionErrors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		u := newUser(t, db, "s@sachsen.de", "SN")
		must(t, db.CreateSession(ctx, &domain.Session{ID: "h", PublicID: "p", UserID: u.ID}))
		wantCode(t, db.CreateSession(ctx, &domain.Session{ID: "h", PublicID: "p2", UserID: u.ID}), domain.ECONFLICT)
		wantCode(t, db.CreateSession(ctx, &domain.Session{ID: "h2", PublicID: "p", UserID: u.ID}), domain.ECONFLICT)
		wantCode(t, db.CreateSession(ctx, &domain.Session{ID: "h3", PublicID: "p3", UserID: 999}), domain.EINVALID)
		wantCode(t, db.CreateSession(ctx, &domain.Session{PublicID: "p4", UserID: u.ID}), domain.EINVALID)
		s, err := db.FindSession(ctx, "h")
		must(t, err)
		if s.ExpiresAt.Sub(s.CreatedAt) != domain.SessionAbsoluteTimeout || !s.LastSeenAt.Equal(s.CreatedAt) {
			t.Errorf("defaults: %+v", s)
		}
	})
}

func TestUserSessionsListAndDelete(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		u := newUser(t, db, "a@berlin.de", "BE")
		other := newUser(t, db, "b@berlin.de", "BE")
		base := time.Now().UTC()
		for i, id := range []string{"old", "mid", "new"} {
			at := base.Add(time.Duration(i) * time.Minute)
			must(t, db.CreateSession(ctx, &domain.Session{ID: id, PublicID: "p-" + id, UserID: u.ID,
				CreatedAt: at, LastSeenAt: at, ExpiresAt: at.Add(time.Hour)}))
		}
		must(t, db.CreateSession(ctx, &domain.Session{ID: "x", PublicID: "p-x", UserID: other.ID}))

		list, err := db.FindUserSessions(ctx, u.ID)
		must(t, err)
		if got := publicIDs(list); !slices.Equal(got, []string{"p-new", "p-mid", "p-old"}) {
			t.Errorf("sessions = %v, want newest first", got)
		}
		// Another user's session cannot be ended by public id.
		wantCode(t, db.DeleteSessionByPublicID(ctx, u.ID, "p-x"), domain.ENOTFOUND)
		must(t, db.DeleteSessionByPublicID(ctx, u.ID, "p-mid"))
		wantCode(t, db.DeleteSessionByPublicID(ctx, u.ID, "p-mid"), domain.ENOTFOUND)

		must(t, db.DeleteUserSessions(ctx, u.ID, "new"))
		list, _ = db.FindUserSessions(ctx, u.ID)
		if got := publicIDs(list); !slices.Equal(got, []string{"p-new"}) {
			t.Errorf("after DeleteUserSessions keeping new: %v", got)
		}
		must(t, db.DeleteUserSessions(ctx, u.ID, ""))
		list, _ = db.FindUserSessions(ctx, u.ID)
		if len(list) != 0 {
			t.Errorf("sessions left: %v", publicIDs(list))
		}
		if _, err := db.FindSession(ctx, "x"); err != nil {
			t.Errorf("other user's session deleted: %v", err)
		}
	})
}

func TestDeleteExpiredSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		u := newUser(t, db, "a@bw.de", "BW")
		now := time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC)
		sessions := []*domain.Session{
			// absolute timeout reached exactly now
			{ID: "abs", CreatedAt: now.Add(-12 * time.Hour), LastSeenAt: now.Add(-time.Minute), ExpiresAt: now},
			// idle for exactly the idle timeout
			{ID: "idle", CreatedAt: now.Add(-time.Hour), LastSeenAt: now.Add(-domain.SessionIdleTimeout), ExpiresAt: now.Add(time.Hour)},
			// active: seen just inside the idle window, absolute end ahead
			{ID: "live", CreatedAt: now.Add(-time.Hour), LastSeenAt: now.Add(-domain.SessionIdleTimeout + time.Microsecond), ExpiresAt: now.Add(time.Microsecond)},
		}
		for _, s := range sessions {
			s.PublicID, s.UserID = "p-"+s.ID, u.ID
			must(t, db.CreateSession(ctx, s))
		}
		for _, s := range sessions {
			got, err := db.FindSession(ctx, s.ID)
			must(t, err)
			if want := s.ID != "live"; got.Expired(now) != want {
				t.Fatalf("fixture %s: Expired = %v, want %v", s.ID, !want, want)
			}
		}
		n, err := db.DeleteExpiredSessions(ctx, now)
		must(t, err)
		if n != 2 {
			t.Errorf("deleted %d, want 2", n)
		}
		list, _ := db.FindUserSessions(ctx, u.ID)
		if got := publicIDs(list); !slices.Equal(got, []string{"p-live"}) {
			t.Errorf("left %v, want [p-live]", got)
		}
		n, err = db.DeleteExpiredSessions(ctx, now)
		must(t, err)
		if n != 0 {
			t.Errorf("second run deleted %d, want 0", n)
		}
	})
}

func TestSessionsCascadeWithUser(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		u := newUser(t, db, "weg@th.de", "TH")
		must(t, db.CreateSession(ctx, &domain.Session{ID: "h", PublicID: "p", UserID: u.ID}))
		must(t, db.ExecRaw(ctx, "DELETE FROM users WHERE email = 'weg@th.de'"))
		_, err := db.FindSession(ctx, "h")
		wantCode(t, err, domain.ENOTFOUND)
	})
}

func TestAPITokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		u := newUser(t, db, "skript@nw.de", "NW")
		other := newUser(t, db, "x@nw.de", "NW")
		first := &domain.APIToken{UserID: u.ID, Name: "Export", Prefix: "sr_ab", Hash: "h1"}
		must(t, db.CreateAPIToken(ctx, first))
		if first.ID == 0 || first.CreatedAt.IsZero() {
			t.Fatalf("CreateAPIToken set %+v", first)
		}
		second := &domain.APIToken{UserID: u.ID, Name: "Import", Prefix: "sr_cd", Hash: "h2"}
		must(t, db.CreateAPIToken(ctx, second))
		wantCode(t, db.CreateAPIToken(ctx, &domain.APIToken{UserID: u.ID, Name: "Dup", Hash: "h1"}), domain.ECONFLICT)
		wantCode(t, db.CreateAPIToken(ctx, &domain.APIToken{UserID: 999, Name: "X", Hash: "h9"}), domain.EINVALID)
		wantCode(t, db.CreateAPIToken(ctx, &domain.APIToken{UserID: u.ID, Name: " ", Hash: "h8"}), domain.EINVALID)

		got, err := db.FindAPITokenByHash(ctx, "h1")
		must(t, err)
		if got.ID != first.ID || got.Name != "Export" || got.Prefix != "sr_ab" || got.LastUsedAt != nil {
			t.Errorf("FindAPITokenByHash = %+v", got)
		}
		_, err = db.FindAPITokenByHash(ctx, "unknown")
		wantCode(t, err, domain.ENOTFOUND)

		used := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		must(t, db.TouchAPIToken(ctx, first.ID, used))
		got, _ = db.FindAPITokenByHash(ctx, "h1")
		if got.LastUsedAt == nil || !got.LastUsedAt.Equal(used) {
			t.Errorf("LastUsedAt = %v, want %v", got.LastUsedAt, used)
		}
		wantCode(t, db.TouchAPIToken(ctx, 999, used), domain.ENOTFOUND)

		list, err := db.FindUserAPITokens(ctx, u.ID)
		must(t, err)
		if len(list) != 2 || list[0].ID != second.ID || list[1].ID != first.ID {
			t.Errorf("tokens not newest first: %+v", list)
		}
		wantCode(t, db.DeleteAPIToken(ctx, other.ID, first.ID), domain.ENOTFOUND)
		must(t, db.DeleteAPIToken(ctx, u.ID, first.ID))
		wantCode(t, db.DeleteAPIToken(ctx, u.ID, first.ID), domain.ENOTFOUND)
		_, err = db.FindAPITokenByHash(ctx, "h1")
		wantCode(t, err, domain.ENOTFOUND)
	})
}

func publicIDs(list []*domain.Session) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = s.PublicID
	}
	return out
}
