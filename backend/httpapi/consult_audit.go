package httpapi

import (
	"bytes"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/strategieraum/strategieraum/backend/consult"
	"github.com/strategieraum/strategieraum/backend/domain"
)

func domainTooMany() error {
	return domain.Invalid("ids", "Höchstens 1000 Kennungen auf einmal.")
}

// auditFilter reads the audit filters from the query.
func auditFilter(c echo.Context) (domain.AuditFilter, error) {
	f := domain.AuditFilter{Action: c.QueryParam("action"), OrgCode: c.QueryParam("org"), Target: c.QueryParam("target")}
	if len(f.Action) > 64 {
		return f, domain.Invalid("action", "Unbekannte Aktion.")
	}
	if len(f.OrgCode) > 16 {
		return f, domain.Invalid("org", "Unbekannte Organisation.")
	}
	if len(f.Target) > 128 {
		return f, domain.Invalid("target", "Das Ziel ist zu lang.")
	}
	if raw := c.QueryParam("actor_id"); raw != "" {
		id, err := queryInt(c, "actor_id", 0, 1<<53)
		if err != nil {
			return f, err
		}
		f.ActorID = &id
	}
	if raw := c.QueryParam("since"); raw != "" {
		t, err := time.Parse(time.RFC3339, raw)
		if err != nil {
			return f, domain.Invalid("since", "Erwartet wird eine Zeit nach ISO 8601, z. B. 2025-03-01T09:00:00Z.")
		}
		f.Since = &t
	}
	limit, err := queryInt(c, "limit", 100, 1000)
	if err != nil {
		return f, err
	}
	offset, err := queryInt(c, "offset", 0, 1<<31)
	if err != nil {
		return f, err
	}
	f.Limit, f.Offset = int(limit), int(offset)
	return f, nil
}

// auditRequest reads the service, the user and the audit filters.
func (s *Server) auditRequest(c echo.Context) (*consult.Service, *domain.User, domain.AuditFilter, error) {
	svc, u, err := s.consultFor(c)
	if err != nil {
		return nil, nil, domain.AuditFilter{}, err
	}
	f, err := auditFilter(c)
	return svc, u, f, err
}

// handleListAudit lists audit events, newest first (moderation, administration).
func (s *Server) handleListAudit(c echo.Context) error {
	svc, u, f, err := s.auditRequest(c)
	if err != nil {
		return err
	}
	list, err := svc.AuditLog(c.Request().Context(), u, f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, nonNil(list))
}

// handleAuditActors lists the persons in the audit log for the filter by name.
func (s *Server) handleAuditActors(c echo.Context) error {
	svc, u, err := s.consultFor(c)
	if err != nil {
		return err
	}
	list, err := svc.AuditActors(c.Request().Context(), u)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, nonNil(list))
}

// handleExportAudit downloads the filtered audit log as CSV.
func (s *Server) handleExportAudit(c echo.Context) error {
	svc, u, f, err := s.auditRequest(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := svc.ExportAuditCSV(c.Request().Context(), u, f, &buf); err != nil {
		return err
	}
	name := fmt.Sprintf("audit-%s.csv", s.now().Format("2006-01-02"))
	return download(c, "text/csv; charset=utf-8", name, buf.Bytes())
}

// download sends a file as an attachment that is never cached.
func download(c echo.Context, contentType, name string, body []byte) error {
	h := c.Response().Header()
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, contentType, body)
}
