package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/ot"
)

// readTx runs fn in a transaction over plain SQL, so that reads of the
// document's row and its log see one state.
func (db *DB) readTx(ctx context.Context, doc domain.DocKey, fn func(t *OpLogTx) error) error {
	tbl, err := tableOf(doc)
	if err != nil {
		return err
	}
	err = db.tx(ctx, func(g *gorm.DB) error {
		return fn(&OpLogTx{ctx: ctx, pool: g.Statement.ConnPool, pg: db.dialect == DialectPostgres, doc: doc, tbl: tbl})
	})
	if err != nil && domain.ErrorCode(err) == domain.EINTERNAL {
		return fmt.Errorf("store: op log %s: %w", doc, err)
	}
	return err
}

// head reads the document's version and final state and, if withText, its
// text.
func (t *OpLogTx) head(withText bool) (domain.DocHead, string, error) {
	var h domain.DocHead
	var text string
	var err error
	if withText {
		err = t.pool.QueryRowContext(t.ctx, t.sql(t.tbl.headText), t.doc.ID).Scan(&h.Version, &h.Final, &text)
	} else {
		err = t.pool.QueryRowContext(t.ctx, t.sql(t.tbl.head), t.doc.ID).Scan(&h.Version, &h.Final)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return h, "", notFound("%s", t.tbl.notFound)
	} else if err != nil {
		return h, "", fmt.Errorf("read document: %w", err)
	}
	return h, text, nil
}

// DocText returns a document's version, final state and current text.
// ENOTFOUND if it does not exist.
func (db *DB) DocText(ctx context.Context, doc domain.DocKey) (domain.DocHead, string, error) {
	var (
		h    domain.DocHead
		text string
	)
	err := db.readTx(ctx, doc, func(t *OpLogTx) (err error) {
		h, text, err = t.head(true)
		return err
	})
	return h, text, err
}

// OpsSince returns up to limit ops of a document with version >= from, in
// version order. ENOTFOUND if the document does not exist.
func (db *DB) OpsSince(ctx context.Context, doc domain.DocKey, from int64, limit int) ([]*domain.LoggedOp, error) {
	var ops []*domain.LoggedOp
	err := db.readTx(ctx, doc, func(t *OpLogTx) (err error) {
		if ops, err = t.OpsSince(from, limit); err != nil || len(ops) > 0 {
			return err
		}
		_, _, err = t.head(false)
		return err
	})
	return ops, err
}

// FindOp returns the op a client submitted with seq. ENOTFOUND if there is
// none.
func (db *DB) FindOp(ctx context.Context, doc domain.DocKey, clientID string, seq int64) (*domain.LoggedOp, error) {
	var row *domain.LoggedOp
	err := db.readTx(ctx, doc, func(t *OpLogTx) error {
		key := domain.OpKey{ClientID: clientID, Seq: seq}
		found, err := t.FindOps([]domain.OpKey{key})
		row = found[key]
		return err
	})
	if err == nil && row == nil {
		err = notFound("Die Änderung wurde nicht gefunden.")
	}
	return row, err
}

// TextAt returns a document's text at version v: the nearest snapshot at or
// below v with the ops after it replayed. EINVALID if v is out of range.
func (db *DB) TextAt(ctx context.Context, doc domain.DocKey, v int64) (string, error) {
	var text string
	err := db.readTx(ctx, doc, func(t *OpLogTx) error {
		h, current, err := t.head(true)
		if err != nil {
			return err
		}
		if v < 0 || v > h.Version {
			return domain.Invalid("v", fmt.Sprintf("Version %d gibt es nicht; das Dokument ist bei Version %d.", v, h.Version))
		}
		if v == h.Version {
			text = current
			return nil
		}
		var from int64
		err = t.pool.QueryRowContext(t.ctx, t.sql(t.tbl.snapshotAt), t.doc.ID, v).Scan(&from, &text)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.Invalid("v", fmt.Sprintf("Version %d ist nicht gespeichert.", v))
		} else if err != nil {
			return fmt.Errorf("read snapshot: %w", err)
		}
		ops, err := t.OpsSince(from, int(v-from))
		if err != nil {
			return err
		}
		if int64(len(ops)) != v-from {
			return fmt.Errorf("op log has %d ops in [%d, %d)", len(ops), from, v)
		}
		for _, o := range ops {
			op, err := ot.Parse(o.Op)
			if err == nil {
				text, err = ot.Apply(text, op)
			}
			if err != nil {
				return fmt.Errorf("replay op %d: %w", o.Version, err)
			}
		}
		return nil
	})
	return text, err
}

// revisionPage is how many ops Revisions reads per query while grouping.
const revisionPage = 500

// Revisions returns up to limit revisions of a document ending at or before
// version before (0: the current version), newest first. A revision is a
// run of consecutive ops by one user with no pause longer than gap; a
// restore is a revision of its own.
// ENOTFOUND if the document does not exist.
func (db *DB) Revisions(ctx context.Context, doc domain.DocKey, before int64, limit int, gap time.Duration) ([]*domain.Revision, error) {
	var revs []*domain.Revision
	err := db.readTx(ctx, doc, func(t *OpLogTx) error {
		h, _, err := t.head(false)
		if err != nil {
			return err
		}
		if before <= 0 || before > h.Version {
			before = h.Version
		}
		if revs, err = t.groupRevisions(before, limit, gap); err != nil {
			return err
		}
		return t.nameAuthors(revs)
	})
	return revs, err
}

// groupRevisions walks the log backwards from version before-1, a page at a
// time, until limit revisions are complete or the log's start is reached.
func (t *OpLogTx) groupRevisions(before int64, limit int, gap time.Duration) ([]*domain.Revision, error) {
	var revs []*domain.Revision
	var cur *domain.Revision
	for before > 0 {
		rows, err := t.pool.QueryContext(t.ctx, t.sql(t.tbl.revisionOps), t.doc.ID, before, revisionPage)
		if err != nil {
			return nil, fmt.Errorf("read ops: %w", err)
		}
		n := 0
		for rows.Next() {
			var (
				v, user   int64
				client    string
				ins, del  int
				createdAt time.Time
			)
			if err := rows.Scan(&v, &user, &client, &ins, &del, &createdAt); err != nil {
				rows.Close()
				return nil, fmt.Errorf("scan op: %w", err)
			}
			n++
			before = v
			createdAt = createdAt.UTC()
			from, restore := domain.RestoredFrom(client)
			if cur != nil && !restore && cur.RestoredFrom == nil && cur.UserID == user && cur.StartedAt.Sub(createdAt) <= gap {
				cur.FromVersion, cur.StartedAt = v, createdAt
				cur.Inserted += ins
				cur.Deleted += del
				continue
			}
			if len(revs) == limit {
				rows.Close()
				return revs, nil // the last revision is complete: its predecessor differs
			}
			cur = &domain.Revision{FromVersion: v, ToVersion: v + 1, UserID: user, StartedAt: createdAt, EndedAt: createdAt, Inserted: ins, Deleted: del}
			if restore {
				cur.RestoredFrom = &from
			}
			revs = append(revs, cur)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("read ops: %w", err)
		}
		if n < revisionPage {
			break
		}
	}
	return revs, nil
}

// nameAuthors fills in each revision's user name and organisation code.
func (t *OpLogTx) nameAuthors(revs []*domain.Revision) error {
	if len(revs) == 0 {
		return nil
	}
	ids := map[int64]bool{}
	args := []any{}
	for _, r := range revs {
		if !ids[r.UserID] {
			ids[r.UserID] = true
			args = append(args, r.UserID)
		}
	}
	q := "SELECT u.id, u.name, o.code FROM users u JOIN organisations o ON o.id = u.org_id WHERE u.id IN (?" +
		strings.Repeat(", ?", len(args)-1) + ")"
	rows, err := t.pool.QueryContext(t.ctx, t.sql(q), args...)
	if err != nil {
		return fmt.Errorf("read authors: %w", err)
	}
	defer rows.Close()
	type author struct{ name, org string }
	authors := map[int64]author{}
	for rows.Next() {
		var id int64
		var a author
		if err := rows.Scan(&id, &a.name, &a.org); err != nil {
			return fmt.Errorf("scan author: %w", err)
		}
		authors[id] = a
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read authors: %w", err)
	}
	for _, r := range revs {
		a := authors[r.UserID]
		r.UserName, r.OrgCode = a.name, a.org
	}
	return nil
}
