package store_test

import (
	"testing"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// The session and user lookups run on every authenticated request.
func BenchmarkFindSessionAndUser(b *testing.B) {
	db := storetest.Open(b)
	u := &domain.User{Email: "bench@bund.de", Name: "Bench", OrgID: 1, Roles: []domain.Role{domain.RoleLand}}
	if err := db.CreateUser(ctx, u, "h"); err != nil {
		b.Fatal(err)
	}
	if err := db.CreateSession(ctx, &domain.Session{ID: "hash", PublicID: "pub", UserID: u.ID}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		s, err := db.FindSession(ctx, "hash")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.FindUserByID(ctx, s.UserID); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendAudit(b *testing.B) {
	db := storetest.Open(b)
	for b.Loop() {
		if err := db.AppendAudit(ctx, &domain.AuditEvent{Action: "login", Target: "user:1"}); err != nil {
			b.Fatal(err)
		}
	}
}
