package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/strategieraum/strategieraum/backend/domain"
)

var _ domain.ConsultationStore = (*DB)(nil)

type threadRow struct {
	ID              int64 `gorm:"primaryKey"`
	StrategyID      int64
	SectionID       int64
	PhaseID         *int64
	LineFrom        *int
	LineTo          *int
	AuthorID        int64
	OrgID           int64
	Kind            string
	Status          string
	AnchorStart     int
	AnchorEnd       int
	AnchorVersion   int64
	AnchorRemoved   bool
	Quote           string
	Replacement     string
	Affected        bool
	Resolution      string
	ResolvedBy      *int64
	ResolvedAt      *time.Time
	AcceptedBy      *int64
	AcceptedVersion *int64
	Hidden          bool
	HiddenReason    string
	HiddenBy        *int64
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

func (threadRow) TableName() string { return "threads" }

type commentRow struct {
	ID           int64 `gorm:"primaryKey"`
	ThreadID     int64
	AuthorID     int64
	Body         string
	HTML         string `gorm:"column:html"`
	EditedAt     *time.Time
	Hidden       bool
	HiddenReason string
	HiddenBy     *int64
	CreatedAt    time.Time
}

func (commentRow) TableName() string { return "comments" }

// author is the display data of a thread's or comment's author.
type author struct {
	ID      int64
	Name    string
	OrgCode string
}

// authors loads names and organisation codes for ids; unknown ids (deleted
// accounts) are simply absent.
func authors(tx *gorm.DB, ids []int64) (map[int64]author, error) {
	out := map[int64]author{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []author
	err := tx.Table("users").Select("users.id AS id, users.name AS name, organisations.code AS org_code").
		Joins("JOIN organisations ON organisations.id = users.org_id").
		Where("users.id IN ?", ids).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load authors: %w", err)
	}
	for _, a := range rows {
		out[a.ID] = a
	}
	return out, nil
}

// CreateThread inserts t with its first comment c in one transaction.
func (db *DB) CreateThread(ctx context.Context, t *domain.Thread, c *domain.Comment) error {
	now := utc(db.now())
	row := threadRow{StrategyID: t.StrategyID, SectionID: t.SectionID, PhaseID: t.PhaseID, LineFrom: t.LineFrom, LineTo: t.LineTo, AuthorID: t.AuthorID, OrgID: t.OrgID,
		Kind: string(t.Kind), Status: string(domain.StatusOffen), AnchorStart: t.Anchor.Start,
		AnchorEnd: t.Anchor.End, AnchorVersion: t.Anchor.Version, Quote: t.Quote, Replacement: t.Replacement,
		CreatedAt: now, UpdatedAt: now}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return mapConstraint(err, "section_id", "Diskussion existiert bereits.", "Unbekannter Abschnitt oder ungültige Angaben.")
		}
		c.ThreadID = row.ID
		return insertComment(tx, c, now)
	})
	if err != nil {
		return fmt.Errorf("create thread: %w", err)
	}
	t.ID, t.Status, t.CreatedAt, t.UpdatedAt = row.ID, domain.StatusOffen, now, now
	t.Comments = []*domain.Comment{c}
	t.Cosigners = []domain.Cosigner{}
	return nil
}

func insertComment(tx *gorm.DB, c *domain.Comment, now time.Time) error {
	row := commentRow{ThreadID: c.ThreadID, AuthorID: c.AuthorID, Body: c.Body, HTML: c.HTML, CreatedAt: now}
	if err := tx.Create(&row).Error; err != nil {
		return mapConstraint(err, "thread_id", "Beitrag existiert bereits.", "Unbekannte Diskussion oder leerer Beitrag.")
	}
	c.ID, c.CreatedAt = row.ID, now
	return nil
}

// FindThreadByID returns a thread with its comments, or ENOTFOUND.
func (db *DB) FindThreadByID(ctx context.Context, id int64) (*domain.Thread, error) {
	ts, err := db.FindThreads(ctx, domain.ThreadFilter{IDs: []int64{id}})
	if err != nil {
		return nil, err
	}
	if len(ts) == 0 {
		return nil, notFound("Diese Diskussion gibt es nicht.")
	}
	return ts[0], nil
}

// FindThreads lists threads with their comments, oldest first.
func (db *DB) FindThreads(ctx context.Context, f domain.ThreadFilter) ([]*domain.Thread, error) {
	q := db.conn(ctx).Order("id")
	if f.StrategyID != 0 {
		q = q.Where("strategy_id = ?", f.StrategyID)
	}
	if f.SectionID != 0 {
		q = q.Where("section_id = ?", f.SectionID)
	}
	if f.Status != "" {
		q = q.Where("status = ?", string(f.Status))
	}
	if f.Kind != "" {
		q = q.Where("kind = ?", string(f.Kind))
	}
	if f.OrgID != 0 {
		q = q.Where("org_id = ?", f.OrgID)
	}
	if f.PhaseID != 0 {
		q = q.Where("phase_id = ?", f.PhaseID)
	}
	if f.IDs != nil {
		q = q.Where("id IN ?", f.IDs)
	}
	var rows []threadRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("find threads: %w", err)
	}
	if len(rows) == 0 {
		return []*domain.Thread{}, nil
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var crows []commentRow
	if err := db.conn(ctx).Where("thread_id IN ?", ids).Order("id").Find(&crows).Error; err != nil {
		return nil, fmt.Errorf("find comments: %w", err)
	}
	userIDs := make([]int64, 0, len(rows)+len(crows))
	for _, r := range rows {
		userIDs = append(userIDs, r.AuthorID)
	}
	for _, c := range crows {
		userIDs = append(userIDs, c.AuthorID)
	}
	names, err := authors(db.conn(ctx), userIDs)
	if err != nil {
		return nil, err
	}
	out := make([]*domain.Thread, len(rows))
	byID := make(map[int64]*domain.Thread, len(rows))
	for i, r := range rows {
		out[i] = threadFromRow(r, names)
		byID[r.ID] = out[i]
	}
	for _, c := range crows {
		t := byID[c.ThreadID]
		t.Comments = append(t.Comments, commentFromRow(c, names))
	}
	cos, err := cosigners(db.conn(ctx), ids)
	if err != nil {
		return nil, err
	}
	for id, cs := range cos {
		byID[id].Cosigners = cs
	}
	return out, nil
}

func threadFromRow(r threadRow, names map[int64]author) *domain.Thread {
	a := names[r.AuthorID]
	return &domain.Thread{ID: r.ID, StrategyID: r.StrategyID, SectionID: r.SectionID, PhaseID: r.PhaseID, LineFrom: r.LineFrom, LineTo: r.LineTo, AuthorID: r.AuthorID,
		AuthorName: a.Name, OrgID: r.OrgID, OrgCode: a.OrgCode, Kind: domain.ThreadKind(r.Kind),
		Status: domain.ThreadStatus(r.Status),
		Anchor: domain.Anchor{Start: r.AnchorStart, End: r.AnchorEnd, Version: r.AnchorVersion, Removed: r.AnchorRemoved},
		Quote:  r.Quote, Replacement: r.Replacement, Affected: r.Affected, Resolution: r.Resolution,
		ResolvedBy: r.ResolvedBy, ResolvedAt: utcPtr(r.ResolvedAt), AcceptedBy: r.AcceptedBy,
		AcceptedVersion: r.AcceptedVersion, Hidden: r.Hidden, HiddenReason: r.HiddenReason,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), Comments: []*domain.Comment{}, Cosigners: []domain.Cosigner{}}
}

func commentFromRow(c commentRow, names map[int64]author) *domain.Comment {
	a := names[c.AuthorID]
	return &domain.Comment{ID: c.ID, ThreadID: c.ThreadID, AuthorID: c.AuthorID, AuthorName: a.Name,
		OrgCode: a.OrgCode, Body: c.Body, HTML: c.HTML, EditedAt: utcPtr(c.EditedAt), Hidden: c.Hidden,
		HiddenReason: c.HiddenReason, CreatedAt: c.CreatedAt.UTC()}
}

// UpdateAnchors stores the anchors whose stored version is still the one
// they were moved from.
func (db *DB) UpdateAnchors(ctx context.Context, ups []domain.AnchorUpdate) (int, error) {
	if len(ups) == 0 {
		return 0, nil
	}
	var n int64
	err := db.tx(ctx, func(tx *gorm.DB) error {
		n = 0
		for _, u := range ups {
			a := u.Anchor
			res := tx.Model(&threadRow{}).Where("id = ? AND anchor_version = ?", u.ThreadID, u.FromVersion).Updates(map[string]any{
				"anchor_start": a.Start, "anchor_end": a.End, "anchor_version": a.Version, "anchor_removed": a.Removed})
			if res.Error != nil {
				return res.Error
			}
			n += res.RowsAffected
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("update anchors: %w", err)
	}
	return int(n), nil
}

// UpdateThread applies upd and returns the new state.
func (db *DB) UpdateThread(ctx context.Context, id int64, upd domain.ThreadUpdate) (*domain.Thread, error) {
	set := map[string]any{"updated_at": utc(db.now())}
	if upd.Status != nil {
		set["status"] = string(*upd.Status)
	}
	if upd.Resolution != nil {
		set["resolution"] = *upd.Resolution
	}
	if upd.ResolvedBy != nil {
		set["resolved_by"] = *upd.ResolvedBy
	}
	if upd.ResolvedAt != nil {
		set["resolved_at"] = utcPtr(*upd.ResolvedAt)
	}
	if upd.AcceptedBy != nil {
		set["accepted_by"] = *upd.AcceptedBy
	}
	if upd.AcceptedVersion != nil {
		set["accepted_version"] = *upd.AcceptedVersion
	}
	if a := upd.Anchor; a != nil {
		set["anchor_start"], set["anchor_end"], set["anchor_version"], set["anchor_removed"] = a.Start, a.End, a.Version, a.Removed
	}
	if upd.Hidden != nil {
		set["hidden"] = *upd.Hidden
	}
	if upd.HiddenReason != nil {
		set["hidden_reason"] = *upd.HiddenReason
	}
	if upd.HiddenBy != nil {
		set["hidden_by"] = *upd.HiddenBy
	}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var cur threadRow
		if err := db.forUpdate(tx).Where("id = ?", id).Take(&cur).Error; isNotFound(err) {
			return notFound("Diese Diskussion gibt es nicht.")
		} else if err != nil {
			return err
		}
		if upd.IfStatus != nil && cur.Status != string(*upd.IfStatus) {
			return domain.Errorf(domain.ECONFLICT, "Die Diskussion wurde inzwischen geändert (Status: %s).", cur.Status)
		}
		return tx.Model(&threadRow{}).Where("id = ?", id).Updates(set).Error
	})
	if err != nil {
		return nil, fmt.Errorf("update thread: %w", err)
	}
	return db.FindThreadByID(ctx, id)
}

// forUpdate locks the selected rows on PostgreSQL; SQLite's IMMEDIATE
// transactions already serialise writers.
func (db *DB) forUpdate(tx *gorm.DB) *gorm.DB {
	if db.dialect == DialectPostgres {
		return tx.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return tx
}

// MarkAffected flags threads as affected by an accepted proposal.
func (db *DB) MarkAffected(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		return tx.Model(&threadRow{}).Where("id IN ?", ids).
			Updates(map[string]any{"affected": true, "updated_at": utc(db.now())}).Error
	})
	if err != nil {
		return fmt.Errorf("mark affected: %w", err)
	}
	return nil
}
