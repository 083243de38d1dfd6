package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/policy"
)

var errNoHistory = domain.Errorf(domain.EUNAVAILABLE, "Die Versionsgeschichte ist derzeit nicht verfügbar.")

// handleHistory lists revisions, newest first, paging backwards with before.
func (s *Server) handleHistory(c echo.Context) error {
	if s.deps.History == nil {
		return errNoHistory
	}
	sec, _, err := s.sectionFor(c, policy.ReadSection)
	if err != nil {
		return err
	}
	before, err := queryInt(c, "before", 0, 1<<53)
	if err != nil {
		return err
	}
	limit, err := queryInt(c, "limit", 50, 200)
	if err != nil {
		return err
	}
	if limit == 0 {
		limit = 50
	}
	list, err := s.deps.History.FindRevisions(c.Request().Context(), domain.SectionDoc(sec.ID), before, int(limit))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, nonNil(list))
}

type textAt struct {
	SectionID int64  `json:"section_id"`
	Version   int64  `json:"version"`
	Text      string `json:"text"`
}

// handleTextAt returns the text of a section at version v.
func (s *Server) handleTextAt(c echo.Context) error {
	if s.deps.History == nil {
		return errNoHistory
	}
	sec, _, err := s.sectionFor(c, policy.ReadSection)
	if err != nil {
		return err
	}
	if c.QueryParam("v") == "" {
		return domain.Invalid("v", "Bitte geben Sie eine Version an.")
	}
	v, err := queryInt(c, "v", 0, 1<<53)
	if err != nil {
		return err
	}
	if v > sec.Version {
		return domain.Invalid("v", "Diese Version gibt es noch nicht.")
	}
	t, err := s.deps.History.TextAt(c.Request().Context(), domain.SectionDoc(sec.ID), v)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, textAt{SectionID: sec.ID, Version: v, Text: t})
}

type restoreRequest struct {
	Version *int64 `json:"version"`
}

type restored struct {
	SectionID int64 `json:"section_id"`
	Version   int64 `json:"version"` // the version the restoring op was committed at
}

// handleRestore makes an old version current again, as a new edit.
func (s *Server) handleRestore(c echo.Context) error {
	if s.deps.History == nil {
		return errNoHistory
	}
	sec, _, err := s.sectionFor(c, policy.EditSection)
	if err != nil {
		return err
	}
	var req restoreRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Version == nil || *req.Version < 0 || *req.Version > sec.Version {
		return domain.Invalid("version", "Erwartet wird eine vorhandene Version des Abschnitts.")
	}
	u := domain.UserFromContext(c.Request().Context())
	v, err := s.deps.History.Restore(c.Request().Context(), u, domain.SectionDoc(sec.ID), *req.Version)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, restored{SectionID: sec.ID, Version: v})
}
