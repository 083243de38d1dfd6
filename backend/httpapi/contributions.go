package httpapi

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/limit"
)

// defaultContributionsPerMinute is Config.ContributionsPerMinute's
// default: far more than a person writes, a brake for scripts and floods.
const defaultContributionsPerMinute = 10

// contributionRate turns the configured count into a limit.Rate, or nil
// (no limit) for a negative count.
func contributionRate(perMinute int) *limit.Rate {
	if perMinute < 0 {
		return nil
	}
	if perMinute == 0 {
		perMinute = defaultContributionsPerMinute
	}
	return &limit.Rate{Count: perMinute, Period: time.Minute, Burst: perMinute}
}

// allowContribution takes one of u's budget of new threads and comments.
// The budget is held in the shared limiter, so it holds across instances;
// beyond it the answer is 429 with Retry-After. If the shared limiter is
// unreachable the contribution passes, as API requests do.
func (s *Server) allowContribution(ctx context.Context, u *domain.User) error {
	if s.contribRate == nil || u == nil {
		return nil
	}
	res, err := s.limits.Allow(ctx, "contrib:user:"+strconv.FormatInt(u.ID, 10), *s.contribRate)
	if err != nil {
		s.log.Warn("contribution limit unavailable", "user", u.ID, "err", err)
		return nil
	}
	if res.Allowed {
		return nil
	}
	e := domain.Errorf(domain.ERATELIMIT, "%s", fmt.Sprintf(
		"Sie haben in kurzer Zeit viele Beiträge geschrieben (höchstens %d je Minute). Bitte warten Sie einen Moment.", s.contribRate.Count))
	return &rateLimitError{err: e.WithReason(domain.ReasonContribLimit), retryAfter: max(1, int(math.Ceil(res.RetryAfter.Seconds())))}
}
