package httpapi

import (
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/strategieraum/strategieraum/backend/auth"
	"github.com/strategieraum/strategieraum/backend/domain"
)

type createTokenRequest struct {
	Name string `json:"name"`
	// ExpiresInDays is the lifetime, 1 to 365; 0 means 90.
	ExpiresInDays int `json:"expires_in_days"`
}

// createdToken is the one response that carries a token's secret.
type createdToken struct {
	*domain.APIToken
	Secret string `json:"secret"`
}

func (s *Server) handleListTokens(c echo.Context) error {
	u, err := user(c)
	if err != nil {
		return err
	}
	list, err := s.deps.Sessions.FindUserAPITokens(c.Request().Context(), u.ID)
	if err != nil {
		return err
	}
	if list == nil {
		list = []*domain.APIToken{}
	}
	return c.JSON(http.StatusOK, list)
}

// handleCreateToken returns the secret once; only its hash is stored. Only
// a browser session creates tokens, and each expires.
func (s *Server) handleCreateToken(c echo.Context) error {
	u, err := browserSession(c)
	if err != nil {
		return err
	}
	var req createTokenRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	name, err := text("name", req.Name, 100)
	if err != nil {
		return err
	}
	lifetime := domain.APITokenDefaultLifetime
	if req.ExpiresInDays != 0 {
		if req.ExpiresInDays < 1 || req.ExpiresInDays > 365 {
			return domain.Invalid("expires_in_days", "Ein Token gilt 1 bis 365 Tage.")
		}
		lifetime = time.Duration(req.ExpiresInDays) * 24 * time.Hour
	}
	secret := auth.NewSecret(tokenPrefix)
	t := &domain.APIToken{UserID: u.ID, Name: name, Prefix: secret[:len(tokenPrefix)+6], Hash: auth.HashSecret(secret),
		ExpiresAt: s.now().Add(lifetime)}
	if err := s.deps.Sessions.CreateAPIToken(c.Request().Context(), t); err != nil {
		return err
	}
	s.audit(c, u, "token_created", fmt.Sprintf("token:%d", t.ID), "")
	return c.JSON(http.StatusCreated, createdToken{APIToken: t, Secret: secret})
}

func (s *Server) handleDeleteToken(c echo.Context) error {
	u, err := user(c)
	if err != nil {
		return err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.deps.Sessions.DeleteAPIToken(c.Request().Context(), u.ID, id); err != nil {
		return err
	}
	s.accessChanged(u.ID)
	s.audit(c, u, "token_revoked", fmt.Sprintf("token:%d", id), "")
	return c.NoContent(http.StatusNoContent)
}
