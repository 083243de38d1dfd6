package store_test

import (
	"context"
	"testing"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
)

var ctx = context.Background()

// wantCode fails t unless err carries the domain error code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := domain.ErrorCode(err); got != code {
		t.Fatalf("error code = %q, want %q (err: %v)", got, code, err)
	}
}

// must fails t on err.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// org returns the seeded organisation with code.
func org(t *testing.T, db *store.DB, code string) *domain.Organisation {
	t.Helper()
	o, err := db.FindOrganisationByCode(ctx, code)
	must(t, err)
	return o
}

// newStrategy creates a strategy titled title.
func newStrategy(t *testing.T, db *store.DB, title string) *domain.Strategy {
	t.Helper()
	s := &domain.Strategy{Title: title}
	must(t, db.CreateStrategy(ctx, s))
	return s
}

// newUser creates a user in organisation code with roles.
func newUser(t *testing.T, db *store.DB, email, code string, roles ...domain.Role) *domain.User {
	t.Helper()
	u := &domain.User{Email: email, Name: "Erika Mustermann", OrgID: org(t, db, code).ID, Roles: roles}
	must(t, db.CreateUser(ctx, u, "hash-"+email))
	return u
}

// newSection creates a section of strategy s in part p.
func newSection(t *testing.T, db *store.DB, s *domain.Strategy, title string, topicID *int64) *domain.Section {
	t.Helper()
	sec := &domain.Section{StrategyID: s.ID, Title: title, Part: domain.PartSchwerpunkt, TopicID: topicID}
	must(t, db.CreateSection(ctx, sec))
	return sec
}

func ptr[T any](v T) *T { return &v }
