package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/strategieraum/strategieraum/backend/consult"
)

// handleListStatements shows which organisations have submitted.
func (s *Server) handleListStatements(c echo.Context) error {
	svc, u, err := s.consultFor(c)
	if err != nil {
		return err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	list, err := svc.Statements(c.Request().Context(), u, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, nonNil(list))
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
func (s *Server) handleSaveStatement(c echo.Context) error {
	svc, u, err := s.consultFor(c)
	if err != nil {
		return err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req consult.StatementInput
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	st, err := svc.SaveStatement(c.Request().Context(), u, id, req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}

// handleSubmitStatement freezes the caller's organisation's draft.
func (s *Server) handleSubmitStatement(c echo.Context) error {
	svc, u, err := s.consultFor(c)
	if err != nil {
		return err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	st, err := svc.SubmitStatement(c.Request().Context(), u, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}
