package httpapi

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/strategieraum/strategieraum/backend/consult"
	"github.com/strategieraum/strategieraum/backend/domain"
)

var errNoConsult = domain.Errorf(domain.EUNAVAILABLE, "Die Beteiligung ist derzeit nicht verfügbar.")

// consultFor returns the consultation service and the logged-in user.
func (s *Server) consultFor(c echo.Context) (*consult.Service, *domain.User, error) {
	u, err := user(c)
	if err != nil {
		return nil, nil, err
	}
	if s.deps.Consult == nil {
		return nil, nil, errNoConsult
	}
	return s.deps.Consult, u, nil
}

type threadRequest struct {
	Kind        domain.ThreadKind `json:"kind"`
	Start       int               `json:"start"`
	End         int               `json:"end"`
	Version     int64             `json:"version"`
	Body        string            `json:"body"`
	Replacement string            `json:"replacement"`
}

type bodyRequest struct {
	Body string `json:"body"`
}

type reasonRequest struct {
	Reason string `json:"reason"`
}

type noteRequest struct {
	Note string `json:"note"`
}

type acceptRequest struct {
	Confirm bool `json:"confirm"`
}

// handleListThreads lists a section's threads with anchors at the newest
// version.
func (s *Server) handleListThreads(c echo.Context) error {
	svc, u, err := s.consultFor(c)
	if err != nil {
		return err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	list, err := svc.SectionThreads(c.Request().Context(), u, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, nonNil(list))
}

// handleCreateThread starts a thread on a passage of a section.
func (s *Server) handleCreateThread(c echo.Context) error {
	svc, u, err := s.consultFor(c)
	if err != nil {
		return err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req threadRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	t, err := svc.CreateThread(c.Request().Context(), u, consult.NewThread{SectionID: id, Kind: req.Kind, Start: req.Start,
		End: req.End, Version: req.Version, Body: req.Body, Replacement: req.Replacement})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, t)
}

// handleGetThread returns one thread.
func (s *Server) handleGetThread(c echo.Context) error {
	svc, u, err := s.consultFor(c)
	if err != nil {
		return err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	t, err := svc.Thread(c.Request().Context(), u, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t)
}

// handleReply appends a comment to a thread.
func (s *Server) handleReply(c echo.Context) error {
	svc, u, err := s.consultFor(c)
	if err != nil {
		return err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req bodyRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	cm, err := svc.Reply(c.Request().Context(), u, id, req.Body)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, cm)
}

// handleEditComment changes one's own comment within the edit window.
func (s *Server) handleEditComment(c echo.Context) error {
	svc, u, err := s.consultFor(c)
	if err != nil {
		return err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req bodyRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	cm, err := svc.EditComment(c.Request().Context(), u, id, req.Body)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cm)
}

// handleThreadAction runs one of the state changes on a thread that take a
// small JSON body: accept, reject, resolve, reopen, hide.
func (s *Server) handleThreadAction(action string) echo.HandlerFunc {
	return func(c echo.Context) error {
		svc, u, err := s.consultFor(c)
		if err != nil {
			return err
		}
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		ctx := c.Request().Context()
		var t *domain.Thread
		switch action {
		case "accept":
			var req acceptRequest
			if err := decodeJSON(c, &req); err != nil {
				return err
			}
			t, err = svc.Accept(ctx, u, id, req.Confirm)
		case "reject", "hide":
			var req reasonRequest
			if err := decodeJSON(c, &req); err != nil {
				return err
			}
			if action == "reject" {
				t, err = svc.Reject(ctx, u, id, req.Reason)
			} else {
				t, err = svc.HideThread(ctx, u, id, req.Reason)
			}
		default:
			var req noteRequest
			if err := decodeJSON(c, &req); err != nil {
				return err
			}
			if action == "resolve" {
				t, err = svc.Resolve(ctx, u, id, req.Note)
			} else {
				t, err = svc.Reopen(ctx, u, id, req.Note)
			}
		}
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, t)
	}
}

// handleHideComment hides a comment with a reason.
func (s *Server) handleHideComment(c echo.Context) error {
	svc, u, err := s.consultFor(c)
	if err != nil {
		return err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req reasonRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	cm, err := svc.HideComment(c.Request().Context(), u, id, req.Reason)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cm)
}

// handleReportComment puts a comment into the moderators' queue.
func (s *Server) handleReportComment(c echo.Context) error {
	svc, u, err := s.consultFor(c)
	if err != nil {
		return err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req reasonRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	r, err := svc.ReportComment(c.Request().Context(), u, id, req.Reason)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, r)
}

// handleReportQueue lists open reports for the moderation.
func (s *Server) handleReportQueue(c echo.Context) error {
	svc, u, err := s.consultFor(c)
	if err != nil {
		return err
	}
	sid, err := queryInt(c, "strategy_id", 0, 1<<53)
	if err != nil {
		return err
	}
	list, err := svc.ReportQueue(c.Request().Context(), u, sid)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, nonNil(list))
}

// handleStrategyThreads lists threads across a strategy's sections for the
// moderators' dashboard.
func (s *Server) handleStrategyThreads(c echo.Context) error {
	svc, u, err := s.consultFor(c)
	if err != nil {
		return err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	q := consult.ThreadQuery{Status: domain.ThreadStatus(c.QueryParam("status")), Kind: domain.ThreadKind(c.QueryParam("kind"))}
	if q.OrgID, err = queryInt(c, "org_id", 0, 1<<53); err != nil {
		return err
	}
	if q.TopicID, err = queryInt(c, "topic_id", 0, 1<<53); err != nil {
		return err
	}
	days, err := queryInt(c, "older_than_days", 0, 3650)
	if err != nil {
		return err
	}
	q.OlderThan = time.Duration(days) * 24 * time.Hour
	list, err := svc.StrategyThreads(c.Request().Context(), u, id, q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, nonNil(list))
}
