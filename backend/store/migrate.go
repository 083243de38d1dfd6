package store

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/migrations"
)

// MigrationState describes one embedded migration and whether it has been
// applied to the database.
type MigrationState struct {
	Version   int        `json:"version"`
	Name      string     `json:"name"`
	Applied   bool       `json:"applied"`
	AppliedAt *time.Time `json:"applied_at"`
}

// migration is one SQL file.
type migration struct {
	version int
	name    string
	sql     string
}

// migrationRow maps schema_migrations.
type migrationRow struct {
	Version   int
	Name      string
	AppliedAt time.Time
}

func (migrationRow) TableName() string { return "schema_migrations" }

// migrationLockKey is the first half of the PostgreSQL advisory lock that
// serialises migrations; the second half is the schema, so instances
// migrating different schemas do not wait for each other.
const migrationLockKey = 0x5374 // "St"

// Migrate applies every pending migration in version order, each in its own
// transaction, and records it in schema_migrations. On PostgreSQL each
// transaction holds an advisory lock, so instances starting at once apply
// each migration exactly once.
func (db *DB) Migrate(ctx context.Context) error {
	return db.migrate(ctx, migrations.FS)
}

func (db *DB) migrate(ctx context.Context, fsys fs.FS) error {
	list, err := loadMigrations(fsys, db.dialect)
	if err != nil {
		return err
	}
	if err := db.refuseNewer(ctx, list); err != nil {
		return err
	}
	for _, m := range list {
		applied := false
		err := db.tx(ctx, func(tx *gorm.DB) error {
			if err := db.lockMigrations(tx); err != nil {
				return err
			}
			done, err := isApplied(tx, m.version)
			if err != nil || done {
				return err
			}
			if _, err := rawExec(tx, m.sql); err != nil {
				return err
			}
			applied = true
			return tx.Create(&migrationRow{Version: m.version, Name: m.name, AppliedAt: utc(db.now())}).Error
		})
		if err != nil {
			return fmt.Errorf("store: migration %04d_%s: %w", m.version, m.name, err)
		}
		if applied {
			db.logger.InfoContext(ctx, "migration applied", "version", m.version, "name", m.name)
		}
	}
	return nil
}

// refuseNewer returns an EINVALID error when the database holds migrations
// this binary does not know: a newer release has changed the schema, and
// running older code on it could corrupt data. The way back is a restore
// of the backup taken before the upgrade (docs/operations.md).
func (db *DB) refuseNewer(ctx context.Context, known []migration) error {
	var rows []migrationRow
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := db.lockMigrations(tx); err != nil {
			return err
		}
		return tx.Order("version").Find(&rows).Error
	})
	if err != nil {
		return fmt.Errorf("store: read schema_migrations: %w", err)
	}
	latest := 0
	if len(known) > 0 {
		latest = known[len(known)-1].version
	}
	// Only versions above the newest known one mean a newer release: an
	// older migration missing from this binary's set is not a schema it
	// cannot read.
	var unknown []string
	for _, r := range rows {
		if r.Version > latest {
			unknown = append(unknown, fmt.Sprintf("%04d_%s", r.Version, r.Name))
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	return domain.Errorf(domain.EINVALID,
		"the database has migrations this binary does not know (%s; this binary knows up to %04d): "+
			"it was used by a newer release; run that release, or restore the backup taken before the upgrade",
		strings.Join(unknown, ", "), latest)
}

// MigrationStatus lists every embedded migration with whether and when it
// was applied.
func (db *DB) MigrationStatus(ctx context.Context) ([]MigrationState, error) {
	list, err := loadMigrations(migrations.FS, db.dialect)
	if err != nil {
		return nil, err
	}
	var rows []migrationRow
	err = db.tx(ctx, func(tx *gorm.DB) error {
		if err := ensureMigrationsTable(tx); err != nil {
			return err
		}
		return tx.Order("version").Find(&rows).Error
	})
	if err != nil {
		return nil, fmt.Errorf("store: migration status: %w", err)
	}
	applied := make(map[int]time.Time, len(rows))
	for _, r := range rows {
		applied[r.Version] = r.AppliedAt.UTC()
	}
	out := make([]MigrationState, 0, len(list))
	for _, m := range list {
		st := MigrationState{Version: m.version, Name: m.name}
		if at, ok := applied[m.version]; ok {
			st.Applied, st.AppliedAt = true, &at
		}
		out = append(out, st)
	}
	return out, nil
}

// lockMigrations creates schema_migrations if needed while holding the
// migration lock for the rest of tx.
func (db *DB) lockMigrations(tx *gorm.DB) error {
	if db.dialect == DialectPostgres {
		if _, err := rawExec(tx, fmt.Sprintf(
			"SELECT pg_advisory_xact_lock(%d, hashtext(current_schema()))", migrationLockKey)); err != nil {
			return fmt.Errorf("advisory lock: %w", err)
		}
	}
	return ensureMigrationsTable(tx)
}

func ensureMigrationsTable(tx *gorm.DB) error {
	ts := "TIMESTAMPTZ"
	if tx.Dialector.Name() == "sqlite" {
		ts = "DATETIME"
	}
	_, err := rawExec(tx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at `+ts+` NOT NULL)`)
	if err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	return nil
}

func isApplied(tx *gorm.DB, version int) (bool, error) {
	var n int64
	if err := tx.Model(&migrationRow{}).Where("version = ?", version).Count(&n).Error; err != nil {
		return false, fmt.Errorf("read schema_migrations: %w", err)
	}
	return n > 0, nil
}

// rawExec runs SQL that may hold several statements (and '?' or '@' inside
// literals) on tx's connection, bypassing GORM's placeholder parsing.
func rawExec(tx *gorm.DB, query string) (sql.Result, error) {
	return tx.Statement.ConnPool.ExecContext(tx.Statement.Context, query)
}

// loadMigrations reads <dialect>/NNNN_name.sql from fsys in version order.
func loadMigrations(fsys fs.FS, dialect string) ([]migration, error) {
	files, err := fs.Glob(fsys, dialect+"/*.sql")
	if err != nil {
		return nil, fmt.Errorf("store: list migrations: %w", err)
	}
	var list []migration
	seen := map[int]string{}
	for _, f := range files {
		base := strings.TrimSuffix(path.Base(f), ".sql")
		num, name, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 || name == "" {
			return nil, fmt.Errorf("store: migration file %s: want NNNN_name.sql", f)
		}
		if other, dup := seen[v]; dup {
			return nil, fmt.Errorf("store: migrations %s and %s share version %d", other, f, v)
		}
		seen[v] = f
		body, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, fmt.Errorf("store: read migration %s: %w", f, err)
		}
		list = append(list, migration{version: v, name: name, sql: string(body)})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].version < list[j].version })
	return list, nil
}
