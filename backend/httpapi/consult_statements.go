package httpapi

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/strategieraum/strategieraum/backend/consult"
	"github.com/strategieraum/strategieraum/backend/domain"
)

// handleListStatements shows which organisations have submitted.
func (s *Server) handleListStatements() echo.HandlerFunc {
	return onItem(s, http.StatusOK, func(ctx context.Context, svc *consult.Service, u *domain.User, id int64, _ noBody) ([]*consult.StatementStatus, error) {
		list, err := svc.Statements(ctx, u, id)
		return nonNil(list), err
	})
}

// handleGetStatement returns an organisation's statement as the caller may
// read it.
func (s *Server) handleGetStatement(c echo.Context) error {
	svc, u, err := s.consultFor(c)
	if err != nil {
		return err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	org, err := pathID(c, "org")
	if err != nil {
		return err
	}
	st, err := svc.Statement(c.Request().Context(), u, id, org)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}

// handleStatementVersions lists every version of an organisation's
// statement.
func (s *Server) handleStatementVersions(c echo.Context) error {
	svc, u, err := s.consultFor(c)
	if err != nil {
		return err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	org, err := pathID(c, "org")
	if err != nil {
		return err
	}
	list, err := svc.StatementVersions(c.Request().Context(), u, id, org)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, nonNil(list))
}

// handleSaveStatement stores the draft of the caller's organisation.
func (s *Server) handleSaveStatement() echo.HandlerFunc {
	return onItem(s, http.StatusOK, func(ctx context.Context, svc *consult.Service, u *domain.User, id int64, r consult.StatementInput) (*domain.Statement, error) {
		return svc.SaveStatement(ctx, u, id, r)
	})
}

// handleSubmitStatement freezes the caller's organisation's draft.
func (s *Server) handleSubmitStatement() echo.HandlerFunc {
	return onItem(s, http.StatusOK, func(ctx context.Context, svc *consult.Service, u *domain.User, id int64, _ noBody) (*domain.Statement, error) {
		return svc.SubmitStatement(ctx, u, id)
	})
}
