package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

type readRequest struct {
	IDs []int64 `json:"ids"` // empty: all
}

type unreadCount struct {
	Unread int `json:"unread"`
}

// handleListNotifications lists the caller's feed, newest first.
func (s *Server) handleListNotifications(c echo.Context) error {
	svc, u, err := s.consultFor(c)
	if err != nil {
		return err
	}
	limit, err := queryInt(c, "limit", 50, 200)
	if err != nil {
		return err
	}
	list, err := svc.Notifications(c.Request().Context(), u, c.QueryParam("unread") == "true", int(limit))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, nonNil(list))
}

// handleUnreadCount counts the caller's unread notifications.
func (s *Server) handleUnreadCount(c echo.Context) error {
	svc, u, err := s.consultFor(c)
	if err != nil {
		return err
	}
	n, err := svc.UnreadCount(c.Request().Context(), u)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, unreadCount{Unread: n})
}

// handleMarkRead marks notifications read.
func (s *Server) handleMarkRead(c echo.Context) error {
	svc, u, err := s.consultFor(c)
	if err != nil {
		return err
	}
	var req readRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if len(req.IDs) > 1000 {
		return domainTooMany()
	}
	if err := svc.MarkRead(c.Request().Context(), u, req.IDs); err != nil {
		return err
	}
	n, err := svc.UnreadCount(c.Request().Context(), u)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, unreadCount{Unread: n})
}
