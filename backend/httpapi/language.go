package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/policy"
)

type languageRequest struct {
	Language domain.Language `json:"language"`
}

// handlePutLanguage stores the caller's language (de or en) for the UI and
// the mails and answers with the caller as /api/me does.
func (s *Server) handlePutLanguage(c echo.Context) error {
	u, err := user(c)
	if err != nil {
		return err
	}
	if err := policy.Check(u, policy.ManageOwnAccount, policy.Resource{}, s.now()); err != nil {
		return err
	}
	var req languageRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if !req.Language.Valid() {
		return domain.Invalid("language", "Bitte wählen Sie „de“ (Deutsch) oder „en“ (Englisch).")
	}
	if err := s.deps.Users.SetUserLanguage(c.Request().Context(), u.ID, req.Language); err != nil {
		return err
	}
	me := *u
	me.Language = req.Language
	return c.JSON(http.StatusOK, s.me(&me))
}
