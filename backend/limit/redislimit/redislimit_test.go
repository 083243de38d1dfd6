package redislimit_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/strategieraum/strategieraum/backend/auth"
	"github.com/strategieraum/strategieraum/backend/limit"
	"github.com/strategieraum/strategieraum/backend/limit/limittest"
	"github.com/strategieraum/strategieraum/backend/limit/redislimit"
)

// open returns a limiter on its own client (as another instance would
// have) under prefix.
func open(t *testing.T, prefix string) *redislimit.Limiter {
	url := os.Getenv("STRATEGIERAUM_TEST_REDIS_URL")
	if url == "" {
		t.Skip("STRATEGIERAUM_TEST_REDIS_URL not set")
	}
	opt, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opt)
	t.Cleanup(func() { rdb.Close() })
	return redislimit.New(rdb, prefix)
}

func TestRedisConformance(t *testing.T) {
	limittest.Conformance(t, func(t *testing.T) (limit.Limiter, limit.Slots, limit.Limiter, limit.Slots) {
		prefix := "test:" + auth.NewSecret("")[:12] + ":"
		a, b := open(t, prefix), open(t, prefix)
		return a, a, b, b
	})
}

// TestRedisLeaseExpires: a lease that is never refreshed (its instance
// crashed) frees its slot by itself.
func TestRedisLeaseExpires(t *testing.T) {
	l := open(t, "test:"+auth.NewSecret("")[:12]+":")
	ctx := context.Background()
	if _, ok, err := l.Acquire(ctx, "u", 1, 200*time.Millisecond); err != nil || !ok {
		t.Fatalf("first slot: %v %v", ok, err)
	}
	for i := 0; ; i++ {
		_, ok, err := l.Acquire(ctx, "u", 1, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			return
		}
		if i > 200 {
			t.Fatal("slot of an abandoned lease never freed")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
