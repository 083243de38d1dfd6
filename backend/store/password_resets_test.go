package store_test

import (
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

func TestPasswordResetIsSingleUseAndEndsSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		u := newUser(t, db, "r@hessen.de", "HE", domain.RoleLand)
		other := newUser(t, db, "o@hessen.de", "HE", domain.RoleLand)
		now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
		must(t, db.CreateSession(ctx, &domain.Session{ID: "s1", PublicID: "p1", UserID: u.ID}))
		must(t, db.CreateSession(ctx, &domain.Session{ID: "s2", PublicID: "p2", UserID: other.ID}))
		must(t, db.CreatePasswordReset(ctx, &domain.PasswordReset{UserID: u.ID, CodeHash: "old",
			CreatedAt: now, ExpiresAt: now.Add(time.Hour)}))
		r := &domain.PasswordReset{UserID: u.ID, CodeHash: "code", CreatedAt: now, ExpiresAt: now.Add(30 * time.Minute)}
		must(t, db.CreatePasswordReset(ctx, r))
		if r.ID == 0 {
			t.Error("ID not set")
		}
		if _, err := db.FindSession(ctx, "s1"); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("session of the reset user survived: %v", err)
		}
		must(t, db.CreateSession(ctx, &domain.Session{ID: "s3", PublicID: "p3", UserID: u.ID}))

		// The replaced code no longer works.
		_, err := db.RedeemPasswordReset(ctx, "old", "h-old", now)
		wantCode(t, err, domain.EINVALID)
		// Expired at its expiry instant.
		_, err = db.RedeemPasswordReset(ctx, "code", "h-late", now.Add(30*time.Minute))
		wantCode(t, err, domain.EINVALID)
		if h, _ := db.PasswordHash(ctx, u.ID); h == "h-late" || h == "h-old" {
			t.Fatalf("refused code changed the password to %q", h)
		}

		id, err := db.RedeemPasswordReset(ctx, "code", "h-new", now.Add(30*time.Minute-time.Microsecond))
		must(t, err)
		if id != u.ID {
			t.Errorf("user = %d, want %d", id, u.ID)
		}
		if h, _ := db.PasswordHash(ctx, u.ID); h != "h-new" {
			t.Errorf("hash = %q, want h-new", h)
		}
		if _, err := db.FindSession(ctx, "s3"); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("session survived redemption: %v", err)
		}
		if _, err := db.FindSession(ctx, "s2"); err != nil {
			t.Errorf("another user's session ended: %v", err)
		}
		_, err = db.RedeemPasswordReset(ctx, "code", "h-again", now)
		wantCode(t, err, domain.EINVALID)
		if h, _ := db.PasswordHash(ctx, u.ID); h != "h-new" {
			t.Errorf("second use changed the hash to %q", h)
		}

		wantCode(t, db.CreatePasswordReset(ctx, &domain.PasswordReset{UserID: 9999, CodeHash: "x",
			ExpiresAt: now}), domain.ENOTFOUND)

		// Deleting the account removes its open codes.
		must(t, db.CreatePasswordReset(ctx, &domain.PasswordReset{UserID: other.ID, CodeHash: "del",
			CreatedAt: now, ExpiresAt: now.Add(time.Hour)}))
		_, err = db.PseudonymiseUser(ctx, other.ID)
		must(t, err)
		_, err = db.RedeemPasswordReset(ctx, "del", "h", now)
		wantCode(t, err, domain.EINVALID)
	})
}
