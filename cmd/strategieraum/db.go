package main

import (
	"context"
	"flag"
	"io"
	"log/slog"
	"net/url"

	"github.com/strategieraum/strategieraum/backend/store"
)

// defaultDatabaseURL is a SQLite file below the working directory.
const defaultDatabaseURL = "data/strategieraum.db"

// databaseFlag registers --database with its environment default.
func databaseFlag(fs *flag.FlagSet, e env) *string {
	p := fs.String("database", e.get("STRATEGIERAUM_DATABASE_URL", defaultDatabaseURL),
		"database URL: a SQLite file path, or postgres://… (env STRATEGIERAUM_DATABASE_URL)")
	redactDefault(fs, "database")
	return p
}

// redactDefault hides a password in the default of the URL flag name, which
// --help would otherwise print.
func redactDefault(fs *flag.FlagSet, name string) {
	f := fs.Lookup(name)
	if u, err := url.Parse(f.DefValue); err == nil && u.User != nil {
		f.DefValue = u.Redacted()
	}
}

// openDB opens and migrates the database.
func openDB(ctx context.Context, url string, logger *slog.Logger) (*store.DB, error) {
	if logger == nil {
		logger = discardLogger()
	}
	db, err := store.Open(ctx, url, logger)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// discardLogger is for commands whose output is meant for people.
func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
