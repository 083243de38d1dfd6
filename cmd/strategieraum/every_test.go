package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// every runs its job at once, logs failures but not database outages, and
// returns when the context ends.
func TestEvery(t *testing.T) {
	var logged bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logged, nil))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls := 0
	done := make(chan struct{})
	go func() {
		defer close(done)
		every(ctx, time.Millisecond, logger, "the job failed", func(context.Context) error {
			calls++
			switch calls {
			case 1:
				return errors.New("boom")
			case 2:
				return domain.Errorf(domain.EUNAVAILABLE, "Die Datenbank ist nicht erreichbar.")
			default:
				cancel()
				return nil
			}
		})
	}()
	<-done
	if calls != 3 {
		t.Fatalf("%d calls, want 3", calls)
	}
	out := logged.String()
	if strings.Count(out, "the job failed") != 1 || !strings.Contains(out, "boom") {
		t.Fatalf("logged %q, want the one failure that is not an outage", out)
	}
}
