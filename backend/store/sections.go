package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/strategieraum/strategieraum/backend/domain"
)

type sectionRow struct {
	ID         int64 `gorm:"primaryKey"`
	StrategyID int64
	TopicID    *int64
	Part       string
	Position   int
	Title      string
	Text       string // as of TextVersion, which may lag behind Version
	Version    int64
	// TextVersion is the version Text is current at; readers go through
	// sectionAt, which rebuilds the text at Version.
	TextVersion int64
	Status      string
	UpdatedAt   time.Time
	ArchivedAt  *time.Time
}

func (sectionRow) TableName() string { return "sections" }

func (r sectionRow) domain() *domain.Section {
	return &domain.Section{ID: r.ID, StrategyID: r.StrategyID, TopicID: r.TopicID, Part: domain.Part(r.Part),
		Position: r.Position, Title: r.Title, Text: r.Text, Version: r.Version,
		Status: domain.SectionStatus(r.Status), UpdatedAt: r.UpdatedAt.UTC(), ArchivedAt: utcPtr(r.ArchivedAt)}
}

// sectionMeta lists every column but the text, for listings.
var sectionMeta = []string{"id", "strategy_id", "topic_id", "part", "position", "title", "version", "status", "updated_at", "archived_at"}

// CreateSection inserts s at version 0 with s.Text as its initial text,
// appending it if Position is 0 and otherwise inserting it there. Status
// defaults to draft. Sets ID, Position, Version, Status and UpdatedAt.
// EINVALID for an empty title, unknown part or status, unknown strategy, or
// a topic of another strategy.
func (db *DB) CreateSection(ctx context.Context, s *domain.Section) error {
	s.Title = strings.TrimSpace(s.Title)
	if s.Status == "" {
		s.Status = domain.SectionDraft
	}
	if err := validateSection(s.Title, s.Part, s.Status); err != nil {
		return err
	}
	row := sectionRow{StrategyID: s.StrategyID, TopicID: s.TopicID, Part: string(s.Part), Position: unplaced,
		Title: s.Title, Text: s.Text, Status: string(s.Status), UpdatedAt: utc(db.now())}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := lockStrategy(tx, s.StrategyID, "strategy_id"); err != nil {
			return err
		}
		if err := checkSectionTopic(tx, s.StrategyID, s.TopicID); err != nil {
			return err
		}
		if err := tx.Create(&row).Error; err != nil {
			return mapConstraint(err, "topic_id", "Abschnitt existiert bereits.", "Ungültiger Abschnitt.")
		}
		var err error
		row.Position, err = place(tx, "sections", s.StrategyID, row.ID, s.Position)
		return err
	})
	if err != nil {
		return fmt.Errorf("create section: %w", err)
	}
	*s = *row.domain()
	return nil
}

// FindSections lists a strategy's sections ordered by position, without
// their text. An unknown strategy yields an empty list.
func (db *DB) FindSections(ctx context.Context, strategyID int64) ([]*domain.Section, error) {
	var rows []sectionRow
	if err := db.conn(ctx).Select(sectionMeta).Where("strategy_id = ?", strategyID).
		Order("position, id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("find sections: %w", err)
	}
	out := make([]*domain.Section, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// FindSectionByID returns a section with its text, or ENOTFOUND.
func (db *DB) FindSectionByID(ctx context.Context, id int64) (*domain.Section, error) {
	s, err := db.sectionAt(db.conn(ctx), id)
	if err != nil {
		return nil, fmt.Errorf("find section %d: %w", id, err)
	}
	return s, nil
}

// sectionAt reads a section with its text at its current version. The
// stored text is read with the row only when it is current; otherwise
// the text is rebuilt, from a newer snapshot if there is one, so a long
// text is not read twice.
func (db *DB) sectionAt(g *gorm.DB, id int64) (*domain.Section, error) {
	row, err := findSection(g.Select(sectionAtCols), id)
	if err != nil {
		return nil, err
	}
	if row.TextVersion != row.Version {
		if row.Text, err = db.headText(g, domain.SectionDoc(id), row.Version, row.TextVersion, nil); err != nil {
			return nil, err
		}
	}
	return row.domain(), nil
}

// FindSectionMeta returns a section without its text, or ENOTFOUND.
func (db *DB) FindSectionMeta(ctx context.Context, id int64) (*domain.Section, error) {
	row, err := findSection(db.conn(ctx).Select(sectionMeta), id)
	if err != nil {
		return nil, fmt.Errorf("find section %d: %w", id, err)
	}
	return row.domain(), nil
}

// sectionAtCols are the columns sectionAt reads: the text only if it is
// current.
var sectionAtCols = strings.Join(sectionMeta, ", ") + ", text_version, " + currentText("text", "text_version", "version", "''") + " AS text"

// UpdateSection applies upd to a section's metadata and returns the new
// state; ENOTFOUND, or EINVALID as for CreateSection.
func (db *DB) UpdateSection(ctx context.Context, id int64, upd domain.SectionUpdate) (*domain.Section, error) {
	var out *domain.Section
	err := db.tx(ctx, func(tx *gorm.DB) error {
		cur, err := findSection(tx.Select(sectionMeta), id) // the text is read at the end, with the changes
		if err != nil {
			return err
		}
		cols := map[string]any{}
		if upd.Title != nil {
			cols["title"] = strings.TrimSpace(*upd.Title)
		}
		if upd.Part != nil {
			cols["part"] = string(*upd.Part)
		}
		if upd.Status != nil {
			cols["status"] = string(*upd.Status)
		}
		if upd.TopicID != nil {
			if err := checkSectionTopic(tx, cur.StrategyID, *upd.TopicID); err != nil {
				return err
			}
			cols["topic_id"] = *upd.TopicID
		}
		next := *cur
		applySectionUpdate(&next, upd)
		if err := validateSection(next.Title, domain.Part(next.Part), domain.SectionStatus(next.Status)); err != nil {
			return err
		}
		if len(cols) > 0 {
			cols["updated_at"] = utc(db.now())
			if err := tx.Model(&sectionRow{}).Where("id = ?", id).Updates(cols).Error; err != nil {
				return mapConstraint(err, "topic_id", "Konflikt beim Speichern des Abschnitts.", "Ungültiger Abschnitt.")
			}
		}
		out, err = db.sectionAt(tx, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("update section %d: %w", id, err)
	}
	return out, nil
}

// ReorderSections sets positions 1..n in the order of ids, which must be
// exactly the strategy's sections that are not archived, each once
// (EINVALID otherwise); archived sections follow in their old order.
// ENOTFOUND for an unknown strategy.
func (db *DB) ReorderSections(ctx context.Context, strategyID int64, ids []int64) error {
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := lockStrategy(tx, strategyID, ""); err != nil {
			return err
		}
		var all []sectionRow
		if err := tx.Select("id, position, archived_at").Where("strategy_id = ?", strategyID).
			Order("position, id").Find(&all).Error; err != nil {
			return err
		}
		current := make(map[int64]int, len(all))
		var rows, archived []int64
		for _, r := range all {
			if r.ArchivedAt != nil {
				archived = append(archived, r.ID)
				continue
			}
			current[r.ID] = r.Position
			rows = append(rows, r.ID)
		}
		seen := make(map[int64]bool, len(ids))
		for _, id := range ids {
			if _, ok := current[id]; !ok || seen[id] {
				break
			}
			seen[id] = true
		}
		if len(seen) != len(ids) || len(ids) != len(rows) {
			return domain.Invalid("ids", "Die neue Reihenfolge muss jeden Abschnitt der Strategie genau einmal enthalten.")
		}
		for _, r := range all {
			if r.ArchivedAt != nil {
				current[r.ID] = r.Position
			}
		}
		return renumber(tx, "sections", append(append([]int64(nil), ids...), archived...), current)
	})
	if err != nil {
		return fmt.Errorf("reorder sections of strategy %d: %w", strategyID, err)
	}
	return nil
}

// DeleteSection removes a section and, through foreign keys, everything
// attached to it. ENOTFOUND if absent.
func (db *DB) DeleteSection(ctx context.Context, id int64) error {
	err := db.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Where("id = ?", id).Delete(&sectionRow{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return notFound("Abschnitt %d nicht gefunden.", id)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete section %d: %w", id, err)
	}
	return nil
}

func findSection(tx *gorm.DB, id int64) (*sectionRow, error) {
	var rows []sectionRow
	if err := tx.Where("id = ?", id).Limit(1).Find(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, notFound("Abschnitt %d nicht gefunden.", id)
	}
	return &rows[0], nil
}

func applySectionUpdate(r *sectionRow, upd domain.SectionUpdate) {
	if upd.Title != nil {
		r.Title = strings.TrimSpace(*upd.Title)
	}
	if upd.Part != nil {
		r.Part = string(*upd.Part)
	}
	if upd.Status != nil {
		r.Status = string(*upd.Status)
	}
}

func validateSection(title string, part domain.Part, status domain.SectionStatus) error {
	switch {
	case title == "":
		return domain.Invalid("title", "Bitte geben Sie einen Titel an.")
	case !part.Valid():
		return domain.Invalid("part", fmt.Sprintf("Unbekannter Teil „%s“.", part))
	case !status.Valid():
		return domain.Invalid("status", fmt.Sprintf("Unbekannter Status „%s“.", status))
	}
	return nil
}

// checkSectionTopic ensures topicID, if set, is a topic of strategyID.
func checkSectionTopic(tx *gorm.DB, strategyID int64, topicID *int64) error {
	if topicID == nil {
		return nil
	}
	var n int64
	if err := tx.Model(&topicRow{}).Where("id = ? AND strategy_id = ?", *topicID, strategyID).
		Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return domain.Invalid("topic_id", "Unbekanntes Schwerpunktthema dieser Strategie.")
	}
	return nil
}
