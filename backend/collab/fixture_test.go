package collab_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/collab"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/ot"
	"github.com/strategieraum/strategieraum/backend/store"
)

// fixture is one database with a section and two authors.
type fixture struct {
	db      *store.DB
	section *domain.Section
	anna    *domain.User // Hamburg
	bernd   *domain.User // Sachsen-Anhalt
}

// newFixture creates a strategy, a section with text and two users.
func newFixture(t testing.TB, db *store.DB, text string) *fixture {
	t.Helper()
	ctx := context.Background()
	st := &domain.Strategy{Title: "Föderale Digitalstrategie"}
	if err := db.CreateStrategy(ctx, st); err != nil {
		t.Fatal(err)
	}
	sec := &domain.Section{StrategyID: st.ID, Part: domain.PartSchwerpunkt, Title: "Zielbild Datennutzung", Text: text}
	if err := db.CreateSection(ctx, sec); err != nil {
		t.Fatal(err)
	}
	return &fixture{db: db, section: sec, anna: newUser(t, db, "anna@hamburg.de", "Anna Hansen", "HH"),
		bernd: newUser(t, db, "bernd@sachsen-anhalt.de", "Bernd Schulz", "ST")}
}

func newUser(t testing.TB, db *store.DB, email, name, org string) *domain.User {
	t.Helper()
	o, err := db.FindOrganisationByCode(context.Background(), org)
	if err != nil {
		t.Fatal(err)
	}
	u := &domain.User{Email: email, Name: name, OrgID: o.ID, Org: *o, Roles: []domain.Role{domain.RoleLand}}
	if err := db.CreateUser(context.Background(), u, ""); err != nil {
		t.Fatal(err)
	}
	return u
}

// submit sends op (as JSON) at base and fails the test on error.
func (f *fixture) submit(t testing.TB, s *collab.Service, user *domain.User, client string, seq, base int64, op string) *domain.SubmitResult {
	t.Helper()
	res, err := s.Submit(context.Background(), f.req(user, client, seq, base, op))
	if err != nil {
		t.Fatalf("submit %s#%d at %d: %v", client, seq, base, err)
	}
	return res
}

func (f *fixture) req(user *domain.User, client string, seq, base int64, op string) domain.SubmitRequest {
	return domain.SubmitRequest{SectionID: f.section.ID, BaseVersion: base, Op: json.RawMessage(op),
		UserID: user.ID, ClientID: client, Seq: seq}
}

// snapshot returns the section's text and version.
func (f *fixture) snapshot(t testing.TB, s *collab.Service) (string, int64) {
	t.Helper()
	text, v, err := s.Snapshot(context.Background(), f.section.ID)
	if err != nil {
		t.Fatal(err)
	}
	return text, v
}

// replayLog applies the whole op log to the initial text and checks that
// versions are 0..n-1 without gaps and (client, seq) pairs are unique.
func (f *fixture) replayLog(t testing.TB, s *collab.Service) (string, []*domain.CommittedOp) {
	t.Helper()
	var all []*domain.CommittedOp
	for {
		ops, err := s.OpsSince(context.Background(), f.section.ID, int64(len(all)), 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(ops) == 0 {
			break
		}
		all = append(all, ops...)
	}
	text := f.section.Text
	seen := map[string]bool{}
	for i, c := range all {
		if c.Version != int64(i) {
			t.Fatalf("op %d has version %d", i, c.Version)
		}
		key := fmt.Sprintf("%s#%d", c.ClientID, c.Seq)
		if seen[key] {
			t.Fatalf("op %s committed twice", key)
		}
		seen[key] = true
		op, err := ot.Parse(c.Op)
		if err != nil {
			t.Fatalf("stored op %d: %v", i, err)
		}
		if text, err = ot.Apply(text, op); err != nil {
			t.Fatalf("replay op %d: %v", i, err)
		}
	}
	return text, all
}

// wantCode fails unless err carries code.
func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := domain.ErrorCode(err); got != code {
		t.Fatalf("error code = %q, want %q (err: %v)", got, code, err)
	}
	var e *domain.Error
	if errors.As(err, &e) && e.Message == "" {
		t.Fatalf("error %v has no message", err)
	}
}

// sleep pauses briefly while polling for asynchronous hooks.
func sleep() { time.Sleep(10 * time.Millisecond) }
