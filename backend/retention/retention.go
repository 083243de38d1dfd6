// Package retention deletes data whose retention period has ended: expired
// sessions, old audit entries and old notifications (see docs/loeschkonzept.md).
// Every instance may run a janitor; the deletions are idempotent.
package retention

import (
	"context"
	"errors"
	"log/slog"
	"time"
)

// Store is what the janitor deletes through. Each method deletes the rows
// older than the given time and returns how many it deleted.
type Store interface {
	// DeleteExpiredSessions deletes sessions that expired before now.
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error)
	// PurgeAudit deletes audit entries older than before; the store may
	// refuse a cutoff younger than its minimum retention.
	PurgeAudit(ctx context.Context, before time.Time) (int, error)
	// PurgeNotifications deletes notifications created before before.
	PurgeNotifications(ctx context.Context, before time.Time) (int, error)
}

// Periods are how long data is kept; zero keeps it forever.
type Periods struct {
	Audit         time.Duration
	Notifications time.Duration
}

// Janitor applies Periods to a Store.
type Janitor struct {
	store   Store
	periods Periods
	log     *slog.Logger
	now     func() time.Time
}

// New returns a janitor; a nil now means time.Now, a nil logger discards.
func New(s Store, p Periods, log *slog.Logger, now func() time.Time) *Janitor {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Janitor{store: s, periods: p, log: log, now: now}
}

// Sweep deletes once what is due and returns the errors of all steps; a
// failing step does not stop the others.
func (j *Janitor) Sweep(ctx context.Context) error {
	now := j.now()
	var errs []error
	step := func(what string, fn func() (int, error)) {
		n, err := fn()
		if err != nil {
			errs = append(errs, err)
		} else if n > 0 {
			j.log.InfoContext(ctx, "retention: deleted", "what", what, "count", n)
		}
	}
	step("expired sessions", func() (int, error) { return j.store.DeleteExpiredSessions(ctx, now) })
	if j.periods.Audit > 0 {
		step("audit entries", func() (int, error) { return j.store.PurgeAudit(ctx, now.Add(-j.periods.Audit)) })
	}
	if j.periods.Notifications > 0 {
		step("notifications", func() (int, error) { return j.store.PurgeNotifications(ctx, now.Add(-j.periods.Notifications)) })
	}
	return errors.Join(errs...)
}
