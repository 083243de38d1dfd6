package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/strategieraum/strategieraum/backend/account"
	"github.com/strategieraum/strategieraum/backend/domain"
)

// ResetPath is the page of the browser app where a reset code is redeemed;
// the code travels in the fragment, which browsers never send to a server
// and proxies never log.
const ResetPath = "/passwort-zuruecksetzen"

type changePasswordRequest struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

// handleChangePassword sets the caller's password and ends their other
// sessions. Only a browser session may do this (a stolen API token must
// not lock its owner out), and wrong current passwords count against the
// same budgets as failed logins.
func (s *Server) handleChangePassword(c echo.Context) error {
	u, err := browserSession(c)
	if err != nil {
		return err
	}
	var req changePasswordRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	ctx := c.Request().Context()
	if err := s.reserveLogin(ctx, u.Email, c.RealIP()); err != nil {
		return err
	}
	release, err := s.hashSlot(ctx)
	if err != nil {
		return err
	}
	defer release()
	if err := s.accounts.ChangePassword(ctx, u, req.CurrentPassword, req.NewPassword, currentSessionID(c)); err != nil {
		return err
	}
	s.loginSucceeded(ctx, u.Email)
	return c.NoContent(http.StatusNoContent)
}

// issuedReset is a reset code with the path of the page that redeems it.
type issuedReset struct {
	*account.IssuedReset
	Path string `json:"path"`
}

// handleIssueReset makes a one-time reset code for an account; the answer
// is the only place it is ever shown.
func (s *Server) handleIssueReset(c echo.Context) error {
	admin, id, err := s.manageUser(c)
	if err != nil {
		return err
	}
	if err := s.resetsAvailable(); err != nil {
		return err
	}
	r, err := s.accounts.IssueReset(c.Request().Context(), admin, id)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusCreated, issuedReset{IssuedReset: r, Path: ResetPath + "#" + r.Code})
}

type redeemResetRequest struct {
	Code     string `json:"code"`
	Password string `json:"password"`
}

// handleRedeemReset sets a new password with a reset code; no session is
// needed, and none is started: the person signs in afterwards.
func (s *Server) handleRedeemReset(c echo.Context) error {
	var req redeemResetRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := s.resetsAvailable(); err != nil {
		return err
	}
	ctx := c.Request().Context()
	release, err := s.hashSlot(ctx)
	if err != nil {
		return err
	}
	defer release()
	if err := s.accounts.RedeemReset(ctx, req.Code, req.Password); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// newAccounts builds the account rules on the server's services.
func newAccounts(d Deps, verify func(hash, password string) bool) *account.Service {
	return account.New(account.Deps{Users: d.Users, Sessions: d.Sessions, Resets: d.Resets, Audit: d.Audit,
		Access: d.Access, Logger: d.Logger, Now: d.Now, Verify: verify})
}

func (s *Server) resetsAvailable() error {
	if s.deps.Resets == nil {
		return domain.Errorf(domain.EUNAVAILABLE, "Passwörter können hier nicht zurückgesetzt werden.")
	}
	return nil
}
