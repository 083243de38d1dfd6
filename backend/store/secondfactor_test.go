package store_test

import (
	"sync"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

func TestSecondFactorEnrolment(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		u := newUser(t, db, "admin@fitko.de", "FITKO", domain.RoleAdmin)
		_, err := db.FindTOTP(ctx, u.ID)
		wantCode(t, err, domain.ENOTFOUND)
		wantCode(t, db.BeginTOTP(ctx, 9999, "X"), domain.ENOTFOUND)
		must(t, db.BeginTOTP(ctx, u.ID, "FIRST"))
		must(t, db.BeginTOTP(ctx, u.ID, "SECOND")) // replaces the unconfirmed one
		got, err := db.FindTOTP(ctx, u.ID)
		must(t, err)
		if got.Secret != "SECOND" || got.ConfirmedAt != nil {
			t.Fatalf("pending factor %+v", got)
		}
		wantCode(t, db.UseTOTPStep(ctx, u.ID, 5), domain.ENOTFOUND) // not confirmed yet
		if u2, _ := db.FindUserByID(ctx, u.ID); u2.SecondFactor {
			t.Fatal("an unconfirmed factor counts")
		}
		must(t, db.ConfirmTOTP(ctx, u.ID, 100, []string{"h1", "h2"}))
		wantCode(t, db.ConfirmTOTP(ctx, u.ID, 101, nil), domain.ENOTFOUND)
		wantCode(t, db.BeginTOTP(ctx, u.ID, "THIRD"), domain.ECONFLICT)
		got, err = db.FindTOTP(ctx, u.ID)
		must(t, err)
		if got.Secret != "SECOND" || got.ConfirmedAt == nil || got.LastStep != 100 {
			t.Fatalf("confirmed factor %+v", got)
		}
		u2, err := db.FindUserByID(ctx, u.ID)
		must(t, err)
		if !u2.SecondFactor || u2.SSO {
			t.Fatalf("user %+v", u2)
		}
		if n, err := db.RecoveryCodesLeft(ctx, u.ID); err != nil || n != 2 {
			t.Fatalf("codes left %d, %v", n, err)
		}
	})
}

func TestSecondFactorStepsAndCodesAreSingleUse(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		u := newUser(t, db, "mod@fitko.de", "FITKO", domain.RoleModerator)
		must(t, db.BeginTOTP(ctx, u.ID, "S"))
		must(t, db.ConfirmTOTP(ctx, u.ID, 100, []string{"h1", "h2"}))
		wantCode(t, db.UseTOTPStep(ctx, u.ID, 100), domain.ECONFLICT) // used at confirmation
		wantCode(t, db.UseTOTPStep(ctx, u.ID, 99), domain.ECONFLICT)  // earlier
		// Of many requests for the same step, exactly one gets it.
		var wg sync.WaitGroup
		var mu sync.Mutex
		won := 0
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := db.UseTOTPStep(ctx, u.ID, 101)
				if err == nil {
					mu.Lock()
					won++
					mu.Unlock()
				} else if domain.ErrorCode(err) != domain.ECONFLICT {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if won != 1 {
			t.Fatalf("%d requests took step 101", won)
		}
		must(t, db.UseRecoveryCode(ctx, u.ID, "h1"))
		wantCode(t, db.UseRecoveryCode(ctx, u.ID, "h1"), domain.ENOTFOUND)
		wantCode(t, db.UseRecoveryCode(ctx, u.ID, "nope"), domain.ENOTFOUND)
		if n, _ := db.RecoveryCodesLeft(ctx, u.ID); n != 1 {
			t.Fatalf("%d codes left, want 1", n)
		}
		must(t, db.ReplaceRecoveryCodes(ctx, u.ID, []string{"n1", "n2", "n3"}))
		wantCode(t, db.UseRecoveryCode(ctx, u.ID, "h2"), domain.ENOTFOUND) // replaced
		if n, _ := db.RecoveryCodesLeft(ctx, u.ID); n != 3 {
			t.Fatalf("%d codes left, want 3", n)
		}
	})
}

func TestSecondFactorDeleteAndChallenges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		u := newUser(t, db, "admin@fitko.de", "FITKO", domain.RoleAdmin)
		now := time.Now().UTC()
		must(t, db.CreateLoginChallenge(ctx, &domain.LoginChallenge{ID: "old", UserID: u.ID, ExpiresAt: now.Add(-time.Second)}))
		must(t, db.CreateLoginChallenge(ctx, &domain.LoginChallenge{ID: "c1", UserID: u.ID, ExpiresAt: now.Add(time.Minute)}))
		_, err := db.FindLoginChallenge(ctx, "old") // expired ones go when the next is made
		wantCode(t, err, domain.ENOTFOUND)
		c, err := db.FindLoginChallenge(ctx, "c1")
		must(t, err)
		if c.UserID != u.ID || c.Expired(now) || !c.Expired(now.Add(time.Minute)) {
			t.Fatalf("challenge %+v", c)
		}
		if ok, err := db.DeleteLoginChallenge(ctx, "c1"); err != nil || !ok {
			t.Fatalf("first delete: %v %v", ok, err)
		}
		if ok, err := db.DeleteLoginChallenge(ctx, "c1"); err != nil || ok {
			t.Fatalf("second delete: %v %v", ok, err)
		}

		must(t, db.BeginTOTP(ctx, u.ID, "S"))
		must(t, db.ConfirmTOTP(ctx, u.ID, 1, []string{"h1"}))
		must(t, db.CreateLoginChallenge(ctx, &domain.LoginChallenge{ID: "c2", UserID: u.ID, ExpiresAt: now.Add(time.Minute)}))
		if ok, err := db.DeleteSecondFactor(ctx, u.ID); err != nil || !ok {
			t.Fatalf("delete: %v %v", ok, err)
		}
		if ok, err := db.DeleteSecondFactor(ctx, u.ID); err != nil || ok {
			t.Fatalf("delete again: %v %v", ok, err)
		}
		_, err = db.FindLoginChallenge(ctx, "c2")
		wantCode(t, err, domain.ENOTFOUND)
		wantCode(t, db.UseRecoveryCode(ctx, u.ID, "h1"), domain.ENOTFOUND)
		if u2, _ := db.FindUserByID(ctx, u.ID); u2.SecondFactor {
			t.Fatal("factor still shown after delete")
		}

		// Deleting the account's personal data removes the factor too.
		must(t, db.BeginTOTP(ctx, u.ID, "S"))
		must(t, db.ConfirmTOTP(ctx, u.ID, 1, []string{"h1"}))
		_, err = db.PseudonymiseUser(ctx, u.ID)
		must(t, err)
		_, err = db.FindTOTP(ctx, u.ID)
		wantCode(t, err, domain.ENOTFOUND)
		if n, _ := db.RecoveryCodesLeft(ctx, u.ID); n != 0 {
			t.Fatalf("%d recovery codes left after deletion", n)
		}
	})
}
