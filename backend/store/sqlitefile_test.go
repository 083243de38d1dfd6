package store_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// oldDriverDB is a database written by the SQLite driver used before
// (github.com/glebarez/sqlite, SQLite 3.41.2): the demo data and one session
// of pate1@hh.example. See testdata/README.md.
const oldDriverDB = "testdata/glebarez-sqlite-3.41.2.db"

// timeText is how timestamps are stored as text, by the old driver and the
// current one alike: sortable, with sub-second digits and the zone offset.
var timeText = regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$`)

// openCopy opens a copy of the database file at path.
func openCopy(t *testing.T, path string) *store.DB {
	t.Helper()
	src, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst := filepath.Join(t.TempDir(), "copy.db")
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, src); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return storetest.OpenURL(t, dst, slog.New(slog.DiscardHandler))
}

// A database file written by the previous driver opens, its rows read back
// as they were written, and new rows are written in the same formats.
func TestOldDriverFileStillOpens(t *testing.T) {
	ctx := context.Background()
	db := openCopy(t, oldDriverDB)
	u, err := db.FindUserByEmail(ctx, "PATE1@hh.example")
	if err != nil {
		t.Fatal(err)
	}
	if u.Email != "pate1@hh.example" || u.Org.Code != "HH" {
		t.Fatalf("user read back as %q of %q", u.Email, u.Org.Code)
	}
	old, err := db.FindUserSessions(ctx, u.ID)
	if err != nil || len(old) != 1 {
		t.Fatalf("sessions of the old file: %v %v", old, err)
	}
	if s := old[0]; s.CreatedAt.IsZero() || s.CreatedAt.Year() < 2026 || !s.ExpiresAt.After(s.CreatedAt) {
		t.Fatalf("the old session's times read back as %v … %v", s.CreatedAt, s.ExpiresAt)
	}
	now := time.Now()
	s := &domain.Session{ID: strings.Repeat("a", 64), PublicID: "new", UserID: u.ID,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
	if err := db.CreateSession(ctx, s); err != nil {
		t.Fatal(err)
	}
	got, err := db.FindSession(ctx, s.ID)
	if err != nil || !got.CreatedAt.Equal(now.Truncate(time.Microsecond)) && !got.CreatedAt.Equal(now) {
		t.Fatalf("new session read back as %+v, %v; want created %v", got, err, now)
	}
	// 'x' || … keeps the driver from turning the text into a time.
	texts, err := db.QueryText(ctx, "SELECT 'x' || created_at FROM sessions ORDER BY created_at")
	if err != nil || len(texts) != 2 {
		t.Fatalf("stored times: %v %v", texts, err)
	}
	for _, x := range texts {
		if !timeText.MatchString(x[1:]) {
			t.Errorf("time stored as %q, not in the old driver's format", x[1:])
		}
	}
}

// The connection settings hold on every connection: WAL, foreign keys,
// the busy timeout, and SQLite's own (ASCII-only) case folding, which the
// e-mail lookups rely on in the same way as before.
func TestSQLiteConnectionSettings(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "s.db"), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for query, want := range map[string]string{
		"PRAGMA journal_mode":                        "wal",
		"PRAGMA foreign_keys":                        "1",
		"PRAGMA busy_timeout":                        "5000",
		"PRAGMA synchronous":                         "1", // NORMAL
		"SELECT lower('ABC-Äbc@Example.DE')":         "abc-Äbc@example.de",
		"SELECT 'x' || (sqlite_version() >= '3.50')": "x1",
	} {
		got, err := db.QueryText(ctx, query)
		if err != nil || len(got) != 1 || got[0] != want {
			t.Errorf("%s = %v (%v); want %s", query, got, err, want)
		}
	}
}
