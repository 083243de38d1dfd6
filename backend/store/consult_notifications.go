package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/strategieraum/strategieraum/backend/domain"
)

type notificationRow struct {
	ID         int64 `gorm:"primaryKey"`
	UserID     int64
	Kind       string
	Text       string
	Target     string
	StrategyID int64
	ThreadID   *int64
	DedupeKey  *string
	CreatedAt  time.Time
	ReadAt     *time.Time
}

func (notificationRow) TableName() string { return "notifications" }

// Notification listing limits.
const (
	defaultNotificationLimit = 50
	maxNotificationLimit     = 200
)

// CreateNotifications inserts ns, skipping duplicates of (user, key).
func (db *DB) CreateNotifications(ctx context.Context, ns []*domain.Notification) ([]*domain.Notification, error) {
	now := utc(db.now())
	var out []*domain.Notification
	err := db.tx(ctx, func(tx *gorm.DB) error {
		out = out[:0]
		for _, n := range ns {
			row := notificationRow{UserID: n.UserID, Kind: string(n.Kind), Text: n.Text, Target: n.Target,
				StrategyID: n.StrategyID, ThreadID: n.ThreadID, CreatedAt: now}
			if n.Key != "" {
				k := n.Key
				row.DedupeKey = &k
			}
			res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 1 {
				n.ID, n.CreatedAt = row.ID, now
				out = append(out, n)
			}
		}
		if !db.MailEnabled() {
			return nil
		}
		jobs, err := notificationMails(tx, out)
		if err == nil {
			_, err = db.enqueueMail(tx, jobs)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("create notifications: %w", err)
	}
	return out, nil
}

// FindNotifications lists a user's notifications, newest first.
func (db *DB) FindNotifications(ctx context.Context, userID int64, unreadOnly bool, limit int) ([]*domain.Notification, error) {
	if limit <= 0 {
		limit = defaultNotificationLimit
	}
	q := db.conn(ctx).Where("user_id = ?", userID).Order("id DESC").Limit(min(limit, maxNotificationLimit))
	if unreadOnly {
		q = q.Where("read_at IS NULL")
	}
	var rows []notificationRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("find notifications: %w", err)
	}
	out := make([]*domain.Notification, len(rows))
	for i, r := range rows {
		out[i] = &domain.Notification{ID: r.ID, UserID: r.UserID, Kind: domain.NotificationKind(r.Kind), Text: r.Text,
			Target: r.Target, StrategyID: r.StrategyID, ThreadID: r.ThreadID, CreatedAt: r.CreatedAt.UTC(),
			ReadAt: utcPtr(r.ReadAt)}
	}
	return out, nil
}

// CountUnread counts a user's unread notifications.
func (db *DB) CountUnread(ctx context.Context, userID int64) (int, error) {
	var n int64
	if err := db.conn(ctx).Model(&notificationRow{}).Where("user_id = ? AND read_at IS NULL", userID).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count unread: %w", err)
	}
	return int(n), nil
}

// MarkRead marks the user's notifications ids (all if empty) read.
func (db *DB) MarkRead(ctx context.Context, userID int64, ids []int64, at time.Time) error {
	err := db.tx(ctx, func(tx *gorm.DB) error {
		q := tx.Model(&notificationRow{}).Where("user_id = ? AND read_at IS NULL", userID)
		if len(ids) > 0 {
			q = q.Where("id IN ?", ids)
		}
		return q.Update("read_at", utc(at)).Error
	})
	if err != nil {
		return fmt.Errorf("mark read: %w", err)
	}
	return nil
}
