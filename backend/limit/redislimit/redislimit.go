// Package redislimit implements the limit package's interfaces on Redis, so
// that every instance sharing the Redis server shares the budgets. Rates
// use github.com/go-redis/redis_rate (GCRA in one Lua script, on Redis's
// clock); slots are a sorted set per key whose scores are lease expiries.
package redislimit

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"

	"github.com/strategieraum/strategieraum/backend/limit"
)

var _ limit.Store = (*Limiter)(nil)

// Limiter is the shared limit.Limiter and limit.Slots.
type Limiter struct {
	rdb    redis.UniversalClient
	rate   *redis_rate.Limiter
	prefix string
}

// New uses rdb; every key is put under prefix (e.g. "strategieraum:").
func New(rdb redis.UniversalClient, prefix string) *Limiter {
	return &Limiter{rdb: rdb, rate: redis_rate.NewLimiter(rdb), prefix: prefix}
}

// Allow implements limit.Limiter.
func (l *Limiter) Allow(ctx context.Context, key string, r limit.Rate) (limit.Result, error) {
	res, err := l.rate.Allow(ctx, l.prefix+key, redis_rate.Limit{Rate: r.Count, Period: r.Period, Burst: r.Burst})
	if err != nil {
		return limit.Result{}, fmt.Errorf("rate limit %s: %w", key, err)
	}
	if res.Allowed > 0 {
		return limit.Result{Allowed: true}, nil
	}
	return limit.Result{RetryAfter: max(res.RetryAfter, time.Millisecond)}, nil
}

// Reset implements limit.Limiter.
func (l *Limiter) Reset(ctx context.Context, key string) error {
	if err := l.rate.Reset(ctx, l.prefix+key); err != nil {
		return fmt.Errorf("reset rate limit %s: %w", key, err)
	}
	return nil
}

// acquire drops expired leases, then adds one if fewer than ARGV[1] remain.
// Scores are expiry times in milliseconds on Redis's clock, so instances
// with skewed clocks agree.
var acquire = redis.NewScript(`
local t = redis.call("TIME")
local now = t[1] * 1000 + math.floor(t[2] / 1000)
redis.call("ZREMRANGEBYSCORE", KEYS[1], "-inf", now)
if redis.call("ZCARD", KEYS[1]) >= tonumber(ARGV[1]) then
  return 0
end
redis.call("ZADD", KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call("PEXPIRE", KEYS[1], ARGV[2])
return 1
`)

// refresh extends a lease that still exists.
var refresh = redis.NewScript(`
local t = redis.call("TIME")
local now = t[1] * 1000 + math.floor(t[2] / 1000)
if redis.call("ZSCORE", KEYS[1], ARGV[2]) then
  redis.call("ZADD", KEYS[1], "XX", now + tonumber(ARGV[1]), ARGV[2])
  redis.call("PEXPIRE", KEYS[1], ARGV[1])
end
return 1
`)

// Acquire implements limit.Slots.
func (l *Limiter) Acquire(ctx context.Context, key string, max int, ttl time.Duration) (limit.Lease, bool, error) {
	k, id := l.prefix+"slots:"+key, rand.Text()
	ok, err := acquire.Run(ctx, l.rdb, []string{k}, max, ttl.Milliseconds(), id).Int()
	if err != nil {
		return nil, false, fmt.Errorf("acquire slot %s: %w", key, err)
	}
	if ok != 1 {
		return nil, false, nil
	}
	return &lease{l: l, key: k, id: id, ttl: ttl}, true, nil
}

type lease struct {
	l   *Limiter
	key string
	id  string
	ttl time.Duration
}

func (s *lease) Refresh(ctx context.Context) error {
	if err := refresh.Run(ctx, s.l.rdb, []string{s.key}, s.ttl.Milliseconds(), s.id).Err(); err != nil {
		return fmt.Errorf("refresh slot: %w", err)
	}
	return nil
}

func (s *lease) Release(ctx context.Context) error {
	if err := s.l.rdb.ZRem(ctx, s.key, s.id).Err(); err != nil {
		return fmt.Errorf("release slot: %w", err)
	}
	return nil
}
