// Package limit holds the budgets that must hold across all instances: rate
// limits (logins, API requests) and caps on concurrent holders (websocket
// connections per user). Memory serves a single instance; the redislimit
// subpackage serves several instances that share Redis. Only cmd chooses.
package limit

import (
	"context"
	"time"
)

// Rate is a budget of Burst events at once, refilled with Count events per
// Period (the generic cell rate algorithm: each event costs Period/Count).
type Rate struct {
	Count  int
	Period time.Duration
	Burst  int
}

// Result says whether an event was allowed and, if not, when to retry.
type Result struct {
	Allowed    bool
	RetryAfter time.Duration // > 0 only when not allowed
}

// Limiter counts events per key against a Rate.
type Limiter interface {
	// Allow atomically checks and takes one event of key's budget: of any
	// number of concurrent calls, on any instance sharing the limiter, at
	// most the budget's free events are allowed. A refused call takes
	// nothing. Errors mean the shared store is unreachable; callers decide
	// whether to fail open or closed.
	Allow(ctx context.Context, key string, r Rate) (Result, error)
	// Reset forgets key's events (after a successful login, for instance).
	Reset(ctx context.Context, key string) error
}

// Slots caps concurrent holders of a key, such as the websocket
// connections of one user.
type Slots interface {
	// Acquire takes one of at most max slots of key and returns its lease,
	// or ok=false when all are taken. A lease not refreshed within ttl
	// expires by itself, so an instance that crashes leaks no slots.
	Acquire(ctx context.Context, key string, max int, ttl time.Duration) (lease Lease, ok bool, err error)
}

// Store is both a Limiter and Slots, as the implementations here are; it
// is what the HTTP layer is given.
type Store interface {
	Limiter
	Slots
}

// Lease is one held slot.
type Lease interface {
	// Refresh extends the lease by its ttl; call it well within the ttl.
	Refresh(ctx context.Context) error
	// Release frees the slot; releasing twice is harmless.
	Release(ctx context.Context) error
}
