package domain

import "time"

// Session limits (BSI APP.3.1, OWASP ASVS V3).
const (
	SessionIdleTimeout     = 30 * time.Minute
	SessionAbsoluteTimeout = 12 * time.Hour
)

// Session is a server-side login session. The browser holds a random token;
// only its SHA-256 hash (ID) is stored, so a database leak yields no usable
// cookies.
type Session struct {
	ID         string    `json:"-"`
	PublicID   string    `json:"id"` // short, non-secret id for listing and ending
	UserID     int64     `json:"user_id"`
	CreatedAt  time.Time `json:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at"`
	ExpiresAt  time.Time `json:"expires_at"` // absolute end
	UserAgent  string    `json:"user_agent"`
	Current    bool      `json:"current"`
}

// Expired reports whether s is past its idle or absolute timeout at t.
func (s *Session) Expired(t time.Time) bool {
	return !t.Before(s.ExpiresAt) || !t.Before(s.LastSeenAt.Add(SessionIdleTimeout))
}

// APIToken is a personal token for scripts. The secret is shown once at
// creation; only its SHA-256 hash is stored.
type APIToken struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"` // first characters, to recognise it
	Hash       string     `json:"-"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
}
