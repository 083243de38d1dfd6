package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/strategieraum/strategieraum/backend/store"
)

// pgBackupHelp is what backup and restore print for PostgreSQL, whose own
// tools do a consistent online dump better than this binary could.
const pgBackupHelp = `PostgreSQL is backed up and restored with its own tools (consistent while the server runs):

  pg_dump --format=custom --no-owner --file=strategieraum.dump "$STRATEGIERAUM_DATABASE_URL"
  pg_restore --no-owner --exit-on-error --single-transaction --dbname="$NEW_DATABASE_URL" strategieraum.dump

Restore into a new, empty database; see docs/operations.md.
`

func runBackup(ctx context.Context, args []string, e env) error {
	fs := newFlagSet("backup", "backup --out FILE [flags]",
		"Write a consistent copy of the SQLite database to FILE while the server keeps running\n(VACUUM INTO). For PostgreSQL it prints the pg_dump command to use.", databaseEnv, e)
	dbURL := databaseFlag(fs, e)
	out := fs.String("out", "", "the backup file to create; an existing file is never overwritten (required)")
	if err := parseFileFlags(fs, args, e, *dbURL, "out", out); err != nil {
		return err
	}
	// Opening would create a missing SQLite file and back up an empty database.
	if _, err := os.Stat(store.SQLitePath(*dbURL)); err != nil {
		return fmt.Errorf("no database to back up: %w", err)
	}
	db, err := store.Open(ctx, *dbURL, discardLogger())
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, *out); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "backup written to %s\n", *out)
	return nil
}

func runRestore(ctx context.Context, args []string, e env) error {
	fs := newFlagSet("restore", "restore --from FILE [--force] [flags]",
		"Restore an SQLite backup into the database path (--database), which must be new or empty.\nStop the server first when replacing a database with --force.", databaseEnv, e)
	dbURL := databaseFlag(fs, e)
	from := fs.String("from", "", "the backup file written by backup (required)")
	force := fs.Bool("force", false, "replace a database that is not empty")
	if err := parseFileFlags(fs, args, e, *dbURL, "from", from); err != nil {
		return err
	}
	if err := store.RestoreSQLite(ctx, *from, *dbURL, *force); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "restored %s into %s\n", *from, *dbURL)
	return nil
}

// parseFileFlags parses the flags of backup or restore: no arguments, an
// SQLite database (for PostgreSQL it prints the commands of its own tools)
// and the file flag name set.
func parseFileFlags(fs *flag.FlagSet, args []string, e env, dbURL, name string, file *string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	if isPostgresURL(dbURL) {
		fmt.Fprint(e.stdout, pgBackupHelp)
		return fmt.Errorf("%s: PostgreSQL is backed up with pg_dump and restored with pg_restore, as shown", fs.Name())
	}
	if *file == "" {
		fs.Usage()
		return fmt.Errorf("--%s is required", name)
	}
	return nil
}

// isPostgresURL reports whether url selects PostgreSQL.
func isPostgresURL(url string) bool {
	return strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://")
}
