package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/strategieraum/strategieraum/backend/beschluss"
	"github.com/strategieraum/strategieraum/backend/domain"
)

var _ beschluss.Store = (*DB)(nil)

type beschlussRow struct {
	ID               int64 `gorm:"primaryKey"`
	StrategyID       int64
	Title            string
	DecisionText     string
	Rule             string
	AbstentionBlocks bool
	OnlyAgreeing     bool
	Procedure        string
	Deadline         *time.Time
	KeyYear          *int
	TextHash         string
	Outcome          string
	NumberYear       *int
	NumberSeq        *int
	DecidedAt        *time.Time
	CreatedBy        *int64
	CreatedAt        time.Time
}

func (beschlussRow) TableName() string { return "beschluesse" }

func (r beschlussRow) domain() *beschluss.Beschluss {
	return &beschluss.Beschluss{ID: r.ID, StrategyID: r.StrategyID, Title: r.Title, DecisionText: r.DecisionText,
		Rule: beschluss.Rule(r.Rule), AbstentionBlocks: r.AbstentionBlocks, OnlyAgreeing: r.OnlyAgreeing,
		Procedure: beschluss.Procedure(r.Procedure), Deadline: utcPtr(r.Deadline), KeyYear: r.KeyYear,
		TextHash: r.TextHash, Outcome: beschluss.Outcome(r.Outcome), NumberYear: r.NumberYear, NumberSeq: r.NumberSeq,
		DecidedAt: utcPtr(r.DecidedAt), CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC()}
}

type beschlussSectionRow struct {
	BeschlussID int64 `gorm:"primaryKey"`
	Position    int   `gorm:"primaryKey"`
	SectionID   int64
	Title       string
	Version     int64
	Text        string
}

func (beschlussSectionRow) TableName() string { return "beschluss_sections" }

type beschlussVoteRow struct {
	BeschlussID int64  `gorm:"primaryKey"`
	OrgCode     string `gorm:"primaryKey"`
	Vote        string
	Declaration string
	CastBy      *int64
	Recorded    bool
	CastAt      time.Time
	CastByName  string `gorm:"->;column:cast_by_name"`
}

func (beschlussVoteRow) TableName() string { return "beschluss_votes" }

// CreateBeschluss inserts b with its frozen sections.
func (db *DB) CreateBeschluss(ctx context.Context, b *beschluss.Beschluss) error {
	row := beschlussRow{StrategyID: b.StrategyID, Title: b.Title, DecisionText: b.DecisionText, Rule: string(b.Rule),
		AbstentionBlocks: b.AbstentionBlocks, OnlyAgreeing: b.OnlyAgreeing, Procedure: string(b.Procedure),
		Deadline: utcPtr(b.Deadline), KeyYear: b.KeyYear, TextHash: b.TextHash, Outcome: string(beschluss.Offen),
		CreatedBy: b.CreatedBy, CreatedAt: utc(db.now())}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return mapConstraint(err, "strategy_id", "Diese Vorlage gibt es schon.", "Strategie oder Königsteiner Schlüssel unbekannt.")
		}
		for i, s := range b.Sections {
			sr := beschlussSectionRow{BeschlussID: row.ID, Position: i + 1, SectionID: s.SectionID, Title: s.Title, Version: s.Version, Text: s.Text}
			if err := tx.Create(&sr).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("create beschluss: %w", err)
	}
	b.ID, b.CreatedAt, b.Outcome = row.ID, row.CreatedAt, beschluss.Offen
	return nil
}

// FindBeschluesse lists a strategy's Vorlagen, newest first.
func (db *DB) FindBeschluesse(ctx context.Context, strategyID int64) ([]*beschluss.Beschluss, error) {
	var out []*beschluss.Beschluss
	err := db.snapshotTx(ctx, func(tx *gorm.DB) error {
		var rows []beschlussRow
		if err := tx.Where("strategy_id = ?", strategyID).Order("id DESC").Find(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			b := r.domain()
			if err := loadBeschlussParts(tx, b, false); err != nil {
				return err
			}
			out = append(out, b)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find beschluesse: %w", err)
	}
	return out, nil
}

// FindDueBeschluesse lists open Vorlagen whose deadline has come.
func (db *DB) FindDueBeschluesse(ctx context.Context, now time.Time) ([]int64, error) {
	var ids []int64
	err := db.conn(ctx).Model(&beschlussRow{}).
		Where("outcome = ? AND deadline IS NOT NULL AND deadline <= ?", string(beschluss.Offen), utc(now)).
		Order("id").Pluck("id", &ids).Error
	if err != nil {
		return nil, fmt.Errorf("find due beschluesse: %w", err)
	}
	return ids, nil
}

// FindBeschluss returns one Vorlage with sections and votes.
func (db *DB) FindBeschluss(ctx context.Context, id int64) (*beschluss.Beschluss, error) {
	var b *beschluss.Beschluss
	err := db.snapshotTx(ctx, func(tx *gorm.DB) error {
		var err error
		b, err = findBeschluss(tx, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find beschluss: %w", err)
	}
	return b, nil
}

func findBeschluss(tx *gorm.DB, id int64) (*beschluss.Beschluss, error) {
	var rows []beschlussRow
	if err := tx.Where("id = ?", id).Limit(1).Find(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, notFound("Diese Beschlussvorlage gibt es nicht.")
	}
	b := rows[0].domain()
	return b, loadBeschlussParts(tx, b, true)
}

// loadBeschlussParts adds the frozen sections (with text if withText) and
// the votes, in member order.
func loadBeschlussParts(tx *gorm.DB, b *beschluss.Beschluss, withText bool) error {
	q := tx.Where("beschluss_id = ?", b.ID).Order("position")
	if !withText {
		q = q.Select("beschluss_id", "position", "section_id", "title", "version")
	}
	var secs []beschlussSectionRow
	if err := q.Find(&secs).Error; err != nil {
		return err
	}
	b.Sections = make([]beschluss.FrozenSection, len(secs))
	for i, s := range secs {
		b.Sections[i] = beschluss.FrozenSection{SectionID: s.SectionID, Title: s.Title, Version: s.Version, Text: s.Text}
	}
	var votes []beschlussVoteRow
	if err := tx.Table("beschluss_votes v").Select("v.*, coalesce(u.name, '') AS cast_by_name").
		Joins("LEFT JOIN users u ON u.id = v.cast_by").Where("v.beschluss_id = ?", b.ID).Find(&votes).Error; err != nil {
		return err
	}
	byOrg := map[string]beschlussVoteRow{}
	for _, v := range votes {
		byOrg[v.OrgCode] = v
	}
	b.Votes = nil
	for _, m := range beschluss.Members {
		if v, ok := byOrg[m]; ok {
			b.Votes = append(b.Votes, beschluss.VoteRecord{OrgCode: v.OrgCode, Vote: beschluss.Vote(v.Vote), Declaration: v.Declaration,
				CastBy: v.CastBy, CastByName: v.CastByName, Recorded: v.Recorded, CastAt: v.CastAt.UTC()})
		}
	}
	return nil
}

// numberLockKey is the first half of the PostgreSQL advisory lock that
// serialises numbering within a year.
const numberLockKey = 0x4273 // "Bs"

// UpdateBeschluss applies fn's vote and outcome under the Vorlage's lock.
func (db *DB) UpdateBeschluss(ctx context.Context, id int64, now time.Time, fn func(*beschluss.Beschluss) (*beschluss.VoteRecord, beschluss.Outcome, error)) (*beschluss.Beschluss, error) {
	now = utc(now)
	var out *beschluss.Beschluss
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var ids []int64
		if err := db.forUpdate(tx.Model(&beschlussRow{})).Where("id = ?", id).Pluck("id", &ids).Error; err != nil {
			return err
		}
		if len(ids) == 0 {
			return notFound("Diese Beschlussvorlage gibt es nicht.")
		}
		b, err := findBeschluss(tx, id)
		if err != nil {
			return err
		}
		v, outcome, err := fn(b)
		if err != nil {
			return err
		}
		if v != nil {
			row := beschlussVoteRow{BeschlussID: id, OrgCode: v.OrgCode, Vote: string(v.Vote), Declaration: v.Declaration,
				CastBy: v.CastBy, Recorded: v.Recorded, CastAt: utc(v.CastAt)}
			if err := tx.Omit("cast_by_name").Clauses(clause.OnConflict{
				Columns:   []clause.Column{{Name: "beschluss_id"}, {Name: "org_code"}},
				DoUpdates: clause.AssignmentColumns([]string{"vote", "declaration", "cast_by", "recorded", "cast_at"}),
			}).Create(&row).Error; err != nil {
				return mapConstraint(err, "vote", "Die Stimme wurde schon abgegeben.", "Ungültige Stimme.")
			}
		}
		if outcome != beschluss.Offen {
			if err := db.decide(tx, b, outcome, now); err != nil {
				return err
			}
		}
		out, err = findBeschluss(tx, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("update beschluss: %w", err)
	}
	return out, nil
}

// decide records the outcome; an adoption takes the next number and makes
// the sections final.
func (db *DB) decide(tx *gorm.DB, b *beschluss.Beschluss, outcome beschluss.Outcome, now time.Time) error {
	upd := map[string]any{"outcome": string(outcome), "decided_at": now}
	if outcome == beschluss.Angenommen {
		year := beschluss.NumberYear(now)
		if db.dialect == DialectPostgres {
			if err := tx.Exec("SELECT pg_advisory_xact_lock(?, ?)", numberLockKey, year).Error; err != nil {
				return err
			}
		}
		var last *int
		if err := tx.Model(&beschlussRow{}).Where("number_year = ?", year).Select("MAX(number_seq)").Scan(&last).Error; err != nil {
			return err
		}
		seq := 1
		if last != nil {
			seq = *last + 1
		}
		upd["number_year"], upd["number_seq"] = year, seq
		ids := make([]int64, len(b.Sections))
		for i, s := range b.Sections {
			ids[i] = s.SectionID
		}
		if err := tx.Model(&sectionRow{}).Where("id IN ?", ids).
			Updates(map[string]any{"status": string(domain.SectionFinal), "updated_at": now}).Error; err != nil {
			return err
		}
	}
	return tx.Model(&beschlussRow{}).Where("id = ?", b.ID).Updates(upd).Error
}

// FindSectionBeschluesse lists the adopted Beschlüsse of a section.
func (db *DB) FindSectionBeschluesse(ctx context.Context, sectionID int64) ([]*beschluss.Beschluss, error) {
	var rows []beschlussRow
	err := db.conn(ctx).Where("outcome = ? AND id IN (SELECT beschluss_id FROM beschluss_sections WHERE section_id = ?)",
		string(beschluss.Angenommen), sectionID).Order("id").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("find section beschluesse: %w", err)
	}
	out := make([]*beschluss.Beschluss, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}
