package domain

import (
	"context"
	"time"
)

type userKey struct{}

// WithUser returns a context carrying the authenticated user. The HTTP layer
// sets it once per request; everything downstream reads it with
// UserFromContext.
func WithUser(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, userKey{}, u)
}

// UserFromContext returns the authenticated user, or nil.
func UserFromContext(ctx context.Context) *User {
	u, _ := ctx.Value(userKey{}).(*User)
	return u
}

type connEndKey struct{}

// WithConnectionEnd attaches a function that the live-editing endpoint
// calls exactly once when the connection opened by this request ends (or
// is never opened). The HTTP layer uses it to free the user's connection
// slot.
func WithConnectionEnd(ctx context.Context, end func()) context.Context {
	return context.WithValue(ctx, connEndKey{}, end)
}

// ConnectionEnd returns the function attached by WithConnectionEnd, or a
// function that does nothing.
func ConnectionEnd(ctx context.Context) func() {
	if end, ok := ctx.Value(connEndKey{}).(func()); ok && end != nil {
		return end
	}
	return func() {}
}

type credentialKey struct{}

// Credential names what authenticated a request: the hash of a session
// token or of an API token. Long-lived connections keep it so that they can
// check later whether it still holds.
type Credential struct {
	SessionID string    // hash of the session token, or ""
	TokenHash string    // hash of the API token, or ""
	Until     time.Time // when the session times out unless used again; zero for a token
}

// WithCredential returns a context carrying the request's credential.
func WithCredential(ctx context.Context, c Credential) context.Context {
	return context.WithValue(ctx, credentialKey{}, c)
}

// CredentialFromContext returns the request's credential; the zero value if
// none was set.
func CredentialFromContext(ctx context.Context) Credential {
	c, _ := ctx.Value(credentialKey{}).(Credential)
	return c
}
