// Package structure holds the rules for a strategy's structure: creating
// and listing strategies so far. The command line calls it; the HTTP
// handlers are to call the same methods, so that both share one
// validation, one policy check and one audit write.
package structure

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/policy"
)

// Limits on a strategy's texts, in code points.
const (
	MaxTitleLen       = 200
	MaxDescriptionLen = 5000
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
type Service struct{ d Deps }

// New returns a Service.
func New(d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	return &Service{d: d}
}

// NewStrategy is what CreateStrategy needs.
type NewStrategy struct {
	Title                  string
	Description            string
	StatementsPublic       bool
	EditDuringConsultation bool
}

// CreateStrategy validates in and creates the strategy. actor must be
// allowed policy.ManageStructure, or nil for the operator at the command
// line. EINVALID or ETOOLARGE on the fields title and description.
func (s *Service) CreateStrategy(ctx context.Context, actor *domain.User, in NewStrategy) (*domain.Strategy, error) {
	now := s.d.Now().UTC()
	if actor != nil {
		if err := policy.Check(actor, policy.ManageStructure, policy.Resource{}, now); err != nil {
			return nil, err
		}
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
	detail := "Strategie angelegt"
	if actor == nil {
		detail += " (Kommandozeile)"
	}
	domain.RecordAudit(ctx, s.d.Audit, s.d.Logger, now, actor, "structure_changed", fmt.Sprintf("strategy:%d", st.ID), detail)
	return st, nil
}

// Strategies lists all strategies ordered by id.
func (s *Service) Strategies(ctx context.Context) ([]*domain.Strategy, error) {
	return s.d.Strategies.FindStrategies(ctx)
}
