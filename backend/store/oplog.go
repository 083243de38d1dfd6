package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
	gosqlite "modernc.org/sqlite"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// OpRow is one row of the op log with the code points its op inserted and
// deleted (stored so that history needs no OT work).
type OpRow struct {
	domain.CommittedOp
	Inserted int
	Deleted  int
}

// OpKey identifies a submitted op across reconnects.
type OpKey struct {
	ClientID string
	Seq      int64
}

// SectionHead is a section's version and status.
type SectionHead struct {
	Version int64
	Status  domain.SectionStatus
}

// Snapshot is a section's full text at a version.
type Snapshot struct {
	Version int64
	Text    string
}

// OpLogTx is a transaction that holds one section's row lock. Its methods
// run on the transaction's connection with plain SQL, bypassing GORM on
// this hot path.
type OpLogTx struct {
	ctx     context.Context
	pool    gorm.ConnPool
	pg      bool
	section int64
}

// errVersionMoved reports that the section row changed under a commit,
// which the row lock should make impossible; the commit is retried.
var errVersionMoved = errors.New("store: section version moved during commit")

// IsRetryable reports whether an op-log transaction failed for a reason a
// retry from a fresh read can fix: a unique violation (another instance
// committed the same version), a serialisation failure or deadlock on
// PostgreSQL, a busy SQLite database, or a moved section version.
func IsRetryable(err error) bool {
	if err == nil {
		return false
	}
	if IsUniqueViolation(err) || errors.Is(err, errVersionMoved) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "40001" || pgErr.Code == "40P01"
	}
	var sqlErr *gosqlite.Error
	if errors.As(err, &sqlErr) {
		code := sqlErr.Code() & 0xff
		return code == 5 || code == 6 // SQLITE_BUSY, SQLITE_LOCKED
	}
	return false
}

// LockSectionForOps runs fn in one transaction that holds the section's row
// lock (SELECT … FOR UPDATE on PostgreSQL; SQLite transactions are
// IMMEDIATE and so already exclusive). fn's writes commit only if it returns
// nil. ENOTFOUND if the section does not exist.
func (db *DB) LockSectionForOps(ctx context.Context, sectionID int64, fn func(tx *OpLogTx, head SectionHead) error) error {
	err := db.tx(ctx, func(g *gorm.DB) error {
		t := &OpLogTx{ctx: ctx, pool: g.Statement.ConnPool, pg: db.dialect == DialectPostgres, section: sectionID}
		q := "SELECT version, status FROM sections WHERE id = ?"
		if t.pg {
			q += " FOR UPDATE"
		}
		var head SectionHead
		err := t.pool.QueryRowContext(ctx, t.sql(q), sectionID).Scan(&head.Version, &head.Status)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("Der Abschnitt wurde nicht gefunden.")
		} else if err != nil {
			return fmt.Errorf("lock section: %w", err)
		}
		return fn(t, head)
	})
	if err != nil && domain.ErrorCode(err) == domain.EINTERNAL {
		return fmt.Errorf("store: op log section %d: %w", sectionID, err)
	}
	return err
}

// Text returns the section's current text.
func (t *OpLogTx) Text() (string, error) {
	var text string
	if err := t.pool.QueryRowContext(t.ctx, t.sql("SELECT text FROM sections WHERE id = ?"), t.section).Scan(&text); err != nil {
		return "", fmt.Errorf("read section text: %w", err)
	}
	return text, nil
}

// OpsSince returns up to limit ops with version >= from, in version order.
func (t *OpLogTx) OpsSince(from int64, limit int) ([]*OpRow, error) {
	return queryOps(t.ctx, t.pool, t.sql(opColumns+" WHERE section_id = ? AND version >= ? ORDER BY version LIMIT ?"),
		t.section, from, limit)
}

// FindOps returns the already committed ops among keys.
func (t *OpLogTx) FindOps(keys []OpKey) (map[OpKey]*OpRow, error) {
	found := make(map[OpKey]*OpRow)
	if len(keys) == 0 {
		return found, nil
	}
	var b strings.Builder
	args := make([]any, 0, 1+2*len(keys))
	args = append(args, t.section)
	b.WriteString(opColumns + " WHERE section_id = ? AND (client_id, seq) IN (")
	if !t.pg {
		b.WriteString("VALUES ") // SQLite wants a subquery on the right of a row-value IN
	}
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?, ?)")
		args = append(args, k.ClientID, k.Seq)
	}
	b.WriteByte(')')
	rows, err := queryOps(t.ctx, t.pool, t.sql(b.String()), args...)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		found[OpKey{ClientID: r.ClientID, Seq: r.Seq}] = r
	}
	return found, nil
}

// AppendOps inserts ops (consecutive versions starting at the section's
// current version) and snaps, and sets the section's text, version and
// updated_at, all in this transaction.
func (t *OpLogTx) AppendOps(ops []*OpRow, text string, snaps []Snapshot, now time.Time) error {
	if len(ops) == 0 {
		return nil
	}
	now = utc(now)
	var stmts []statement
	var b strings.Builder
	b.WriteString("INSERT INTO ops (section_id, version, op, user_id, client_id, seq, inserted, deleted, created_at) VALUES ")
	args := make([]any, 0, 9*len(ops))
	for i, o := range ops {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?)")
		args = append(args, t.section, o.Version, string(o.Op), o.UserID, o.ClientID, o.Seq, o.Inserted, o.Deleted, utc(o.CreatedAt))
	}
	stmts = append(stmts, statement{b.String(), args})
	if len(snaps) > 0 {
		b.Reset()
		args = make([]any, 0, 4*len(snaps))
		b.WriteString("INSERT INTO snapshots (section_id, version, text, created_at) VALUES ")
		for i, s := range snaps {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString("(?, ?, ?, ?)")
			args = append(args, t.section, s.Version, s.Text, now)
		}
		b.WriteString(" ON CONFLICT DO NOTHING")
		stmts = append(stmts, statement{b.String(), args})
	}
	first, next := ops[0].Version, ops[len(ops)-1].Version+1
	update := statement{"UPDATE sections SET text = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?",
		[]any{text, next, now, t.section, first}}
	if t.pg {
		// One round trip: data-modifying CTEs all run, in one snapshot.
		update = withCTEs(stmts, update)
	} else {
		// SQLite is in-process, so separate statements cost no round trips.
		for _, st := range stmts {
			if _, err := t.pool.ExecContext(t.ctx, st.query, st.args...); err != nil {
				return fmt.Errorf("insert ops: %w", err)
			}
		}
	}
	res, err := t.pool.ExecContext(t.ctx, t.sql(update.query), update.args...)
	if err != nil {
		return fmt.Errorf("append ops: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("update section: %w", err)
	} else if n != 1 {
		return errVersionMoved
	}
	return nil
}

// statement is one SQL statement with its arguments.
type statement struct {
	query string
	args  []any
}

// withCTEs prefixes main with stmts as data-modifying CTEs.
func withCTEs(stmts []statement, main statement) statement {
	var b strings.Builder
	var args []any
	for i, st := range stmts {
		if i == 0 {
			b.WriteString("WITH ")
		} else {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "w%d AS (%s)", i, st.query)
		args = append(args, st.args...)
	}
	b.WriteByte(' ')
	b.WriteString(main.query)
	return statement{b.String(), append(args, main.args...)}
}

// sql rewrites '?' placeholders to PostgreSQL's $n. The statements passed
// here never hold '?' inside literals.
func (t *OpLogTx) sql(q string) string { return placeholders(q, t.pg) }

func placeholders(q string, pg bool) string {
	if !pg {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// opColumns selects every column of OpRow.
const opColumns = "SELECT section_id, version, op, user_id, client_id, seq, inserted, deleted, created_at FROM ops"

// queryOps runs a query over opColumns and scans the rows.
func queryOps(ctx context.Context, pool gorm.ConnPool, q string, args ...any) ([]*OpRow, error) {
	rows, err := pool.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("query ops: %w", err)
	}
	defer rows.Close()
	var out []*OpRow
	for rows.Next() {
		r := &OpRow{}
		var op string
		if err := rows.Scan(&r.SectionID, &r.Version, &op, &r.UserID, &r.ClientID, &r.Seq, &r.Inserted, &r.Deleted, &r.CreatedAt); err != nil {
			return nil, fmt.Errorf("scan op: %w", err)
		}
		r.Op = []byte(op)
		r.CreatedAt = r.CreatedAt.UTC()
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query ops: %w", err)
	}
	return out, nil
}

// AppendOpsIfCurrent is AppendOps as one statement with no explicit
// transaction, for the common case that this instance's cache is current:
// it writes only if the section is still at ops[0].Version and not final,
// and reports whether it wrote. One round trip instead of four (BEGIN,
// lock, write, COMMIT). PostgreSQL only: SQLite has no data-modifying
// CTEs, and there the locked path costs no round trips anyway.
func (db *DB) AppendOpsIfCurrent(ctx context.Context, sectionID int64, ops []*OpRow, text string, snaps []Snapshot, now time.Time) (bool, error) {
	if db.dialect != DialectPostgres {
		return false, nil
	}
	if len(ops) == 0 {
		return true, nil
	}
	now = utc(now)
	first, next := ops[0].Version, ops[len(ops)-1].Version+1
	var b strings.Builder
	args := make([]any, 0, 5+9*len(ops)+4*len(snaps))
	b.WriteString("WITH upd AS (UPDATE sections SET text = ?, version = ?, updated_at = ? " +
		"WHERE id = ? AND version = ? AND status <> 'final' RETURNING id), " +
		"new_ops AS (INSERT INTO ops (section_id, version, op, user_id, client_id, seq, inserted, deleted, created_at) " +
		"SELECT * FROM (VALUES ")
	args = append(args, text, next, now, sectionID, first)
	for i, o := range ops {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?::bigint, ?::bigint, ?::text, ?::bigint, ?::text, ?::bigint, ?::integer, ?::integer, ?::timestamptz)")
		args = append(args, sectionID, o.Version, string(o.Op), o.UserID, o.ClientID, o.Seq, o.Inserted, o.Deleted, utc(o.CreatedAt))
	}
	b.WriteString(") AS v WHERE EXISTS (SELECT 1 FROM upd))")
	if len(snaps) > 0 {
		b.WriteString(", new_snaps AS (INSERT INTO snapshots (section_id, version, text, created_at) SELECT * FROM (VALUES ")
		for i, s := range snaps {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString("(?::bigint, ?::bigint, ?::text, ?::timestamptz)")
			args = append(args, sectionID, s.Version, s.Text, now)
		}
		b.WriteString(") AS v WHERE EXISTS (SELECT 1 FROM upd) ON CONFLICT DO NOTHING)")
	}
	b.WriteString(" SELECT count(*) FROM upd")
	sqlDB, err := db.gdb.DB()
	if err != nil {
		return false, fmt.Errorf("store: pool: %w", err)
	}
	var n int
	if err := sqlDB.QueryRowContext(ctx, placeholders(b.String(), true), args...).Scan(&n); err != nil {
		return false, fmt.Errorf("store: op log section %d: append ops: %w", sectionID, err)
	}
	return n == 1, nil
}
