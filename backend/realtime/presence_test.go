package realtime_test

import (
	"context"
	"encoding/json"
	"sync/atomic"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/realtime"
)

// presenceOf waits for a presence frame that satisfies ok.
func presenceOf(t *testing.T, c *rawConn, ok func([]realtime.Presence) bool) []realtime.Presence {
	t.Helper()
	deadline := time.Now().Add(12 * time.Second)
	for time.Now().Before(deadline) {
		f, err := c.nextErr(time.Until(deadline), "presence")
		if err != nil {
			break
		}
		var ps []realtime.Presence
		for _, raw := range f.Users {
			var p realtime.Presence
			if err := json.Unmarshal(raw, &p); err != nil {
				t.Fatal(err)
			}
			ps = append(ps, p)
		}
		if ok(ps) {
			return ps
		}
	}
	t.Fatal("the expected presence did not arrive")
	return nil
}

func has(user int64) func([]realtime.Presence) bool {
	return func(ps []realtime.Presence) bool {
		for _, p := range ps {
			if p.User == user {
				return true
			}
		}
		return false
	}
}

func hasNot(user int64) func([]realtime.Presence) bool {
	return func(ps []realtime.Presence) bool { return !has(user)(ps) }
}

// crashable lets a test kill an instance the hard way: once dead, its
// broker does nothing, so it cannot clean up its presence.
type crashable struct {
	realtime.Broker
	dead atomic.Bool
}

func (b *crashable) Publish(ctx context.Context, m *realtime.Message) error {
	if b.dead.Load() {
		return nil
	}
	return b.Broker.Publish(ctx, m)
}

func (b *crashable) SetPresence(ctx context.Context, inst string, s string, e []*realtime.Presence, ttl time.Duration) error {
	if b.dead.Load() {
		return nil
	}
	return b.Broker.SetPresence(ctx, inst, s, e, ttl)
}

func TestPresenceAndCursorsAcrossInstances(t *testing.T) {
	brokers := map[string]func(t *testing.T) (realtime.Broker, realtime.Broker){
		"memory": func(t *testing.T) (realtime.Broker, realtime.Broker) {
			m := realtime.NewMemoryBroker()
			return m.View(), m.View()
		},
	}
	if url := redisEnvURL(); url != "" {
		brokers["redis"] = func(t *testing.T) (realtime.Broker, realtime.Broker) {
			p := testPrefix(t)
			return newRedisBroker(t, url, p), newRedisBroker(t, url, p)
		}
	}
	for name, mk := range brokers {
		t.Run(name, func(t *testing.T) {
			w := newWorldSQLite(t)
			ba, bb := mk(t)
			crash := &crashable{Broker: ba}
			a, b := w.start(testConfig("a"), crash), w.start(testConfig("b"), bb)
			ed0, ed1 := w.editors[0], w.editors[1]
			x, y := dialRaw(t, a, ed0.ID), dialRaw(t, b, ed1.ID)
			x.open(w.section)
			y.open(w.section)
			ps := presenceOf(t, y, has(ed0.ID))
			if p := ps[0]; p.Name != ed0.Name || p.Org != "HE" || p.Color != realtime.ColorFor(ed0.ID) || p.Conn == "" {
				t.Fatalf("presence entry %+v", p)
			}
			presenceOf(t, x, has(ed1.ID))

			// A cursor at the current version arrives as sent.
			x.send(map[string]any{"t": "cursor", "section": w.section, "v": 0, "ranges": [][2]int{{3, 5}}})
			f := y.next("cursor")
			if f.V != 0 || len(f.Ranges) != 1 || f.Ranges[0] != [2]int{3, 5} || f.User != ed0.ID {
				t.Fatalf("cursor %+v", f)
			}
			// A cursor behind an op is moved over it.
			y.submit(w.section, 0, []any{"abc"}, "y", 1)
			x.next("op")
			x.send(map[string]any{"t": "cursor", "section": w.section, "v": 0, "ranges": [][2]int{{3, 5}}})
			f = y.next("cursor")
			if f.V != 1 || f.Ranges[0] != [2]int{6, 8} {
				t.Fatalf("cursor behind an op: %+v", f)
			}

			// Closing the section removes the entry.
			x.send(map[string]any{"t": "close", "section": w.section})
			presenceOf(t, y, hasNot(ed0.ID))
			x.open(w.section)
			presenceOf(t, y, has(ed0.ID))

			// An instance that dies takes its users with it within 10 s;
			// with Redis it cannot even say goodbye.
			crash.dead.Store(name == "redis")
			start := time.Now()
			a.kill()
			presenceOf(t, y, hasNot(ed0.ID))
			if d := time.Since(start); d > 10*time.Second {
				t.Fatalf("presence of a dead instance lasted %v", d)
			}
		})
	}
}
