package store

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/strategieraum/strategieraum/backend/domain"
)

type topicRow struct {
	ID         int64 `gorm:"primaryKey"`
	StrategyID int64
	Title      string
	Position   int
}

func (topicRow) TableName() string { return "topics" }

type topicSponsorRow struct {
	TopicID int64 `gorm:"primaryKey"`
	OrgID   int64 `gorm:"primaryKey"`
}

func (topicSponsorRow) TableName() string { return "topic_sponsors" }

// CreateTopic inserts t with its sponsors (by organisation id, or by code
// where the id is 0), appending it if Position is 0 and otherwise inserting
// it there. Sets t.ID and t.Position; EINVALID for an empty title, an
// unknown strategy or organisation.
func (db *DB) CreateTopic(ctx context.Context, t *domain.Topic) error {
	t.Title = strings.TrimSpace(t.Title)
	if t.Title == "" {
		return domain.Invalid("title", "Bitte geben Sie einen Titel an.")
	}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := lockStrategy(tx, t.StrategyID, "strategy_id"); err != nil {
			return err
		}
		sponsorIDs, err := resolveSponsors(tx, t.Sponsors)
		if err != nil {
			return err
		}
		row := topicRow{StrategyID: t.StrategyID, Title: t.Title, Position: unplaced}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		if t.Position, err = place(tx, "topics", t.StrategyID, row.ID, t.Position); err != nil {
			return err
		}
		t.ID = row.ID
		return setSponsors(tx, row.ID, sponsorIDs)
	})
	if err != nil {
		return fmt.Errorf("create topic: %w", err)
	}
	full, err := db.FindTopicByID(ctx, t.ID)
	if err != nil {
		return err
	}
	*t = *full
	return nil
}

// FindTopicByID returns a topic with sponsors, or ENOTFOUND.
func (db *DB) FindTopicByID(ctx context.Context, id int64) (*domain.Topic, error) {
	var t *domain.Topic
	err := db.snapshotTx(ctx, func(tx *gorm.DB) error {
		var err error
		t, err = findTopic(tx, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find topic %d: %w", id, err)
	}
	return t, nil
}

// UpdateTopic applies upd and returns the new state. A new Position moves
// the topic there and renumbers the others.
func (db *DB) UpdateTopic(ctx context.Context, id int64, upd domain.TopicUpdate) (*domain.Topic, error) {
	var t *domain.Topic
	err := db.tx(ctx, func(tx *gorm.DB) error {
		cur, err := findTopic(tx, id)
		if err != nil {
			return err
		}
		if err := lockStrategy(tx, cur.StrategyID, ""); err != nil {
			return err
		}
		if upd.Title != nil {
			title := strings.TrimSpace(*upd.Title)
			if title == "" {
				return domain.Invalid("title", "Bitte geben Sie einen Titel an.")
			}
			if err := tx.Model(&topicRow{}).Where("id = ?", id).Update("title", title).Error; err != nil {
				return err
			}
		}
		if upd.Position != nil {
			if *upd.Position < 1 {
				return domain.Invalid("position", "Die Position muss mindestens 1 sein.")
			}
			if _, err := place(tx, "topics", cur.StrategyID, id, *upd.Position); err != nil {
				return err
			}
		}
		if upd.SponsorIDs != nil {
			if err := tx.Where("topic_id = ?", id).Delete(&topicSponsorRow{}).Error; err != nil {
				return err
			}
			if err := setSponsors(tx, id, uniqueIDs(*upd.SponsorIDs)); err != nil {
				return err
			}
		}
		t, err = findTopic(tx, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("update topic %d: %w", id, err)
	}
	return t, nil
}

// DeleteTopic removes a topic; its sections stay without a topic (the
// foreign key sets their topic_id to NULL). ENOTFOUND if absent.
func (db *DB) DeleteTopic(ctx context.Context, id int64) error {
	err := db.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Where("id = ?", id).Delete(&topicRow{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return notFound("Schwerpunktthema %d nicht gefunden.", id)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete topic %d: %w", id, err)
	}
	return nil
}

func findTopic(tx *gorm.DB, id int64) (*domain.Topic, error) {
	topics, err := findTopics(tx, "id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(topics) == 0 {
		return nil, notFound("Schwerpunktthema %d nicht gefunden.", id)
	}
	return topics[0], nil
}

// findTopics loads the matching topics ordered by position, each with its
// sponsors ordered by organisation id.
func findTopics(tx *gorm.DB, where string, args ...any) ([]*domain.Topic, error) {
	var rows []topicRow
	if err := tx.Where(where, args...).Order("position, id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]*domain.Topic, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	ids := make([]int64, len(rows))
	byID := make(map[int64]*domain.Topic, len(rows))
	for i, r := range rows {
		out[i] = &domain.Topic{ID: r.ID, StrategyID: r.StrategyID, Title: r.Title, Position: r.Position,
			Sponsors: []domain.Organisation{}}
		ids[i], byID[r.ID] = r.ID, out[i]
	}
	var sponsors []topicSponsorRow
	if err := tx.Where("topic_id IN ?", ids).Order("org_id").Find(&sponsors).Error; err != nil {
		return nil, err
	}
	orgIDs := make([]int64, len(sponsors))
	for i, s := range sponsors {
		orgIDs[i] = s.OrgID
	}
	orgs, err := orgsByID(tx, uniqueIDs(orgIDs))
	if err != nil {
		return nil, err
	}
	for _, s := range sponsors {
		byID[s.TopicID].Sponsors = append(byID[s.TopicID].Sponsors, orgs[s.OrgID])
	}
	return out, nil
}

// resolveSponsors returns the organisation ids of sponsors, looking up
// those given only by code.
func resolveSponsors(tx *gorm.DB, sponsors []domain.Organisation) ([]int64, error) {
	var ids []int64
	for _, o := range sponsors {
		if o.ID != 0 {
			ids = append(ids, o.ID)
			continue
		}
		var rows []orgRow
		if err := tx.Where("code = ?", o.Code).Limit(1).Find(&rows).Error; err != nil {
			return nil, err
		}
		if len(rows) == 0 {
			return nil, domain.Invalid("sponsors", fmt.Sprintf("Unbekannte Organisation „%s“.", o.Code))
		}
		ids = append(ids, rows[0].ID)
	}
	return uniqueIDs(ids), nil
}

func setSponsors(tx *gorm.DB, topicID int64, orgIDs []int64) error {
	if len(orgIDs) == 0 {
		return nil
	}
	var n int64
	if err := tx.Model(&orgRow{}).Where("id IN ?", orgIDs).Count(&n).Error; err != nil {
		return err
	}
	if int(n) != len(orgIDs) {
		return domain.Invalid("sponsors", "Unbekannte Organisation.")
	}
	rows := make([]topicSponsorRow, len(orgIDs))
	for i, id := range orgIDs {
		rows[i] = topicSponsorRow{TopicID: topicID, OrgID: id}
	}
	return tx.Create(&rows).Error
}
