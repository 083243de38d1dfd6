package main

import (
	"context"
	"fmt"
	"github.com/strategieraum/strategieraum/backend/store"
	"text/tabwriter"
	"time"
)

func runMigrate(ctx context.Context, args []string, e env) error {
	fs := newFlagSet("migrate", "migrate up|status [flags]", e)
	dbURL := databaseFlag(fs, e)
	if len(args) == 0 {
		fs.Usage()
		return fmt.Errorf("migrate needs up or status")
	}
	sub := args[0]
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	db, err := store.Open(ctx, *dbURL, discardLogger())
	if err != nil {
		return err
	}
	defer db.Close()
	switch sub {
	case "up":
		if err := db.Migrate(ctx); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, "database is up to date")
		fallthrough
	case "status":
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
	return fmt.Errorf("unknown migrate command %q (use up or status)", sub)
}
