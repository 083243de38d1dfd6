package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/strategieraum/strategieraum/backend/domain"
)

type sessionRow struct {
	ID         string `gorm:"primaryKey"`
	PublicID   string
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	UserAgent  string
}

func (sessionRow) TableName() string { return "sessions" }

func (r sessionRow) domain() *domain.Session {
	return &domain.Session{ID: r.ID, PublicID: r.PublicID, UserID: r.UserID, CreatedAt: r.CreatedAt.UTC(),
		LastSeenAt: r.LastSeenAt.UTC(), ExpiresAt: r.ExpiresAt.UTC(), UserAgent: r.UserAgent}
}

type apiTokenRow struct {
	ID         int64 `gorm:"primaryKey"`
	UserID     int64
	Name       string
	Prefix     string
	Hash       string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	ExpiresAt  *time.Time // NULL only if a migration missed it: expired
}

func (apiTokenRow) TableName() string { return "api_tokens" }

func (r apiTokenRow) domain() *domain.APIToken {
	t := &domain.APIToken{ID: r.ID, UserID: r.UserID, Name: r.Name, Prefix: r.Prefix, Hash: r.Hash,
		CreatedAt: r.CreatedAt.UTC(), LastUsedAt: utcPtr(r.LastUsedAt)}
	if r.ExpiresAt != nil {
		t.ExpiresAt = r.ExpiresAt.UTC()
	}
	return t
}

// maxUserAgent bounds the stored user agent; it is shown, never parsed.
const maxUserAgent = 512

// CreateSession inserts s (s.ID is the token hash). Zero CreatedAt and
// LastSeenAt become now. ECONFLICT if the id or public id exists, EINVALID
// for an unknown user.
func (db *DB) CreateSession(ctx context.Context, s *domain.Session) error {
	if s.ID == "" || s.PublicID == "" {
		return domain.Invalid("id", "Sitzungskennung fehlt.")
	}
	now := utc(db.now())
	if s.CreatedAt.IsZero() {
		s.CreatedAt = now
	}
	if s.LastSeenAt.IsZero() {
		s.LastSeenAt = s.CreatedAt
	}
	if s.ExpiresAt.IsZero() {
		s.ExpiresAt = s.CreatedAt.Add(domain.SessionAbsoluteTimeout)
	}
	s.CreatedAt, s.LastSeenAt, s.ExpiresAt = utc(s.CreatedAt), utc(s.LastSeenAt), utc(s.ExpiresAt)
	if len(s.UserAgent) > maxUserAgent {
		s.UserAgent = strings.ToValidUTF8(s.UserAgent[:maxUserAgent], "")
	}
	row := sessionRow{ID: s.ID, PublicID: s.PublicID, UserID: s.UserID, CreatedAt: s.CreatedAt,
		LastSeenAt: s.LastSeenAt, ExpiresAt: s.ExpiresAt, UserAgent: s.UserAgent}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return mapConstraint(err, "user_id", "Sitzung existiert bereits.", "Unbekanntes Benutzerkonto.")
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// FindSession returns the session with that token hash, or ENOTFOUND. It
// does not check expiry.
func (db *DB) FindSession(ctx context.Context, id string) (*domain.Session, error) {
	var rows []sessionRow
	if err := db.conn(ctx).Where("id = ?", id).Limit(1).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("find session: %w", err)
	}
	if len(rows) == 0 {
		return nil, notFound("Sitzung nicht gefunden.")
	}
	return rows[0].domain(), nil
}

// TouchSession sets LastSeenAt; ENOTFOUND if the session is gone.
func (db *DB) TouchSession(ctx context.Context, id string, at time.Time) error {
	res := db.conn(ctx).Model(&sessionRow{}).Where("id = ?", id).Update("last_seen_at", utc(at))
	if res.Error != nil {
		return fmt.Errorf("touch session: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return notFound("Sitzung nicht gefunden.")
	}
	return nil
}

// DeleteSession removes one session by token hash; no error if absent.
func (db *DB) DeleteSession(ctx context.Context, id string) error {
	if err := db.conn(ctx).Where("id = ?", id).Delete(&sessionRow{}).Error; err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteSessionByPublicID removes a session of userID; ENOTFOUND if the
// user has no such session.
func (db *DB) DeleteSessionByPublicID(ctx context.Context, userID int64, publicID string) error {
	res := db.conn(ctx).Where("user_id = ? AND public_id = ?", userID, publicID).Delete(&sessionRow{})
	if res.Error != nil {
		return fmt.Errorf("delete session: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return notFound("Sitzung „%s“ nicht gefunden.", publicID)
	}
	return nil
}

// DeleteUserSessions removes all sessions of a user except keepID (if not
// empty).
func (db *DB) DeleteUserSessions(ctx context.Context, userID int64, keepID string) error {
	q := db.conn(ctx).Where("user_id = ?", userID)
	if keepID != "" {
		q = q.Where("id <> ?", keepID)
	}
	if err := q.Delete(&sessionRow{}).Error; err != nil {
		return fmt.Errorf("delete sessions of user %d: %w", userID, err)
	}
	return nil
}

// FindUserSessions lists a user's sessions, newest first.
func (db *DB) FindUserSessions(ctx context.Context, userID int64) ([]*domain.Session, error) {
	var rows []sessionRow
	if err := db.conn(ctx).Where("user_id = ?", userID).Order("created_at DESC, public_id").
		Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("find sessions of user %d: %w", userID, err)
	}
	out := make([]*domain.Session, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// DeleteExpiredSessions removes the sessions that Session.Expired reports
// at t (absolute or idle timeout) and returns how many.
func (db *DB) DeleteExpiredSessions(ctx context.Context, t time.Time) (int, error) {
	res := db.conn(ctx).Where("expires_at <= ? OR last_seen_at <= ?",
		utc(t), utc(t.Add(-domain.SessionIdleTimeout))).Delete(&sessionRow{})
	if res.Error != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", res.Error)
	}
	return int(res.RowsAffected), nil
}

// CreateAPIToken inserts t (t.Hash set) and sets t.ID and t.CreatedAt; a
// zero t.ExpiresAt becomes CreatedAt plus domain.APITokenDefaultLifetime.
// Callers bound the expiry (domain.APITokenMaxLifetime). ECONFLICT if the
// hash exists, EINVALID for a missing name or hash or an unknown user.
func (db *DB) CreateAPIToken(ctx context.Context, t *domain.APIToken) error {
	t.Name = strings.TrimSpace(t.Name)
	if t.Name == "" {
		return domain.Invalid("name", "Bitte geben Sie einen Namen für das Token an.")
	}
	if t.Hash == "" {
		return domain.Invalid("hash", "Token-Hash fehlt.")
	}
	now := utc(db.now())
	if t.ExpiresAt.IsZero() {
		t.ExpiresAt = now.Add(domain.APITokenDefaultLifetime)
	}
	expires := utc(t.ExpiresAt)
	row := apiTokenRow{UserID: t.UserID, Name: t.Name, Prefix: t.Prefix, Hash: t.Hash, CreatedAt: now, ExpiresAt: &expires}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return mapConstraint(err, "user_id", "Token existiert bereits.", "Unbekanntes Benutzerkonto.")
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("create api token: %w", err)
	}
	t.ID, t.CreatedAt, t.LastUsedAt, t.ExpiresAt = row.ID, row.CreatedAt, nil, expires
	return nil
}

// FindAPITokenByHash returns the token, or ENOTFOUND.
func (db *DB) FindAPITokenByHash(ctx context.Context, hash string) (*domain.APIToken, error) {
	var rows []apiTokenRow
	if err := db.conn(ctx).Where("hash = ?", hash).Limit(1).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("find api token: %w", err)
	}
	if len(rows) == 0 {
		return nil, notFound("Token nicht gefunden.")
	}
	return rows[0].domain(), nil
}

// FindUserAPITokens lists a user's tokens, newest first.
func (db *DB) FindUserAPITokens(ctx context.Context, userID int64) ([]*domain.APIToken, error) {
	var rows []apiTokenRow
	if err := db.conn(ctx).Where("user_id = ?", userID).Order("created_at DESC, id DESC").
		Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("find api tokens of user %d: %w", userID, err)
	}
	out := make([]*domain.APIToken, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// TouchAPIToken sets LastUsedAt; ENOTFOUND if the token is gone.
func (db *DB) TouchAPIToken(ctx context.Context, id int64, at time.Time) error {
	res := db.conn(ctx).Model(&apiTokenRow{}).Where("id = ?", id).Update("last_used_at", utc(at))
	if res.Error != nil {
		return fmt.Errorf("touch api token: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return notFound("Token %d nicht gefunden.", id)
	}
	return nil
}

// DeleteAPIToken revokes a token of userID; ENOTFOUND if it is not theirs.
func (db *DB) DeleteAPIToken(ctx context.Context, userID, id int64) error {
	res := db.conn(ctx).Where("id = ? AND user_id = ?", id, userID).Delete(&apiTokenRow{})
	if res.Error != nil {
		return fmt.Errorf("delete api token: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return notFound("Token %d nicht gefunden.", id)
	}
	return nil
}
