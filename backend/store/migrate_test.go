package store_test

import (
	"sync"
	"testing"
	"testing/fstest"

	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
	"github.com/strategieraum/strategieraum/migrations"
)

func TestMigrateIsIdempotentAndStatusComplete(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		before, err := db.MigrationStatus(ctx)
		must(t, err)
		must(t, db.Migrate(ctx))
		must(t, db.Migrate(ctx))
		after, err := db.MigrationStatus(ctx)
		must(t, err)
		want, err := store.LoadMigrations(migrations.FS, db.Dialect())
		must(t, err)
		if len(after) != want || want < 1 {
			t.Fatalf("status lists %d migrations, want %d", len(after), want)
		}
		for i, m := range after {
			if !m.Applied || m.AppliedAt == nil {
				t.Errorf("migration %d (%s) not applied", m.Version, m.Name)
				continue
			}
			if !m.AppliedAt.Equal(*before[i].AppliedAt) {
				t.Errorf("migration %d re-applied: %v, then %v", m.Version, before[i].AppliedAt, m.AppliedAt)
			}
			if i > 0 && after[i-1].Version >= m.Version {
				t.Errorf("status not ordered: %d before %d", after[i-1].Version, m.Version)
			}
		}
		if after[0].Version != 1 || after[0].Name != "foundation" {
			t.Errorf("first migration = %d %s, want 1 foundation", after[0].Version, after[0].Name)
		}
		orgs, err := db.FindOrganisations(ctx)
		must(t, err)
		if len(orgs) != 21 {
			t.Errorf("%d organisations after migrating twice, want 21", len(orgs))
		}
	})
}

func TestMigrationStatusOnEmptyDatabase(t *testing.T) {
	each := func(t *testing.T, url string) {
		db, err := store.Open(ctx, url, nil)
		must(t, err)
		defer db.Close()
		st, err := db.MigrationStatus(ctx)
		must(t, err)
		if len(st) == 0 {
			t.Fatal("no migrations listed")
		}
		for _, m := range st {
			if m.Applied || m.AppliedAt != nil {
				t.Errorf("migration %d reported applied on an empty database", m.Version)
			}
		}
	}
	t.Run("sqlite", func(t *testing.T) { each(t, t.TempDir()+"/empty.db") })
	t.Run("postgres", func(t *testing.T) { each(t, storetest.PostgresURL(t)) })
}

// Two instances starting at once must apply each migration exactly once.
func TestConcurrentMigrate(t *testing.T) {
	run := func(t *testing.T, url string) {
		const n = 4
		dbs := make([]*store.DB, n)
		for i := range dbs {
			db, err := store.Open(ctx, url, nil)
			must(t, err)
			t.Cleanup(func() { db.Close() })
			dbs[i] = db
		}
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i, db := range dbs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = db.Migrate(ctx)
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("instance %d: %v", i, err)
			}
		}
		orgs, err := dbs[0].FindOrganisations(ctx)
		must(t, err)
		if len(orgs) != 21 {
			t.Errorf("%d organisations, want 21 (seed applied more than once?)", len(orgs))
		}
	}
	t.Run("sqlite", func(t *testing.T) { run(t, t.TempDir()+"/concurrent.db") })
	t.Run("postgres", func(t *testing.T) { run(t, storetest.PostgresURL(t)) })
}

func TestMigrationFilesValidated(t *testing.T) {
	bad := map[string]fstest.MapFS{
		"no version": {"sqlite/foundation.sql": {Data: []byte("SELECT 1;")}},
		"zero":       {"sqlite/0000_x.sql": {Data: []byte("SELECT 1;")}},
		"no name":    {"sqlite/0001_.sql": {Data: []byte("SELECT 1;")}},
		"duplicate": {
			"sqlite/0001_a.sql":  {Data: []byte("SELECT 1;")},
			"sqlite/001_b.sql":   {Data: []byte("SELECT 1;")},
			"sqlite/0002_ok.sql": {Data: []byte("SELECT 1;")},
		},
	}
	for name, fsys := range bad {
		if _, err := store.LoadMigrations(fsys, "sqlite"); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	n, err := store.LoadMigrations(fstest.MapFS{
		"sqlite/0010_b.sql":   {Data: []byte("SELECT 1;")},
		"sqlite/0002_a.sql":   {Data: []byte("SELECT 1;")},
		"postgres/0001_c.sql": {Data: []byte("SELECT 1;")},
	}, "sqlite")
	if err != nil || n != 2 {
		t.Errorf("LoadMigrations = %d, %v; want 2 sqlite migrations", n, err)
	}
}

// A failing migration is rolled back as a whole and not recorded.
func TestFailingMigrationRollsBack(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fsys := fstest.MapFS{
			db.Dialect() + "/0900_broken.sql": {Data: []byte(
				"CREATE TABLE half_done (id INTEGER PRIMARY KEY);\nINSERT INTO no_such_table VALUES (1);")},
		}
		if err := db.MigrateFS(ctx, fsys); err == nil {
			t.Fatal("broken migration applied")
		}
		if err := db.ExecRaw(ctx, "SELECT * FROM half_done"); err == nil {
			t.Error("table of the failed migration exists")
		}
		fsys[db.Dialect()+"/0900_broken.sql"] = &fstest.MapFile{Data: []byte("CREATE TABLE half_done (id INTEGER PRIMARY KEY);")}
		must(t, db.MigrateFS(ctx, fsys))
		must(t, db.ExecRaw(ctx, "INSERT INTO half_done (id) VALUES (1)"))
	})
}
