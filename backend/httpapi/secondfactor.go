package httpapi

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/strategieraum/strategieraum/backend/auth"
	"github.com/strategieraum/strategieraum/backend/domain"
)

// A login of an account with a TOTP factor has two steps. The right
// password makes a login challenge: a random token in a short-lived
// HttpOnly cookie (only its hash is stored) that is good for nothing but
// POST /api/session/second-factor within domain.LoginChallengeTimeout.
// Codes are counted in the shared login limiter per account, apart from
// passwords, so a known password does not refill the budget for guessing
// codes.

// secondFactorRequired is the 403 for a browser session that must set up
// its second factor first.
var secondFactorRequired = domain.Errorf(domain.EFORBIDDEN,
	"Bitte richten Sie zuerst die Zwei-Faktor-Anmeldung ein.").WithReason(domain.ReasonSecondFactorRequired)

var errBadSecondFactor = domain.Errorf(domain.EUNAUTHORIZED,
	"Der Code ist falsch oder abgelaufen.").WithReason(domain.ReasonBadSecondFactor)

var errLoginExpired = domain.Errorf(domain.EUNAUTHORIZED,
	"Die Anmeldung ist abgelaufen. Bitte geben Sie Ihr Passwort erneut ein.").WithReason(domain.ReasonLoginExpired)

// requiresSecondFactor reports whether the configuration asks u's roles
// for a second factor and u signs in locally.
func (s *Server) requiresSecondFactor(u *domain.User) bool {
	if u.SSO {
		return false
	}
	for _, r := range s.cfg.RequireSecondFactor {
		if u.HasRole(r) {
			return true
		}
	}
	return false
}

// mustEnrol reports whether u must set up the second factor before
// anything else.
func (s *Server) mustEnrol(u *domain.User) bool {
	return s.requiresSecondFactor(u) && !u.SecondFactor && s.deps.SecondFactors != nil
}

// enrolmentPaths are what a session that must set up its second factor
// may still reach.
func enrolmentPath(method, path string) bool {
	switch {
	case path == "/api/me" && method == http.MethodGet,
		path == "/api/session",
		path == "/api/auth/config",
		strings.HasPrefix(path, "/api/legal/"),
		path == "/api/me/second-factor" || strings.HasPrefix(path, "/api/me/second-factor/"):
		return true
	}
	return false
}

// secondFactorGate refuses a browser session of an account that must have
// a second factor and has none everything but enrolment, logout and /me.
// API tokens pass: they are issued separately, by a person signed in.
func (s *Server) secondFactorGate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		u := domain.UserFromContext(c.Request().Context())
		if u == nil || currentSessionID(c) == "" || !s.mustEnrol(u) {
			return next(c)
		}
		r := c.Request()
		if !strings.HasPrefix(r.URL.Path, "/api/") || enrolmentPath(r.Method, r.URL.Path) {
			return next(c)
		}
		return secondFactorRequired
	}
}

// challengeSecondFactor starts the second step for an account with a
// factor and answers 202; pending is false when the password suffices.
// An account linked to single sign-on whose role needs a second factor is
// sent to the identity provider, which checks it there.
func (s *Server) challengeSecondFactor(c echo.Context, u *domain.User) (pending bool, err error) {
	if s.deps.SecondFactors == nil {
		return false, nil
	}
	if u.SSO && !u.SecondFactor && slices.ContainsFunc(s.cfg.RequireSecondFactor, u.HasRole) {
		s.audit(c, u, "login_failed", fmt.Sprintf("user:%d", u.ID), "Anmeldung nur über Single Sign-On")
		return false, domain.Errorf(domain.EFORBIDDEN,
			"Bitte melden Sie sich über die zentrale Anmeldung (Single Sign-On) an.").WithReason(domain.ReasonSSOAccount)
	}
	if !u.SecondFactor {
		return false, nil
	}
	token := auth.NewSecret("")
	ch := &domain.LoginChallenge{ID: auth.HashSecret(token), UserID: u.ID, ExpiresAt: s.now().Add(domain.LoginChallengeTimeout)}
	if err := s.deps.SecondFactors.CreateLoginChallenge(c.Request().Context(), ch); err != nil {
		return false, err
	}
	c.SetCookie(&http.Cookie{
		Name: s.challengeCookie, Value: token, Path: "/api/session",
		MaxAge: int(domain.LoginChallengeTimeout / time.Second), HttpOnly: true, Secure: s.cfg.Secure, SameSite: http.SameSiteStrictMode,
	})
	return true, c.JSON(http.StatusAccepted, secondFactorChallenge{SecondFactor: "totp", ExpiresAt: ch.ExpiresAt})
}

// secondFactorChallenge is the answer to a right password that needs a code.
type secondFactorChallenge struct {
	SecondFactor string    `json:"second_factor"`
	ExpiresAt    time.Time `json:"expires_at"`
}

func (s *Server) clearChallengeCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: s.challengeCookie, Value: "", Path: "/api/session", MaxAge: -1,
		HttpOnly: true, Secure: s.cfg.Secure, SameSite: http.SameSiteStrictMode})
}

type codeRequest struct {
	Code string `json:"code"`
}

// handleSecondFactorLogin takes a TOTP or recovery code for the login
// challenge in the browser's cookie and, if it is right, starts the session.
func (s *Server) handleSecondFactorLogin(c echo.Context) error {
	var req codeRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if s.deps.SecondFactors == nil {
		return errLoginExpired
	}
	ck, err := c.Cookie(s.challengeCookie)
	if err != nil || ck.Value == "" || len(ck.Value) > 128 {
		return errLoginExpired
	}
	ctx := c.Request().Context()
	ch, err := s.deps.SecondFactors.FindLoginChallenge(ctx, auth.HashSecret(ck.Value))
	if domain.ErrorCode(err) == domain.ENOTFOUND || (err == nil && ch.Expired(s.now())) {
		s.clearChallengeCookie(c)
		return errLoginExpired
	} else if err != nil {
		return err
	}
	u, err := s.deps.Users.FindUserByID(ctx, ch.UserID)
	if err != nil {
		return err
	}
	if err := s.checkSecondFactor(c, u, req.Code, true); err != nil {
		return err
	}
	if ok, err := s.deps.SecondFactors.DeleteLoginChallenge(ctx, ch.ID); err != nil {
		return err
	} else if !ok { // another request completed it
		return errLoginExpired
	}
	s.clearChallengeCookie(c)
	if u.Disabled {
		return domain.Errorf(domain.EFORBIDDEN, "Ihr Konto ist deaktiviert. Bitte wenden Sie sich an die Administration.").WithReason(domain.ReasonAccountDisabled)
	}
	if err := s.startSession(c, u); err != nil {
		return err
	}
	s.audit(c, u, "login", fmt.Sprintf("user:%d", u.ID), "mit zweitem Faktor")
	return c.JSON(http.StatusOK, s.me(u))
}

// checkSecondFactor counts one attempt against u's code budget and checks
// code: a TOTP code for a step not used before, or, if recovery is set, an
// unused recovery code, which it uses up and audits.
func (s *Server) checkSecondFactor(c echo.Context, u *domain.User, code string, recovery bool) error {
	ctx := c.Request().Context()
	if err := s.reserveAttempt(ctx, c.RealIP(), secondFactorKey(u.ID)); err != nil {
		return err
	}
	code = auth.NormaliseCode(code)
	if code == "" || len(code) > 64 {
		return domain.Invalid("code", "Bitte geben Sie den Code aus Ihrer App oder einen Wiederherstellungscode ein.")
	}
	var err error = errBadSecondFactor
	if t, ferr := s.deps.SecondFactors.FindTOTP(ctx, u.ID); ferr != nil && domain.ErrorCode(ferr) != domain.ENOTFOUND {
		return ferr
	} else if ferr == nil && t.ConfirmedAt != nil {
		if step, ok := auth.MatchTOTP(t.Secret, code, s.now()); ok {
			err = s.deps.SecondFactors.UseTOTPStep(ctx, u.ID, step)
			if domain.ErrorCode(err) == domain.ECONFLICT {
				err = domain.Errorf(domain.EUNAUTHORIZED, "Dieser Code wurde bereits verwendet. Bitte warten Sie auf den nächsten Code Ihrer App.").WithReason(domain.ReasonCodeReused)
			}
		} else if recovery && len(code) == 10 {
			err = s.deps.SecondFactors.UseRecoveryCode(ctx, u.ID, auth.HashRecoveryCode(code))
			if err == nil {
				left, _ := s.deps.SecondFactors.RecoveryCodesLeft(ctx, u.ID)
				s.audit(c, u, "recovery_code_used", fmt.Sprintf("user:%d", u.ID), fmt.Sprintf("noch %d Codes", left))
			} else if domain.ErrorCode(err) == domain.ENOTFOUND {
				err = errBadSecondFactor
			}
		}
	}
	if err != nil {
		if domain.ErrorCode(err) == domain.EUNAUTHORIZED {
			s.audit(c, u, "login_failed", fmt.Sprintf("user:%d", u.ID), "falscher zweiter Faktor")
		}
		return err
	}
	s.resetAttempts(ctx, secondFactorKey(u.ID))
	return nil
}

// secondFactorKey names an account's budgets for second-factor codes.
func secondFactorKey(userID int64) func(tier int) string {
	return func(tier int) string {
		return "login:2fa:" + strconv.Itoa(tier) + ":" + strconv.FormatInt(userID, 10)
	}
}
