package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/strategieraum/strategieraum/backend/domain"
)

var _ domain.AbwaegungStore = (*DB)(nil)

type cosignatureRow struct {
	ThreadID  int64 `gorm:"primaryKey;autoIncrement:false"`
	OrgID     int64 `gorm:"primaryKey;autoIncrement:false"`
	UserID    int64
	CreatedAt time.Time
}

func (cosignatureRow) TableName() string { return "cosignatures" }

type pointRow struct {
	ID          int64 `gorm:"primaryKey"`
	StatementID int64
	SectionID   *int64
	Excerpt     string
	CreatedBy   int64
	CreatedAt   time.Time
}

func (pointRow) TableName() string { return "statement_points" }

type assessmentRow struct {
	ID        int64 `gorm:"primaryKey"`
	PhaseID   int64
	ThreadID  *int64
	PointID   *int64
	Category  string
	Reason    string
	Version   *int64
	UpdatedBy int64
	UpdatedAt time.Time
}

func (assessmentRow) TableName() string { return "assessments" }

type publicationRow struct {
	PhaseID     int64 `gorm:"primaryKey;autoIncrement:false"`
	PublishedBy int64
	PublishedAt time.Time
}

func (publicationRow) TableName() string { return "abwaegung_publications" }

// Cosign inserts the Mitzeichnung unless the organisation has one already.
func (db *DB) Cosign(ctx context.Context, threadID, orgID, userID int64, at time.Time) (bool, error) {
	row := cosignatureRow{ThreadID: threadID, OrgID: orgID, UserID: userID, CreatedAt: utc(at)}
	res := db.conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
	if res.Error != nil {
		return false, fmt.Errorf("cosign: %w", mapConstraint(res.Error, "thread_id", "Bereits mitgezeichnet.", "Unbekannte Diskussion oder Organisation."))
	}
	return res.RowsAffected == 1, nil
}

// Uncosign deletes the organisation's Mitzeichnung.
func (db *DB) Uncosign(ctx context.Context, threadID, orgID int64) (bool, error) {
	res := db.conn(ctx).Where("thread_id = ? AND org_id = ?", threadID, orgID).Delete(&cosignatureRow{})
	if res.Error != nil {
		return false, fmt.Errorf("uncosign: %w", res.Error)
	}
	return res.RowsAffected > 0, nil
}

// cosigners loads the Mitzeichnungen of threads, oldest first.
func cosigners(tx *gorm.DB, ids []int64) (map[int64][]domain.Cosigner, error) {
	var rows []struct {
		ThreadID  int64
		OrgID     int64
		OrgCode   string
		UserID    int64
		CreatedAt time.Time
	}
	err := tx.Table("cosignatures").
		Select("cosignatures.thread_id, cosignatures.org_id, organisations.code AS org_code, cosignatures.user_id, cosignatures.created_at").
		Joins("JOIN organisations ON organisations.id = cosignatures.org_id").
		Where("cosignatures.thread_id IN ?", ids).Order("cosignatures.created_at, organisations.code").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load cosigners: %w", err)
	}
	out := map[int64][]domain.Cosigner{}
	for _, r := range rows {
		out[r.ThreadID] = append(out[r.ThreadID], domain.Cosigner{OrgID: r.OrgID, OrgCode: r.OrgCode, UserID: r.UserID, CreatedAt: r.CreatedAt.UTC()})
	}
	return out, nil
}

// CreatePoint inserts a statement point.
func (db *DB) CreatePoint(ctx context.Context, p *domain.StatementPoint) error {
	row := pointRow{StatementID: p.StatementID, SectionID: p.SectionID, Excerpt: p.Excerpt, CreatedBy: p.CreatedBy, CreatedAt: utc(db.now())}
	if err := db.conn(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("create point: %w", mapConstraint(err, "statement_id", "Punkt existiert bereits.", "Unbekannte Stellungnahme oder unbekannter Abschnitt."))
	}
	p.ID, p.CreatedAt = row.ID, row.CreatedAt
	return nil
}

// FindPoints lists the points of a round's statements.
func (db *DB) FindPoints(ctx context.Context, phaseID int64) ([]*domain.StatementPoint, error) {
	var rows []struct {
		ID          int64
		StatementID int64
		SectionID   *int64
		Excerpt     string
		CreatedBy   int64
		CreatedAt   time.Time
		PhaseID     int64
		OrgID       int64
		OrgCode     string
	}
	err := db.conn(ctx).Table("statement_points").
		Select("statement_points.*, statements.phase_id, statements.org_id, organisations.code AS org_code").
		Joins("JOIN statements ON statements.id = statement_points.statement_id").
		Joins("JOIN organisations ON organisations.id = statements.org_id").
		Where("statements.phase_id = ?", phaseID).Order("statement_points.id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("find points: %w", err)
	}
	out := make([]*domain.StatementPoint, len(rows))
	for i, r := range rows {
		out[i] = &domain.StatementPoint{ID: r.ID, StatementID: r.StatementID, PhaseID: r.PhaseID, OrgID: r.OrgID, OrgCode: r.OrgCode,
			SectionID: r.SectionID, Excerpt: r.Excerpt, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC()}
	}
	return out, nil
}

// DeletePoint removes a point; its assessment goes with it.
func (db *DB) DeletePoint(ctx context.Context, id int64) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("point_id = ?", id).Delete(&assessmentRow{}).Error; err != nil {
			return fmt.Errorf("delete point assessment: %w", err)
		}
		res := tx.Delete(&pointRow{}, id)
		if res.Error != nil {
			return fmt.Errorf("delete point: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return notFound("Diesen Punkt gibt es nicht.")
		}
		return nil
	})
}

// SaveAssessment replaces the assessment of a's thread or point.
func (db *DB) SaveAssessment(ctx context.Context, a *domain.Assessment) (*domain.Assessment, error) {
	var before *domain.Assessment
	row := assessmentRow{PhaseID: a.PhaseID, ThreadID: a.ThreadID, PointID: a.PointID, Category: string(a.Category),
		Reason: a.Reason, Version: a.Version, UpdatedBy: a.UpdatedBy, UpdatedAt: utc(a.UpdatedAt)}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		q := tx.Where("point_id = ?", a.PointID)
		if a.ThreadID != nil {
			q = tx.Where("thread_id = ?", *a.ThreadID)
		}
		var old assessmentRow
		err := q.Take(&old).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			if err := tx.Create(&row).Error; err != nil {
				return mapConstraint(err, "category", "Die Bewertung wurde gleichzeitig gespeichert; bitte erneut versuchen.", "Ungültige Bewertung.")
			}
			return nil
		case err != nil:
			return err
		}
		before = assessmentFromRow(old)
		row.ID = old.ID
		return mapConstraint(tx.Save(&row).Error, "category", "Bewertung existiert bereits.", "Ungültige Bewertung.")
	})
	if err != nil {
		return nil, fmt.Errorf("save assessment: %w", err)
	}
	a.ID, a.UpdatedAt = row.ID, row.UpdatedAt
	return before, nil
}

func assessmentFromRow(r assessmentRow) *domain.Assessment {
	return &domain.Assessment{ID: r.ID, PhaseID: r.PhaseID, ThreadID: r.ThreadID, PointID: r.PointID, Category: domain.Category(r.Category),
		Reason: r.Reason, Version: r.Version, UpdatedBy: r.UpdatedBy, UpdatedAt: r.UpdatedAt.UTC()}
}

// FindAssessments lists a round's assessments.
func (db *DB) FindAssessments(ctx context.Context, phaseID int64) ([]*domain.Assessment, error) {
	var rows []assessmentRow
	if err := db.conn(ctx).Where("phase_id = ?", phaseID).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("find assessments: %w", err)
	}
	out := make([]*domain.Assessment, len(rows))
	for i, r := range rows {
		out[i] = assessmentFromRow(r)
	}
	return out, nil
}

// Publish records the first publication of a round's Abwägung.
func (db *DB) Publish(ctx context.Context, phaseID, by int64, at time.Time) (*domain.Publication, bool, error) {
	row := publicationRow{PhaseID: phaseID, PublishedBy: by, PublishedAt: utc(at)}
	res := db.conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
	if res.Error != nil {
		return nil, false, fmt.Errorf("publish: %w", mapConstraint(res.Error, "phase_id", "Bereits veröffentlicht.", "Unbekannte Beteiligungsrunde."))
	}
	p, err := db.FindPublication(ctx, phaseID)
	return p, res.RowsAffected == 1, err
}

// FindPublication returns a round's publication or ENOTFOUND.
func (db *DB) FindPublication(ctx context.Context, phaseID int64) (*domain.Publication, error) {
	var row publicationRow
	err := db.conn(ctx).Where("phase_id = ?", phaseID).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, notFound("Die Abwägung dieser Runde ist nicht veröffentlicht.")
	}
	if err != nil {
		return nil, fmt.Errorf("find publication: %w", err)
	}
	return &domain.Publication{PhaseID: row.PhaseID, PublishedBy: row.PublishedBy, PublishedAt: row.PublishedAt.UTC()}, nil
}

type categoryLabelRow struct {
	StrategyID int64  `gorm:"primaryKey;autoIncrement:false"`
	Category   string `gorm:"primaryKey"`
	Label      string
	UpdatedBy  int64
	UpdatedAt  time.Time
}

func (categoryLabelRow) TableName() string { return "abwaegung_labels" }

// FindCategoryLabels returns the labels a strategy set.
func (db *DB) FindCategoryLabels(ctx context.Context, strategyID int64) (map[domain.Category]string, error) {
	var rows []categoryLabelRow
	if err := db.conn(ctx).Where("strategy_id = ?", strategyID).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("find category labels: %w", err)
	}
	out := map[domain.Category]string{}
	for _, r := range rows {
		out[domain.Category(r.Category)] = r.Label
	}
	return out, nil
}

// SaveCategoryLabels replaces a strategy's labels in one transaction.
func (db *DB) SaveCategoryLabels(ctx context.Context, strategyID int64, labels map[domain.Category]string, by int64, at time.Time) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("strategy_id = ?", strategyID).Delete(&categoryLabelRow{}).Error; err != nil {
			return fmt.Errorf("delete category labels: %w", err)
		}
		for _, c := range domain.Categories {
			l, ok := labels[c]
			if !ok {
				continue
			}
			row := categoryLabelRow{StrategyID: strategyID, Category: string(c), Label: l, UpdatedBy: by, UpdatedAt: utc(at)}
			if err := tx.Create(&row).Error; err != nil {
				return fmt.Errorf("save category labels: %w", mapConstraint(err, "category", "Bezeichnung existiert bereits.", "Ungültige Bezeichnung oder unbekannte Strategie."))
			}
		}
		return nil
	})
}
