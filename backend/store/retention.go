package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// MinAuditRetention is the shortest audit retention the schema accepts: its
// trigger refuses to delete younger entries whatever the caller asks for.
const MinAuditRetention = 30 * 24 * time.Hour

// PurgeAudit deletes the audit entries older than before and returns how
// many. The audit log is append-only by trigger; the trigger lets these
// deletions pass because the cutoff is recorded in audit_purge in the same
// transaction, and only for entries older than MinAuditRetention by the
// database's clock. A before younger than that is EINVALID.
func (db *DB) PurgeAudit(ctx context.Context, before time.Time) (int, error) {
	if before.After(db.now().Add(-MinAuditRetention)) {
		return 0, domain.Errorf(domain.EINVALID, "audit entries are kept at least %d days", int(MinAuditRetention.Hours()/24))
	}
	var n int64
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Exec("UPDATE audit_purge SET cutoff = ? WHERE id = 1", utc(before)).Error; err != nil {
			return err
		}
		res := tx.Where("at < ?", utc(before)).Delete(&auditRow{})
		if res.Error != nil {
			return res.Error
		}
		n = res.RowsAffected
		return tx.Exec("UPDATE audit_purge SET cutoff = NULL WHERE id = 1").Error
	})
	if err != nil {
		return 0, fmt.Errorf("store: purge audit log: %w", err)
	}
	return int(n), nil
}

// PurgeNotifications deletes the notifications created before before, read
// or not, and returns how many. Mails done before before (sent, skipped or
// failed) go with them: they are the notifications' copies by mail.
func (db *DB) PurgeNotifications(ctx context.Context, before time.Time) (int, error) {
	var n int64
	err := db.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Exec("DELETE FROM notifications WHERE created_at < ?", utc(before))
		n = res.RowsAffected
		if res.Error != nil {
			return res.Error
		}
		return tx.Exec("DELETE FROM mail_jobs WHERE state <> ? AND done_at < ?", domain.MailPending, utc(before)).Error
	})
	if err != nil {
		return 0, fmt.Errorf("store: purge notifications: %w", err)
	}
	return int(n), nil
}
