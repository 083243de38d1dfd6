package httpapi

import (
	"context"
	"net/http"
	"strconv"
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
	if err := roundParam(c); err != nil {
		return nil, nil, err
	}
	return s.deps.Consult, u, nil
}

// roundParam hands the optional ?phase= of a reading request (the
// consultation round whose statements or report are asked for; the newest
// without it) to the service.
func roundParam(c echo.Context) error {
	v := c.QueryParam("phase")
	if v == "" || c.Request().Method != http.MethodGet {
		return nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return domain.Invalid("phase", "Erwartet: die Nummer einer Beteiligungsrunde.")
	}
	c.SetRequest(c.Request().WithContext(consult.WithRound(c.Request().Context(), id)))
	return nil
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

// noBody marks consultation calls that take no request body.
type noBody struct{}

// onItem is the shape most consultation handlers share: the service and the
// user, the item named by the path's id, a JSON body of type R (none for
// noBody), one service call, its result as JSON with status.
func onItem[R, T any](s *Server, status int,
	call func(ctx context.Context, svc *consult.Service, u *domain.User, id int64, req R) (T, error)) echo.HandlerFunc {
	return onItemOf(s.consultFor, status, call)
}

// onItemOf is onItem for any service that serviceFor returns with the user.
func onItemOf[S, R, T any](serviceFor func(echo.Context) (S, *domain.User, error), status int,
	call func(ctx context.Context, svc S, u *domain.User, id int64, req R) (T, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
		svc, u, err := serviceFor(c)
		if err != nil {
			return err
		}
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		var req R
		if _, none := any(req).(noBody); !none {
			if err := decodeJSON(c, &req); err != nil {
				return err
			}
		}
		res, err := call(c.Request().Context(), svc, u, id, req)
		if err != nil {
			return err
		}
		return c.JSON(status, res)
	}
}

// handleListThreads lists a section's threads with anchors at the newest
// version.
func (s *Server) handleListThreads() echo.HandlerFunc {
	return onItem(s, http.StatusOK, func(ctx context.Context, svc *consult.Service, u *domain.User, id int64, _ noBody) ([]*domain.Thread, error) {
		list, err := svc.SectionThreads(ctx, u, id)
		return nonNil(list), err
	})
}

// handleCreateThread starts a thread on a passage of a section.
func (s *Server) handleCreateThread() echo.HandlerFunc {
	return onItem(s, http.StatusCreated, func(ctx context.Context, svc *consult.Service, u *domain.User, id int64, r threadRequest) (*domain.Thread, error) {
		if err := s.allowContribution(ctx, u); err != nil {
			return nil, err
		}
		return svc.CreateThread(ctx, u, consult.NewThread{SectionID: id, Kind: r.Kind, Start: r.Start,
			End: r.End, Version: r.Version, Body: r.Body, Replacement: r.Replacement})
	})
}

// handleGetThread returns one thread.
func (s *Server) handleGetThread() echo.HandlerFunc {
	return onItem(s, http.StatusOK, func(ctx context.Context, svc *consult.Service, u *domain.User, id int64, _ noBody) (*domain.Thread, error) {
		return svc.Thread(ctx, u, id)
	})
}

// handleReply appends a comment to a thread.
func (s *Server) handleReply() echo.HandlerFunc {
	return onItem(s, http.StatusCreated, func(ctx context.Context, svc *consult.Service, u *domain.User, id int64, r bodyRequest) (*domain.Comment, error) {
		if err := s.allowContribution(ctx, u); err != nil {
			return nil, err
		}
		return svc.Reply(ctx, u, id, r.Body)
	})
}

// handleEditComment changes one's own comment within the edit window.
func (s *Server) handleEditComment() echo.HandlerFunc {
	return onItem(s, http.StatusOK, func(ctx context.Context, svc *consult.Service, u *domain.User, id int64, r bodyRequest) (*domain.Comment, error) {
		return svc.EditComment(ctx, u, id, r.Body)
	})
}

// handleAccept commits a proposal into the text (confirm: despite a changed passage).
func (s *Server) handleAccept() echo.HandlerFunc {
	return onItem(s, http.StatusOK, func(ctx context.Context, svc *consult.Service, u *domain.User, id int64, r acceptRequest) (*domain.Thread, error) {
		return svc.Accept(ctx, u, id, r.Confirm)
	})
}

// handleThreadReason runs a thread change that needs a reason: reject or hide.
func (s *Server) handleThreadReason(change func(*consult.Service, context.Context, *domain.User, int64, string) (*domain.Thread, error)) echo.HandlerFunc {
	return onItem(s, http.StatusOK, func(ctx context.Context, svc *consult.Service, u *domain.User, id int64, r reasonRequest) (*domain.Thread, error) {
		return change(svc, ctx, u, id, r.Reason)
	})
}

// handleThreadNote runs a thread change with an optional note: resolve or reopen.
func (s *Server) handleThreadNote(change func(*consult.Service, context.Context, *domain.User, int64, string) (*domain.Thread, error)) echo.HandlerFunc {
	return onItem(s, http.StatusOK, func(ctx context.Context, svc *consult.Service, u *domain.User, id int64, r noteRequest) (*domain.Thread, error) {
		return change(svc, ctx, u, id, r.Note)
	})
}

// handleHideComment hides a comment with a reason.
func (s *Server) handleHideComment() echo.HandlerFunc {
	return onItem(s, http.StatusOK, func(ctx context.Context, svc *consult.Service, u *domain.User, id int64, r reasonRequest) (*domain.Comment, error) {
		return svc.HideComment(ctx, u, id, r.Reason)
	})
}

// handleReportComment puts a comment into the moderators' queue.
func (s *Server) handleReportComment() echo.HandlerFunc {
	return onItem(s, http.StatusCreated, func(ctx context.Context, svc *consult.Service, u *domain.User, id int64, r reasonRequest) (*domain.CommentReport, error) {
		return svc.ReportComment(ctx, u, id, r.Reason)
	})
}

// handleDismissReport closes a report without hiding the comment.
func (s *Server) handleDismissReport() echo.HandlerFunc {
	return onItem(s, http.StatusOK, func(ctx context.Context, svc *consult.Service, u *domain.User, id int64, r noteRequest) (*domain.CommentReport, error) {
		return svc.DismissReport(ctx, u, id, r.Note)
	})
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
