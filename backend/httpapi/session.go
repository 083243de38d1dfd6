package httpapi

import (
	"fmt"
	"math"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/strategieraum/strategieraum/backend/auth"
	"github.com/strategieraum/strategieraum/backend/domain"
)

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

var errBadLogin = domain.Errorf(domain.EUNAUTHORIZED, "E-Mail-Adresse oder Passwort ist falsch.")

// handleLogin checks the password and starts a new session. The answer for
// an unknown e-mail and for a wrong password is the same, in content and in
// time (auth.VerifyDummy).
func (s *Server) handleLogin(c echo.Context) error {
	var req loginRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	email := strings.ToLower(strings.TrimSpace(req.Email))
	if email == "" || len(email) > 320 {
		return domain.Invalid("email", "Bitte geben Sie Ihre E-Mail-Adresse an.")
	}
	if req.Password == "" || len(req.Password) > auth.MaxPasswordLen {
		return domain.Invalid("password", "Bitte geben Sie Ihr Passwort an.")
	}
	now, addr := s.now(), c.RealIP()
	if wait := s.throttle.blocked(email, addr, now); wait > 0 {
		when := "einer Minute"
		if m := int(math.Ceil(wait.Minutes())); m > 1 {
			when = fmt.Sprintf("%d Minuten", m)
		}
		return &rateLimitError{
			err: domain.Errorf(domain.ERATELIMIT,
				"Zu viele fehlgeschlagene Anmeldeversuche. Bitte versuchen Sie es in %s erneut.", when),
			retryAfter: int(math.Ceil(wait.Seconds())),
		}
	}
	ctx := c.Request().Context()
	u, err := s.deps.Users.FindUserByEmail(ctx, email)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		auth.VerifyDummy(req.Password)
		s.throttle.fail(email, addr, now)
		s.audit(c, nil, "login_failed", "", "unbekanntes Konto")
		return errBadLogin
	} else if err != nil {
		return err
	}
	hash, err := s.deps.Users.PasswordHash(ctx, u.ID)
	if err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
		return err
	}
	if !auth.VerifyPassword(hash, req.Password) {
		s.throttle.fail(email, addr, now)
		s.audit(c, nil, "login_failed", fmt.Sprintf("user:%d", u.ID), "falsches Passwort")
		return errBadLogin
	}
	s.throttle.succeed(email)
	if u.Disabled {
		s.audit(c, u, "login_failed", fmt.Sprintf("user:%d", u.ID), "Konto deaktiviert")
		return domain.Errorf(domain.EFORBIDDEN, "Ihr Konto ist deaktiviert. Bitte wenden Sie sich an die Administration.")
	}
	// A new session id at every login: a planted cookie never becomes
	// authenticated (session fixation).
	if old := currentSessionID(c); old != "" {
		if err := s.deps.Sessions.DeleteSession(ctx, old); err != nil {
			return err
		}
	} else if ck, err := c.Cookie(s.cookie); err == nil && ck.Value != "" {
		if err := s.deps.Sessions.DeleteSession(ctx, auth.HashSecret(ck.Value)); err != nil {
			return err
		}
	}
	token := auth.NewSecret("")
	sess := &domain.Session{
		ID:         auth.HashSecret(token),
		PublicID:   auth.NewSecret("")[:16],
		UserID:     u.ID,
		CreatedAt:  now,
		LastSeenAt: now,
		ExpiresAt:  now.Add(domain.SessionAbsoluteTimeout),
		UserAgent:  truncate(c.Request().UserAgent(), 200),
	}
	if err := s.deps.Sessions.CreateSession(ctx, sess); err != nil {
		return err
	}
	s.setCookie(c, token)
	s.audit(c, u, "login", fmt.Sprintf("user:%d", u.ID), "")
	return c.JSON(http.StatusOK, u)
}

// handleLogout ends the current session and clears the cookie. It succeeds
// without a session too, so that a client can always reach a clean state.
func (s *Server) handleLogout(c echo.Context) error {
	if id := currentSessionID(c); id != "" {
		if err := s.deps.Sessions.DeleteSession(c.Request().Context(), id); err != nil {
			return err
		}
		u := domain.UserFromContext(c.Request().Context())
		s.audit(c, u, "logout", fmt.Sprintf("user:%d", u.ID), "")
	}
	s.clearCookie(c)
	return c.NoContent(http.StatusNoContent)
}
