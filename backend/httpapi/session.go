package httpapi

import (
	"fmt"
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

var errBadLogin = domain.Errorf(domain.EUNAUTHORIZED, "E-Mail-Adresse oder Passwort ist falsch.").WithReason(domain.ReasonBadCredentials)

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
	ctx := c.Request().Context()
	if err := s.reserveLogin(ctx, email, c.RealIP()); err != nil {
		return err
	}
	u, err := s.checkPasswordInSlot(c, email, req.Password)
	if err != nil {
		return err
	}
	s.loginSucceeded(ctx, email)
	if u.Disabled {
		s.audit(c, u, "login_failed", fmt.Sprintf("user:%d", u.ID), "Konto deaktiviert")
		return domain.Errorf(domain.EFORBIDDEN, "Ihr Konto ist deaktiviert. Bitte wenden Sie sich an die Administration.").WithReason(domain.ReasonAccountDisabled)
	}
	if pending, err := s.challengeSecondFactor(c, u); pending || err != nil {
		return err
	}
	if err := s.startSession(c, u); err != nil {
		return err
	}
	s.audit(c, u, "login", fmt.Sprintf("user:%d", u.ID), "")
	return c.JSON(http.StatusOK, s.me(u))
}

// checkPassword returns the account if the password is right. The answer
// for an unknown e-mail and for a wrong password is the same, in content
// and in time (the verifier spends a hash on an empty one), and both have
// already counted against the login budgets (reserveLogin).
func (s *Server) checkPassword(c echo.Context, email, password string) (*domain.User, error) {
	ctx := c.Request().Context()
	u, err := s.deps.Users.FindUserByEmail(ctx, email)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		s.verify("", password)
		s.audit(c, nil, "login_failed", "", "unbekanntes Konto")
		return nil, errBadLogin
	} else if err != nil {
		return nil, err
	}
	hash, err := s.deps.Users.PasswordHash(ctx, u.ID)
	if err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
		return nil, err
	}
	if !s.verify(hash, password) {
		s.audit(c, nil, "login_failed", fmt.Sprintf("user:%d", u.ID), "falsches Passwort")
		return nil, errBadLogin
	}
	return u, nil
}

// checkPasswordInSlot runs checkPassword in one of the bounded hashing
// slots, which it frees however checkPassword ends.
func (s *Server) checkPasswordInSlot(c echo.Context, email, password string) (*domain.User, error) {
	release, err := s.hashSlot(c.Request().Context())
	if err != nil {
		return nil, err
	}
	defer release()
	return s.checkPassword(c, email, password)
}

// verifyPassword is the default Deps.VerifyPassword.
func verifyPassword(hash, password string) bool {
	if hash == "" {
		auth.VerifyDummy(password)
		return false
	}
	return auth.VerifyPassword(hash, password)
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
		if prev := domain.UserFromContext(ctx); prev != nil {
			s.accessChanged(prev.ID)
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

// handleLogout ends the current session and clears the cookie. It succeeds
// without a session too, so that a client can always reach a clean state.
func (s *Server) handleLogout(c echo.Context) error {
	if id := currentSessionID(c); id != "" {
		if err := s.deps.Sessions.DeleteSession(c.Request().Context(), id); err != nil {
			return err
		}
		u := domain.UserFromContext(c.Request().Context())
		s.accessChanged(u.ID)
		s.audit(c, u, "logout", fmt.Sprintf("user:%d", u.ID), "")
	}
	s.clearCookie(c)
	return c.NoContent(http.StatusNoContent)
}
