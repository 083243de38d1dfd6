package httpapi

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/policy"
)

type topicRequest struct {
	Title    *string   `json:"title"`
	Position *int      `json:"position"`
	Sponsors *[]string `json:"sponsors"` // organisation codes
}

func (s *Server) handleCreateTopic(c echo.Context) error {
	st, err := s.structureStrategy(c)
	if err != nil {
		return err
	}
	var req topicRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Title == nil {
		return domain.Invalid("title", "Darf nicht leer sein.")
	}
	upd, err := s.topicUpdate(c, req)
	if err != nil {
		return err
	}
	t := &domain.Topic{StrategyID: st.ID, Title: *upd.Title}
	if upd.Position != nil {
		t.Position = *upd.Position
	}
	if upd.SponsorIDs != nil {
		for _, id := range *upd.SponsorIDs {
			t.Sponsors = append(t.Sponsors, domain.Organisation{ID: id})
		}
	}
	if err := s.deps.Strategies.CreateTopic(c.Request().Context(), t); err != nil {
		return err
	}
	s.auditStructure(c, fmt.Sprintf("topic:%d", t.ID), "Schwerpunktthema angelegt")
	out, err := s.deps.Strategies.FindTopicByID(c.Request().Context(), t.ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, out)
}

func (s *Server) handleUpdateTopic(c echo.Context) error {
	t, err := s.structureTopic(c)
	if err != nil {
		return err
	}
	var req topicRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	upd, err := s.topicUpdate(c, req)
	if err != nil {
		return err
	}
	out, err := s.deps.Strategies.UpdateTopic(c.Request().Context(), t.ID, upd)
	if err != nil {
		return err
	}
	s.auditStructure(c, fmt.Sprintf("topic:%d", t.ID), "Schwerpunktthema geändert")
	return c.JSON(http.StatusOK, out)
}

func (s *Server) handleDeleteTopic(c echo.Context) error {
	t, err := s.structureTopic(c)
	if err != nil {
		return err
	}
	if err := s.deps.Strategies.DeleteTopic(c.Request().Context(), t.ID); err != nil {
		return err
	}
	s.auditStructure(c, fmt.Sprintf("topic:%d", t.ID), "Schwerpunktthema gelöscht")
	return c.NoContent(http.StatusNoContent)
}

// structureTopic loads the topic of the path and checks that the caller may
// change its strategy's structure.
func (s *Server) structureTopic(c echo.Context) (*domain.Topic, error) {
	if _, err := user(c); err != nil {
		return nil, err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	ctx := c.Request().Context()
	t, err := s.deps.Strategies.FindTopicByID(ctx, id)
	if err != nil {
		return nil, err
	}
	st, err := s.deps.Strategies.FindStrategyByID(ctx, t.StrategyID)
	if err != nil {
		return nil, err
	}
	return t, s.check(c, policy.ManageStructure, policy.Resource{Strategy: st})
}

// topicUpdate validates a topic request and resolves sponsor codes.
func (s *Server) topicUpdate(c echo.Context, req topicRequest) (domain.TopicUpdate, error) {
	var upd domain.TopicUpdate
	if req.Title != nil {
		t, err := text("title", *req.Title, 200)
		if err != nil {
			return upd, err
		}
		upd.Title = &t
	}
	if req.Position != nil {
		if *req.Position < 1 || *req.Position > 10000 {
			return upd, domain.Invalid("position", "Erwartet wird eine Position zwischen 1 und 10000.")
		}
		upd.Position = req.Position
	}
	if req.Sponsors != nil {
		if len(*req.Sponsors) > 30 {
			return upd, domain.Invalid("sponsors", "Zu viele Organisationen.")
		}
		ids := []int64{}
		for _, code := range *req.Sponsors {
			o, err := s.deps.Strategies.FindOrganisationByCode(c.Request().Context(), code)
			if domain.ErrorCode(err) == domain.ENOTFOUND {
				return upd, domain.Invalid("sponsors", fmt.Sprintf("Unbekannte Organisation „%s“.", truncate(code, 20)))
			} else if err != nil {
				return upd, err
			}
			ids = append(ids, o.ID)
		}
		upd.SponsorIDs = &ids
	}
	return upd, nil
}
