package httpapi

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/strategieraum/strategieraum/backend/export"
)

// handleSectionSynopse compares two versions of a section (?from=, ?to=:
// "named:<id>" or an op-log version; by default the Beteiligungsfassung
// and the current text) as JSON, or with ?format=odt, docx or pdf as a
// document.
func (s *Server) handleSectionSynopse(c echo.Context) error {
	svc, u, err := s.consultFor(c)
	if err != nil {
		return err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var rnd export.Renderer
	if f := c.QueryParam("format"); f != "" && f != "json" {
		if rnd, err = renderer(c); err != nil {
			return err
		}
	}
	sy, err := svc.SectionSynopse(c.Request().Context(), u, id, c.QueryParam("from"), c.QueryParam("to"))
	if err != nil {
		return err
	}
	if rnd == nil {
		return c.JSON(http.StatusOK, sy)
	}
	return sendDocument(c, rnd, sy.Document(), fmt.Sprintf("synopse-abschnitt-%d-v%d-v%d", sy.SectionID, sy.From.Version, sy.To.Version))
}
