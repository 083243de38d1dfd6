package store

import (
	"context"
	"fmt"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
)

type namedVersionRow struct {
	ID        int64 `gorm:"primaryKey"`
	SectionID int64
	PhaseID   *int64
	Version   int64
	Text      string
	Name      string
	CreatedBy *int64
	CreatedAt time.Time
}

func (namedVersionRow) TableName() string { return "named_versions" }

// CreateNamedVersion stores a frozen text of a section.
func (db *DB) CreateNamedVersion(ctx context.Context, v *domain.NamedVersion) error {
	row := namedVersionRow{SectionID: v.SectionID, PhaseID: v.PhaseID, Version: v.Version, Text: v.Text, Name: v.Name,
		CreatedBy: v.CreatedBy, CreatedAt: utc(db.now())}
	if err := db.conn(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("create named version: %w", mapConstraint(err, "section_id", "Fassung existiert bereits.", "Unbekannter Abschnitt oder ungültige Angaben."))
	}
	v.ID, v.CreatedAt = row.ID, row.CreatedAt
	return nil
}

// FindNamedVersions lists a section's named versions, oldest first.
func (db *DB) FindNamedVersions(ctx context.Context, sectionID int64) ([]*domain.NamedVersion, error) {
	var rows []namedVersionRow
	if err := db.conn(ctx).Where("section_id = ?", sectionID).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("find named versions: %w", err)
	}
	out := make([]*domain.NamedVersion, len(rows))
	for i, r := range rows {
		out[i] = &domain.NamedVersion{ID: r.ID, SectionID: r.SectionID, PhaseID: r.PhaseID, Version: r.Version, Text: r.Text,
			Name: r.Name, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC()}
	}
	return out, nil
}
