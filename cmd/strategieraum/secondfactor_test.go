package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
)

// TestUserResetSecondFactor: the command removes the factor and the
// recovery codes, ends the account's sessions and writes an audit entry; an
// account without a factor is an error, and so is a role list with an
// unknown role in STRATEGIERAUM_REQUIRE_2FA.
func TestUserResetSecondFactor(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	vars := map[string]string{"STRATEGIERAUM_DATABASE_URL": path}
	if _, _, err := runCmd(t, vars, "", "user", "add", "--email", "admin@fitko.example", "--name", "A", "--org", "FITKO", "--role", "admin"); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	u, err := db.FindUserByEmail(ctx, "admin@fitko.example")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	for _, err := range []error{
		db.BeginTOTP(ctx, u.ID, "SECRET"),
		db.ConfirmTOTP(ctx, u.ID, 1, []string{"h1"}),
		db.CreateSession(ctx, &domain.Session{ID: "sess", PublicID: "pub", UserID: u.ID, ExpiresAt: now.Add(time.Hour)}),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	db.Close()

	out, _, err := runCmd(t, vars, "", "user", "reset-2fa", "--email", "admin@fitko.example")
	if err != nil || !strings.Contains(out, "second factor removed") {
		t.Fatalf("reset-2fa: %v %q", err, out)
	}
	db, err = store.Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.FindTOTP(ctx, u.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("factor still there: %v", err)
	}
	if _, err := db.FindSession(ctx, "sess"); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("session still there: %v", err)
	}
	events, err := db.FindAuditEvents(ctx, domain.AuditFilter{Action: "second_factor_reset"})
	if err != nil || len(events) != 1 {
		t.Fatalf("audit: %v %+v", err, events)
	}
	if _, _, err := runCmd(t, vars, "", "user", "reset-2fa", "--email", "admin@fitko.example"); err == nil || !strings.Contains(err.Error(), "no second factor") {
		t.Fatalf("second reset: %v", err)
	}
	if _, _, err := runCmd(t, map[string]string{"STRATEGIERAUM_REQUIRE_2FA": "admin,kaiser"}, "", "serve"); err == nil ||
		!strings.Contains(err.Error(), "STRATEGIERAUM_REQUIRE_2FA") {
		t.Fatalf("unknown role accepted: %v", err)
	}
}
