package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// handleLegal serves one legal page, rendered from the operator's Markdown
// (or the shipped default) to sanitised HTML. Public: the pages must be
// reachable without an account.
func (s *Server) handleLegal(c echo.Context) error {
	p, ok := s.deps.Legal[c.Param("page")]
	if !ok {
		return domain.Errorf(domain.ENOTFOUND, "Diese Seite gibt es nicht.")
	}
	// The text changes only with a restart; a short public cache is fine.
	c.Response().Header().Set("Cache-Control", "public, max-age=300")
	return c.JSON(http.StatusOK, p)
}
