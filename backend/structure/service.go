// Package structure holds the rules for a strategy's structure: the
// strategy itself, its Schwerpunktthemen with their sponsoring
// organisations, and its sections (create, rename, move, reorder, delete
// or archive). The HTTP handlers and the command line call the same
// methods, so that both share one validation (domain.Line, domain.Body),
// one policy check (policy.ManageStructure) and one audit write
// (domain.RecordAudit, action structure_changed).
package structure

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/policy"
)

// Limits on the structure's texts, in code points.
const (
	MaxTitleLen        = 200
	MaxSectionTitleLen = 300
	MaxDescriptionLen  = 5000
	MaxSponsors        = 30
	MaxSections        = 10000
)

// Deps are the services a Service works with.
type Deps struct {
	Strategies domain.StrategyService
	Audit      domain.AuditService
	Logger     *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Service implements the structure rules. Safe for concurrent use.
//
// Every changing method takes the acting account: it must be allowed
// policy.ManageStructure (EFORBIDDEN otherwise); nil is refused with
// EUNAUTHORIZED. Operator stands for the operator at the command line, who
// already holds the database.
type Service struct{ d Deps }

// Operator is the actor of the command line: allowed everything, audited
// without an account. Compared by identity, so no account from a session
// or token can be it.
var Operator = &domain.User{Name: "Kommandozeile"}

// New returns a Service.
func New(d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	return &Service{d: d}
}

func (s *Service) now() time.Time { return s.d.Now().UTC() }

// allow checks that actor may change st's structure at now.
func (s *Service) allow(actor *domain.User, st *domain.Strategy, now time.Time) error {
	if actor == Operator {
		return nil
	}
	return policy.Check(actor, policy.ManageStructure, policy.Resource{Strategy: st}, now)
}

// audit writes the one structure_changed row of an action.
func (s *Service) audit(ctx context.Context, actor *domain.User, now time.Time, target, detail string) {
	if actor == Operator {
		actor, detail = nil, detail+" (Kommandozeile)"
	}
	domain.RecordAudit(ctx, s.d.Audit, s.d.Logger, now, actor, "structure_changed", target, detail)
}

// NewStrategy is what CreateStrategy needs.
type NewStrategy struct {
	Title                  string
	Description            string
	StatementsPublic       bool
	EditDuringConsultation bool
}

// CreateStrategy validates in and creates the strategy. EINVALID or
// ETOOLARGE on the fields title and description.
func (s *Service) CreateStrategy(ctx context.Context, actor *domain.User, in NewStrategy) (*domain.Strategy, error) {
	now := s.now()
	if err := s.allow(actor, nil, now); err != nil {
		return nil, err
	}
	title, err := domain.Line("title", in.Title, MaxTitleLen)
	if err != nil {
		return nil, err
	}
	desc, err := domain.Body("description", in.Description, MaxDescriptionLen, false)
	if err != nil {
		return nil, err
	}
	st := &domain.Strategy{Title: title, Description: desc, StatementsPublic: in.StatementsPublic,
		EditDuringConsultation: in.EditDuringConsultation}
	if err := s.d.Strategies.CreateStrategy(ctx, st); err != nil {
		return nil, err
	}
	s.audit(ctx, actor, now, fmt.Sprintf("strategy:%d", st.ID), "Strategie angelegt")
	return st, nil
}

// StrategyChanges are the fields UpdateStrategy changes; nil ones stay.
type StrategyChanges struct {
	Title                  *string
	Description            *string
	StatementsPublic       *bool
	EditDuringConsultation *bool
}

// UpdateStrategy validates ch and applies it to strategy id. ENOTFOUND,
// EINVALID or ETOOLARGE on title and description.
func (s *Service) UpdateStrategy(ctx context.Context, actor *domain.User, id int64, ch StrategyChanges) (*domain.Strategy, error) {
	now := s.now()
	st, err := s.strategy(ctx, actor, id, now)
	if err != nil {
		return nil, err
	}
	upd := domain.StrategyUpdate{StatementsPublic: ch.StatementsPublic, EditDuringConsultation: ch.EditDuringConsultation}
	if upd.Title, err = optional(ch.Title, func(v string) (string, error) { return domain.Line("title", v, MaxTitleLen) }); err != nil {
		return nil, err
	}
	if upd.Description, err = optional(ch.Description, func(v string) (string, error) {
		return domain.Body("description", v, MaxDescriptionLen, false)
	}); err != nil {
		return nil, err
	}
	out, err := s.d.Strategies.UpdateStrategy(ctx, st.ID, upd)
	if err != nil {
		return nil, err
	}
	s.audit(ctx, actor, now, fmt.Sprintf("strategy:%d", id), "Strategie geändert")
	return out, nil
}

// Strategies lists all strategies ordered by id.
func (s *Service) Strategies(ctx context.Context) ([]*domain.Strategy, error) {
	return s.d.Strategies.FindStrategies(ctx)
}

// optional validates *v with check when v is set.
func optional(v *string, check func(string) (string, error)) (*string, error) {
	if v == nil {
		return nil, nil
	}
	out, err := check(*v)
	if err != nil {
		return nil, err
	}
	return &out, nil
}
