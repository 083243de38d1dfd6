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

// Until returns when s times out (idle or absolute) unless it is used again.
func (s *Session) Until() time.Time {
	idle := s.LastSeenAt.Add(SessionIdleTimeout)
	if s.ExpiresAt.Before(idle) {
		return s.ExpiresAt
	}
	return idle
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
	// ExpiresAt ends the token's validity; at most APITokenMaxLifetime
	// after creation.
	ExpiresAt time.Time `json:"expires_at"`
}

// AccessNotifier is told that what a user may do may have changed: a
// session or token of theirs ended, or the account was disabled, deleted or
// given other roles, topics or organisation. Implementations re-check the
// user's open live connections on every instance. It must not block, and
// it may be lost on the way (the live layer re-checks periodically anyway).
type AccessNotifier interface {
	AccessChanged(userID int64)
}

// Lifetimes of API tokens: chosen at creation, APITokenDefaultLifetime
// unless the creator says otherwise, never longer than APITokenMaxLifetime.
const (
	APITokenDefaultLifetime = 90 * 24 * time.Hour
	APITokenMaxLifetime     = 365 * 24 * time.Hour
)

// Expired reports whether the token is no longer valid at now.
func (t *APIToken) Expired(now time.Time) bool { return !now.Before(t.ExpiresAt) }
