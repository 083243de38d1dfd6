package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/policy"
)

// sectionView is a section with its text (always present, even if empty).
type sectionView struct {
	ID         int64                `json:"id"`
	StrategyID int64                `json:"strategy_id"`
	TopicID    *int64               `json:"topic_id"`
	Part       domain.Part          `json:"part"`
	Position   int                  `json:"position"`
	Title      string               `json:"title"`
	Text       string               `json:"text"`
	Version    int64                `json:"version"`
	Status     domain.SectionStatus `json:"status"`
	UpdatedAt  time.Time            `json:"updated_at"`
	// Can says what the asking user may do with the section.
	Can *domain.SectionPermissions `json:"can,omitempty"`
}

// viewSection is sec as u sees it, with u's permissions on it.
func (s *Server) viewSection(c echo.Context, st *domain.Strategy, sec *domain.Section) sectionView {
	u := domain.UserFromContext(c.Request().Context())
	return sectionView{ID: sec.ID, StrategyID: sec.StrategyID, TopicID: sec.TopicID, Part: sec.Part, Position: sec.Position,
		Title: sec.Title, Text: sec.Text, Version: sec.Version, Status: sec.Status, UpdatedAt: sec.UpdatedAt.UTC(),
		Can: policy.SectionCan(u, st, sec, s.now())}
}

func (s *Server) handleGetSection(c echo.Context) error {
	sec, st, err := s.sectionFor(c, policy.ReadSection)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.viewSection(c, st, sec))
}

type createSectionRequest struct {
	Title   string      `json:"title"`
	TopicID *int64      `json:"topic_id"`
	Part    domain.Part `json:"part"`
}

func (s *Server) handleCreateSection(c echo.Context) error {
	st, err := s.structureStrategy(c)
	if err != nil {
		return err
	}
	var req createSectionRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	title, err := text("title", req.Title, 300)
	if err != nil {
		return err
	}
	if !req.Part.Valid() {
		return domain.Invalid("part", "Erwartet: dachstrategie, schwerpunktthemen oder umsetzungsvorhaben.")
	}
	if err := s.checkTopic(c, st.ID, req.TopicID); err != nil {
		return err
	}
	sec := &domain.Section{StrategyID: st.ID, Title: title, TopicID: req.TopicID, Part: req.Part, Status: domain.SectionDraft}
	if err := s.deps.Strategies.CreateSection(c.Request().Context(), sec); err != nil {
		return err
	}
	s.auditStructure(c, fmt.Sprintf("section:%d", sec.ID), "Abschnitt angelegt")
	return c.JSON(http.StatusCreated, s.viewSection(c, st, sec))
}

// updateSectionRequest distinguishes an absent topic_id (keep) from null
// (detach) with json.RawMessage.
type updateSectionRequest struct {
	Title   *string               `json:"title"`
	TopicID json.RawMessage       `json:"topic_id"`
	Part    *domain.Part          `json:"part"`
	Status  *domain.SectionStatus `json:"status"`
}

func (s *Server) handleUpdateSection(c echo.Context) error {
	sec, st, err := s.sectionFor(c, policy.ManageStructure)
	if err != nil {
		return err
	}
	var req updateSectionRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	var upd domain.SectionUpdate
	if req.Title != nil {
		t, err := text("title", *req.Title, 300)
		if err != nil {
			return err
		}
		upd.Title = &t
	}
	if req.TopicID != nil {
		var tid *int64
		if err := json.Unmarshal(req.TopicID, &tid); err != nil {
			return domain.Invalid("topic_id", "Erwartet: eine Themen-ID oder null.")
		}
		if err := s.checkTopic(c, sec.StrategyID, tid); err != nil {
			return err
		}
		upd.TopicID = &tid
	}
	if req.Part != nil && !req.Part.Valid() {
		return domain.Invalid("part", "Erwartet: dachstrategie, schwerpunktthemen oder umsetzungsvorhaben.")
	}
	if req.Status != nil && !req.Status.Valid() {
		return domain.Invalid("status", "Erwartet: draft, consultation oder final.")
	}
	upd.Part, upd.Status = req.Part, req.Status
	out, err := s.deps.Strategies.UpdateSection(c.Request().Context(), sec.ID, upd)
	if err != nil {
		return err
	}
	s.auditStructure(c, fmt.Sprintf("section:%d", sec.ID), "Abschnitt geändert")
	return c.JSON(http.StatusOK, s.viewSection(c, st, out))
}

type reorderRequest struct {
	IDs []int64 `json:"ids"`
}

func (s *Server) handleReorderSections(c echo.Context) error {
	st, err := s.structureStrategy(c)
	if err != nil {
		return err
	}
	var req reorderRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if len(req.IDs) == 0 || len(req.IDs) > 10000 {
		return domain.Invalid("ids", "Erwartet wird die vollständige Liste der Abschnitts-IDs.")
	}
	if err := s.deps.Strategies.ReorderSections(c.Request().Context(), st.ID, req.IDs); err != nil {
		return err
	}
	s.auditStructure(c, fmt.Sprintf("strategy:%d", st.ID), "Abschnitte umsortiert")
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) handleDeleteSection(c echo.Context) error {
	sec, _, err := s.sectionFor(c, policy.ManageStructure)
	if err != nil {
		return err
	}
	if err := s.deps.Strategies.DeleteSection(c.Request().Context(), sec.ID); err != nil {
		return err
	}
	s.auditStructure(c, fmt.Sprintf("section:%d", sec.ID), "Abschnitt gelöscht")
	return c.NoContent(http.StatusNoContent)
}

// structureStrategy loads the strategy of the path and checks that the
// caller may change its structure.
func (s *Server) structureStrategy(c echo.Context) (*domain.Strategy, error) {
	st, err := s.strategyFor(c, "id")
	if err != nil {
		return nil, err
	}
	if err := s.check(c, policy.ManageStructure, policy.Resource{Strategy: st}); err != nil {
		return nil, err
	}
	return st, nil
}

// checkTopic makes sure a topic id, if given, belongs to the strategy.
func (s *Server) checkTopic(c echo.Context, strategyID int64, id *int64) error {
	if id == nil {
		return nil
	}
	t, err := s.deps.Strategies.FindTopicByID(c.Request().Context(), *id)
	if domain.ErrorCode(err) == domain.ENOTFOUND || (err == nil && t.StrategyID != strategyID) {
		return domain.Invalid("topic_id", "Dieses Schwerpunktthema gibt es in der Strategie nicht.")
	}
	return err
}

func (s *Server) auditStructure(c echo.Context, target, detail string) {
	s.audit(c, domain.UserFromContext(c.Request().Context()), "structure_changed", target, detail)
}
