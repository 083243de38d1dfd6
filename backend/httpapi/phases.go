package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/strategieraum/strategieraum/backend/consult"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/policy"
)

type phaseRequest struct {
	Kind     domain.PhaseKind `json:"kind"`
	Title    string           `json:"title"`
	OpensAt  *time.Time       `json:"opens_at"`
	ClosesAt *time.Time       `json:"closes_at"`
	// SectionIDs is a new round's scope; empty: every section.
	SectionIDs []int64 `json:"section_ids"`
}

// handleCreatePhase moves a strategy into a new phase.
func (s *Server) handleCreatePhase(c echo.Context) error {
	st, err := s.strategyFor(c, "id")
	if err != nil {
		return err
	}
	if err := s.check(c, policy.ChangePhase, policy.Resource{Strategy: st}); err != nil {
		return err
	}
	var req phaseRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if !req.Kind.Valid() {
		return domain.Invalid("kind", "Erwartet: entwurf, beteiligung, auswertung oder beschlossen.")
	}
	title, err := text("title", req.Title, 200)
	if err != nil {
		return err
	}
	if req.Kind == domain.PhaseBeteiligung {
		if req.OpensAt == nil || req.ClosesAt == nil {
			return domain.Invalid("closes_at", "Eine Beteiligung braucht Beginn und Ende.")
		}
		if !req.ClosesAt.After(*req.OpensAt) {
			return domain.Invalid("closes_at", "Das Ende muss nach dem Beginn liegen.")
		}
	} else if req.OpensAt != nil || req.ClosesAt != nil {
		return domain.Invalid("opens_at", "Beginn und Ende gibt es nur für eine Beteiligung.")
	} else if len(req.SectionIDs) > 0 {
		return domain.Invalid("section_ids", "Abschnitte wählt nur eine Beteiligungsrunde.")
	}
	p := &domain.Phase{StrategyID: st.ID, Kind: req.Kind, Title: title, OpensAt: utc(req.OpensAt), ClosesAt: utc(req.ClosesAt),
		SectionIDs: req.SectionIDs}
	if u := domain.UserFromContext(c.Request().Context()); u != nil {
		p.ActorID = &u.ID
	}
	if err := s.deps.Strategies.AddPhase(c.Request().Context(), p); err != nil {
		return err
	}
	s.audit(c, domain.UserFromContext(c.Request().Context()), "phase_changed",
		fmt.Sprintf("strategy:%d", st.ID), string(p.Kind))
	if s.deps.Consult != nil {
		if err := s.deps.Consult.FreezeRound(c.Request().Context(), domain.UserFromContext(c.Request().Context()), st, p); err != nil {
			s.log.Error("freezing the Beteiligungsfassung failed", "request_id", requestID(c), "phase", p.ID, "err", err)
		}
		s.deps.Consult.PhaseChanged(c.Request().Context(), st, p)
	}
	return c.JSON(http.StatusCreated, p)
}

// handleChangePhaseTimes moves a consultation round's window in place
// (extend or shorten the deadline) with a reason.
func (s *Server) handleChangePhaseTimes() echo.HandlerFunc {
	return func(c echo.Context) error {
		phase, err := pathID(c, "phase")
		if err != nil {
			return err
		}
		return onItem(s, http.StatusOK, func(ctx context.Context, svc *consult.Service, u *domain.User, id int64, req consult.DeadlineChange) (*domain.Phase, error) {
			return svc.ChangeDeadline(ctx, u, id, phase, req)
		})(c)
	}
}

type namedVersionRequest struct {
	Name string `json:"name"`
}

// handleFreezeVersion stores a section's current text as a named version.
func (s *Server) handleFreezeVersion() echo.HandlerFunc {
	return onItem(s, http.StatusCreated, func(ctx context.Context, svc *consult.Service, u *domain.User, id int64, r namedVersionRequest) (*domain.NamedVersion, error) {
		return svc.FreezeVersion(ctx, u, id, r.Name)
	})
}

// handleNamedVersions lists a section's named versions.
func (s *Server) handleNamedVersions() echo.HandlerFunc {
	return onItem(s, http.StatusOK, func(ctx context.Context, svc *consult.Service, u *domain.User, id int64, _ noBody) ([]*domain.NamedVersion, error) {
		return svc.NamedVersions(ctx, u, id)
	})
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
