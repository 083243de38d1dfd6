// Package redisbroker implements realtime.Broker with Redis pub/sub, so that
// several instances serve the same documents. Presence lives in keys that
// expire, so the users of an instance that dies disappear on their own.
package redisbroker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/realtime"
)

var _ realtime.Broker = (*Broker)(nil)

// Broker is a realtime.Broker on Redis. Each document is one pub/sub channel
// "<prefix>sec:<id>"; presence is a sorted set "<prefix>pres:<id>" of
// instances (scored by expiry) plus one expiring key per instance.
type Broker struct {
	rdb    *redis.Client
	prefix string
	log    *slog.Logger

	mu       sync.Mutex
	ps       *redis.PubSub
	channels map[string]bool
}

// New returns a Broker on an existing client. prefix is put before every
// key and channel so that installations (and tests) sharing one Redis stay
// apart; it usually ends in ":".
func New(rdb *redis.Client, prefix string, log *slog.Logger) *Broker {
	if log == nil {
		log = slog.Default()
	}
	return &Broker{rdb: rdb, prefix: prefix, log: log, channels: map[string]bool{}}
}

// Open connects to a redis:// URL and returns a Broker; Close closes the
// client.
func Open(url, prefix string, log *slog.Logger) (*Broker, error) {
	opts, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("redisbroker: %w", err)
	}
	return New(redis.NewClient(opts), prefix, log), nil
}

// Close closes the Redis client.
func (b *Broker) Close() error { return b.rdb.Close() }

// Ping reports whether Redis is reachable.
func (b *Broker) Ping(ctx context.Context) error { return b.rdb.Ping(ctx).Err() }

// redisChannel is the Redis name of a broker channel.
func (b *Broker) redisChannel(channel string) string {
	return b.prefix + "ch:" + channel
}

// channel is the broker channel of a Redis channel name.
func (b *Broker) channel(name string) (string, bool) {
	return strings.CutPrefix(name, b.prefix+"ch:")
}

func (b *Broker) pubsub(ctx context.Context) *redis.PubSub {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ps == nil {
		b.ps = b.rdb.Subscribe(ctx)
	}
	return b.ps
}

// Run implements realtime.Broker. go-redis reconnects and resubscribes by
// itself; every (re)subscription confirmation is passed on as KindResync,
// since messages may have been lost while the connection was down.
func (b *Broker) Run(ctx context.Context, handle func(*realtime.Message)) error {
	ps := b.pubsub(ctx)
	stop := context.AfterFunc(ctx, func() {
		b.mu.Lock()
		if b.ps == ps {
			b.ps = nil
		}
		b.mu.Unlock()
		ps.Close() // unblocks a pending receive
	})
	defer stop()
	backoff := 50 * time.Millisecond
	for ctx.Err() == nil {
		msg, err := ps.ReceiveTimeout(ctx, 15*time.Second)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			var nerr interface{ Timeout() bool }
			if errors.As(err, &nerr) && nerr.Timeout() {
				_ = ps.Ping(ctx) // an idle connection; a dead one fails the next receive
				continue
			}
			b.log.Debug("redis pub/sub receive failed", "err", err)
			select {
			case <-ctx.Done():
			case <-time.After(backoff):
			}
			backoff = min(2*backoff, 2*time.Second)
			continue
		}
		backoff = 50 * time.Millisecond
		switch m := msg.(type) {
		case *redis.Subscription:
			ch, ok := b.channel(m.Channel)
			if doc, err := domain.ParseDocKey(ch); ok && err == nil && m.Kind == "subscribe" {
				handle(&realtime.Message{Kind: realtime.KindResync, Doc: doc})
			}
		case *redis.Message:
			var rm realtime.Message
			ch, ok := b.channel(m.Channel)
			if !ok || json.Unmarshal([]byte(m.Payload), &rm) != nil || rm.Channel() != ch || rm.Kind == realtime.KindResync {
				b.log.Warn("ignoring malformed broker message", "channel", m.Channel)
				continue
			}
			handle(&rm)
		}
	}
	return ctx.Err()
}

// Publish implements realtime.Broker.
func (b *Broker) Publish(ctx context.Context, m *realtime.Message) error {
	data, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("redisbroker: encode: %w", err)
	}
	return b.rdb.Publish(ctx, b.redisChannel(m.Channel()), data).Err()
}

// Subscribe implements realtime.Broker.
func (b *Broker) Subscribe(ctx context.Context, channel string) error {
	b.mu.Lock()
	b.channels[channel] = true
	b.mu.Unlock()
	return b.pubsub(ctx).Subscribe(ctx, b.redisChannel(channel))
}

// Unsubscribe implements realtime.Broker.
func (b *Broker) Unsubscribe(ctx context.Context, channel string) error {
	b.mu.Lock()
	delete(b.channels, channel)
	b.mu.Unlock()
	return b.pubsub(ctx).Unsubscribe(ctx, b.redisChannel(channel))
}

func (b *Broker) presenceKey(channel string) string {
	return b.prefix + "pres:" + channel
}

// SetPresence implements realtime.Broker.
func (b *Broker) SetPresence(ctx context.Context, instance string, channel string, entries []*realtime.Presence, ttl time.Duration) error {
	set, key := b.presenceKey(channel), b.presenceKey(channel)+":"+instance
	pipe := b.rdb.TxPipeline()
	if len(entries) == 0 {
		pipe.Del(ctx, key)
		pipe.ZRem(ctx, set, instance)
	} else {
		data, err := json.Marshal(entries)
		if err != nil {
			return fmt.Errorf("redisbroker: encode presence: %w", err)
		}
		expires := time.Now().Add(ttl).UnixMilli()
		pipe.Set(ctx, key, data, ttl)
		pipe.ZAdd(ctx, set, redis.Z{Score: float64(expires), Member: instance})
		pipe.PExpire(ctx, set, ttl)
	}
	_, err := pipe.Exec(ctx)
	return err
}

// Presence implements realtime.Broker. Instances whose entry has expired are
// left out and pruned from the set.
func (b *Broker) Presence(ctx context.Context, channel string) ([]*realtime.Presence, error) {
	set := b.presenceKey(channel)
	now := strconv.FormatInt(time.Now().UnixMilli(), 10)
	instances, err := b.rdb.ZRangeByScore(ctx, set, &redis.ZRangeBy{Min: "(" + now, Max: "+inf"}).Result()
	if err != nil || len(instances) == 0 {
		return nil, err
	}
	keys := make([]string, len(instances))
	for i, inst := range instances {
		keys[i] = set + ":" + inst
	}
	vals, err := b.rdb.MGet(ctx, keys...).Result()
	if err != nil {
		return nil, err
	}
	b.rdb.ZRemRangeByScore(ctx, set, "-inf", now)
	var out []*realtime.Presence
	for _, v := range vals {
		s, ok := v.(string)
		if !ok {
			continue // expired between the two reads
		}
		var es []*realtime.Presence
		if json.Unmarshal([]byte(s), &es) == nil {
			out = append(out, es...)
		}
	}
	return out, nil
}
