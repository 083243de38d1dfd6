package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
	gosqlite "modernc.org/sqlite"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// UnavailableMessage is what users read while the database cannot be
// reached.
const UnavailableMessage = "Datenbank nicht erreichbar – bitte später erneut versuchen."

// SQLite primary result codes that mean the file cannot be used at all.
const (
	sqliteIOErr     = 10
	sqliteCantOpen  = 14
	sqliteNotADB    = 26
	sqlitePrimaryOf = 0xff
)

// isOutage reports whether err means that the database could not be
// reached or is not serving, as opposed to a fault of the statement: a
// refused, reset or broken connection, a closed pool, a timeout, or a
// server that is shutting down or starting up.
func isOutage(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var de *domain.Error
	if errors.As(err, &de) {
		return de.Code == domain.EUNAVAILABLE
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// Class 08: connection exception; 57P01-03: admin or crash
		// shutdown, cannot connect now (starting up or shutting down);
		// 53300: too many connections.
		c := pgErr.Code
		return strings.HasPrefix(c, "08") || c == "57P01" || c == "57P02" || c == "57P03" || c == "53300"
	}
	var connectErr *pgconn.ConnectError
	var netErr net.Error
	var sqlErr *gosqlite.Error
	switch {
	case errors.As(err, &connectErr), errors.As(err, &netErr), pgconn.Timeout(err):
		return true
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.EPIPE):
		return true
	case errors.As(err, &sqlErr):
		switch sqlErr.Code() & sqlitePrimaryOf {
		case sqliteIOErr, sqliteCantOpen, sqliteNotADB:
			return true
		}
		return false
	}
	// database/sql does not export these.
	msg := err.Error()
	return strings.Contains(msg, "sql: database is closed") || strings.Contains(msg, "conn closed")
}

// unavailable wraps an outage error as EUNAVAILABLE; other errors are
// returned unchanged. It is the one place where driver errors become that
// code: every statement passes through it (see watchOutages).
func unavailable(err error) error {
	var de *domain.Error
	if !isOutage(err) || (errors.As(err, &de) && de.Code == domain.EUNAVAILABLE) {
		return err
	}
	return &domain.Error{Code: domain.EUNAVAILABLE, Message: UnavailableMessage, Err: err}
}

// outage tracks whether the database is reachable, so that an outage is
// logged once when it begins and once when it ends, instead of once per
// failed statement.
type outage struct {
	log    *slog.Logger
	down   atomic.Bool
	mu     sync.Mutex
	since  time.Time
	failed int
}

// observe records the outcome of one statement.
func (o *outage) observe(err error) {
	switch {
	case err == nil || errors.Is(err, gorm.ErrRecordNotFound):
		if o.down.Load() {
			o.recovered()
		}
	case isOutage(err):
		o.mu.Lock()
		defer o.mu.Unlock()
		o.failed++
		if !o.down.Swap(true) {
			o.since = time.Now()
			o.log.Error("database unreachable; requests are answered with 503 until it is back", "err", err)
		}
	}
}

func (o *outage) recovered() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.down.Swap(false) {
		o.log.Info("database reachable again", "down_for", time.Since(o.since).Round(time.Millisecond), "failed_statements", o.failed)
		o.failed = 0
	}
}

// watchOutages maps outage errors of every statement to EUNAVAILABLE and
// feeds the outage state, in one callback after each kind of statement.
func (db *DB) watchOutages() error {
	after := func(tx *gorm.DB) {
		tx.Error = unavailable(tx.Error)
		db.outage.observe(tx.Error)
	}
	cb := db.gdb.Callback()
	for _, err := range []error{
		cb.Create().After("gorm:create").Register("strategieraum:outage", after),
		cb.Query().After("gorm:query").Register("strategieraum:outage", after),
		cb.Update().After("gorm:update").Register("strategieraum:outage", after),
		cb.Delete().After("gorm:delete").Register("strategieraum:outage", after),
		cb.Raw().After("gorm:raw").Register("strategieraum:outage", after),
		cb.Row().After("gorm:row").Register("strategieraum:outage", after),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

// quietOutages is GORM's logger without the line per failed statement
// during an outage; the outage itself is logged by watchOutages.
type quietOutages struct{ logger.Interface }

func (q quietOutages) LogMode(l logger.LogLevel) logger.Interface {
	return quietOutages{q.Interface.LogMode(l)}
}

func (q quietOutages) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	if isOutage(err) {
		return
	}
	q.Interface.Trace(ctx, begin, fc, err)
}
