package store

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/strategieraum/strategieraum/backend/domain"
)

var _ domain.SectionImporter = (*DB)(nil)

// CreateTopicSections implements domain.SectionImporter: everything in one
// transaction under the strategy's lock, so concurrent imports and edits
// of the order take turns and positions stay dense.
func (db *DB) CreateTopicSections(ctx context.Context, strategyID int64, groups []domain.TopicSections) error {
	for _, g := range groups {
		if g.Topic == nil {
			return domain.Invalid("topic_id", "Das Schwerpunktthema fehlt.")
		}
		g.Topic.Title = strings.TrimSpace(g.Topic.Title)
		if g.Topic.ID == 0 && g.Topic.Title == "" {
			return domain.Invalid("title", "Bitte geben Sie einen Titel an.")
		}
		for _, s := range g.Sections {
			s.Title = strings.TrimSpace(s.Title)
			if s.Status == "" {
				s.Status = domain.SectionDraft
			}
			if err := validateSection(s.Title, s.Part, s.Status); err != nil {
				return err
			}
		}
	}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := lockStrategy(tx, strategyID, "strategy_id"); err != nil {
			return err
		}
		for _, g := range groups {
			if err := importGroup(tx, db, strategyID, g); err != nil {
				return err
			}
		}
		return refreshPositions(tx, groups)
	})
	if err != nil {
		return fmt.Errorf("create topic sections: %w", err)
	}
	return nil
}

// importGroup creates g's topic if it is new and inserts its sections
// after the topic's last one.
func importGroup(tx *gorm.DB, db *DB, strategyID int64, g domain.TopicSections) error {
	t := g.Topic
	if t.ID == 0 {
		row := topicRow{StrategyID: strategyID, Title: t.Title, Position: unplaced}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		pos, err := place(tx, "topics", strategyID, row.ID, 0)
		if err != nil {
			return err
		}
		t.ID, t.StrategyID, t.Position = row.ID, strategyID, pos
	} else if err := checkSectionTopic(tx, strategyID, &t.ID); err != nil {
		return err
	}
	var last []positioned
	if err := tx.Table("sections").Select("id, position").Where("strategy_id = ? AND topic_id = ?", strategyID, t.ID).
		Order("position DESC").Limit(1).Find(&last).Error; err != nil {
		return err
	}
	pos := 0 // append
	if len(last) > 0 {
		pos = last[0].Position + 1
	}
	for _, s := range g.Sections {
		topicID := t.ID
		row := sectionRow{StrategyID: strategyID, TopicID: &topicID, Part: string(s.Part), Position: unplaced,
			Title: s.Title, Text: s.Text, Status: string(s.Status), UpdatedAt: utc(db.now())}
		if err := tx.Create(&row).Error; err != nil {
			return mapConstraint(err, "topic_id", "Abschnitt existiert bereits.", "Ungültiger Abschnitt.")
		}
		p, err := place(tx, "sections", strategyID, row.ID, pos)
		if err != nil {
			return err
		}
		row.Position = p
		*s = *row.domain()
		if pos > 0 {
			pos = p + 1
		}
	}
	return nil
}

// refreshPositions reads the final positions of the created sections: a
// later group inserted before an earlier one moves it down.
func refreshPositions(tx *gorm.DB, groups []domain.TopicSections) error {
	byID := map[int64]*domain.Section{}
	var ids []int64
	for _, g := range groups {
		for _, s := range g.Sections {
			byID[s.ID] = s
			ids = append(ids, s.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var rows []positioned
	if err := tx.Table("sections").Select("id, position").Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		byID[r.ID].Position = r.Position
	}
	return nil
}
