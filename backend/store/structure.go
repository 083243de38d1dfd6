package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// UpdateStrategy applies upd to a strategy's own fields and returns it as
// FindStrategyByID does. ENOTFOUND, EINVALID for an empty title.
func (db *DB) UpdateStrategy(ctx context.Context, id int64, upd domain.StrategyUpdate) (*domain.Strategy, error) {
	cols := map[string]any{}
	if upd.Title != nil {
		title := strings.TrimSpace(*upd.Title)
		if title == "" {
			return nil, domain.Invalid("title", "Bitte geben Sie einen Titel an.")
		}
		cols["title"] = title
	}
	if upd.Description != nil {
		cols["description"] = *upd.Description
	}
	if upd.StatementsPublic != nil {
		cols["statements_public"] = *upd.StatementsPublic
	}
	if upd.EditDuringConsultation != nil {
		cols["edit_during_consultation"] = *upd.EditDuringConsultation
	}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := lockStrategy(tx, id, ""); err != nil {
			return err
		}
		if len(cols) == 0 {
			return nil
		}
		return tx.Model(&strategyRow{}).Where("id = ?", id).Updates(cols).Error
	})
	if err != nil {
		return nil, fmt.Errorf("update strategy %d: %w", id, err)
	}
	return db.FindStrategyByID(ctx, id)
}

// DeleteSectionUnlessUsed removes a section only if nothing was
// contributed to it (no thread, no named version, no Beschluss text, at
// most one operation), deciding and deleting in one transaction that holds
// the section's row, so a thread started meanwhile is never deleted with
// it. used reports that the section was kept. ENOTFOUND if absent.
func (db *DB) DeleteSectionUnlessUsed(ctx context.Context, id int64) (used bool, err error) {
	err = db.tx(ctx, func(tx *gorm.DB) error {
		// FOR UPDATE conflicts with the key-share lock a new thread or
		// named version takes on the section, and with the op log's lock:
		// what was contributed before is counted, what comes after waits
		// and then finds the section gone.
		var rows []sectionRow
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Select("id, version").Where("id = ?", id).
			Limit(1).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return notFound("Abschnitt %d nicht gefunden.", id)
		}
		if rows[0].Version > 1 {
			used = true
			return nil
		}
		for _, table := range []string{"threads", "named_versions", "beschluss_sections"} {
			var n int64
			if err := tx.Table(table).Where("section_id = ?", id).Count(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				used = true
				return nil
			}
		}
		return tx.Where("id = ?", id).Delete(&sectionRow{}).Error
	})
	if err != nil {
		return false, fmt.Errorf("delete section %d: %w", id, err)
	}
	return used, nil
}

// ArchiveSection marks a section archived at at and returns it; an
// archived section keeps the time it was first archived. ENOTFOUND.
func (db *DB) ArchiveSection(ctx context.Context, id int64, at time.Time) (*domain.Section, error) {
	var out *domain.Section
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Model(&sectionRow{}).Where("id = ? AND archived_at IS NULL", id).
			Update("archived_at", utc(at)).Error; err != nil {
			return err
		}
		var err error
		out, err = db.sectionAt(tx, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("archive section %d: %w", id, err)
	}
	return out, nil
}
