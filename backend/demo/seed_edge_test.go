package demo_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"

	"github.com/strategieraum/strategieraum/backend/auth"
	"github.com/strategieraum/strategieraum/backend/demo"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

func TestSeedRejectsShortPassword(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	seeded, err := demo.Seed(ctx, demo.Deps{Users: st, Strategies: st}, "kurz", now)
	if seeded || domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("Seed = %v, %v; want false and EINVALID", seeded, err)
	}
	if msg := domain.ErrorMessage(err); !strings.Contains(msg, "Passwort") {
		t.Errorf("message %q is not the German password message", msg)
	}
	if got := strategyCount(ctx, t, st); got != 0 {
		t.Errorf("rejected Seed left %d strategies", got)
	}
}

func TestSeedConflictWritesNothing(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	createAccount(ctx, t, st, "lesen@fitko.example")
	seeded, err := demo.Seed(ctx, demo.Deps{Users: st, Strategies: st}, password, now)
	if seeded || domain.ErrorCode(err) != domain.ECONFLICT {
		t.Fatalf("Seed = %v, %v; want false and ECONFLICT", seeded, err)
	}
	if got := strategyCount(ctx, t, st); got != 0 {
		t.Errorf("conflicting Seed left %d strategies", got)
	}
	users, err := st.FindUsers(ctx, domain.UserFilter{})
	if err != nil || len(users) != 1 {
		t.Errorf("conflicting Seed left %d users (err %v), want only the existing one", len(users), err)
	}
}

// An existing demo administrator means the database is not empty: Seed
// leaves it alone without an error.
func TestSeedSkipsWhenAdminExists(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	createAccount(ctx, t, st, "Admin@FITKO.example")
	seeded, err := demo.Seed(ctx, demo.Deps{Users: st, Strategies: st}, password, now)
	if seeded || err != nil {
		t.Fatalf("Seed = %v, %v; want false, nil", seeded, err)
	}
	if got := strategyCount(ctx, t, st); got != 0 {
		t.Errorf("skipped Seed left %d strategies", got)
	}
}

func createAccount(ctx context.Context, t *testing.T, st *store.DB, email string) {
	t.Helper()
	fitko, err := st.FindOrganisationByCode(ctx, "FITKO")
	if err != nil {
		t.Fatal(err)
	}
	existing := &domain.User{Email: email, Name: "Vorhandenes Konto", OrgID: fitko.ID, Roles: []domain.Role{domain.RoleReader}}
	hash, err := auth.HashPassword("anderes-Passwort-123")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CreateUser(ctx, existing, hash); err != nil {
		t.Fatal(err)
	}
}

func TestAccounts(t *testing.T) {
	accounts := demo.Accounts()
	// FITKO admin, moderator and reader, two Paten for each of 5 topics,
	// one participant each for the Bund, 16 Länder and 3 Spitzenverbände.
	if want := 3 + 2*5 + 1 + 16 + 3; len(accounts) != want {
		t.Errorf("got %d accounts, want %d", len(accounts), want)
	}
	seen := map[string]bool{}
	paten := map[string][]string{}
	for _, a := range accounts {
		if seen[a.Email] {
			t.Errorf("duplicate e-mail %s", a.Email)
		}
		seen[a.Email] = true
		local, dom, ok := strings.Cut(a.Email, "@")
		if !ok || local == "" || !strings.HasSuffix(dom, ".example") {
			t.Errorf("e-mail %s is not under a reserved .example domain", a.Email)
		}
		if dom != strings.ToLower(a.OrgCode)+".example" {
			t.Errorf("e-mail %s does not match organisation %s", a.Email, a.OrgCode)
		}
		// The participants of the Bund and the Länder also vote for them.
		voter := a.Roles[0] == domain.RoleLand && a.OrgCode != "DLT" && a.OrgCode != "DST" && a.OrgCode != "DStGB"
		if voter && (len(a.Roles) != 2 || a.Roles[1] != domain.RoleStimmberechtigt) {
			t.Errorf("account %s of a voting member: roles %v", a.Email, a.Roles)
		}
		if a.Name == "" || (!voter && len(a.Roles) != 1) || !a.Roles[0].Valid() {
			t.Errorf("account %s: name %q, roles %v", a.Email, a.Name, a.Roles)
		}
		if (a.Roles[0] == domain.RoleThemenpate) != (len(a.Topics) == 1) {
			t.Errorf("account %s: role %v with topics %v", a.Email, a.Roles, a.Topics)
		}
		for _, tp := range a.Topics {
			paten[tp] = append(paten[tp], a.OrgCode)
		}
	}
	want := map[string]string{
		"Digitale Transformation": "ST", "Digitale Infrastruktur": "HE",
		"Digitale Anwendungen": "HB", "Datennutzung": "HH", "Informationssicherheit": "BUND",
	}
	for tp, org := range want {
		if got := paten[tp]; len(got) != 2 || got[0] != org || got[1] != org {
			t.Errorf("topic %s has Paten from %v, want two from %s", tp, got, org)
		}
	}
	for _, e := range []string{"admin@fitko.example", "moderation@fitko.example", "lesen@fitko.example",
		"beteiligung@by.example", "beteiligung@bund.example", "beteiligung@dstgb.example", "pate2@hh.example"} {
		if !seen[e] {
			t.Errorf("missing account %s", e)
		}
	}
	accounts[0].Roles[0] = domain.RoleReader
	if demo.Accounts()[0].Roles[0] != domain.RoleAdmin {
		t.Error("Accounts returns shared slices that callers can change")
	}
}

func strategyCount(ctx context.Context, t *testing.T, st domain.StrategyService) int {
	t.Helper()
	list, err := st.FindStrategies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

// snapshot summarises everything Seed writes, so two snapshots compare
// equal only if nothing changed in between.
func snapshot(ctx context.Context, t *testing.T, st interface {
	domain.StrategyService
	domain.UserService
}, strategyID int64) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "strategies=%d ", strategyCount(ctx, t, st))
	s, err := st.FindStrategyByID(ctx, strategyID)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "topics=%d phases=%d ", len(s.Topics), len(s.Phases))
	secs, err := st.FindSections(ctx, strategyID)
	if err != nil {
		t.Fatal(err)
	}
	for _, sec := range secs {
		full, err := st.FindSectionByID(ctx, sec.ID)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "sec%d@%d/%s/%x ", sec.ID, full.Version, full.Status, sha256.Sum256([]byte(full.Text)))
	}
	users, err := st.FindUsers(ctx, domain.UserFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		hash, err := st.PasswordHash(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "u%d/%s/%v/%v/%x ", u.ID, u.Email, u.Roles, u.TopicIDs, sha256.Sum256([]byte(hash)))
	}
	return b.String()
}

func TestSeedConcurrently(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.DB) {
		ctx := context.Background()
		deps := demo.Deps{Users: st, Strategies: st}
		type result struct {
			seeded bool
			err    error
		}
		results := make(chan result, 2)
		for range 2 {
			go func() {
				seeded, err := demo.Seed(ctx, deps, password, now)
				results <- result{seeded, err}
			}()
		}
		won := 0
		for range 2 {
			r := <-results
			if r.err != nil {
				t.Errorf("concurrent Seed: %v", r.err)
			}
			if r.seeded {
				won++
			}
		}
		if won != 1 {
			t.Errorf("%d concurrent Seed calls seeded, want exactly 1", won)
		}
		if got := strategyCount(ctx, t, st); got != 1 {
			t.Errorf("concurrent seeding left %d strategies, want 1", got)
		}
		users, err := st.FindUsers(ctx, domain.UserFilter{})
		if err != nil || len(users) != len(demo.Accounts()) {
			t.Errorf("concurrent seeding left %d users (err %v), want %d", len(users), err, len(demo.Accounts()))
		}
	})
}
