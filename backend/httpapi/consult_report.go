package httpapi

import (
	"bytes"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/strategieraum/strategieraum/backend/consult"
	"github.com/strategieraum/strategieraum/backend/domain"
)

// report builds the consultation report named by the path.
func (s *Server) report(c echo.Context) (*consult.Report, error) {
	svc, u, id, err := s.consultOn(c)
	if err != nil {
		return nil, err
	}
	return svc.BuildReport(c.Request().Context(), u, id)
}

// consultOn is consultFor with the strategy or item named by the path's id.
func (s *Server) consultOn(c echo.Context) (*consult.Service, *domain.User, int64, error) {
	svc, u, err := s.consultFor(c)
	if err != nil {
		return nil, nil, 0, err
	}
	id, err := pathID(c, "id")
	return svc, u, id, err
}

// handleReport returns the consultation report as JSON.
func (s *Server) handleReport(c echo.Context) error {
	r, err := s.report(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

// handleReportDownload returns the report as XLSX, CSV or a printable HTML
// page.
func (s *Server) handleReportDownload(format string) echo.HandlerFunc {
	return func(c echo.Context) error {
		r, err := s.report(c)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		name := fmt.Sprintf("auswertung-strategie-%d-%s", r.Strategy.ID, r.GeneratedAt.Format("2006-01-02"))
		switch format {
		case "xlsx":
			if err := r.WriteXLSX(&buf); err != nil {
				return err
			}
			return download(c, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name+".xlsx", buf.Bytes())
		case "csv":
			// One table per file, as Excel opens only one; threads unless named.
			table := c.QueryParam("table")
			if table == "" {
				table = "diskussionen"
			}
			if err := r.WriteCSV(&buf, table); err != nil {
				return err
			}
			return download(c, "text/csv; charset=utf-8", name+"-"+table+".csv", buf.Bytes())
		}
		if err := r.WriteHTML(&buf); err != nil {
			return err
		}
		// The page is self-contained: its only style is inline, allowed by hash.
		c.Response().Header().Set("Content-Security-Policy", consult.ReportContentSecurityPolicy)
		c.Response().Header().Set("Cache-Control", "no-store")
		return c.HTMLBlob(http.StatusOK, buf.Bytes())
	}
}
