package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/migrations"
)

// Backup writes a consistent copy of the SQLite database to the new file
// out with VACUUM INTO. It reads one snapshot, so writers carry on while it
// runs and the copy holds every transaction committed before it started
// and none after. PostgreSQL is backed up with pg_dump (docs/operations.md):
// Backup returns EINVALID there. An existing out is refused (EINVALID).
func (db *DB) Backup(ctx context.Context, out string) error {
	if db.dialect != DialectSQLite {
		return domain.Errorf(domain.EINVALID, "backup of PostgreSQL: use pg_dump (see docs/operations.md)")
	}
	if out == "" {
		return domain.Errorf(domain.EINVALID, "no backup file given")
	}
	if _, err := os.Stat(out); err == nil {
		return domain.Errorf(domain.EINVALID, "%s exists; a backup never overwrites a file", out)
	}
	if dir := filepath.Dir(out); dir != "." {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return fmt.Errorf("store: backup directory: %w", err)
		}
	}
	if err := db.conn(ctx).Exec("VACUUM INTO ?", out).Error; err != nil {
		return fmt.Errorf("store: backup to %s: %w", out, err)
	}
	return nil
}

// RestoreSQLite restores the SQLite backup from into the database file to.
// The backup file is not modified: it is copied beside to, checked there
// (integrity, a schema this binary knows) and then renamed into place. A
// to that exists and is not empty is refused (EINVALID) unless force is
// set; then it is replaced together with its -wal and -shm files, which is
// only safe while no server uses it.
func RestoreSQLite(ctx context.Context, from, to string, force bool) error {
	if from == "" || to == "" {
		return domain.Errorf(domain.EINVALID, "restore needs a backup file and a database path")
	}
	if isPostgres(to) {
		return domain.Errorf(domain.EINVALID, "restore into PostgreSQL: use pg_restore (see docs/operations.md)")
	}
	to = SQLitePath(to)
	if st, err := os.Stat(to); err == nil && st.Size() > 0 && !force {
		return domain.Errorf(domain.EINVALID, "%s is not empty; restore into a new path, or pass --force to replace it", to)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o750); err != nil {
		return fmt.Errorf("store: restore directory: %w", err)
	}
	tmp := to + ".restoring"
	if err := copyFile(from, tmp); err != nil {
		return err
	}
	defer func() {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(tmp + suffix)
		}
	}()
	if err := checkBackup(ctx, tmp); err != nil {
		return fmt.Errorf("%s is not a usable backup: %w", from, err)
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(to + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("store: remove old database: %w", err)
		}
	}
	if err := os.Rename(tmp, to); err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	return nil
}

// checkBackup opens the copy at path and checks that it is an intact
// Strategieraum database whose migrations this binary knows.
func checkBackup(ctx context.Context, path string) error {
	db, err := Open(ctx, path, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	var result string
	if err := db.conn(ctx).Raw("PRAGMA integrity_check").Scan(&result).Error; err != nil {
		return domain.Errorf(domain.EINVALID, "not an SQLite database (%v)", err)
	}
	if result != "ok" {
		return domain.Errorf(domain.EINVALID, "integrity check: %s", result)
	}
	var n int64
	if err := db.conn(ctx).Raw("SELECT count(*) FROM schema_migrations").Scan(&n).Error; err != nil || n == 0 {
		return domain.Errorf(domain.EINVALID, "no Strategieraum schema in it")
	}
	list, err := loadMigrations(migrations.FS, db.dialect)
	if err != nil {
		return err
	}
	if err := db.refuseNewer(ctx, list); err != nil {
		return err
	}
	// Fold the write-ahead log into the file, so the rename moves everything.
	return db.conn(ctx).Exec("PRAGMA wal_checkpoint(TRUNCATE)").Error
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return domain.Errorf(domain.EINVALID, "backup file: %v", err)
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return fmt.Errorf("store: restore: copy: %w", err)
	}
	return dst.Close()
}

// isPostgres reports whether url selects PostgreSQL (see Open).
func isPostgres(url string) bool {
	return strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://")
}

// SQLitePath returns the file path of an SQLite URL (see Open).
func SQLitePath(url string) string {
	path := strings.TrimPrefix(strings.TrimPrefix(url, "sqlite:"), "file:")
	path = strings.TrimPrefix(path, "//")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	return path
}
