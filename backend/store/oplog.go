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

// docTable says where one kind of live document keeps its head (version,
// and the text as of text_version, on the document's own row) and its op
// log and snapshots, with every statement of the op log's hot path built
// once.
type docTable struct {
	kind     domain.DocKind
	notFound string // the ENOTFOUND message

	lock, lockPG, head, headText, storedText string // read the head row
	opsSince, findOps, insertOps             string
	insertSnaps, update, updateIfCurrent     string
	updateVersion, updateVersionIfCurrent    string
	flush, snapshotIn, revisionOps           string
	opColumns, opsBefore                     string
}

// newDocTable builds the statements for a head table (with its text
// column, the column saying at which version that text is current, the
// version column and the SQL condition that marks it final) and its op
// log and snapshot tables, keyed by keyCol.
// A flush writes only rows that are not frozen (frozen: a condition, or
// "" for none): a submitted statement's row refuses every update, and its
// text was stored when it was submitted.
func newDocTable(kind domain.DocKind, head, textCol, textVersionCol, versionCol, final, frozen, ops, snaps, keyCol, notFound string) *docTable {
	t := &docTable{kind: kind, notFound: notFound}
	headCols := fmt.Sprintf("SELECT %s, (%s), %s FROM %s WHERE id = ?", versionCol, final, textVersionCol, head)
	t.lock = headCols
	t.lockPG = headCols + " FOR UPDATE"
	t.head = headCols
	t.headText = fmt.Sprintf("SELECT %s, (%s), %s, %s FROM %s WHERE id = ?",
		versionCol, final, textVersionCol, currentText(textCol, textVersionCol, versionCol, "NULL"), head)
	t.storedText = fmt.Sprintf("SELECT %s, %s FROM %s WHERE id = ?", textVersionCol, textCol, head)
	t.opColumns = fmt.Sprintf("SELECT %s, version, op, user_id, client_id, seq, inserted, deleted, created_at FROM %s", keyCol, ops)
	t.opsSince = t.opColumns + fmt.Sprintf(" WHERE %s = ? AND version >= ? ORDER BY version LIMIT ?", keyCol)
	t.findOps = t.opColumns + fmt.Sprintf(" WHERE %s = ? AND (client_id, seq) IN (", keyCol)
	t.insertOps = fmt.Sprintf("INSERT INTO %s (%s, version, op, user_id, client_id, seq, inserted, deleted, created_at)", ops, keyCol)
	t.insertSnaps = fmt.Sprintf("INSERT INTO %s (%s, version, text, created_at)", snaps, keyCol)
	t.update = fmt.Sprintf("UPDATE %s SET %s = ?, %s = ?, %s = ?, updated_at = ? WHERE id = ? AND %s = ?", head, textCol, textVersionCol, versionCol, versionCol)
	t.updateIfCurrent = t.update + fmt.Sprintf(" AND NOT (%s) RETURNING id", final)
	t.updateVersion = fmt.Sprintf("UPDATE %s SET %s = ?, updated_at = ? WHERE id = ? AND %s = ?", head, versionCol, versionCol)
	t.updateVersionIfCurrent = t.updateVersion + fmt.Sprintf(" AND NOT (%s) RETURNING id", final)
	t.flush = fmt.Sprintf("UPDATE %s SET %s = ?, %s = ? WHERE id = ? AND %s < ? AND %s >= ?", head, textCol, textVersionCol, textVersionCol, versionCol)
	if frozen != "" {
		t.flush += fmt.Sprintf(" AND NOT (%s)", frozen)
	}
	t.snapshotIn = fmt.Sprintf("SELECT version, text FROM %s WHERE %s = ? AND version > ? AND version <= ? ORDER BY version DESC LIMIT 1", snaps, keyCol)
	t.revisionOps = fmt.Sprintf("SELECT version, user_id, client_id, inserted, deleted, created_at FROM %s WHERE %s = ? AND version < ? ORDER BY version DESC LIMIT ?", ops, keyCol)
	t.opsBefore = fmt.Sprintf("SELECT COUNT(*) FROM %s WHERE %s = ? AND created_at < ?", ops, keyCol)
	return t
}

// docTables holds the tables of every kind of live document.
var docTables = map[domain.DocKind]*docTable{
	domain.DocSection: newDocTable(domain.DocSection, "sections", "text", "text_version", "version", "status = 'final'", "",
		"ops", "snapshots", "section_id", "Der Abschnitt wurde nicht gefunden."),
	domain.DocStatement: newDocTable(domain.DocStatement, "statements", "body", "body_version", "doc_version", "submitted_at IS NOT NULL",
		"submitted_at IS NOT NULL", "statement_ops", "statement_snapshots", "statement_id", "Die Stellungnahme wurde nicht gefunden."),
}

// tableOf returns the tables of doc's kind; ENOTFOUND for an unknown kind.
func tableOf(doc domain.DocKey) (*docTable, error) {
	if t := docTables[doc.Kind]; t != nil {
		return t, nil
	}
	return nil, notFound("Dieses Dokument gibt es nicht.")
}

// OpLogTx is a transaction that holds one document's row lock. Its methods
// run on the transaction's connection with plain SQL, bypassing GORM on
// this hot path.
type OpLogTx struct {
	ctx  context.Context
	pool gorm.ConnPool
	pg   bool
	doc  domain.DocKey
	tbl  *docTable
}

// opLogTx returns the op log's view of doc (table tbl) through pool, a
// transaction or the database.
func (db *DB) opLogTx(ctx context.Context, pool gorm.ConnPool, doc domain.DocKey, tbl *docTable) *OpLogTx {
	return &OpLogTx{ctx: ctx, pool: pool, pg: db.dialect == DialectPostgres, doc: doc, tbl: tbl}
}

// currentText is the SQL expression for a head row's text if it is current
// (its text version is its version), orElse if it lags: readers of a long
// text that lags rebuild it from a newer base and need not read it.
func currentText(textCol, textVersionCol, versionCol, orElse string) string {
	return fmt.Sprintf("CASE WHEN %s = %s THEN %s ELSE %s END", textVersionCol, versionCol, textCol, orElse)
}

// errVersionMoved reports that the document's row changed under a commit,
// which the row lock should make impossible; the commit is retried.
var errVersionMoved = errors.New("store: document version moved during commit")

// IsRetryable reports whether an op-log transaction failed for a reason a
// retry from a fresh read can fix: a unique violation (another instance
// committed the same version), a serialisation failure or deadlock on
// PostgreSQL, a busy SQLite database, or a moved document version.
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

// LockDoc runs fn in one transaction that holds the document's row lock
// (SELECT … FOR UPDATE on PostgreSQL; SQLite transactions are IMMEDIATE
// and so already exclusive). fn's writes commit only if it returns nil.
// ENOTFOUND if the document does not exist.
func (db *DB) LockDoc(ctx context.Context, doc domain.DocKey, fn func(tx domain.OpLogTx, head domain.DocHead) error) error {
	tbl, err := tableOf(doc)
	if err != nil {
		return err
	}
	err = db.tx(ctx, func(g *gorm.DB) error {
		t := db.opLogTx(ctx, g.Statement.ConnPool, doc, tbl)
		q := tbl.lock
		if t.pg {
			q = tbl.lockPG
		}
		var head domain.DocHead
		err := t.pool.QueryRowContext(ctx, t.sql(q), doc.ID).Scan(&head.Version, &head.Final, &head.TextVersion)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("%s", tbl.notFound)
		} else if err != nil {
			return fmt.Errorf("lock document: %w", err)
		}
		return fn(t, head)
	})
	return db.opLogError(doc, err)
}

// opLogError classifies an error of the op log's plain-SQL paths, which
// bypass GORM's callbacks: a lost database becomes EUNAVAILABLE (and is
// recorded as an outage), anything else unexpected is wrapped with the
// document.
func (db *DB) opLogError(doc domain.DocKey, err error) error {
	if err == nil {
		return nil
	}
	if err = unavailable(err); domain.ErrorCode(err) == domain.EUNAVAILABLE {
		db.outage.observe(err)
		return err
	}
	if domain.ErrorCode(err) == domain.EINTERNAL {
		return fmt.Errorf("store: op log %s: %w", doc, err)
	}
	return err
}

// Text returns the document's text at its head version, rebuilt when the
// stored text is older (see rebuild).
func (t *OpLogTx) Text() (string, error) {
	h, text, err := t.head(true)
	if err != nil {
		return "", err
	}
	return t.rebuild(h.Version, h.TextVersion, text)
}

// OpsSince returns up to limit ops with version >= from, in version order.
func (t *OpLogTx) OpsSince(from int64, limit int) ([]*domain.LoggedOp, error) {
	return queryOps(t.ctx, t.pool, t.doc.Kind, t.sql(t.tbl.opsSince), t.doc.ID, from, limit)
}

// FindOps returns the already committed ops among keys.
func (t *OpLogTx) FindOps(keys []domain.OpKey) (map[domain.OpKey]*domain.LoggedOp, error) {
	found := make(map[domain.OpKey]*domain.LoggedOp)
	if len(keys) == 0 {
		return found, nil
	}
	var b strings.Builder
	args := make([]any, 0, 1+2*len(keys))
	args = append(args, t.doc.ID)
	b.WriteString(t.tbl.findOps)
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
	rows, err := queryOps(t.ctx, t.pool, t.doc.Kind, t.sql(b.String()), args...)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		found[domain.OpKey{ClientID: r.ClientID, Seq: r.Seq}] = r
	}
	return found, nil
}

// AppendOps inserts ops (consecutive versions starting at the document's
// current version) and snaps, and sets the document's version and
// updated_at and, if text is not nil, its text at the new version, all in
// this transaction.
func (t *OpLogTx) AppendOps(ops []*domain.LoggedOp, text *string, snaps []domain.DocSnapshot, now time.Time) error {
	if len(ops) == 0 {
		return nil
	}
	now = utc(now)
	var stmts []statement
	var b strings.Builder
	b.WriteString(t.tbl.insertOps + " VALUES ")
	args := make([]any, 0, 9*len(ops))
	for i, o := range ops {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?)")
		args = append(args, t.doc.ID, o.Version, string(o.Op), o.UserID, o.ClientID, o.Seq, o.Inserted, o.Deleted, utc(o.CreatedAt))
	}
	stmts = append(stmts, statement{b.String(), args})
	if len(snaps) > 0 {
		b.Reset()
		args = make([]any, 0, 4*len(snaps))
		b.WriteString(t.tbl.insertSnaps + " VALUES ")
		for i, s := range snaps {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString("(?, ?, ?, ?)")
			args = append(args, t.doc.ID, s.Version, s.Text, now)
		}
		b.WriteString(" ON CONFLICT DO NOTHING")
		stmts = append(stmts, statement{b.String(), args})
	}
	update := t.tbl.headUpdate(ops, text, now, t.doc.ID, false)
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
		return fmt.Errorf("update document: %w", err)
	} else if n != 1 {
		return errVersionMoved
	}
	return nil
}

// headUpdate is the update of the head row that commits ops: the new
// version, and the text with it if text is not nil. ifCurrent adds the
// check that the document is not final and returns its id.
func (tbl *docTable) headUpdate(ops []*domain.LoggedOp, text *string, now time.Time, id int64, ifCurrent bool) statement {
	first, next := ops[0].Version, ops[len(ops)-1].Version+1
	switch {
	case text != nil && ifCurrent:
		return statement{tbl.updateIfCurrent, []any{*text, next, next, now, id, first}}
	case text != nil:
		return statement{tbl.update, []any{*text, next, next, now, id, first}}
	case ifCurrent:
		return statement{tbl.updateVersionIfCurrent, []any{next, now, id, first}}
	default:
		return statement{tbl.updateVersion, []any{next, now, id, first}}
	}
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

// queryOps runs a query over a docTable's opColumns and scans the rows,
// which belong to documents of kind.
func queryOps(ctx context.Context, pool gorm.ConnPool, kind domain.DocKind, q string, args ...any) ([]*domain.LoggedOp, error) {
	rows, err := pool.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("query ops: %w", err)
	}
	defer rows.Close()
	var out []*domain.LoggedOp
	for rows.Next() {
		r := &domain.LoggedOp{}
		r.Doc.Kind = kind
		var op string
		if err := rows.Scan(&r.Doc.ID, &r.Version, &op, &r.UserID, &r.ClientID, &r.Seq, &r.Inserted, &r.Deleted, &r.CreatedAt); err != nil {
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

// ConditionalAppend reports whether AppendIfCurrent can write: on
// PostgreSQL only, which has data-modifying CTEs; on SQLite the locked path
// costs no round trips anyway.
func (db *DB) ConditionalAppend() bool { return db.dialect == DialectPostgres }

// AppendIfCurrent is AppendOps as one statement with no explicit
// transaction, for the common case that this instance's cache is current:
// it writes only if the document is still at ops[0].Version and not final,
// and reports whether it wrote. One round trip instead of four (BEGIN,
// lock, write, COMMIT). Only where ConditionalAppend; elsewhere it writes
// nothing and reports false.
func (db *DB) AppendIfCurrent(ctx context.Context, doc domain.DocKey, ops []*domain.LoggedOp, text *string, snaps []domain.DocSnapshot, now time.Time) (bool, error) {
	tbl, err := tableOf(doc)
	if err != nil || !db.ConditionalAppend() {
		return false, err
	}
	if len(ops) == 0 {
		return true, nil
	}
	now = utc(now)
	upd := tbl.headUpdate(ops, text, now, doc.ID, true)
	var b strings.Builder
	args := make([]any, 0, len(upd.args)+9*len(ops)+4*len(snaps))
	b.WriteString("WITH upd AS (" + upd.query + "), new_ops AS (" + tbl.insertOps + " SELECT * FROM (VALUES ")
	args = append(args, upd.args...)
	for i, o := range ops {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?::bigint, ?::bigint, ?::text, ?::bigint, ?::text, ?::bigint, ?::integer, ?::integer, ?::timestamptz)")
		args = append(args, doc.ID, o.Version, string(o.Op), o.UserID, o.ClientID, o.Seq, o.Inserted, o.Deleted, utc(o.CreatedAt))
	}
	b.WriteString(") AS v WHERE EXISTS (SELECT 1 FROM upd))")
	if len(snaps) > 0 {
		b.WriteString(", new_snaps AS (" + tbl.insertSnaps + " SELECT * FROM (VALUES ")
		for i, s := range snaps {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString("(?::bigint, ?::bigint, ?::text, ?::timestamptz)")
			args = append(args, doc.ID, s.Version, s.Text, now)
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
		return false, db.opLogError(doc, fmt.Errorf("append ops: %w", err))
	}
	return n == 1, nil
}

// FlushText stores text as the document's text at version v, unless the
// stored text is already at v or later (another instance flushed it) or the
// document has not reached v. text must be the text at v; the op log's
// writers pass the text they built by committing or replaying the log. It
// reports whether it wrote. The row is touched only by this one statement,
// so commits to the document wait for it at most while it is written, not
// while the caller builds the text.
func (db *DB) FlushText(ctx context.Context, doc domain.DocKey, v int64, text string) (bool, error) {
	tbl, err := tableOf(doc)
	if err != nil {
		return false, err
	}
	res, err := db.gdb.WithContext(ctx).Statement.ConnPool.ExecContext(ctx, placeholders(tbl.flush, db.dialect == DialectPostgres), text, v, doc.ID, v, v)
	if err != nil {
		return false, db.opLogError(doc, fmt.Errorf("flush text: %w", err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, db.opLogError(doc, fmt.Errorf("flush text: %w", err))
	}
	return n == 1, nil
}

// StoreSnapshot stores snap as a snapshot of doc unless one of its version
// is stored already; the version's op must be committed.
func (db *DB) StoreSnapshot(ctx context.Context, doc domain.DocKey, snap domain.DocSnapshot) error {
	tbl, err := tableOf(doc)
	if err != nil {
		return err
	}
	q := placeholders(tbl.insertSnaps+" VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", db.dialect == DialectPostgres)
	if _, err := db.gdb.WithContext(ctx).Statement.ConnPool.ExecContext(ctx, q, doc.ID, snap.Version, snap.Text, utc(db.now())); err != nil {
		return db.opLogError(doc, fmt.Errorf("store snapshot: %w", err))
	}
	return nil
}

// Retryable is IsRetryable, for the op log's storage interface.
func (db *DB) Retryable(err error) bool { return IsRetryable(err) }
