package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/strategieraum/strategieraum/backend/domain"
)

type passwordResetRow struct {
	ID        int64 `gorm:"primaryKey"`
	UserID    int64
	CodeHash  string
	CreatedBy *int64
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

func (passwordResetRow) TableName() string { return "password_resets" }

var _ domain.PasswordResetService = (*DB)(nil)

// errBadResetCode is the one answer for an unknown, used or expired code,
// so that the answer does not tell which.
var errBadResetCode = domain.Invalid("code", "Der Code ist ungültig, abgelaufen oder wurde schon verwendet. Bitte lassen Sie sich von der Administration einen neuen geben.")

// CreatePasswordReset stores r, replacing the user's open codes, and ends
// the user's sessions, in one transaction.
func (db *DB) CreatePasswordReset(ctx context.Context, r *domain.PasswordReset) error {
	if r.CodeHash == "" {
		return domain.Invalid("code", "Code-Hash fehlt.")
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = db.now()
	}
	r.CreatedAt, r.ExpiresAt = utc(r.CreatedAt), utc(r.ExpiresAt)
	row := passwordResetRow{UserID: r.UserID, CodeHash: r.CodeHash, CreatedBy: r.CreatedBy,
		CreatedAt: r.CreatedAt, ExpiresAt: r.ExpiresAt}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := userExists(tx, r.UserID); err != nil {
			return err
		}
		if err := tx.Where("user_id = ? AND used_at IS NULL", r.UserID).Delete(&passwordResetRow{}).Error; err != nil {
			return err
		}
		if err := tx.Create(&row).Error; err != nil {
			return mapConstraint(err, "user_id", "Code existiert bereits.", "Unbekanntes Benutzerkonto.")
		}
		if err := db.resetMail(tx, r, row.ID); err != nil {
			return err
		}
		return tx.Where("user_id = ?", r.UserID).Delete(&sessionRow{}).Error
	})
	if err != nil {
		return fmt.Errorf("create password reset: %w", err)
	}
	r.ID = row.ID
	return nil
}

// PasswordResetUser returns the user of the open code with that hash.
func (db *DB) PasswordResetUser(ctx context.Context, codeHash string, now time.Time) (int64, error) {
	var rows []passwordResetRow
	if err := db.conn(ctx).Where("code_hash = ? AND used_at IS NULL AND expires_at > ?", codeHash, utc(now)).
		Limit(1).Find(&rows).Error; err != nil {
		return 0, fmt.Errorf("find password reset: %w", err)
	}
	if len(rows) == 0 {
		return 0, errBadResetCode
	}
	return rows[0].UserID, nil
}

// RedeemPasswordReset sets the password of the code's user, marks the code
// used and ends the user's sessions, in one transaction. The conditional
// update makes a code work once even when redeemed twice at the same time.
func (db *DB) RedeemPasswordReset(ctx context.Context, codeHash, passwordHash string, now time.Time) (int64, error) {
	now = utc(now)
	var userID int64
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var rows []passwordResetRow
		if err := tx.Where("code_hash = ? AND used_at IS NULL AND expires_at > ?", codeHash, now).
			Limit(1).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return errBadResetCode
		}
		res := tx.Model(&passwordResetRow{}).Where("id = ? AND used_at IS NULL", rows[0].ID).Update("used_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return errBadResetCode
		}
		userID = rows[0].UserID
		if err := tx.Model(&userRow{}).Where("id = ?", userID).Update("password_hash", passwordHash).Error; err != nil {
			return err
		}
		return tx.Where("user_id = ?", userID).Delete(&sessionRow{}).Error
	})
	if err != nil {
		return 0, fmt.Errorf("redeem password reset: %w", err)
	}
	return userID, nil
}
