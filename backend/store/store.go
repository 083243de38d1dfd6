// Package store implements the domain's storage services on SQLite or
// PostgreSQL through GORM. The schema is owned by the embedded SQL files in
// migrations/; GORM only maps rows to the unexported row types in this
// package, which are converted to domain types at the boundary.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/libtnb/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// Dialect names returned by DB.Dialect.
const (
	DialectSQLite   = "sqlite"
	DialectPostgres = "postgres"
)

// DB is a connection pool to the Strategieraum database. It implements the
// domain's UserService, SessionService, StrategyService and AuditService.
type DB struct {
	gdb     *gorm.DB
	dialect string
	logger  *slog.Logger
	// now is the clock for timestamps the store sets itself.
	now    func() time.Time
	outage *outage
	// mailOn: events queue their mails (see EnableMail).
	mailOn atomic.Bool
}

var (
	_ domain.UserService     = (*DB)(nil)
	_ domain.SessionService  = (*DB)(nil)
	_ domain.StrategyService = (*DB)(nil)
	_ domain.AuditService    = (*DB)(nil)
	_ domain.Pinger          = (*DB)(nil)
)

// Open connects to url: "postgres://…" or "postgresql://…" selects
// PostgreSQL, anything else is an SQLite file path, optionally prefixed with
// "sqlite:" or "file:". It does not migrate; call Migrate.
func Open(ctx context.Context, url string, log *slog.Logger) (*DB, error) {
	if strings.TrimSpace(url) == "" {
		return nil, errors.New("store: empty database url")
	}
	if log == nil {
		log = slog.Default()
	}
	cfg := &gorm.Config{
		Logger: quietOutages{logger.NewSlogLogger(log, logger.Config{
			SlowThreshold:             500 * time.Millisecond,
			LogLevel:                  logger.Warn,
			IgnoreRecordNotFoundError: true,
			ParameterizedQueries:      true, // never log values: they may hold personal data
		})},
		NowFunc:                func() time.Time { return utc(time.Now()) },
		SkipDefaultTransaction: true, // every write runs in an explicit transaction
	}
	db := &DB{logger: log, now: time.Now, outage: &outage{log: log.With("component", "store")}}
	var err error
	if isPostgres(url) {
		db.dialect = DialectPostgres
		db.gdb, err = gorm.Open(postgres.Open(url), cfg)
	} else {
		db.dialect = DialectSQLite
		var dsn string
		if dsn, err = sqliteDSN(url); err == nil {
			db.gdb, err = gorm.Open(sqlite.Open(dsn), cfg)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", db.dialect, err)
	}
	if err := db.watchOutages(); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %w", err)
	}
	if err := db.configurePool(); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// sqliteDSN turns a path into a DSN with the pragmas every connection needs:
// WAL so readers never block the writer, a busy timeout, enforced foreign
// keys, and IMMEDIATE transactions so a transaction that reads before it
// writes cannot fail with "database is locked" when upgrading its lock.
// _time_format=sqlite writes times as "2006-01-02 15:04:05.999999999-07:00",
// sortable and exactly what the previous driver (glebarez/sqlite) wrote, so
// old and new rows compare and sort alike.
func sqliteDSN(url string) (string, error) {
	path := SQLitePath(url)
	if path == "" {
		return "", errors.New("store: empty sqlite path")
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return "", fmt.Errorf("store: create database directory: %w", err)
		}
	}
	return "file:" + path +
		"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)" +
		"&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)" +
		"&_txlock=immediate&_time_format=sqlite", nil
}

func (db *DB) configurePool() error {
	sqlDB, err := db.gdb.DB()
	if err != nil {
		return fmt.Errorf("store: pool: %w", err)
	}
	if db.dialect == DialectSQLite {
		// SQLite allows one writer at a time. A single connection makes the
		// pool queue writers in Go, so no caller ever sees "database is
		// locked"; WAL keeps other processes' readers unaffected.
		sqlDB.SetMaxOpenConns(1)
		sqlDB.SetMaxIdleConns(1)
		sqlDB.SetConnMaxLifetime(0)
		return nil
	}
	sqlDB.SetMaxOpenConns(16)
	sqlDB.SetMaxIdleConns(4)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	sqlDB.SetConnMaxLifetime(30 * time.Minute)
	return nil
}

// Dialect returns "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.dialect }

// Close closes the connection pool.
func (db *DB) Close() error {
	sqlDB, err := db.gdb.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Ping reports whether the database answers; EUNAVAILABLE if it does not.
func (db *DB) Ping(ctx context.Context) error {
	sqlDB, err := db.gdb.DB()
	if err == nil {
		err = sqlDB.PingContext(ctx)
	}
	db.outage.observe(err)
	if err != nil {
		return &domain.Error{Code: domain.EUNAVAILABLE, Message: UnavailableMessage, Err: err}
	}
	return nil
}

// tx runs fn in a transaction: committed if fn returns nil, rolled back
// otherwise (and on panic).
func (db *DB) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return db.runTx(ctx, nil, fn)
}

// snapshotTx runs fn in a read-only transaction: one consistent snapshot for
// reads that take several queries. On SQLite it does not take the write
// lock, so it never waits for writers.
func (db *DB) snapshotTx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return db.runTx(ctx, &sql.TxOptions{ReadOnly: true}, fn)
}

func (db *DB) runTx(ctx context.Context, opts *sql.TxOptions, fn func(tx *gorm.DB) error) error {
	var tx *gorm.DB
	if opts != nil {
		tx = db.gdb.WithContext(ctx).Begin(opts)
	} else {
		tx = db.gdb.WithContext(ctx).Begin()
	}
	if tx.Error != nil {
		// Without a connection nothing else can work; say so rather than
		// reporting an internal error.
		db.outage.observe(tx.Error)
		return &domain.Error{Code: domain.EUNAVAILABLE, Message: UnavailableMessage, Err: fmt.Errorf("begin: %w", tx.Error)}
	}
	committed := false
	defer func() {
		if !committed {
			tx.Rollback()
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit().Error; err != nil {
		db.outage.observe(err)
		return fmt.Errorf("commit: %w", unavailable(err))
	}
	committed = true
	return nil
}

// conn returns a session for single-statement reads.
func (db *DB) conn(ctx context.Context) *gorm.DB { return db.gdb.WithContext(ctx) }

// utc normalises t to what both dialects store: UTC, microsecond precision.
func utc(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// utcPtr is utc for optional times.
func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := utc(*t)
	return &u
}
