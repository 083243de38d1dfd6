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

type orgRow struct {
	ID   int64 `gorm:"primaryKey"`
	Code string
	Name string
	Kind string
}

func (orgRow) TableName() string { return "organisations" }

func (r orgRow) domain() domain.Organisation {
	return domain.Organisation{ID: r.ID, Code: r.Code, Name: r.Name, Kind: domain.OrgKind(r.Kind)}
}

type strategyRow struct {
	ID                     int64 `gorm:"primaryKey"`
	Title                  string
	Description            string
	EditDuringConsultation bool
	StatementsPublic       bool
	CreatedAt              time.Time
}

func (strategyRow) TableName() string { return "strategies" }

func (r strategyRow) domain() *domain.Strategy {
	return &domain.Strategy{ID: r.ID, Title: r.Title, Description: r.Description,
		EditDuringConsultation: r.EditDuringConsultation, StatementsPublic: r.StatementsPublic,
		CreatedAt: r.CreatedAt.UTC()}
}

type phaseRow struct {
	ID         int64 `gorm:"primaryKey"`
	StrategyID int64
	Kind       string
	Title      string
	OpensAt    *time.Time
	ClosesAt   *time.Time
	StartedAt  time.Time
	ActorID    *int64
}

func (phaseRow) TableName() string { return "phases" }

func (r phaseRow) domain() *domain.Phase {
	p := &domain.Phase{ID: r.ID, StrategyID: r.StrategyID, Kind: domain.PhaseKind(r.Kind), Title: r.Title,
		OpensAt: utcPtr(r.OpensAt), ClosesAt: utcPtr(r.ClosesAt), StartedAt: r.StartedAt.UTC(), ActorID: r.ActorID}
	return p
}

// FindOrganisations lists all organisations ordered by id.
func (db *DB) FindOrganisations(ctx context.Context) ([]*domain.Organisation, error) {
	var rows []orgRow
	if err := db.conn(ctx).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("find organisations: %w", err)
	}
	out := make([]*domain.Organisation, len(rows))
	for i, r := range rows {
		o := r.domain()
		out[i] = &o
	}
	return out, nil
}

// FindOrganisationByCode returns the organisation with exactly that code,
// or ENOTFOUND.
func (db *DB) FindOrganisationByCode(ctx context.Context, code string) (*domain.Organisation, error) {
	var rows []orgRow
	if err := db.conn(ctx).Where("code = ?", code).Limit(1).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("find organisation: %w", err)
	}
	if len(rows) == 0 {
		return nil, notFound("Organisation „%s“ nicht gefunden.", code)
	}
	o := rows[0].domain()
	return &o, nil
}

// CreateOrganisation inserts o and sets o.ID; ECONFLICT if the code exists,
// EINVALID for an empty code or name or an unknown kind.
func (db *DB) CreateOrganisation(ctx context.Context, o *domain.Organisation) error {
	o.Code, o.Name = strings.TrimSpace(o.Code), strings.TrimSpace(o.Name)
	switch {
	case o.Code == "":
		return domain.Invalid("code", "Bitte geben Sie ein Kürzel an.")
	case o.Name == "":
		return domain.Invalid("name", "Bitte geben Sie einen Namen an.")
	case o.Kind != domain.OrgBund && o.Kind != domain.OrgLand && o.Kind != domain.OrgFITKO && o.Kind != domain.OrgKommunal:
		return domain.Invalid("kind", fmt.Sprintf("Unbekannte Art der Organisation „%s“.", o.Kind))
	}
	row := orgRow{Code: o.Code, Name: o.Name, Kind: string(o.Kind)}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		return tx.Create(&row).Error
	})
	if err != nil {
		return fmt.Errorf("create organisation: %w", mapConstraint(err, "code",
			fmt.Sprintf("Das Kürzel „%s“ ist bereits vergeben.", o.Code), "Ungültige Organisation."))
	}
	o.ID = row.ID
	return nil
}

// orgsByID loads organisations keyed by id.
func orgsByID(tx *gorm.DB, ids []int64) (map[int64]domain.Organisation, error) {
	out := make(map[int64]domain.Organisation, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []orgRow
	if err := tx.Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.ID] = r.domain()
	}
	return out, nil
}

// CreateStrategy inserts s and sets its ID and CreatedAt.
func (db *DB) CreateStrategy(ctx context.Context, s *domain.Strategy) error {
	s.Title = strings.TrimSpace(s.Title)
	if s.Title == "" {
		return domain.Invalid("title", "Bitte geben Sie einen Titel an.")
	}
	row := strategyRow{Title: s.Title, Description: s.Description,
		EditDuringConsultation: s.EditDuringConsultation, StatementsPublic: s.StatementsPublic,
		CreatedAt: utc(db.now())}
	if err := db.tx(ctx, func(tx *gorm.DB) error { return tx.Create(&row).Error }); err != nil {
		return fmt.Errorf("create strategy: %w", err)
	}
	s.ID, s.CreatedAt = row.ID, row.CreatedAt
	return nil
}

// FindStrategies lists strategies ordered by id, without topics and phases.
func (db *DB) FindStrategies(ctx context.Context) ([]*domain.Strategy, error) {
	var rows []strategyRow
	if err := db.conn(ctx).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("find strategies: %w", err)
	}
	out := make([]*domain.Strategy, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// FindStrategyByID returns the strategy with its topics (ordered, with
// sponsors), its phase history (oldest first) and CurrentPhase, or
// ENOTFOUND.
func (db *DB) FindStrategyByID(ctx context.Context, id int64) (*domain.Strategy, error) {
	var s *domain.Strategy
	err := db.snapshotTx(ctx, func(tx *gorm.DB) error {
		var err error
		if s, err = findStrategy(tx, id); err != nil {
			return err
		}
		if s.Topics, err = findTopics(tx, "strategy_id = ?", id); err != nil {
			return err
		}
		var phases []phaseRow
		if err := tx.Where("strategy_id = ?", id).Order("id").Find(&phases).Error; err != nil {
			return err
		}
		s.Phases = make([]*domain.Phase, len(phases))
		for i, p := range phases {
			s.Phases[i] = p.domain()
		}
		if err := loadScopes(tx, s.Phases); err != nil {
			return err
		}
		if n := len(s.Phases); n > 0 {
			s.CurrentPhase = s.Phases[n-1]
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find strategy %d: %w", id, err)
	}
	return s, nil
}

func findStrategy(tx *gorm.DB, id int64) (*domain.Strategy, error) {
	var rows []strategyRow
	if err := tx.Where("id = ?", id).Limit(1).Find(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, notFound("Strategie %d nicht gefunden.", id)
	}
	return rows[0].domain(), nil
}

// lockStrategy locks the strategy row for the rest of tx, so that
// concurrent changes to its topic and section positions run one after the
// other (SQLite transactions are serialised anyway). It returns ENOTFOUND,
// or EINVALID naming field if field is not empty, when the strategy does
// not exist.
func lockStrategy(tx *gorm.DB, id int64, field string) error {
	var rows []strategyRow
	if err := tx.Clauses(clause.Locking{Strength: "NO KEY UPDATE"}).Select("id").Where("id = ?", id).
		Find(&rows).Error; err != nil {
		return err
	}
	if len(rows) > 0 {
		return nil
	}
	if field != "" {
		return domain.Invalid(field, "Unbekannte Strategie.")
	}
	return notFound("Strategie %d nicht gefunden.", id)
}

// AddPhase appends p to its strategy's history, making it current, and sets
// p.ID and p.StartedAt (kept if already set, so that a history can be
// imported). EINVALID for an unknown strategy, kind or actor, or a window
// that closes before it opens.
func (db *DB) AddPhase(ctx context.Context, p *domain.Phase) error {
	if !p.Kind.Valid() {
		return domain.Invalid("kind", fmt.Sprintf("Unbekannte Phase „%s“.", p.Kind))
	}
	if p.OpensAt != nil && p.ClosesAt != nil && !p.ClosesAt.After(*p.OpensAt) {
		return domain.Invalid("closes_at", "Das Ende der Beteiligung muss nach ihrem Beginn liegen.")
	}
	started := p.StartedAt
	if started.IsZero() {
		started = db.now()
	}
	row := phaseRow{StrategyID: p.StrategyID, Kind: string(p.Kind), Title: strings.TrimSpace(p.Title),
		OpensAt: utcPtr(p.OpensAt), ClosesAt: utcPtr(p.ClosesAt), StartedAt: utc(started), ActorID: p.ActorID}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := lockStrategy(tx, p.StrategyID, "strategy_id"); err != nil {
			return err
		}
		if err := tx.Create(&row).Error; err != nil {
			return mapConstraint(err, "actor_id", "Phase existiert bereits.", "Unbekanntes Benutzerkonto.")
		}
		return saveScope(tx, row.ID, p.StrategyID, p.SectionIDs)
	})
	if err != nil {
		return fmt.Errorf("add phase: %w", err)
	}
	p.ID, p.StartedAt, p.OpensAt, p.ClosesAt, p.Title = row.ID, row.StartedAt, row.OpensAt, row.ClosesAt, row.Title
	if p.SectionIDs == nil {
		p.SectionIDs = []int64{}
	}
	return nil
}
