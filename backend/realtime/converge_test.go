package realtime_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/realtime"
)

// lossyBroker loses and reorders op messages and forwarded submits between
// instances, so that the hub's ordering, gap repair and fallback from
// forwarding are exercised without Redis.
type lossyBroker struct {
	realtime.Broker
	mu  sync.Mutex
	rng *rand.Rand
}

func (b *lossyBroker) Publish(ctx context.Context, m *realtime.Message) error {
	if m.Kind != realtime.KindOp && m.Kind != realtime.KindSubmit {
		return b.Broker.Publish(ctx, m)
	}
	b.mu.Lock()
	r := b.rng.IntN(10)
	b.mu.Unlock()
	switch {
	case r < 2: // lost
		return nil
	case r < 4: // late, so that later ones overtake it
		go func() {
			time.Sleep(15 * time.Millisecond)
			b.Broker.Publish(context.Background(), m)
		}()
		return nil
	}
	return b.Broker.Publish(ctx, m)
}

// scenario describes one convergence run.
type scenario struct {
	clients, edits int
	every          time.Duration
	cuts           int                       // connections cut mid-flight
	during         func(ctx context.Context) // runs while clients type, e.g. a restart
	instances      []*instance
	// beforeTyping, if set, runs once every client has opened the section
	// and before anyone types.
	beforeTyping func()
}

// converge runs 16 (or sc.clients) OT clients split over the instances and
// checks the end state against the op log.
func converge(t *testing.T, w *world, sc scenario) []*otClient {
	// The deadlines bound a broken run; a loaded machine may need minutes.
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	alive := func(first int) func() []string {
		return func() []string {
			var urls []string
			for i := range sc.instances {
				in := sc.instances[(first+i)%len(sc.instances)]
				urls = append(urls, in.wsURL(0))
			}
			return urls
		}
	}
	clients := make([]*otClient, sc.clients)
	hold := make(chan struct{})
	if sc.beforeTyping == nil {
		close(hold)
	}
	typing, stop := context.WithCancel(ctx)
	defer stop()
	var wg sync.WaitGroup
	for i := range clients {
		u := w.docEditors[i%len(w.docEditors)]
		c := newOTClient(t, fmt.Sprintf("c%02d", i), u.ID, w.doc, uint64(i+1), nil)
		urls := alive(i % len(sc.instances))
		c.urls = func() []string {
			var out []string
			for _, s := range urls() {
				out = append(out, s[:len(s)-1]+fmt.Sprint(u.ID))
			}
			return out
		}
		c.hold = hold
		clients[i] = c
		wg.Add(1)
		go func() { defer wg.Done(); c.run(typing, sc.edits, sc.every) }()
	}
	if sc.beforeTyping != nil {
		waitUntil(t, "every client to open the section", func() bool {
			for _, c := range clients {
				if !c.connected() {
					return false
				}
			}
			return true
		})
		sc.beforeTyping()
		close(hold)
	}
	// Cut connections while ops are in flight.
	go func() {
		rng := rand.New(rand.NewPCG(99, 1))
		for n := 0; n < sc.cuts && ctx.Err() == nil; {
			time.Sleep(time.Duration(20+rng.IntN(60)) * time.Millisecond)
			c := clients[rng.IntN(len(clients))]
			if !c.idle() {
				c.cut()
				n++
			}
		}
	}()
	if sc.during != nil {
		sc.during(ctx)
	}
	// Wait until every client has typed everything, is acked and has
	// caught up with the database.
	deadline := time.Now().Add(3 * time.Minute)
	for {
		_, dbv := w.dbText(w.doc)
		done := true
		for _, c := range clients {
			_, v := c.state()
			if !c.idle() || v != dbv {
				done = false
			}
		}
		if done {
			time.Sleep(100 * time.Millisecond)
			if _, v2 := w.dbText(w.doc); v2 == dbv {
				break
			}
		}
		if time.Now().After(deadline) {
			for _, c := range clients {
				_, v := c.state()
				t.Logf("%s: v%d idle=%v", c.name, v, c.idle())
			}
			t.Fatalf("clients did not converge; database at v%d", dbv)
		}
		time.Sleep(30 * time.Millisecond)
	}
	stop()
	wg.Wait()
	checkConverged(t, w, sc.instances[len(sc.instances)-1].svc, clients)
	return clients
}

func checkConverged(t *testing.T, w *world, log domain.OpLogService, clients []*otClient) {
	t.Helper()
	text, v := w.dbText(w.doc)
	snap, sv, err := log.Snapshot(context.Background(), w.doc)
	if err != nil || snap != text || sv != v {
		t.Fatalf("snapshot (v%d, %v) differs from the document's row (v%d)", sv, err, v)
	}
	for _, c := range clients {
		if doc, cv := c.state(); doc != text || cv != v {
			t.Errorf("%s ends at v%d with %q; database v%d has %q", c.name, cv, doc, v, text)
		}
	}
	ops := w.committed(log, w.doc)
	if int64(len(ops)) != v {
		t.Fatalf("log has %d ops, the document is at v%d", len(ops), v)
	}
	type key struct {
		client string
		seq    int64
	}
	inLog := map[key]int64{}
	for i, op := range ops {
		if op.Version != int64(i) {
			t.Fatalf("log op %d has version %d", i, op.Version)
		}
		k := key{op.ClientID, op.Seq}
		if _, dup := inLog[k]; dup {
			t.Errorf("op %s/%d is in the log twice", k.client, k.seq)
		}
		inLog[k] = op.Version
	}
	acked, connects := 0, 0
	for _, c := range clients {
		connects += c.connects
		for seq, av := range c.acked {
			acked++
			lv, ok := inLog[key{c.id, seq}]
			if !ok || lv != av {
				t.Errorf("%s: seq %d acked at v%d, log has it at v%d (present %v)", c.name, seq, av, lv, ok)
			}
		}
	}
	if acked != len(ops) {
		t.Errorf("%d ops acknowledged, %d in the log: something unacknowledged was committed", acked, len(ops))
	}
	if acked == 0 {
		t.Fatal("no op was acknowledged")
	}
	t.Logf("%d clients (%d connections) converged at v%d, %d ops acknowledged once each", len(clients), connects, v, acked)
}

func TestConvergenceTwoInstancesMemoryBroker(t *testing.T) {
	eachDocKind(t, func(t *testing.T, w *world) {
		mem := realtime.NewMemoryBroker()
		a := w.start(testConfig("a"), &lossyBroker{Broker: mem.View(), rng: rand.New(rand.NewPCG(1, 2))})
		b := w.start(testConfig("b"), &lossyBroker{Broker: mem.View(), rng: rand.New(rand.NewPCG(3, 4))})
		converge(t, w, scenario{clients: 16, edits: 25, every: 8 * time.Millisecond, cuts: 6, instances: []*instance{a, b}})
		if got := a.metric(t, "strategieraum_ws_gap_ops_repaired_total") + b.metric(t, "strategieraum_ws_gap_ops_repaired_total"); got == 0 {
			t.Error("the lossy broker lost ops, yet no gap was repaired from the log")
		}
	})
}

func TestConvergenceTwoInstancesRedis(t *testing.T) {
	url := redisURL(t)
	eachDocKind(t, func(t *testing.T, w *world) {
		prefix := testPrefix(t)
		a := w.start(testConfig("a"), newRedisBroker(t, url, prefix))
		b := w.start(testConfig("b"), newRedisBroker(t, url, prefix))
		converge(t, w, scenario{clients: 16, edits: 25, every: 8 * time.Millisecond, cuts: 6, instances: []*instance{a, b}})
	})
}

// Redis goes away while the instances run and clients type, and comes back.
// It is stopped once every client has opened the section and before anyone
// types, and restarted only once an op has been repaired from the log, so
// the outage always covers committed ops, however fast or slow the machine.
func TestConvergenceAcrossRedisRestart(t *testing.T) {
	srv := startRedisServer(t)
	eachDocKind(t, func(t *testing.T, w *world) {
		prefix := testPrefix(t)
		a := w.start(testConfig("a"), newRedisBroker(t, srv.url(), prefix))
		b := w.start(testConfig("b"), newRedisBroker(t, srv.url(), prefix))
		repaired := func() float64 {
			return a.metric(t, "strategieraum_ws_gap_ops_repaired_total") + b.metric(t, "strategieraum_ws_gap_ops_repaired_total")
		}
		converge(t, w, scenario{clients: 16, edits: 40, every: 10 * time.Millisecond, cuts: 2, instances: []*instance{a, b},
			beforeTyping: srv.stop,
			during: func(ctx context.Context) {
				// Each instance commits its own clients' ops; with Redis down
				// the other one can only take them from the log.
				waitUntil(t, "an op repaired from the log while Redis is down", func() bool { return repaired() > 0 })
				srv.start()
			}})
	})
}

func TestConvergenceWhenAnInstanceDies(t *testing.T) {
	eachDocKind(t, func(t *testing.T, w *world) {
		mem := realtime.NewMemoryBroker()
		a := w.start(testConfig("a"), mem.View())
		b := w.start(testConfig("b"), mem.View())
		converge(t, w, scenario{clients: 16, edits: 40, every: 10 * time.Millisecond, instances: []*instance{a, b},
			during: func(ctx context.Context) {
				time.Sleep(250 * time.Millisecond)
				a.kill() // its clients move to b and resubmit what was in flight
			}})
	})
}

// dropOps loses every op message between instances.
type dropOps struct{ realtime.Broker }

func (b dropOps) Publish(ctx context.Context, m *realtime.Message) error {
	if m.Kind == realtime.KindOp {
		return nil
	}
	return b.Broker.Publish(ctx, m)
}

// With no op ever crossing the broker there is no gap to notice either;
// the idle check against the log still delivers every op, in order.
func TestLostLastMessageIsRepaired(t *testing.T) {
	w := newWorldSQLite(t)
	mem := realtime.NewMemoryBroker()
	a := w.start(testConfig("a"), dropOps{mem.View()})
	b := w.start(testConfig("b"), dropOps{mem.View()})
	editor, reader := dialRaw(t, a, w.editors[0].ID), dialRaw(t, b, w.reader.ID)
	editor.open(w.section)
	reader.open(w.section)
	for i := range int64(3) {
		editor.submit(w.section, i, []any{"x"}, "ed", i+1)
	}
	for want := int64(0); want < 3; {
		for _, op := range opsOf(reader.next("op", "ops")) {
			if op.V != want || op.Client != "ed" {
				t.Fatalf("reader got v%d from %q, want v%d", op.V, op.Client, want)
			}
			want++
		}
	}
	if got := b.metric(t, "strategieraum_ws_gap_ops_repaired_total"); got != 3 {
		t.Fatalf("%v ops repaired on b, want 3", got)
	}
}
