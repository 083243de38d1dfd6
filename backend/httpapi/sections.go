package httpapi

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/policy"
	"github.com/strategieraum/strategieraum/backend/structure"
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
	ArchivedAt *time.Time           `json:"archived_at,omitempty"`
	// Can says what the asking user may do with the section.
	Can *domain.SectionPermissions `json:"can,omitempty"`
}

// viewSection is sec as u sees it, with u's permissions on it.
func (s *Server) viewSection(c echo.Context, st *domain.Strategy, sec *domain.Section) sectionView {
	u := domain.UserFromContext(c.Request().Context())
	return sectionView{ID: sec.ID, StrategyID: sec.StrategyID, TopicID: sec.TopicID, Part: sec.Part, Position: sec.Position,
		Title: sec.Title, Text: sec.Text, Version: sec.Version, Status: sec.Status, UpdatedAt: sec.UpdatedAt.UTC(),
		ArchivedAt: sec.ArchivedAt, Can: policy.SectionCan(u, st, sec, s.now())}
}

func (s *Server) handleGetSection(c echo.Context) error {
	sec, st, err := s.sectionFor(c, policy.ReadSection)
	if err != nil {
		return err
	}
	if sec, err = s.withText(c.Request().Context(), sec); err != nil {
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
	u, id, err := actorAnd(c, "id")
	if err != nil {
		return err
	}
	var req createSectionRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	sec, err := s.structure.CreateSection(c.Request().Context(), u, id,
		structure.NewSection{Title: req.Title, Part: req.Part, TopicID: req.TopicID})
	if err != nil {
		return err
	}
	st, err := s.deps.Strategies.FindStrategyByID(c.Request().Context(), sec.StrategyID)
	if err != nil {
		return err
	}
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
	u, id, err := actorAnd(c, "id")
	if err != nil {
		return err
	}
	var req updateSectionRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	ch := structure.SectionChanges{Title: req.Title, Part: req.Part, Status: req.Status}
	if req.TopicID != nil {
		var tid *int64
		if err := json.Unmarshal(req.TopicID, &tid); err != nil {
			return domain.Invalid("topic_id", "Erwartet: eine Themen-ID oder null.")
		}
		ch.TopicID = &tid
	}
	sec, st, err := s.structure.UpdateSection(c.Request().Context(), u, id, ch)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.viewSection(c, st, sec))
}

type reorderRequest struct {
	IDs []int64 `json:"ids"`
}

func (s *Server) handleReorderSections(c echo.Context) error {
	u, id, err := actorAnd(c, "id")
	if err != nil {
		return err
	}
	var req reorderRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := s.structure.ReorderSections(c.Request().Context(), u, id, req.IDs); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// handleDeleteSection deletes a section without contributions (204) and
// archives one with contributions (200 with the archived section).
func (s *Server) handleDeleteSection(c echo.Context) error {
	u, id, err := actorAnd(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	archived, err := s.structure.RemoveSection(ctx, u, id)
	if err != nil {
		return err
	}
	if archived == nil {
		return c.NoContent(http.StatusNoContent)
	}
	st, err := s.deps.Strategies.FindStrategyByID(ctx, archived.StrategyID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.viewSection(c, st, archived))
}
