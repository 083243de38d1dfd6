package store_test

import (
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
	"github.com/strategieraum/strategieraum/migrations"
)

// TestAPITokenExpiry: tokens get the default lifetime unless given one, and
// the expiry that migration 0007 writes for older tokens reads back as a
// time in both dialects.
func TestAPITokenExpiry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		u := newUser(t, db, "t@bremen.de", "HB", domain.RoleLand)
		tok := &domain.APIToken{UserID: u.ID, Name: "Skript", Prefix: "srt_abc", Hash: "h1"}
		must(t, db.CreateAPIToken(ctx, tok))
		if d := tok.ExpiresAt.Sub(tok.CreatedAt); d != domain.APITokenDefaultLifetime {
			t.Fatalf("default lifetime %v", d)
		}
		week := time.Now().UTC().Add(7 * 24 * time.Hour).Truncate(time.Microsecond)
		must(t, db.CreateAPIToken(ctx, &domain.APIToken{UserID: u.ID, Name: "Kurz", Prefix: "srt_def", Hash: "h2", ExpiresAt: week}))
		got, err := db.FindAPITokenByHash(ctx, "h2")
		must(t, err)
		if !got.ExpiresAt.Equal(week) {
			t.Fatalf("expiry %v, want %v", got.ExpiresAt, week)
		}

		sql, err := fs.ReadFile(migrations.FS, db.Dialect()+"/0007_token_expiry.sql")
		must(t, err)
		for _, stmt := range strings.Split(string(sql), ";") {
			if s := strings.TrimSpace(stmt); strings.Contains(s, "UPDATE api_tokens") {
				must(t, db.ExecRaw(ctx, s[strings.Index(s, "UPDATE"):]))
			}
		}
		got, err = db.FindAPITokenByHash(ctx, "h1")
		must(t, err)
		if d := time.Until(got.ExpiresAt); d < 89*24*time.Hour || d > 91*24*time.Hour {
			t.Fatalf("migrated expiry %v is %v away, want 90 days", got.ExpiresAt, d)
		}
	})
}
