package store

import (
	"context"
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"

	"github.com/strategieraum/strategieraum/backend/domain"
)

type phaseSectionRow struct {
	PhaseID   int64 `gorm:"primaryKey"`
	SectionID int64 `gorm:"primaryKey"`
}

func (phaseSectionRow) TableName() string { return "phase_sections" }

// loadScopes fills the SectionIDs of phases (ascending; empty where a round
// consults on every section).
func loadScopes(tx *gorm.DB, phases []*domain.Phase) error {
	if len(phases) == 0 {
		return nil
	}
	ids := make([]int64, len(phases))
	byID := make(map[int64]*domain.Phase, len(phases))
	for i, p := range phases {
		ids[i], byID[p.ID] = p.ID, p
		p.SectionIDs = []int64{}
	}
	var rows []phaseSectionRow
	if err := tx.Where("phase_id IN ?", ids).Order("phase_id, section_id").Find(&rows).Error; err != nil {
		return fmt.Errorf("load round scopes: %w", err)
	}
	for _, r := range rows {
		p := byID[r.PhaseID]
		p.SectionIDs = append(p.SectionIDs, r.SectionID)
	}
	return nil
}

// saveScope stores the sections a new round consults on; each must belong
// to the round's strategy (EINVALID otherwise).
func saveScope(tx *gorm.DB, phaseID, strategyID int64, sectionIDs []int64) error {
	if len(sectionIDs) == 0 {
		return nil
	}
	seen := map[int64]bool{}
	var uniq []int64
	for _, id := range sectionIDs {
		if !seen[id] {
			seen[id] = true
			uniq = append(uniq, id)
		}
	}
	var n int64
	if err := tx.Model(&sectionRow{}).Where("strategy_id = ? AND id IN ?", strategyID, uniq).Count(&n).Error; err != nil {
		return err
	}
	if int(n) != len(uniq) {
		return domain.Invalid("section_ids", "Die Runde nennt Abschnitte, die es in dieser Strategie nicht gibt.")
	}
	sort.Slice(uniq, func(i, j int) bool { return uniq[i] < uniq[j] })
	rows := make([]phaseSectionRow, len(uniq))
	for i, id := range uniq {
		rows[i] = phaseSectionRow{PhaseID: phaseID, SectionID: id}
	}
	return tx.Create(&rows).Error
}

// UpdatePhaseTimes moves a round's window in place.
func (db *DB) UpdatePhaseTimes(ctx context.Context, strategyID, phaseID int64, opensAt, closesAt time.Time) (before, after *domain.Phase, err error) {
	if !closesAt.After(opensAt) {
		return nil, nil, domain.Invalid("closes_at", "Das Ende der Beteiligung muss nach ihrem Beginn liegen.")
	}
	err = db.tx(ctx, func(tx *gorm.DB) error {
		var rows []phaseRow
		if err := db.forUpdate(tx).Where("id = ? AND strategy_id = ?", phaseID, strategyID).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return notFound("Phase %d nicht gefunden.", phaseID)
		}
		if rows[0].Kind != string(domain.PhaseBeteiligung) {
			return domain.Invalid("phase", "Beginn und Ende gibt es nur für eine Beteiligung.")
		}
		before = rows[0].domain()
		o, c := utc(opensAt), utc(closesAt)
		if err := tx.Model(&phaseRow{}).Where("id = ?", phaseID).
			Updates(map[string]any{"opens_at": o, "closes_at": c}).Error; err != nil {
			return err
		}
		next := rows[0]
		next.OpensAt, next.ClosesAt = &o, &c
		after = next.domain()
		return loadScopes(tx, []*domain.Phase{before, after})
	})
	if err != nil {
		return nil, nil, fmt.Errorf("update phase times: %w", err)
	}
	return before, after, nil
}
