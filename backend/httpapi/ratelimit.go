package httpapi

import (
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// Defaults for Config.RequestsPerSecond and Config.RequestBurst: generous for
// people and for the browser app, a brake for runaway scripts.
const (
	defaultRequestsPerSecond = 20
	defaultRequestBurst      = 120
	maxLimiterKeys           = 20000
)

// requestLimiter is a token bucket per user (or per client address for
// anonymous requests), in memory and per instance.
type requestLimiter struct {
	rate, burst float64

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

// newRequestLimiter returns nil (no limit) for a negative rate.
func newRequestLimiter(rate float64, burst int) *requestLimiter {
	if rate < 0 {
		return nil
	}
	if rate == 0 {
		rate = defaultRequestsPerSecond
	}
	if burst <= 0 {
		burst = defaultRequestBurst
	}
	return &requestLimiter{rate: rate, burst: float64(burst), buckets: map[string]*bucket{}}
}

// take spends one token of key's bucket, or says how long to wait for one.
func (l *requestLimiter) take(key string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= maxLimiterKeys {
			l.prune(now)
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.tokens = math.Min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens < 1 {
		return time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
	}
	b.tokens--
	return 0
}

// prune drops buckets that have refilled completely (they behave like new
// ones); if none has, it drops them all rather than grow without bound.
func (l *requestLimiter) prune(now time.Time) {
	full := time.Duration(l.burst / l.rate * float64(time.Second))
	for k, b := range l.buckets {
		if now.Sub(b.last) >= full {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) >= maxLimiterKeys {
		clear(l.buckets)
	}
}

// rateLimit answers 429 with Retry-After once a caller exceeds its budget of
// API requests. It runs after authentication so that users behind one
// address (a Land's proxy) each have their own budget. The websocket limits
// its frames itself; probes and static files are not limited.
func (s *Server) rateLimit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		path := c.Request().URL.Path
		if s.limiter == nil || !strings.HasPrefix(path, "/api/") || path == "/api/ws" {
			return next(c)
		}
		key := "ip:" + c.RealIP()
		if u := domain.UserFromContext(c.Request().Context()); u != nil {
			key = "user:" + strconv.FormatInt(u.ID, 10)
		}
		if wait := s.limiter.take(key, s.now()); wait > 0 {
			return &rateLimitError{
				err:        domain.Errorf(domain.ERATELIMIT, "Zu viele Anfragen. Bitte warten Sie einen Moment."),
				retryAfter: int(math.Ceil(wait.Seconds())),
			}
		}
		return next(c)
	}
}
