package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/strategieraum/strategieraum/backend/structure"
)

type topicRequest struct {
	Title    *string   `json:"title"`
	Position *int      `json:"position"`
	Sponsors *[]string `json:"sponsors"` // organisation codes
}

func (r topicRequest) changes() structure.TopicChanges {
	return structure.TopicChanges{Title: r.Title, Position: r.Position, Sponsors: r.Sponsors}
}

func (s *Server) handleCreateTopic(c echo.Context) error {
	u, id, err := actorAnd(c, "id")
	if err != nil {
		return err
	}
	var req topicRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	t, err := s.structure.CreateTopic(ctx, u, id, req.changes())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, t)
}

func (s *Server) handleUpdateTopic(c echo.Context) error {
	u, id, err := actorAnd(c, "id")
	if err != nil {
		return err
	}
	var req topicRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	t, err := s.structure.UpdateTopic(ctx, u, id, req.changes())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t)
}

func (s *Server) handleDeleteTopic(c echo.Context) error {
	u, id, err := actorAnd(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if err := s.structure.DeleteTopic(ctx, u, id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
