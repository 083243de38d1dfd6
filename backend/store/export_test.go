package store

import (
	"context"
	"io/fs"
	"time"
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

// SetClock replaces the store's clock.
func (db *DB) SetClock(now func() time.Time) { db.now = now }

// QueryText runs a query that returns one text column and returns its rows.
func (db *DB) QueryText(ctx context.Context, query string) ([]string, error) {
	var out []string
	err := db.gdb.WithContext(ctx).Raw(query).Scan(&out).Error
	return out, err
}
