package store

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
	gosqlite "modernc.org/sqlite"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// violation is the kind of constraint a driver error reports, independent
// of the dialect.
type violation int

const (
	noViolation violation = iota
	uniqueViolation
	foreignKeyViolation
	checkViolation
	notNullViolation
	triggerViolation // a trigger refused the statement (append-only tables)
)

// SQLite extended result codes (sqlite3.h).
const (
	sqliteConstraintCheck      = 275
	sqliteConstraintForeignKey = 787
	sqliteConstraintNotNull    = 1299
	sqliteConstraintPrimaryKey = 1555
	sqliteConstraintTrigger    = 1811
	sqliteConstraintUnique     = 2067
)

// classify reports which constraint err violates, for either driver.
func classify(err error) violation {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505":
			return uniqueViolation
		case "23503":
			return foreignKeyViolation
		case "23514":
			return checkViolation
		case "23502":
			return notNullViolation
		case "42501", "P0001":
			return triggerViolation
		}
		return noViolation
	}
	var sqlErr *gosqlite.Error
	if errors.As(err, &sqlErr) {
		switch sqlErr.Code() {
		case sqliteConstraintUnique, sqliteConstraintPrimaryKey:
			return uniqueViolation
		case sqliteConstraintForeignKey:
			return foreignKeyViolation
		case sqliteConstraintCheck:
			return checkViolation
		case sqliteConstraintNotNull:
			return notNullViolation
		case sqliteConstraintTrigger:
			return triggerViolation
		}
	}
	return noViolation
}

// IsUniqueViolation reports whether err comes from a unique or primary key
// constraint, on either dialect.
func IsUniqueViolation(err error) bool { return classify(err) == uniqueViolation }

// IsForeignKeyViolation reports whether err comes from a foreign key
// constraint, on either dialect.
func IsForeignKeyViolation(err error) bool { return classify(err) == foreignKeyViolation }

// notFound returns an ENOTFOUND error with a German message.
func notFound(format string, args ...any) *domain.Error {
	return domain.Errorf(domain.ENOTFOUND, format, args...)
}

// isNotFound reports whether err is GORM's "record not found".
func isNotFound(err error) bool { return errors.Is(err, gorm.ErrRecordNotFound) }

// mapConstraint turns a constraint violation into a domain error: ECONFLICT
// for duplicates, EINVALID for a dangling reference or a rejected value
// (naming field). Other errors are returned unchanged.
func mapConstraint(err error, field, conflictMsg, invalidMsg string) error {
	switch classify(err) {
	case uniqueViolation:
		return &domain.Error{Code: domain.ECONFLICT, Message: conflictMsg, Err: err}
	case foreignKeyViolation, checkViolation, notNullViolation:
		e := domain.Invalid(field, invalidMsg)
		e.Err = err
		return e
	}
	return err
}
