package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/strategieraum/strategieraum/backend/consult"
	"github.com/strategieraum/strategieraum/backend/domain"
)

// handleSearch answers GET /api/strategies/{id}/search: the hits u may
// read, one page at a time.
func (s *Server) handleSearch(c echo.Context) error {
	svc, u, err := s.consultFor(c)
	if err != nil {
		return err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	req := consult.SearchRequest{Query: c.QueryParam("q"), OrgCode: c.QueryParam("org"),
		Kind: domain.SearchKind(c.QueryParam("kind")), Status: domain.ThreadStatus(c.QueryParam("status"))}
	if req.SectionID, err = queryInt(c, "section", 0, 1<<53); err != nil {
		return err
	}
	limit, err := queryInt(c, "limit", 0, consult.MaxSearchLimit)
	if err != nil {
		return err
	}
	offset, err := queryInt(c, "offset", 0, 1<<20)
	if err != nil {
		return err
	}
	req.Limit, req.Offset = int(limit), int(offset)
	res, err := svc.Search(c.Request().Context(), u, id, req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}
