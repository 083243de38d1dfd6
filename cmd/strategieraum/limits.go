package main

import (
	"fmt"

	"github.com/redis/go-redis/v9"

	"github.com/strategieraum/strategieraum/backend/limit"
	"github.com/strategieraum/strategieraum/backend/limit/redislimit"
)

// newLimits returns the login, request and connection budgets: in Redis
// when it is configured, so that they hold across instances, else in
// memory. close frees the Redis client.
func newLimits(c serveConfig) (l limit.Store, close func(), err error) {
	if c.RedisURL == "" {
		return limit.NewMemory(nil), func() {}, nil
	}
	opt, err := redis.ParseURL(c.RedisURL)
	if err != nil {
		return nil, nil, fmt.Errorf("redis: %w", err)
	}
	rdb := redis.NewClient(opt)
	return redislimit.New(rdb, redisPrefix+"limit:"), func() { rdb.Close() }, nil
}
