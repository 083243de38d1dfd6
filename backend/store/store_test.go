package store_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

func TestOpenRejectsEmptyURL(t *testing.T) {
	for _, url := range []string{"", "  ", "sqlite:", "file:"} {
		if db, err := store.Open(ctx, url, nil); err == nil {
			db.Close()
			t.Errorf("Open(%q) succeeded, want error", url)
		}
	}
}

func TestOpenSQLitePrefixesCreateDirectory(t *testing.T) {
	for _, prefix := range []string{"", "sqlite:", "file:"} {
		path := filepath.Join(t.TempDir(), "nested", "dir", "s.db")
		db, err := store.Open(ctx, prefix+path, nil)
		if err != nil {
			t.Fatalf("Open(%q): %v", prefix+path, err)
		}
		if db.Dialect() != store.DialectSQLite {
			t.Errorf("Dialect() = %q, want sqlite", db.Dialect())
		}
		must(t, db.Ping(ctx))
		must(t, db.Migrate(ctx))
		must(t, db.Close())
		if _, err := os.Stat(path); err != nil {
			t.Errorf("database file %s: %v", path, err)
		}
	}
}

func TestPingAfterCloseIsUnavailable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		must(t, db.Ping(ctx))
		must(t, db.Close())
		wantCode(t, db.Ping(ctx), domain.EUNAVAILABLE)
		_, err := db.FindUsers(ctx, domain.UserFilter{})
		wantCode(t, err, domain.EUNAVAILABLE)
	})
}

func TestDialect(t *testing.T) {
	if got := storetest.Open(t).Dialect(); got != store.DialectSQLite {
		t.Errorf("Dialect() = %q, want sqlite", got)
	}
	if os.Getenv(storetest.PostgresEnv) != "" {
		if got := storetest.OpenPostgres(t).Dialect(); got != store.DialectPostgres {
			t.Errorf("Dialect() = %q, want postgres", got)
		}
	}
}

func TestOpenPostgresUnreachable(t *testing.T) {
	db, err := store.Open(ctx, "postgres://nobody:x@127.0.0.1:1/none?sslmode=disable&connect_timeout=2", nil)
	if err == nil {
		db.Close()
		t.Fatal("Open on a closed port succeeded")
	}
}
