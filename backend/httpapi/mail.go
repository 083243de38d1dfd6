package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/policy"
)

// mailPreferences is the caller's choice for notification mails and
// whether this server sends mails at all.
type mailPreferences struct {
	Notifications domain.MailPreference `json:"notifications"`
	Delivery      bool                  `json:"delivery"`
}

type mailPreferencesRequest struct {
	Notifications domain.MailPreference `json:"notifications"`
}

// mailUser is the signed-in caller, allowed to manage their own account.
func (s *Server) mailUser(c echo.Context) (*domain.User, error) {
	u, err := user(c)
	if err != nil {
		return nil, err
	}
	if err := policy.Check(u, policy.ManageOwnAccount, policy.Resource{}, s.now()); err != nil {
		return nil, err
	}
	if s.deps.Mail == nil {
		return nil, domain.Errorf(domain.EUNAVAILABLE, "E-Mail-Einstellungen sind hier nicht verfügbar.")
	}
	return u, nil
}

func (s *Server) mailPreferencesView(c echo.Context, u *domain.User) error {
	p, err := s.deps.Mail.MailPreference(c.Request().Context(), u.ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, mailPreferences{Notifications: p, Delivery: s.deps.MailDelivery != nil && s.deps.MailDelivery()})
}

func (s *Server) handleGetMailPreferences(c echo.Context) error {
	u, err := s.mailUser(c)
	if err != nil {
		return err
	}
	return s.mailPreferencesView(c, u)
}

func (s *Server) handlePutMailPreferences(c echo.Context) error {
	u, err := s.mailUser(c)
	if err != nil {
		return err
	}
	var req mailPreferencesRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if !req.Notifications.Valid() {
		return domain.Invalid("notifications", "Bitte wählen Sie „sofort“, „täglich“ oder „aus“.")
	}
	if err := s.deps.Mail.SetMailPreference(c.Request().Context(), u.ID, req.Notifications, s.now()); err != nil {
		return err
	}
	return s.mailPreferencesView(c, u)
}
