package store

import (
	"context"
	"io/fs"
)

// ExecRaw runs raw SQL, for tests that check what the schema itself refuses.
func (db *DB) ExecRaw(ctx context.Context, query string) error {
	return db.gdb.WithContext(ctx).Exec(query).Error
}

// MigrateFS applies the migrations in fsys instead of the embedded ones.
func (db *DB) MigrateFS(ctx context.Context, fsys fs.FS) error { return db.migrate(ctx, fsys) }

// LoadMigrations exposes loadMigrations.
var LoadMigrations = func(fsys fs.FS, dialect string) (int, error) {
	list, err := loadMigrations(fsys, dialect)
	return len(list), err
}
