package domain

import (
	"context"
	"time"
)

// PasswordResetLifetime is how long a reset code issued by an
// administrator stays valid.
const PasswordResetLifetime = 30 * time.Minute

// PasswordReset is a one-time code with which a person sets a new password.
// Only the SHA-256 of the code is stored.
type PasswordReset struct {
	ID       int64
	UserID   int64
	CodeHash string
	// Code is the code in clear, set only to mail it to the user with the
	// reset (in the same transaction); it is never stored with the reset.
	Code      string
	CreatedBy *int64 // the administrator; nil from the command line
	CreatedAt time.Time
	ExpiresAt time.Time
}

// PasswordResetService stores one-time password reset codes.
type PasswordResetService interface {
	// CreatePasswordReset stores r (setting ID), replacing any code of the
	// same user not yet used, and ends all of the user's sessions, in one
	// transaction. ENOTFOUND for an unknown user, ECONFLICT if the hash
	// exists.
	CreatePasswordReset(ctx context.Context, r *PasswordReset) error
	// PasswordResetUser returns the user of the open code with that hash
	// at now, or EINVALID as RedeemPasswordReset would.
	PasswordResetUser(ctx context.Context, codeHash string, now time.Time) (int64, error)
	// RedeemPasswordReset uses the code with that hash at now: it sets the
	// user's password hash, marks the code used and ends all of the user's
	// sessions, in one transaction, and returns the user's id. A code
	// works once: an unknown, used or expired code (expires_at <= now) is
	// EINVALID and changes nothing.
	RedeemPasswordReset(ctx context.Context, codeHash, passwordHash string, now time.Time) (int64, error)
}
