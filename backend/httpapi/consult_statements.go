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

// onOrgStatement answers a request on one organisation's statement of a
// strategy (path ids id and org) with what call returns.
func onOrgStatement[T any](s *Server, call func(ctx context.Context, svc *consult.Service, u *domain.User, strategyID, orgID int64) (T, error)) echo.HandlerFunc {
	return func(c echo.Context) error {
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
		res, err := call(c.Request().Context(), svc, u, id, org)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, res)
	}
}

// handleGetStatement returns an organisation's statement as the caller may
// read it.
func (s *Server) handleGetStatement() echo.HandlerFunc {
	return onOrgStatement(s, func(ctx context.Context, svc *consult.Service, u *domain.User, id, org int64) (*domain.Statement, error) {
		return svc.Statement(ctx, u, id, org)
	})
}

// handleStatementVersions lists every version of an organisation's
// statement.
func (s *Server) handleStatementVersions() echo.HandlerFunc {
	return onOrgStatement(s, func(ctx context.Context, svc *consult.Service, u *domain.User, id, org int64) ([]*domain.Statement, error) {
		list, err := svc.StatementVersions(ctx, u, id, org)
		return nonNil(list), err
	})
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
