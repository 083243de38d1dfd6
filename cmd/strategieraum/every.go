package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// every calls fn now and then every interval until ctx ends, in the
// caller's goroutine, and logs its failures as what. Every instance runs
// these jobs; each job is safe to run on several at once. A database
// outage is not logged here: the store logs it once when it begins and
// ends.
func every(ctx context.Context, interval time.Duration, logger *slog.Logger, what string, fn func(context.Context) error) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := fn(ctx); err != nil && ctx.Err() == nil && domain.ErrorCode(err) != domain.EUNAVAILABLE {
			logger.WarnContext(ctx, what, "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
