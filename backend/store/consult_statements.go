package store

import (
	"context"
	"fmt"
	"html"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/strategieraum/strategieraum/backend/domain"
)

type statementRow struct {
	ID          int64 `gorm:"primaryKey"`
	StrategyID  int64
	PhaseID     int64
	OrgID       int64
	Version     int
	Position    string
	Body        string // as of BodyVersion, which may lag behind DocVersion
	HTML        string `gorm:"column:html"`
	UpdatedBy   int64
	UpdatedAt   time.Time
	SubmittedBy *int64
	SubmittedAt *time.Time
	CreatedAt   time.Time
	Revision    int64
	DocVersion  int64
	// BodyVersion is the version Body is current at; readers go through
	// current, which rebuilds the text at DocVersion.
	BodyVersion int64
}

// current sets r.Body to the text at r.DocVersion, rebuilding it when the
// stored body is older; g is what r was read with.
func (db *DB) current(g *gorm.DB, r *statementRow) error {
	body, err := db.headText(g, domain.StatementDoc(r.ID), r.DocVersion, r.BodyVersion, &r.Body)
	if err != nil {
		return err
	}
	r.Body, r.BodyVersion = body, r.DocVersion
	return nil
}

func (statementRow) TableName() string { return "statements" }

// statementsFrom turns rows into statements with their organisations'
// codes, loading only the organisations the rows name.
func (db *DB) statementsFrom(tx *gorm.DB, rows []statementRow) ([]*domain.Statement, error) {
	codes := map[int64]string{}
	ids := make([]int64, 0, len(rows))
	for _, r := range rows {
		if _, seen := codes[r.OrgID]; !seen {
			codes[r.OrgID] = ""
			ids = append(ids, r.OrgID)
		}
	}
	if len(ids) == 0 {
		return []*domain.Statement{}, nil
	}
	var orgs []orgCode
	if err := tx.Table("organisations").Select("id, code").Where("id IN ?", ids).Scan(&orgs).Error; err != nil {
		return nil, fmt.Errorf("load organisations: %w", err)
	}
	for _, o := range orgs {
		codes[o.ID] = o.Code
	}
	out := make([]*domain.Statement, len(rows))
	for i, r := range rows {
		if err := db.current(tx, &r); err != nil {
			return nil, fmt.Errorf("read statement %d: %w", r.ID, err)
		}
		out[i] = statementFrom(r, codes[r.OrgID])
	}
	return out, nil
}

// statementFrom is row r of the organisation with code. A draft's html
// column is not kept up with its live text, so a draft comes without HTML:
// its readers render the current body.
func statementFrom(r statementRow, code string) *domain.Statement {
	html := r.HTML
	if r.SubmittedAt == nil {
		html = ""
	}
	return &domain.Statement{ID: r.ID, StrategyID: r.StrategyID, PhaseID: r.PhaseID, OrgID: r.OrgID,
		OrgCode: code, Version: r.Version, Position: domain.Position(r.Position), Body: r.Body,
		HTML: html, UpdatedBy: r.UpdatedBy, UpdatedAt: r.UpdatedAt.UTC(), SubmittedBy: r.SubmittedBy,
		SubmittedAt: utcPtr(r.SubmittedAt), CreatedAt: r.CreatedAt.UTC(), Revision: r.Revision, DocVersion: r.DocVersion}
}

type orgCode struct {
	ID   int64
	Code string
}

// FindStatements returns the newest version of every organisation's
// statement in phaseID.
func (db *DB) FindStatements(ctx context.Context, phaseID int64) ([]*domain.Statement, error) {
	var rows []statementRow
	err := db.conn(ctx).Where("phase_id = ? AND version = (SELECT MAX(s2.version) FROM statements s2 "+
		"WHERE s2.phase_id = statements.phase_id AND s2.org_id = statements.org_id)", phaseID).
		Order("org_id").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("find statements: %w", err)
	}
	return db.statementsFrom(db.conn(ctx), rows)
}

// FindStatement returns the newest version of orgID's statement.
func (db *DB) FindStatement(ctx context.Context, phaseID, orgID int64) (*domain.Statement, error) {
	var rows []statementRow
	err := db.conn(ctx).Where("phase_id = ? AND org_id = ?", phaseID, orgID).Order("version DESC").Limit(1).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("find statement: %w", err)
	}
	if len(rows) == 0 {
		return nil, notFound("Es gibt noch keine Stellungnahme dieser Organisation.")
	}
	out, err := db.statementsFrom(db.conn(ctx), rows)
	if err != nil {
		return nil, err
	}
	return out[0], nil
}

// FindStatementVersions lists all versions, oldest first.
func (db *DB) FindStatementVersions(ctx context.Context, phaseID, orgID int64) ([]*domain.Statement, error) {
	var rows []statementRow
	err := db.conn(ctx).Where("phase_id = ? AND org_id = ?", phaseID, orgID).Order("version").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("find statement versions: %w", err)
	}
	return db.statementsFrom(db.conn(ctx), rows)
}

// SaveStatementDraft updates the newest draft or starts a new version. The
// text of an existing draft is its live document: only the op log changes
// it, so here it is read, not written. A new version's html stays empty
// until it is submitted.
func (db *DB) SaveStatementDraft(ctx context.Context, s *domain.Statement, base *int64) error {
	now := utc(db.now())
	var saved statementRow
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var cur []statementRow
		if err := db.forUpdate(tx).Where("phase_id = ? AND org_id = ?", s.PhaseID, s.OrgID).
			Order("version DESC").Limit(1).Find(&cur).Error; err != nil {
			return err
		}
		revision := int64(0)
		if len(cur) == 1 {
			revision = cur[0].Revision
		}
		if base != nil && *base != revision {
			return staleStatement(cur[0])
		}
		if len(cur) == 1 && cur[0].SubmittedAt == nil {
			saved = cur[0]
			if err := db.current(tx, &saved); err != nil {
				return err
			}
			saved.Position, saved.UpdatedBy, saved.UpdatedAt = string(s.Position), s.UpdatedBy, now
			saved.Revision++
			return tx.Model(&statementRow{}).Where("id = ?", saved.ID).Updates(map[string]any{
				"position": saved.Position, "updated_by": saved.UpdatedBy, "updated_at": now, "revision": saved.Revision}).Error
		}
		version := 1
		if len(cur) == 1 {
			version = cur[0].Version + 1
		}
		saved = statementRow{StrategyID: s.StrategyID, PhaseID: s.PhaseID, OrgID: s.OrgID, Version: version,
			Position: string(s.Position), Body: s.Body, UpdatedBy: s.UpdatedBy, UpdatedAt: now, CreatedAt: now,
			Revision: revision + 1}
		if err := tx.Create(&saved).Error; err != nil {
			return mapConstraint(err, "org_id", "Die Stellungnahme wurde gleichzeitig geändert; bitte erneut versuchen.",
				"Unbekannte Organisation oder Beteiligung.")
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("save statement: %w", err)
	}
	s.ID, s.Version, s.UpdatedAt, s.CreatedAt, s.Revision = saved.ID, saved.Version, saved.UpdatedAt, saved.CreatedAt, saved.Revision
	s.Body, s.DocVersion, s.HTML = saved.Body, saved.DocVersion, ""
	return nil
}

// staleStatement is the ECONFLICT for a save based on an older revision
// than cur's, with the current revision in Fields["revision"].
func staleStatement(cur statementRow) error {
	e := domain.Errorf(domain.ECONFLICT, "Die Stellungnahme wurde inzwischen geändert. Bitte laden Sie den aktuellen Stand, bevor Sie speichern.")
	e.Fields = map[string]string{"revision": strconv.FormatInt(cur.Revision, 10)}
	return e
}

// SubmitStatement freezes the newest version of orgID's statement as it is,
// with its text as escaped plain text for HTML: for tools and tests. The
// consultation submits through SubmitStatementAt with its Markdown
// rendering.
func (db *DB) SubmitStatement(ctx context.Context, phaseID, orgID, by int64, at time.Time) (*domain.Statement, error) {
	return db.SubmitStatementAt(ctx, phaseID, orgID, by, at, nil, func(d *domain.Statement) (string, error) {
		return "<p>" + html.EscapeString(d.Body) + "</p>", nil
	})
}

// SubmitStatementAt freezes the newest version of orgID's statement: the
// text it has when the row is locked, at the document version docVersion
// if that is given, with the HTML freeze renders from exactly that text.
// The op log commits to the same row, so no edit slips in between.
func (db *DB) SubmitStatementAt(ctx context.Context, phaseID, orgID, by int64, at time.Time, docVersion *int64,
	freeze func(draft *domain.Statement) (string, error)) (*domain.Statement, error) {
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var cur []statementRow
		if err := db.forUpdate(tx).Where("phase_id = ? AND org_id = ?", phaseID, orgID).
			Order("version DESC").Limit(1).Find(&cur).Error; err != nil {
			return err
		}
		if len(cur) == 0 {
			return notFound("Es gibt keinen Entwurf, der eingereicht werden könnte.")
		}
		if cur[0].SubmittedAt != nil {
			return domain.Errorf(domain.ELOCKED, "Diese Fassung ist bereits eingereicht; ändern Sie eine neue Fassung.")
		}
		if docVersion != nil && *docVersion != cur[0].DocVersion {
			e := domain.Errorf(domain.ECONFLICT, "Der Text der Stellungnahme wurde inzwischen weiter bearbeitet. Bitte prüfen Sie den aktuellen Stand, bevor Sie einreichen.")
			e.Fields = map[string]string{"doc_version": strconv.FormatInt(cur[0].DocVersion, 10)}
			return e
		}
		upd := map[string]any{"submitted_by": by, "submitted_at": utc(at), "revision": cur[0].Revision + 1}
		if cur[0].BodyVersion != cur[0].DocVersion {
			// The frozen text is stored with it: no op changes it any more.
			if err := db.current(tx, &cur[0]); err != nil {
				return err
			}
			upd["body"], upd["body_version"] = cur[0].Body, cur[0].DocVersion
		}
		frozen, err := freeze(statementFrom(cur[0], ""))
		if err != nil {
			return err
		}
		// Submitting counts as a change: a save still based on the draft
		// must not start a new version unseen.
		upd["html"] = frozen
		if err := tx.Model(&statementRow{}).Where("id = ?", cur[0].ID).Updates(upd).Error; err != nil {
			return err
		}
		return db.receiptMails(tx, cur[0])
	})
	if err != nil {
		return nil, fmt.Errorf("submit statement: %w", err)
	}
	return db.FindStatement(ctx, phaseID, orgID)
}
