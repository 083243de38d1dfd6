package redisbroker_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/realtime"
	"github.com/strategieraum/strategieraum/backend/realtime/redisbroker"
)

func open(t *testing.T, prefix string) *redisbroker.Broker {
	return openNamed(t, prefix, "")
}

// openNamed opens a broker whose connections carry a client name, so that
// the test can find them in CLIENT LIST.
func openNamed(t *testing.T, prefix, name string) *redisbroker.Broker {
	url := os.Getenv("STRATEGIERAUM_TEST_REDIS_URL")
	if url == "" {
		t.Skip("STRATEGIERAUM_TEST_REDIS_URL not set")
	}
	if name != "" {
		sep := "?"
		if strings.Contains(url, "?") {
			sep = "&"
		}
		url += sep + "client_name=" + name
	}
	b, err := redisbroker.Open(url, prefix, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// running starts b.Run and returns the messages it delivers.
func running(t *testing.T, b *redisbroker.Broker) <-chan *realtime.Message {
	ctx, cancel := context.WithCancel(context.Background())
	msgs := make(chan *realtime.Message, 100)
	done := make(chan struct{})
	go func() {
		defer close(done)
		b.Run(ctx, func(m *realtime.Message) { msgs <- m })
	}()
	t.Cleanup(func() { cancel(); <-done })
	return msgs
}

func next(t *testing.T, msgs <-chan *realtime.Message, kind realtime.MessageKind) *realtime.Message {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case m := <-msgs:
			if m.Kind == kind {
				return m
			}
		case <-timeout:
			t.Fatalf("no %s message", kind)
		}
	}
}

func TestPublishReachesSubscribersOnly(t *testing.T) {
	prefix := fmt.Sprintf("strategieraum-test:%s:%d:", t.Name(), time.Now().UnixNano())
	a, b := open(t, prefix), open(t, prefix)
	ma, mb := running(t, a), running(t, b)
	ctx := context.Background()
	if err := a.Subscribe(ctx, domain.SectionDoc(7).String()); err != nil {
		t.Fatal(err)
	}
	if err := b.Subscribe(ctx, "section:8"); err != nil {
		t.Fatal(err)
	}
	next(t, ma, realtime.KindResync) // the subscription is confirmed
	next(t, mb, realtime.KindResync)
	op := &domain.CommittedOp{Doc: domain.SectionDoc(7), Version: 3, Op: []byte(`[1,"ä😀"]`), UserID: 2, ClientID: "c", Seq: 4}
	if err := b.Publish(ctx, &realtime.Message{Kind: realtime.KindOp, Doc: domain.SectionDoc(7), Instance: "b", Op: op}); err != nil {
		t.Fatal(err)
	}
	m := next(t, ma, realtime.KindOp)
	if m.Doc != domain.SectionDoc(7) || m.Instance != "b" || m.Op.Version != 3 || string(m.Op.Op) != `[1,"ä😀"]` || m.Op.ClientID != "c" {
		t.Fatalf("got %+v %+v", m, m.Op)
	}
	select {
	case m := <-mb:
		t.Fatalf("b is not subscribed to 7 but got %+v", m)
	case <-time.After(200 * time.Millisecond):
	}
}

func TestResubscribesAfterTheConnectionIsKilled(t *testing.T) {
	prefix := fmt.Sprintf("strategieraum-test:%s:%d:", t.Name(), time.Now().UnixNano())
	name := fmt.Sprintf("rtkill%d", time.Now().UnixNano())
	b := openNamed(t, prefix, name)
	msgs := running(t, b)
	ctx := context.Background()
	if err := b.Subscribe(ctx, "section:9"); err != nil {
		t.Fatal(err)
	}
	next(t, msgs, realtime.KindResync)
	opts, _ := redis.ParseURL(os.Getenv("STRATEGIERAUM_TEST_REDIS_URL"))
	admin := redis.NewClient(opts)
	defer admin.Close()
	// Kill only this broker's subscriber connection, found by its name.
	list, err := admin.Do(ctx, "CLIENT", "LIST", "TYPE", "pubsub").Text()
	if err != nil {
		t.Fatal(err)
	}
	killed := 0
	for _, line := range strings.Split(list, "\n") {
		if !strings.Contains(line, " name="+name+" ") {
			continue
		}
		for _, f := range strings.Fields(line) {
			if id, ok := strings.CutPrefix(f, "id="); ok && admin.Do(ctx, "CLIENT", "KILL", "ID", id).Err() == nil {
				killed++
			}
		}
	}
	if killed != 1 {
		t.Fatalf("killed %d pub/sub connections named %s, want 1", killed, name)
	}
	next(t, msgs, realtime.KindResync) // reported after resubscribing
	if err := b.Publish(ctx, &realtime.Message{Kind: realtime.KindCursor, Doc: domain.SectionDoc(9), Instance: "x", Cursor: &realtime.Presence{Conn: "x.1"}}); err != nil {
		t.Fatal(err)
	}
	if m := next(t, msgs, realtime.KindCursor); m.Cursor.Conn != "x.1" {
		t.Fatalf("got %+v", m)
	}
}

func TestPresenceExpiresAndIsRemoved(t *testing.T) {
	prefix := fmt.Sprintf("strategieraum-test:%s:%d:", t.Name(), time.Now().UnixNano())
	b := open(t, prefix)
	ctx := context.Background()
	p1 := &realtime.Presence{Conn: "a.1", User: 1, Name: "Erika", Org: "HE", Color: "#1f5fa8", Ranges: [][2]int{{1, 2}}}
	p2 := &realtime.Presence{Conn: "b.1", User: 2, Name: "Max", Org: "BY", Color: "#b3261e"}
	if err := b.SetPresence(ctx, "a", "section:5", []*realtime.Presence{p1}, 300*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if err := b.SetPresence(ctx, "b", "section:5", []*realtime.Presence{p2}, time.Minute); err != nil {
		t.Fatal(err)
	}
	ps, err := b.Presence(ctx, "section:5")
	if err != nil || len(ps) != 2 {
		t.Fatalf("presence %v %v", ps, err)
	}
	time.Sleep(400 * time.Millisecond)
	ps, err = b.Presence(ctx, "section:5")
	if err != nil || len(ps) != 1 || ps[0].Conn != "b.1" || ps[0].Org != "BY" {
		t.Fatalf("after a's ttl: %v %v", ps, err)
	}
	if err := b.SetPresence(ctx, "b", "section:5", nil, time.Minute); err != nil {
		t.Fatal(err)
	}
	if ps, err = b.Presence(ctx, "section:5"); err != nil || len(ps) != 0 {
		t.Fatalf("after removal: %v %v", ps, err)
	}
}
