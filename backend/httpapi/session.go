package httpapi

import (
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/strategieraum/strategieraum/backend/auth"
	"github.com/strategieraum/strategieraum/backend/domain"
)

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

var errBadLogin = domain.Errorf(domain.EUNAUTHORIZED, "E-Mail-Adresse oder Passwort ist falsch.")

// handleLogin checks the password and starts a new session.
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
	if wait := s.throttle.blocked(email, c.RealIP(), s.now()); wait > 0 {
		return throttled(wait)
	}
	u, err := s.checkPassword(c, email, req.Password)
	if err != nil {
		return err
	}
	if u.Disabled {
		s.audit(c, u, "login_failed", fmt.Sprintf("user:%d", u.ID), "Konto deaktiviert")
		return domain.Errorf(domain.EFORBIDDEN, "Ihr Konto ist deaktiviert. Bitte wenden Sie sich an die Administration.")
	}
	if err := s.startSession(c, u); err != nil {
		return err
	}
	s.audit(c, u, "login", fmt.Sprintf("user:%d", u.ID), "")
	return c.JSON(http.StatusOK, u)
}

// checkPassword returns the account if the password is right. The answer
// for an unknown e-mail and for a wrong password is the same, in content
// and in time (auth.VerifyDummy), and both count against the throttle.
func (s *Server) checkPassword(c echo.Context, email, password string) (*domain.User, error) {
	ctx, now, addr := c.Request().Context(), s.now(), c.RealIP()
	u, err := s.deps.Users.FindUserByEmail(ctx, email)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		auth.VerifyDummy(password)
		s.throttle.fail(email, addr, now)
		s.audit(c, nil, "login_failed", "", "unbekanntes Konto")
		return nil, errBadLogin
	} else if err != nil {
		return nil, err
	}
	if wait, err := s.accountBlocked(c, u.ID); err != nil {
		return nil, err
	} else if wait > 0 {
		return nil, throttled(wait)
	}
	hash, err := s.deps.Users.PasswordHash(ctx, u.ID)
	if err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
		return nil, err
	}
	if !auth.VerifyPassword(hash, password) {
		s.throttle.fail(email, addr, now)
		s.audit(c, nil, "login_failed", fmt.Sprintf("user:%d", u.ID), "falsches Passwort")
		return nil, errBadLogin
	}
	s.throttle.succeed(email)
	return u, nil
}

// accountBlocked applies the per-account limit across all instances: the
// audit log, which every instance writes, holds the failed logins of an
// account since its last successful one. The in-memory throttle answers
// first and saves these queries while one instance is being hammered.
func (s *Server) accountBlocked(c echo.Context, userID int64) (time.Duration, error) {
	if s.deps.Audit == nil {
		return 0, nil
	}
	ctx, now, lim := c.Request().Context(), s.now(), s.throttle.limits
	target := fmt.Sprintf("user:%d", userID)
	since := now.Add(-lim.Window)
	last, err := s.deps.Audit.FindAuditEvents(ctx, domain.AuditFilter{Action: "login", Target: target, Since: &since, Limit: 1})
	if err != nil {
		return 0, err
	}
	if len(last) == 1 {
		since = last[0].At
	}
	failed, err := s.deps.Audit.FindAuditEvents(ctx, domain.AuditFilter{Action: "login_failed", Target: target, Since: &since, Limit: lim.PerAccount})
	if err != nil || len(failed) < lim.PerAccount {
		return 0, err
	}
	// The oldest of the last PerAccount failures ages out first.
	return max(failed[len(failed)-1].At.Add(lim.Window).Sub(now), time.Second), nil
}

// startSession ends the session the browser came with, if any, and starts
// a new one: a new id at every login, so a planted cookie never becomes
// authenticated (session fixation).
func (s *Server) startSession(c echo.Context, u *domain.User) error {
	ctx, now := c.Request().Context(), s.now()
	old := currentSessionID(c)
	if ck, err := c.Cookie(s.cookie); old == "" && err == nil && ck.Value != "" {
		old = auth.HashSecret(ck.Value)
	}
	if old != "" {
		if err := s.deps.Sessions.DeleteSession(ctx, old); err != nil {
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
	return nil
}

// throttled is the 429 for a blocked login, with a German hint on when to
// try again.
func throttled(wait time.Duration) error {
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
