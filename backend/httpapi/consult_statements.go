package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/strategieraum/strategieraum/backend/consult"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/export"
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
		svc, u, id, org, err := s.orgStatementRequest(c)
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

// orgStatementRequest reads the service, the caller and the path ids id
// (strategy) and org of a request on one organisation's statement.
func (s *Server) orgStatementRequest(c echo.Context) (svc *consult.Service, u *domain.User, id, org int64, err error) {
	if svc, u, err = s.consultFor(c); err != nil {
		return
	}
	if id, err = pathID(c, "id"); err != nil {
		return
	}
	org, err = pathID(c, "org")
	return
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

// handleSubmitStatement freezes the caller's organisation's draft; with a
// body (position, text, base revision) it first checks and saves that text,
// so that an incomplete statement is refused before anything is stored. A
// body with nothing but doc_version submits the stored draft if its text is
// still at that version.
func (s *Server) handleSubmitStatement() echo.HandlerFunc {
	submit := onItem(s, http.StatusOK, func(ctx context.Context, svc *consult.Service, u *domain.User, id int64, r consult.StatementInput) (*domain.Statement, error) {
		if r.DocVersion != nil && r.Position == "" && r.Body == "" && r.BaseRevision == nil {
			return svc.SubmitStatementAt(ctx, u, id, r.DocVersion)
		}
		return svc.SubmitStatementText(ctx, u, id, r)
	})
	stored := onItem(s, http.StatusOK, func(ctx context.Context, svc *consult.Service, u *domain.User, id int64, _ noBody) (*domain.Statement, error) {
		return svc.SubmitStatement(ctx, u, id)
	})
	return func(c echo.Context) error {
		if c.Request().ContentLength == 0 {
			return stored(c)
		}
		return submit(c)
	}
}

// handleStatementReceipt returns the acknowledgement of receipt of a
// submitted version as JSON, or with ?format=txt, html, odt, docx or pdf
// as a download.
func (s *Server) handleStatementReceipt() echo.HandlerFunc {
	return func(c echo.Context) error {
		svc, u, id, org, err := s.orgStatementRequest(c)
		if err != nil {
			return err
		}
		version, err := pathID(c, "version")
		if err != nil {
			return err
		}
		r, err := svc.StatementReceipt(c.Request().Context(), u, id, org, int(version))
		if err != nil {
			return err
		}
		name := fmt.Sprintf("eingangsbestaetigung-%s-fassung-%d", strings.ToLower(r.OrgCode), r.Version)
		switch c.QueryParam("format") {
		case "", "json":
			return c.JSON(http.StatusOK, r)
		case "txt":
			c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`.txt"`)
			c.Response().Header().Set(echo.HeaderContentType, "text/plain; charset=utf-8")
			c.Response().WriteHeader(http.StatusOK)
			return r.WriteText(c.Response())
		case "html":
			c.Response().Header().Set(echo.HeaderContentDisposition, `inline; filename="`+name+`.html"`)
			c.Response().Header().Set(echo.HeaderContentSecurityPolicy, "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
			c.Response().Header().Set(echo.HeaderContentType, "text/html; charset=utf-8")
			c.Response().WriteHeader(http.StatusOK)
			return r.WriteHTML(c.Response())
		}
		if rnd, ok := export.Lookup(c.QueryParam("format")); ok {
			return sendDocument(c, rnd, r.Document(), name)
		}
		return domain.Invalid("format", "Erwartet: json, txt, html, odt, docx oder pdf.")
	}
}
