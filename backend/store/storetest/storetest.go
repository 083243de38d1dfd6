// Package storetest gives tests a fresh, migrated database: SQLite in a
// temporary directory, and PostgreSQL in a schema of its own when
// STRATEGIERAUM_TEST_POSTGRES_URL is set, so test packages running in
// parallel never see each other's rows.
//
// Typical use:
//
//	func TestSomething(t *testing.T) {
//		storetest.Each(t, func(t *testing.T, db *store.DB) {
//			// db is migrated and empty apart from the seeded organisations.
//		})
//	}
//
// Use Open where SQLite alone is enough (handler tests, end-to-end tests).
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver

	"github.com/strategieraum/strategieraum/backend/store"
)

// PostgresEnv names the environment variable holding the PostgreSQL URL
// for tests; when it is empty only SQLite is used.
const PostgresEnv = "STRATEGIERAUM_TEST_POSTGRES_URL"

// Open returns a migrated store on a fresh SQLite file in t.TempDir(),
// closed when the test ends.
func Open(t testing.TB) *store.DB {
	t.Helper()
	return open(t, filepath.Join(t.TempDir(), "test.db"))
}

// OpenPostgres returns a migrated store in a fresh PostgreSQL schema that is
// dropped when the test ends. It skips t if STRATEGIERAUM_TEST_POSTGRES_URL
// is not set.
func OpenPostgres(t testing.TB) *store.DB {
	t.Helper()
	return open(t, PostgresURL(t))
}

// PostgresURL creates an empty schema, dropped when the test ends, and
// returns a URL whose search_path points at it, for tests that open and
// migrate the database themselves. It skips t if
// STRATEGIERAUM_TEST_POSTGRES_URL is not set.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		t.Skip(PostgresEnv + " not set")
	}
	return freshSchema(t, base)
}

// Each runs fn as a subtest "sqlite" on a fresh SQLite store and, when
// STRATEGIERAUM_TEST_POSTGRES_URL is set, as a subtest "postgres" on a
// fresh PostgreSQL schema.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, Open(t)) })
	if os.Getenv(PostgresEnv) != "" {
		t.Run("postgres", func(t *testing.T) { fn(t, OpenPostgres(t)) })
	}
}

func open(t testing.TB, dbURL string) *store.DB {
	t.Helper()
	return OpenURL(t, dbURL, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// OpenURL opens and migrates the database at dbURL (from PostgresURL or
// PostgresOutage, or an SQLite path) with logger, closed when the test ends.
func OpenURL(t testing.TB, dbURL string, logger *slog.Logger) *store.DB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db, err := store.Open(ctx, dbURL, logger)
	if err != nil {
		t.Fatalf("storetest: open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("storetest: migrate: %v", err)
	}
	return db
}

// freshSchema creates schema t_<random> and returns base with its
// search_path set to it. The schema is dropped in t.Cleanup, which runs
// after the store opened on it is closed (cleanups run last-in first-out).
func freshSchema(t testing.TB, base string) string {
	t.Helper()
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatalf("storetest: random: %v", err)
	}
	schema := "t_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("storetest: connect: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		t.Fatalf("storetest: create schema: %v", err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("storetest: drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("storetest: parse %s: %v", PostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
