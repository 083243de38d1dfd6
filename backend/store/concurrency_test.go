package store_test

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// Several instances writing one SQLite file at once (as a server and a
// command-line tool would) must queue, never fail with "database is
// locked", even for transactions that read before they write.
func TestSQLiteWritersAcrossInstances(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	var dbs []*store.DB
	for range 3 {
		db, err := store.Open(ctx, path, nil)
		must(t, err)
		t.Cleanup(func() { db.Close() })
		must(t, db.Migrate(ctx))
		dbs = append(dbs, db)
	}
	u := newUser(t, dbs[0], "last@hessen.de", "HE", domain.RoleLand)
	const perWorker = 15
	var wg sync.WaitGroup
	errs := make(chan error, len(dbs)*2*perWorker)
	for i, db := range dbs {
		for w := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := range perWorker {
					name := fmt.Sprintf("Name %d-%d-%d", i, w, j)
					if _, err := db.UpdateUser(ctx, u.ID, domain.UserUpdate{Name: &name}); err != nil {
						errs <- err
					}
					if err := db.AppendAudit(ctx, &domain.AuditEvent{Action: "test", Target: name}); err != nil {
						errs <- err
					}
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	events, err := dbs[1].FindAuditEvents(ctx, domain.AuditFilter{Action: "test", Limit: 1000})
	must(t, err)
	if want := len(dbs) * 2 * perWorker; len(events) != want {
		t.Errorf("%d audit events, want %d", len(events), want)
	}
}

// Each PostgreSQL test database is a schema of its own.
func TestPostgresSchemasAreIsolated(t *testing.T) {
	a := storetest.OpenPostgres(t)
	b := storetest.OpenPostgres(t)
	newStrategy(t, a, "Nur in A")
	list, err := b.FindStrategies(ctx)
	must(t, err)
	if len(list) != 0 {
		t.Errorf("schema B sees %d strategies of schema A", len(list))
	}
}
