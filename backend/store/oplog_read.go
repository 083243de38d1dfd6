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
		return fn(db.opLogTx(ctx, g.Statement.ConnPool, doc, tbl))
	})
	return db.opLogError(doc, err)
}

// head reads the document's version, final state and the version its
// stored text is at and, if withText, that stored text when it is current
// (nil when it is not, or not asked for).
func (t *OpLogTx) head(withText bool) (domain.DocHead, *string, error) {
	var h domain.DocHead
	var text sql.NullString
	var err error
	if withText {
		err = t.pool.QueryRowContext(t.ctx, t.sql(t.tbl.headText), t.doc.ID).Scan(&h.Version, &h.Final, &h.TextVersion, &text)
	} else {
		err = t.pool.QueryRowContext(t.ctx, t.sql(t.tbl.head), t.doc.ID).Scan(&h.Version, &h.Final, &h.TextVersion)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return h, nil, notFound("%s", t.tbl.notFound)
	} else if err != nil {
		return h, nil, fmt.Errorf("read document: %w", err)
	}
	if !text.Valid {
		return h, nil, nil
	}
	return h, &text.String, nil
}

// rebuild returns the document's text at version v. The head row holds the
// text as of version stored (which lags behind the head while a long text
// is edited); text is that stored text if the caller has read it, nil to
// read it here when needed. The base is the newer of the stored text (if
// it is not after v) and the newest snapshot at or before v; the ops
// since are replayed on it. Every read of a document's text goes through
// here, so that none depends on when a long text was last written.
func (t *OpLogTx) rebuild(v, stored int64, text *string) (string, error) {
	if stored == v && text != nil {
		return *text, nil
	}
	after := int64(-1) // a snapshot newer than this is the base
	if stored <= v {
		after = stored
	}
	var from int64
	var base string
	err := t.pool.QueryRowContext(t.ctx, t.sql(t.tbl.snapshotIn), t.doc.ID, after, v).Scan(&from, &base)
	switch {
	case err == nil:
	case !errors.Is(err, sql.ErrNoRows):
		return "", fmt.Errorf("read snapshot: %w", err)
	case stored > v:
		return "", domain.Invalid("v", fmt.Sprintf("Version %d ist nicht gespeichert.", v))
	case text != nil:
		from, base = stored, *text
	default:
		var now int64
		if err := t.pool.QueryRowContext(t.ctx, t.sql(t.tbl.storedText), t.doc.ID).Scan(&now, &base); errors.Is(err, sql.ErrNoRows) {
			return "", notFound("%s", t.tbl.notFound)
		} else if err != nil {
			return "", fmt.Errorf("read document text: %w", err)
		}
		if now != stored {
			// Flushed since the head was read (outside a locked
			// transaction): start again from the newer text.
			return t.rebuild(v, now, &base)
		}
		from = stored
	}
	return t.replay(base, from, v)
}

// replay applies the ops at versions from .. v-1 to base, the text at from.
func (t *OpLogTx) replay(base string, from, v int64) (string, error) {
	if from == v {
		return base, nil
	}
	ops, err := t.OpsSince(from, int(v-from))
	if err != nil {
		return "", err
	}
	if int64(len(ops)) != v-from {
		return "", fmt.Errorf("op log has %d ops in [%d, %d)", len(ops), from, v)
	}
	// One pass over the text: the ops are composed first, so that edits
	// all over a long text do not each move through it.
	var all ot.Op
	for i, o := range ops {
		op, err := ot.Parse(o.Op)
		if err == nil && i == 0 {
			all = op
		} else if err == nil {
			all, err = ot.Compose(all, op)
		}
		if err != nil {
			return "", fmt.Errorf("replay op %d: %w", o.Version, err)
		}
	}
	text, err := ot.Apply(base, all)
	if err != nil {
		return "", fmt.Errorf("replay ops %d to %d: %w", from, v-1, err)
	}
	return text, nil
}

// headText returns the text at version of the document doc whose head row
// g read with the text stored as of textVersion (text: that text, or nil
// if it was not read): the stored text, or the text rebuilt from it or a
// newer snapshot (see rebuild). For readers that load a section or
// statement row through GORM.
func (db *DB) headText(g *gorm.DB, doc domain.DocKey, version, textVersion int64, text *string) (string, error) {
	if textVersion == version && text != nil {
		return *text, nil
	}
	tbl, err := tableOf(doc)
	if err != nil {
		return "", err
	}
	out, err := db.opLogTx(g.Statement.Context, g.Statement.ConnPool, doc, tbl).rebuild(version, textVersion, text)
	return out, db.opLogError(doc, err)
}

// DocText returns a document's version, final state and current text.
// ENOTFOUND if it does not exist.
func (db *DB) DocText(ctx context.Context, doc domain.DocKey) (domain.DocHead, string, error) {
	var (
		h    domain.DocHead
		text string
	)
	err := db.readTx(ctx, doc, func(t *OpLogTx) error {
		head, stored, err := t.head(true)
		if err != nil {
			return err
		}
		h = head
		text, err = t.rebuild(h.Version, h.TextVersion, stored)
		return err
	})
	return h, text, err
}

// DocHead returns a document's version and final state without its text.
// ENOTFOUND if it does not exist.
func (db *DB) DocHead(ctx context.Context, doc domain.DocKey) (domain.DocHead, error) {
	tbl, err := tableOf(doc)
	if err != nil {
		return domain.DocHead{}, err
	}
	h, _, err := db.opLogTx(ctx, db.conn(ctx).Statement.ConnPool, doc, tbl).head(false) // one statement: no transaction needed
	return h, db.opLogError(doc, err)
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

// TextAt returns a document's text at version v: the stored text or the
// nearest snapshot at or below v with the ops after it replayed (see
// rebuild). EINVALID if v is out of range.
func (db *DB) TextAt(ctx context.Context, doc domain.DocKey, v int64) (string, error) {
	var text string
	err := db.readTx(ctx, doc, func(t *OpLogTx) error {
		h, _, err := t.head(false)
		if err != nil {
			return err
		}
		if v < 0 || v > h.Version {
			return domain.Invalid("v", fmt.Sprintf("Version %d gibt es nicht; das Dokument ist bei Version %d.", v, h.Version))
		}
		text, err = t.rebuild(v, h.TextVersion, nil)
		return err
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
