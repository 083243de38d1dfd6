package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/strategieraum/strategieraum/backend/domain"
)

var _ domain.IdentityService = (*DB)(nil)

type identityRow struct {
	Issuer    string `gorm:"primaryKey"`
	Subject   string `gorm:"primaryKey"`
	UserID    int64
	CreatedAt time.Time
}

func (identityRow) TableName() string { return "user_identities" }

// FindUserByIdentity returns the account linked to issuer and subject, or
// ENOTFOUND.
func (db *DB) FindUserByIdentity(ctx context.Context, issuer, subject string) (*domain.User, error) {
	var rows []identityRow
	if err := db.conn(ctx).Where("issuer = ? AND subject = ?", issuer, subject).Limit(1).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("find identity: %w", err)
	}
	if len(rows) == 0 {
		return nil, notFound("Keine verknüpfte Identität.")
	}
	return db.FindUserByID(ctx, rows[0].UserID)
}

// LinkIdentity links userID to issuer and subject; see
// domain.IdentityService for the errors.
func (db *DB) LinkIdentity(ctx context.Context, userID int64, issuer, subject string) error {
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := userExists(tx, userID); err != nil {
			return err
		}
		var rows []identityRow
		if err := tx.Where("(issuer = ? AND subject = ?) OR (user_id = ? AND issuer = ?)",
			issuer, subject, userID, issuer).Find(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			if r.UserID != userID || r.Subject != subject {
				return domain.Errorf(domain.ECONFLICT, "Das Konto ist bereits mit einer anderen Identität verknüpft.")
			}
		}
		if len(rows) > 0 {
			return nil
		}
		row := identityRow{Issuer: issuer, Subject: subject, UserID: userID, CreatedAt: utc(db.now())}
		if err := tx.Create(&row).Error; err != nil {
			return mapConstraint(err, "subject", "Das Konto ist bereits mit einer anderen Identität verknüpft.", "Unbekanntes Benutzerkonto.")
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("link identity of user %d: %w", userID, err)
	}
	return nil
}
