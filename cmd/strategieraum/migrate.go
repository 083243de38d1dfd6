package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/strategieraum/strategieraum/backend/store"
)

// migrateCommands lists the migrate subcommands for the group's help.
const migrateCommands = `  up      apply pending migrations, then list them all
  status  list the migrations and whether they are applied
`

func runMigrate(ctx context.Context, args []string, e env) error {
	if len(args) == 0 || (args[0] != "up" && args[0] != "status") {
		return subcommandHelp("migrate", migrateCommands, args, e)
	}
	sub := args[0]
	summary := "List the migrations this binary knows and whether they are applied."
	if sub == "up" {
		summary = "Apply pending migrations (serve does this too); refuses a database changed by a newer release."
	}
	fs := newFlagSet("migrate "+sub, "migrate "+sub+" [flags]", summary, databaseEnv, e)
	dbURL := databaseFlag(fs, e)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	db, err := store.Open(ctx, *dbURL, discardLogger())
	if err != nil {
		return err
	}
	defer db.Close()
	if sub == "up" {
		if err := db.Migrate(ctx); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, "database is up to date")
	}
	states, err := db.MigrationStatus(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "VERSION\tNAME\tAPPLIED")
	for _, s := range states {
		applied := "pending"
		if s.Applied {
			applied = s.AppliedAt.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(w, "%04d\t%s\t%s\n", s.Version, s.Name, applied)
	}
	return w.Flush()
}
