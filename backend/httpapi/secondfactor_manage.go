package httpapi

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/strategieraum/strategieraum/backend/auth"
	"github.com/strategieraum/strategieraum/backend/domain"
)

// secondFactorStatus is what the account page shows about the factor.
type secondFactorStatus struct {
	// Available is false for accounts that sign in through single sign-on.
	Available bool `json:"available"`
	Enabled   bool `json:"enabled"`
	// Required: the account's role must keep a second factor.
	Required          bool `json:"required"`
	RecoveryCodesLeft int  `json:"recovery_codes_left"`
}

// totpEnrolment is handed out once, while enrolment waits for a first code.
type totpEnrolment struct {
	Secret string `json:"secret"`
	URI    string `json:"otpauth_uri"`
	QRCode string `json:"qr_code"` // data: URL of a PNG
}

type recoveryCodes struct {
	RecoveryCodes []string `json:"recovery_codes"`
}

// secondFactorUser is the caller of a self-service second-factor route: a
// browser session of a local account.
func (s *Server) secondFactorUser(c echo.Context) (*domain.User, error) {
	u, err := browserSession(c)
	if err != nil {
		return nil, err
	}
	if s.deps.SecondFactors == nil {
		return nil, domain.Errorf(domain.EUNAVAILABLE, "Die Zwei-Faktor-Anmeldung ist nicht eingerichtet.")
	}
	if u.SSO {
		return nil, domain.Errorf(domain.EFORBIDDEN,
			"Ihr Konto meldet sich über die zentrale Anmeldung an; den zweiten Faktor prüft dort Ihr Identitätsanbieter.").WithReason(domain.ReasonSSOAccount)
	}
	return u, nil
}

// secondFactorRequest is secondFactorUser for a route with a JSON body,
// which it decodes into req.
func (s *Server) secondFactorRequest(c echo.Context, req any) (*domain.User, error) {
	u, err := s.secondFactorUser(c)
	if err != nil {
		return nil, err
	}
	return u, decodeJSON(c, req)
}

func (s *Server) handleSecondFactorStatus(c echo.Context) error {
	u, err := user(c)
	if err != nil {
		return err
	}
	st := secondFactorStatus{Available: !u.SSO && s.deps.SecondFactors != nil, Enabled: u.SecondFactor, Required: s.requiresSecondFactor(u)}
	if u.SecondFactor && s.deps.SecondFactors != nil {
		if st.RecoveryCodesLeft, err = s.deps.SecondFactors.RecoveryCodesLeft(c.Request().Context(), u.ID); err != nil {
			return err
		}
	}
	return c.JSON(http.StatusOK, st)
}

// handleBeginTOTP makes a new secret and shows it once; it takes effect
// only when a code from it is confirmed.
func (s *Server) handleBeginTOTP(c echo.Context) error {
	u, err := s.secondFactorUser(c)
	if err != nil {
		return err
	}
	key, err := auth.NewTOTPKey(s.cfg.TOTPIssuer, u.Email)
	if err != nil {
		return err
	}
	if err := s.deps.SecondFactors.BeginTOTP(c.Request().Context(), u.ID, key.Secret); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, totpEnrolment{Secret: key.Secret, URI: key.URI, QRCode: key.QRPNG})
}

// handleConfirmTOTP turns the factor on with a first valid code, hands out
// the recovery codes once and ends the account's other sessions.
func (s *Server) handleConfirmTOTP(c echo.Context) error {
	var req codeRequest
	u, err := s.secondFactorRequest(c, &req)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	t, err := s.deps.SecondFactors.FindTOTP(ctx, u.ID)
	if domain.ErrorCode(err) == domain.ENOTFOUND || (err == nil && t.ConfirmedAt != nil) {
		return domain.Errorf(domain.ECONFLICT, "Es ist keine Einrichtung offen. Bitte beginnen Sie erneut.")
	} else if err != nil {
		return err
	}
	if err := s.reserveAttempt(ctx, c.RealIP(), secondFactorKey(u.ID)); err != nil {
		return err
	}
	step, ok := auth.MatchTOTP(t.Secret, auth.NormaliseCode(req.Code), s.now())
	if !ok {
		return stillSignedIn(errBadSecondFactor)
	}
	codes := auth.NewRecoveryCodes(domain.RecoveryCodeCount)
	if err := s.deps.SecondFactors.ConfirmTOTP(ctx, u.ID, step, hashCodes(codes)); err != nil {
		return err
	}
	s.resetAttempts(ctx, secondFactorKey(u.ID))
	if err := s.deps.Sessions.DeleteUserSessions(ctx, u.ID, currentSessionID(c)); err != nil {
		return err
	}
	s.accessChanged(u.ID)
	s.audit(c, u, "second_factor_enabled", fmt.Sprintf("user:%d", u.ID), "TOTP")
	return c.JSON(http.StatusOK, recoveryCodes{RecoveryCodes: codes})
}

// handleRenewRecoveryCodes replaces the recovery codes, given a current code.
func (s *Server) handleRenewRecoveryCodes(c echo.Context) error {
	var req codeRequest
	u, err := s.secondFactorRequest(c, &req)
	if err != nil {
		return err
	}
	if err := s.checkSecondFactor(c, u, req.Code, false); err != nil {
		return stillSignedIn(err)
	}
	codes := auth.NewRecoveryCodes(domain.RecoveryCodeCount)
	if err := s.deps.SecondFactors.ReplaceRecoveryCodes(c.Request().Context(), u.ID, hashCodes(codes)); err != nil {
		return err
	}
	s.audit(c, u, "recovery_codes_renewed", fmt.Sprintf("user:%d", u.ID), "")
	return c.JSON(http.StatusOK, recoveryCodes{RecoveryCodes: codes})
}

type disableRequest struct {
	Password string `json:"password"`
	Code     string `json:"code"`
}

// handleDisableTOTP turns the factor off with the password and a current
// code, unless the account's role must keep one.
func (s *Server) handleDisableTOTP(c echo.Context) error {
	var req disableRequest
	u, err := s.secondFactorRequest(c, &req)
	if err != nil {
		return err
	}
	if !u.SecondFactor {
		return domain.Errorf(domain.ECONFLICT, "Die Zwei-Faktor-Anmeldung ist nicht eingeschaltet.")
	}
	if s.requiresSecondFactor(u) {
		return domain.Errorf(domain.EFORBIDDEN,
			"Für Ihre Rolle ist die Zwei-Faktor-Anmeldung vorgeschrieben. Die Administration kann sie zurücksetzen.").WithReason(domain.ReasonRequiredForRole)
	}
	if req.Password == "" || len(req.Password) > auth.MaxPasswordLen {
		return domain.Invalid("password", "Bitte geben Sie Ihr Passwort an.")
	}
	ctx := c.Request().Context()
	if err := s.reserveLogin(ctx, u.Email, c.RealIP()); err != nil {
		return err
	}
	if _, err := s.checkPasswordInSlot(c, u.Email, req.Password); err != nil {
		return stillSignedIn(err)
	}
	if err := s.checkSecondFactor(c, u, req.Code, false); err != nil {
		return stillSignedIn(err)
	}
	if _, err := s.deps.SecondFactors.DeleteSecondFactor(ctx, u.ID); err != nil {
		return err
	}
	s.audit(c, u, "second_factor_disabled", fmt.Sprintf("user:%d", u.ID), "")
	return c.NoContent(http.StatusNoContent)
}

// handleResetSecondFactor removes another account's second factor, for a
// person who lost their device and codes, and ends all its sessions.
func (s *Server) handleResetSecondFactor(c echo.Context) error {
	admin, id, err := s.manageUser(c)
	if err != nil {
		return err
	}
	if s.deps.SecondFactors == nil {
		return domain.Errorf(domain.EUNAVAILABLE, "Die Zwei-Faktor-Anmeldung ist nicht eingerichtet.")
	}
	ctx := c.Request().Context()
	if _, err := s.deps.Users.FindUserByID(ctx, id); err != nil {
		return err
	}
	existed, err := s.deps.SecondFactors.DeleteSecondFactor(ctx, id)
	if err != nil {
		return err
	}
	if !existed {
		return domain.Errorf(domain.ENOTFOUND, "Dieses Konto hat keine Zwei-Faktor-Anmeldung.")
	}
	keep := ""
	if id == admin.ID {
		keep = currentSessionID(c)
	}
	if err := s.deps.Sessions.DeleteUserSessions(ctx, id, keep); err != nil {
		return err
	}
	s.accessChanged(id)
	s.audit(c, admin, "second_factor_reset", fmt.Sprintf("user:%d", id), "Sitzungen beendet")
	return c.NoContent(http.StatusNoContent)
}

// stillSignedIn turns a wrong password or code of a signed-in person into a
// 403 with the same message and reason: a 401 would tell the browser that
// the session ended.
func stillSignedIn(err error) error {
	var e *domain.Error
	if domain.ErrorCode(err) != domain.EUNAUTHORIZED || !errors.As(err, &e) {
		return err
	}
	return &domain.Error{Code: domain.EFORBIDDEN, Reason: e.Reason, Message: e.Message, Err: err}
}

func hashCodes(codes []string) []string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = auth.HashRecoveryCode(c)
	}
	return out
}
