package domain

import (
	"context"
	"time"
)

// LoginChallengeTimeout is how long a right password waits for its second
// factor before the person has to start again.
const LoginChallengeTimeout = 5 * time.Minute

// RecoveryCodeCount is how many single-use recovery codes an account gets.
const RecoveryCodeCount = 10

// TOTP is an account's time-based one-time password factor (RFC 6238).
type TOTP struct {
	UserID int64
	// Secret is the shared key in base32; it leaves the server only while
	// enrolment waits for its first code.
	Secret string
	// LastStep is the last time step whose code was accepted; a code is
	// taken only for a later step, so no code works twice.
	LastStep  int64
	CreatedAt time.Time
	// ConfirmedAt is nil while enrolment waits for a first valid code; the
	// factor is required at login only once it is set.
	ConfirmedAt *time.Time
}

// LoginChallenge is a right password waiting for its second factor. The
// browser holds a random token; ID is its SHA-256 hash. It grants nothing
// but the second step.
type LoginChallenge struct {
	ID        string
	UserID    int64
	ExpiresAt time.Time
}

// Expired reports whether the challenge is no longer valid at now.
func (c *LoginChallenge) Expired(now time.Time) bool { return !now.Before(c.ExpiresAt) }

// SecondFactorService stores second factors, recovery codes and the login
// challenges between password and second factor.
type SecondFactorService interface {
	// BeginTOTP stores a new unconfirmed secret for userID, replacing an
	// earlier unconfirmed one. ECONFLICT if a confirmed factor exists,
	// ENOTFOUND for an unknown account.
	BeginTOTP(ctx context.Context, userID int64, secret string) error
	// FindTOTP returns the account's factor, confirmed or not, or ENOTFOUND.
	FindTOTP(ctx context.Context, userID int64) (*TOTP, error)
	// ConfirmTOTP confirms the unconfirmed factor, records step as used and
	// replaces the recovery codes with the given hashes, in one
	// transaction. ENOTFOUND if no unconfirmed factor exists (none, or
	// confirmed meanwhile).
	ConfirmTOTP(ctx context.Context, userID, step int64, recoveryHashes []string) error
	// UseTOTPStep records step as used if it is later than the last used
	// step of the confirmed factor, in one conditional update, so that of
	// any number of requests on any instance only one takes a given step.
	// ECONFLICT if the step (or a later one) was used already, ENOTFOUND
	// without a confirmed factor.
	UseTOTPStep(ctx context.Context, userID, step int64) error
	// UseRecoveryCode marks the unused recovery code with that hash used,
	// in one conditional update. ENOTFOUND if the account has no such
	// unused code.
	UseRecoveryCode(ctx context.Context, userID int64, hash string) error
	// ReplaceRecoveryCodes replaces all recovery codes of the account.
	ReplaceRecoveryCodes(ctx context.Context, userID int64, hashes []string) error
	// RecoveryCodesLeft counts the account's unused recovery codes.
	RecoveryCodesLeft(ctx context.Context, userID int64) (int, error)
	// DeleteSecondFactor removes the factor, the recovery codes and the
	// login challenges of the account and reports whether a factor existed.
	DeleteSecondFactor(ctx context.Context, userID int64) (bool, error)

	// CreateLoginChallenge inserts c and deletes expired challenges.
	CreateLoginChallenge(ctx context.Context, c *LoginChallenge) error
	// FindLoginChallenge returns the challenge with that token hash, or
	// ENOTFOUND. It does not check expiry; callers do.
	FindLoginChallenge(ctx context.Context, id string) (*LoginChallenge, error)
	// DeleteLoginChallenge removes one challenge (no error if absent) and
	// reports whether it was there, so that only one request completes it.
	DeleteLoginChallenge(ctx context.Context, id string) (bool, error)
}
