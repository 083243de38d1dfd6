package domain

import "context"

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
