package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/strategieraum/strategieraum/backend/domain"
)

var _ domain.SecondFactorService = (*DB)(nil)

type totpRow struct {
	UserID      int64 `gorm:"primaryKey;autoIncrement:false"`
	Secret      string
	LastStep    int64
	CreatedAt   time.Time
	ConfirmedAt *time.Time
}

func (totpRow) TableName() string { return "user_totp" }

type recoveryCodeRow struct {
	UserID int64  `gorm:"primaryKey;autoIncrement:false"`
	Hash   string `gorm:"primaryKey"`
	UsedAt *time.Time
}

func (recoveryCodeRow) TableName() string { return "user_recovery_codes" }

type loginChallengeRow struct {
	ID        string `gorm:"primaryKey"`
	UserID    int64
	ExpiresAt time.Time
}

func (loginChallengeRow) TableName() string { return "login_challenges" }

// BeginTOTP stores a new unconfirmed secret; see domain.SecondFactorService.
func (db *DB) BeginTOTP(ctx context.Context, userID int64, secret string) error {
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := userExists(tx, userID); err != nil {
			return err
		}
		var rows []totpRow
		if err := tx.Where("user_id = ?", userID).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) > 0 && rows[0].ConfirmedAt != nil {
			return domain.Errorf(domain.ECONFLICT, "Die Zwei-Faktor-Anmeldung ist bereits eingerichtet.")
		}
		if err := tx.Where("user_id = ? AND confirmed_at IS NULL", userID).Delete(&totpRow{}).Error; err != nil {
			return err
		}
		row := totpRow{UserID: userID, Secret: secret, CreatedAt: utc(db.now())}
		if err := tx.Create(&row).Error; err != nil {
			return mapConstraint(err, "user_id", "Die Zwei-Faktor-Anmeldung wird gerade eingerichtet.", "Unbekanntes Benutzerkonto.")
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("begin totp of user %d: %w", userID, err)
	}
	return nil
}

// FindTOTP returns the account's factor, or ENOTFOUND.
func (db *DB) FindTOTP(ctx context.Context, userID int64) (*domain.TOTP, error) {
	var rows []totpRow
	if err := db.conn(ctx).Where("user_id = ?", userID).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("find totp: %w", err)
	}
	if len(rows) == 0 {
		return nil, notFound("Keine Zwei-Faktor-Anmeldung eingerichtet.")
	}
	r := rows[0]
	return &domain.TOTP{UserID: r.UserID, Secret: r.Secret, LastStep: r.LastStep,
		CreatedAt: r.CreatedAt.UTC(), ConfirmedAt: utcPtr(r.ConfirmedAt)}, nil
}

// ConfirmTOTP confirms the unconfirmed factor; see domain.SecondFactorService.
func (db *DB) ConfirmTOTP(ctx context.Context, userID, step int64, recoveryHashes []string) error {
	err := db.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&totpRow{}).Where("user_id = ? AND confirmed_at IS NULL", userID).
			Updates(map[string]any{"confirmed_at": utc(db.now()), "last_step": step})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return notFound("Keine Einrichtung der Zwei-Faktor-Anmeldung offen.")
		}
		return replaceRecoveryCodes(tx, userID, recoveryHashes)
	})
	if err != nil {
		return fmt.Errorf("confirm totp of user %d: %w", userID, err)
	}
	return nil
}

// UseTOTPStep takes step if it is later than the last used one.
func (db *DB) UseTOTPStep(ctx context.Context, userID, step int64) error {
	res := db.conn(ctx).Model(&totpRow{}).
		Where("user_id = ? AND confirmed_at IS NOT NULL AND last_step < ?", userID, step).
		Update("last_step", step)
	if res.Error != nil {
		return fmt.Errorf("use totp step: %w", res.Error)
	}
	if res.RowsAffected == 1 {
		return nil
	}
	t, err := db.FindTOTP(ctx, userID)
	if err != nil {
		return err
	}
	if t.ConfirmedAt == nil {
		return notFound("Keine Zwei-Faktor-Anmeldung eingerichtet.")
	}
	return domain.Errorf(domain.ECONFLICT, "Dieser Code wurde bereits verwendet. Bitte warten Sie auf den nächsten.")
}

// UseRecoveryCode marks an unused recovery code used.
func (db *DB) UseRecoveryCode(ctx context.Context, userID int64, hash string) error {
	res := db.conn(ctx).Model(&recoveryCodeRow{}).
		Where("user_id = ? AND hash = ? AND used_at IS NULL", userID, hash).
		Update("used_at", utc(db.now()))
	if res.Error != nil {
		return fmt.Errorf("use recovery code: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return notFound("Unbekannter oder bereits verwendeter Wiederherstellungscode.")
	}
	return nil
}

// ReplaceRecoveryCodes replaces all recovery codes of the account.
func (db *DB) ReplaceRecoveryCodes(ctx context.Context, userID int64, hashes []string) error {
	err := db.tx(ctx, func(tx *gorm.DB) error { return replaceRecoveryCodes(tx, userID, hashes) })
	if err != nil {
		return fmt.Errorf("replace recovery codes of user %d: %w", userID, err)
	}
	return nil
}

func replaceRecoveryCodes(tx *gorm.DB, userID int64, hashes []string) error {
	if err := tx.Where("user_id = ?", userID).Delete(&recoveryCodeRow{}).Error; err != nil {
		return err
	}
	if len(hashes) == 0 {
		return nil
	}
	rows := make([]recoveryCodeRow, len(hashes))
	for i, h := range hashes {
		rows[i] = recoveryCodeRow{UserID: userID, Hash: h}
	}
	return tx.Create(&rows).Error
}

// RecoveryCodesLeft counts the account's unused recovery codes.
func (db *DB) RecoveryCodesLeft(ctx context.Context, userID int64) (int, error) {
	var n int64
	if err := db.conn(ctx).Model(&recoveryCodeRow{}).Where("user_id = ? AND used_at IS NULL", userID).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count recovery codes: %w", err)
	}
	return int(n), nil
}

// DeleteSecondFactor removes factor, recovery codes and login challenges.
func (db *DB) DeleteSecondFactor(ctx context.Context, userID int64) (bool, error) {
	var existed bool
	err := db.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Where("user_id = ?", userID).Delete(&totpRow{})
		if res.Error != nil {
			return res.Error
		}
		existed = res.RowsAffected > 0
		return deleteSecondFactorRest(tx, userID)
	})
	if err != nil {
		return false, fmt.Errorf("delete second factor of user %d: %w", userID, err)
	}
	return existed, nil
}

// deleteSecondFactorRest removes what hangs on a factor besides the factor.
func deleteSecondFactorRest(tx *gorm.DB, userID int64) error {
	if err := tx.Where("user_id = ?", userID).Delete(&recoveryCodeRow{}).Error; err != nil {
		return err
	}
	return tx.Where("user_id = ?", userID).Delete(&loginChallengeRow{}).Error
}

// CreateLoginChallenge inserts c and deletes expired challenges.
func (db *DB) CreateLoginChallenge(ctx context.Context, c *domain.LoginChallenge) error {
	if c.ID == "" {
		return domain.Invalid("id", "Kennung fehlt.")
	}
	row := loginChallengeRow{ID: c.ID, UserID: c.UserID, ExpiresAt: utc(c.ExpiresAt)}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("expires_at <= ?", utc(db.now())).Delete(&loginChallengeRow{}).Error; err != nil {
			return err
		}
		if err := tx.Create(&row).Error; err != nil {
			return mapConstraint(err, "id", "Die Anmeldung läuft bereits.", "Unbekanntes Benutzerkonto.")
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("create login challenge: %w", err)
	}
	return nil
}

// FindLoginChallenge returns the challenge, or ENOTFOUND.
func (db *DB) FindLoginChallenge(ctx context.Context, id string) (*domain.LoginChallenge, error) {
	var rows []loginChallengeRow
	if err := db.conn(ctx).Where("id = ?", id).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("find login challenge: %w", err)
	}
	if len(rows) == 0 {
		return nil, notFound("Die Anmeldung ist abgelaufen. Bitte melden Sie sich erneut an.")
	}
	return &domain.LoginChallenge{ID: rows[0].ID, UserID: rows[0].UserID, ExpiresAt: rows[0].ExpiresAt.UTC()}, nil
}

// DeleteLoginChallenge removes one challenge and reports whether it was there.
func (db *DB) DeleteLoginChallenge(ctx context.Context, id string) (bool, error) {
	res := db.conn(ctx).Where("id = ?", id).Delete(&loginChallengeRow{})
	if res.Error != nil {
		return false, fmt.Errorf("delete login challenge: %w", res.Error)
	}
	return res.RowsAffected > 0, nil
}
