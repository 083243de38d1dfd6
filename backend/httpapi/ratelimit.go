package httpapi

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/limit"
)

// Defaults for Config.RequestsPerSecond and Config.RequestBurst: generous for
// people and for the browser app, a brake for runaway scripts.
const (
	defaultRequestsPerSecond = 20
	defaultRequestBurst      = 120
)

// requestRate turns the configured rate into a limit.Rate, or nil (no
// limit) for a negative rate. A fractional rate per second becomes a whole
// count per 1000 s.
func requestRate(rate float64, burst int) *limit.Rate {
	if rate < 0 {
		return nil
	}
	if rate == 0 {
		rate = defaultRequestsPerSecond
	}
	if burst <= 0 {
		burst = defaultRequestBurst
	}
	return &limit.Rate{Count: max(1, int(math.Round(rate*1000))), Period: 1000 * time.Second, Burst: burst}
}

// rateLimit answers 429 with Retry-After once a caller exceeds its budget of
// API requests. It runs after authentication so that users behind one
// address (a Land's proxy) each have their own budget; the budget is held in
// the shared limiter, so it holds across instances. The websocket limits
// its frames itself and its connections per user (handleLive); probes and
// static files are not limited. If the shared limiter is unreachable the
// request passes: this limit protects capacity, not credentials.
func (s *Server) rateLimit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		path := c.Request().URL.Path
		if s.requestRate == nil || !strings.HasPrefix(path, "/api/") || path == "/api/ws" {
			return next(c)
		}
		key := "req:ip:" + c.RealIP()
		if u := domain.UserFromContext(c.Request().Context()); u != nil {
			key = "req:user:" + strconv.FormatInt(u.ID, 10)
		}
		res, err := s.limits.Allow(c.Request().Context(), key, *s.requestRate)
		if err != nil {
			s.log.Warn("request limit unavailable", "request_id", requestID(c), "err", err)
			return next(c)
		}
		if !res.Allowed {
			return &rateLimitError{
				err:        domain.Errorf(domain.ERATELIMIT, "Zu viele Anfragen. Bitte warten Sie einen Moment."),
				retryAfter: max(1, int(math.Ceil(res.RetryAfter.Seconds()))),
			}
		}
		return next(c)
	}
}
