package httpapi

import (
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/policy"
)

type phaseRequest struct {
	Kind     domain.PhaseKind `json:"kind"`
	Title    string           `json:"title"`
	OpensAt  *time.Time       `json:"opens_at"`
	ClosesAt *time.Time       `json:"closes_at"`
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
	}
	p := &domain.Phase{StrategyID: st.ID, Kind: req.Kind, Title: title, OpensAt: utc(req.OpensAt), ClosesAt: utc(req.ClosesAt)}
	if u := domain.UserFromContext(c.Request().Context()); u != nil {
		p.ActorID = &u.ID
	}
	if err := s.deps.Strategies.AddPhase(c.Request().Context(), p); err != nil {
		return err
	}
	s.audit(c, domain.UserFromContext(c.Request().Context()), "phase_changed",
		fmt.Sprintf("strategy:%d", st.ID), string(p.Kind))
	if s.deps.Consult != nil {
		s.deps.Consult.PhaseChanged(c.Request().Context(), st, p)
	}
	return c.JSON(http.StatusCreated, p)
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
