package store_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
	"github.com/strategieraum/strategieraum/migrations"
)

// A database migrated by a newer release is refused, naming its unknown
// migrations and the newest one this binary knows.
func TestMigrateRefusesNewerDatabase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		newer := fstest.MapFS{}
		files, err := migrations.FS.ReadDir(db.Dialect())
		must(t, err)
		for _, f := range files {
			body, err := migrations.FS.ReadFile(db.Dialect() + "/" + f.Name())
			must(t, err)
			newer[db.Dialect()+"/"+f.Name()] = &fstest.MapFile{Data: body}
		}
		newer[db.Dialect()+"/9999_from_the_future.sql"] = &fstest.MapFile{Data: []byte("CREATE TABLE future (id INTEGER);")}
		must(t, db.MigrateFS(ctx, newer))
		err = db.Migrate(ctx)
		wantCode(t, err, domain.EINVALID)
		if !strings.Contains(err.Error(), "9999_from_the_future") || !strings.Contains(err.Error(), "knows up to") {
			t.Fatalf("error does not name the versions: %v", err)
		}
	})
}
