package httpapi

import (
	"context"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/limit"
)

// defaultWebsocketsPerUser caps one account's live connections: plenty for
// a person with several tabs and devices, a wall for a script opening
// thousands.
const defaultWebsocketsPerUser = 20

// liveSlotTTL is how long a connection slot outlives its instance if that
// instance crashes; a live connection refreshes it every liveSlotTTL/3.
const liveSlotTTL = 90 * time.Second

// liveSlot takes one of the user's connection slots (in the shared
// limiter, so the cap holds across instances) and returns the function
// that frees it, to be called once when the connection ends. A user with
// all slots taken gets a 429 at the handshake.
func (s *Server) liveSlot(ctx context.Context, u *domain.User) (func(), error) {
	key := "ws:user:" + strconv.FormatInt(u.ID, 10)
	lease, ok, err := s.limits.Acquire(ctx, key, s.cfg.WebsocketsPerUser, liveSlotTTL)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, &rateLimitError{
			err: domain.Errorf(domain.ERATELIMIT,
				"Zu viele gleichzeitige Verbindungen mit diesem Konto (höchstens %d). Bitte schließen Sie andere Fenster.",
				s.cfg.WebsocketsPerUser),
			retryAfter: 30,
		}
	}
	s.liveLeases.add(lease, s.log)
	var once sync.Once
	return func() {
		once.Do(func() {
			s.liveLeases.remove(lease)
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := lease.Release(ctx); err != nil {
				s.log.Warn("live connection slot not released", "user_id", u.ID, "err", err)
			}
		})
	}, nil
}

// liveLeases holds the connection slots of this instance's open websockets
// and refreshes them all from one goroutine, which runs only while any slot
// is held: one timer for the instance instead of one per connection.
// Refreshing a slot just released is harmless (Lease.Refresh extends only
// a slot still held).
type liveLeases struct {
	mu      sync.Mutex
	held    map[limit.Lease]struct{}
	running bool
}

func (l *liveLeases) add(lease limit.Lease, log *slog.Logger) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.held == nil {
		l.held = map[limit.Lease]struct{}{}
	}
	l.held[lease] = struct{}{}
	if !l.running {
		l.running = true
		go l.refresh(log)
	}
}

func (l *liveLeases) remove(lease limit.Lease) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.held, lease)
}

func (l *liveLeases) refresh(log *slog.Logger) {
	t := time.NewTicker(liveSlotTTL / 3)
	defer t.Stop()
	for range t.C {
		l.mu.Lock()
		if len(l.held) == 0 {
			l.running = false
			l.mu.Unlock()
			return
		}
		batch := make([]limit.Lease, 0, len(l.held))
		for lease := range l.held {
			batch = append(batch, lease)
		}
		l.mu.Unlock()
		failed := 0
		for _, lease := range batch {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			if err := lease.Refresh(ctx); err != nil {
				failed++
			}
			cancel()
		}
		if failed > 0 {
			log.Warn("live connection slots not refreshed", "failed", failed, "held", len(batch))
		}
	}
}
