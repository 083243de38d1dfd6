// Package account holds the rules for people's credentials: changing one's
// own password, one-time reset codes issued by an administrator, and the
// password policy they all share. The HTTP handlers and the command line
// call the same methods, so they share one validation, one policy check
// and one audit write.
package account

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/strategieraum/strategieraum/backend/auth"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/policy"
)

// ResetCodePrefix marks password reset codes, so that they are recognised
// when pasted and never confused with API tokens.
const ResetCodePrefix = "srp_"

// Deps are the services a Service works with.
type Deps struct {
	Users    domain.UserService
	Sessions domain.SessionService
	Resets   domain.PasswordResetService
	Audit    domain.AuditService
	// Access is told when a user's sessions end, so that their open live
	// connections close at once; nil leaves it to the periodic check.
	Access domain.AccessNotifier
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Verify checks a password against a stored hash; nil uses argon2id.
	Verify func(hash, password string) bool
}

// Service implements the account rules. Safe for concurrent use.
type Service struct{ d Deps }

// New returns a Service.
func New(d Deps) *Service {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Verify == nil {
		d.Verify = auth.VerifyPassword
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	return &Service{d: d}
}

func (s *Service) now() time.Time { return s.d.Now().UTC() }

// CheckPassword returns EINVALID (field "password", or the given field)
// with a German reason if password does not meet the policy for the
// account with that e-mail address (auth.PasswordProblem).
func CheckPassword(field, password, email string) error {
	if msg := auth.PasswordProblem(password, email); msg != "" {
		return domain.Invalid(field, msg)
	}
	return nil
}

// HashNewPassword checks password against the policy and hashes it.
func HashNewPassword(field, password, email string) (string, error) {
	if err := CheckPassword(field, password, email); err != nil {
		return "", err
	}
	return auth.HashPassword(password)
}

// ChangePassword sets u's password after checking the current one, and
// ends all of u's other sessions (keepSession, the token hash of the
// session making the change, stays; empty ends all). EINVALID on the
// field current_password if it is wrong, on new_password if the new one
// breaks the policy or equals the current one.
func (s *Service) ChangePassword(ctx context.Context, u *domain.User, current, next, keepSession string) error {
	if u == nil {
		return domain.Errorf(domain.EUNAUTHORIZED, "Bitte melden Sie sich an.").WithReason(domain.ReasonLoginRequired)
	}
	hash, err := s.d.Users.PasswordHash(ctx, u.ID)
	if err != nil {
		return err
	}
	if current == "" || hash == "" || !s.d.Verify(hash, current) {
		s.audit(ctx, u, "password_change_failed", u, "falsches Passwort")
		return domain.Invalid("current_password", "Das bisherige Passwort ist falsch.")
	}
	if next == current {
		return domain.Invalid("new_password", "Das neue Passwort muss sich vom bisherigen unterscheiden.")
	}
	newHash, err := HashNewPassword("new_password", next, u.Email)
	if err != nil {
		return err
	}
	if err := s.d.Users.SetPasswordHash(ctx, u.ID, newHash); err != nil {
		return err
	}
	if err := s.d.Sessions.DeleteUserSessions(ctx, u.ID, keepSession); err != nil {
		return err
	}
	s.accessChanged(u.ID)
	s.audit(ctx, u, "password_changed", u, "andere Sitzungen beendet")
	return nil
}

// IssuedReset is a reset code as shown once to whoever issued it.
type IssuedReset struct {
	Code      string    `json:"code"`
	ExpiresAt time.Time `json:"expires_at"`
}

// IssueReset makes a one-time reset code for the account userID, valid
// for domain.PasswordResetLifetime, replacing any earlier open code, and
// ends the account's sessions. actor is the administrator (checked against
// policy.ManageUsers), or nil for the operator at the command line.
// ENOTFOUND for an unknown account, EINVALID for a disabled or deleted one.
func (s *Service) IssueReset(ctx context.Context, actor *domain.User, userID int64) (*IssuedReset, error) {
	now := s.now()
	if actor != nil {
		if err := policy.Check(actor, policy.ManageUsers, policy.Resource{}, now); err != nil {
			return nil, err
		}
	}
	target, err := s.d.Users.FindUserByID(ctx, userID)
	if err != nil {
		return nil, err
	}
	if target.Disabled {
		return nil, domain.Invalid("id", "Das Konto ist deaktiviert; bitte aktivieren Sie es zuerst.")
	}
	code := auth.NewSecret(ResetCodePrefix)
	r := &domain.PasswordReset{UserID: userID, CodeHash: auth.HashSecret(code), Code: code, CreatedAt: now,
		ExpiresAt: now.Add(domain.PasswordResetLifetime)}
	if actor != nil {
		id := actor.ID
		r.CreatedBy = &id
	}
	if err := s.d.Resets.CreatePasswordReset(ctx, r); err != nil {
		return nil, err
	}
	s.accessChanged(userID)
	detail := "Code ausgestellt, Sitzungen beendet"
	if actor == nil {
		detail += " (Kommandozeile)"
	}
	s.audit(ctx, actor, "password_reset_issued", target, detail)
	return &IssuedReset{Code: code, ExpiresAt: r.ExpiresAt}, nil
}

// RedeemReset sets a new password with a reset code. The code works once
// and only before it expires; the account's sessions end. EINVALID on the
// field code for a bad code, on password for a password against the
// policy (the code then stays usable).
func (s *Service) RedeemReset(ctx context.Context, code, password string) error {
	if len(code) < len(ResetCodePrefix)+20 || len(code) > 128 {
		return domain.Invalid("code", "Der Code ist ungültig, abgelaufen oder wurde schon verwendet. Bitte lassen Sie sich von der Administration einen neuen geben.")
	}
	hash := auth.HashSecret(code)
	// The policy needs the account's e-mail, which only the code reveals;
	// a code that matches nothing fails in the store below all the same.
	email := ""
	if id, err := s.d.Resets.PasswordResetUser(ctx, hash, s.now()); err == nil {
		if u, err := s.d.Users.FindUserByID(ctx, id); err == nil {
			email = u.Email
		}
	}
	newHash, err := HashNewPassword("password", password, email)
	if err != nil {
		return err
	}
	userID, err := s.d.Resets.RedeemPasswordReset(ctx, hash, newHash, s.now())
	if err != nil {
		return err
	}
	s.accessChanged(userID)
	s.audit(ctx, nil, "password_reset_redeemed", &domain.User{ID: userID}, "neues Passwort gesetzt")
	return nil
}

func (s *Service) accessChanged(userID int64) {
	if s.d.Access != nil {
		s.d.Access.AccessChanged(userID)
	}
}

func (s *Service) audit(ctx context.Context, actor *domain.User, action string, target *domain.User, detail string) {
	domain.RecordAudit(ctx, s.d.Audit, s.d.Logger, s.now(), actor, action, fmt.Sprintf("user:%d", target.ID), detail)
}
