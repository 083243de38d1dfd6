package realtime

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/singleflight"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// Deps are the services a Hub uses. OpLog and Strategies are required.
type Deps struct {
	OpLog      domain.OpLogService
	Strategies domain.StrategyService
	// Statements, if set, serves the rights on statements' live texts;
	// without it statement documents are not found.
	Statements StatementFinder
	Broker     Broker                // nil: a private MemoryBroker
	Logger     *slog.Logger          // nil: slog.Default()
	Metrics    prometheus.Registerer // nil: metrics are kept but not registered
	// Observe, if set, is called with every op a room delivers, local or
	// remote, in version order per document, under the room's lock: it must
	// be quick (collab.Service.Observe).
	Observe func(op *domain.CommittedOp)
	// Sessions and Users let the hub re-check each connection's session or
	// API token and account while it is open (access.go); without them a
	// connection keeps the user of its handshake.
	Sessions domain.SessionService
	Users    domain.UserService
	// Audit, if set, records refused live edits (access.go).
	Audit domain.AuditService
	// Now is the clock for session expiry and audit entries; nil: time.Now.
	Now func() time.Time
}

// Hub serves the live channel of one instance: it owns the connections,
// one room per open document, and the link to the broker.
type Hub struct {
	cfg     HubConfig
	deps    Deps
	log     *slog.Logger
	metrics *metrics

	mu     sync.Mutex
	rooms  map[domain.DocKey]*room
	conns  map[*conn]struct{}
	closed bool

	pubq      chan *Message // to the broker, never blocking the committer
	presenceq chan struct{} // wakes the presence loop
	presMu    sync.Mutex
	presWork  map[domain.DocKey]int // document → presence work flags
	connSeq   atomic.Int64
	resMu     sync.Mutex
	resources map[domain.DocKey]cachedResource // document → document and strategy, see resource
	resLoads  singleflight.Group               // loads of resources under way, by document key
	fwd       *forwarder
	sweeping  atomic.Bool // an access check of every connection is running
	auditMu   sync.Mutex
	audited   map[int64]auditMark // user → last audited refusal
	ctx       context.Context
	cancel    context.CancelFunc
	done      chan struct{}
}

// NewHub returns a hub; call Run to start it and Close to stop it.
func NewHub(cfg HubConfig, deps Deps) *Hub {
	cfg.defaults()
	if deps.Broker == nil {
		deps.Broker = NewMemoryBroker()
	}
	if deps.Logger == nil {
		deps.Logger = slog.Default()
	}
	ctx, cancel := context.WithCancel(context.Background())
	h := &Hub{
		cfg: cfg, deps: deps, log: deps.Logger.With("component", "realtime", "instance", cfg.Instance),
		metrics: newMetrics(deps.Metrics),
		rooms:   map[domain.DocKey]*room{}, conns: map[*conn]struct{}{},
		pubq: make(chan *Message, 8192), presenceq: make(chan struct{}, 1), presWork: map[domain.DocKey]int{},
		resources: map[domain.DocKey]cachedResource{}, fwd: newForwarder(cfg.CommitterWindow), audited: map[int64]auditMark{},
		ctx: ctx, cancel: cancel, done: make(chan struct{}),
	}
	return h
}

// Instance returns this hub's instance name.
func (h *Hub) Instance() string { return h.cfg.Instance }

// Committed takes an op this instance has just committed; wire it to the op
// log's commit hook (collab.Service.OnCommit), which calls it in version
// order per document. The op is delivered to local connections at once and
// published to the other instances. It never blocks: if the broker falls
// behind, the message is dropped and the receivers repair from the log.
func (h *Hub) Committed(op *domain.CommittedOp) {
	// Only an instance that has the document open receives forwarded
	// submits for it, so only such an instance offers to commit them.
	serves := h.findRoom(op.Doc) != nil
	if serves {
		h.fwd.seen(op.Doc, h.cfg.Instance, time.Now())
	}
	h.deliverOp(op)
	h.publish(&Message{Kind: KindOp, Doc: op.Doc, Instance: h.cfg.Instance, Serves: serves, Op: op})
}

// Run drives the broker subscription, publishing, presence, gap repair and
// keepalive until ctx ends or Close is called. It returns nil after Close.
func (h *Hub) Run(ctx context.Context) error {
	defer close(h.done)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-h.ctx.Done():
		case <-ctx.Done():
		}
		cancel()
	}()
	h.subscribeNotifications(ctx)
	var wg sync.WaitGroup
	errc := make(chan error, 1)
	wg.Add(2 + publishers)
	go func() {
		defer wg.Done()
		if err := h.deps.Broker.Run(ctx, h.fromBroker); err != nil && ctx.Err() == nil {
			errc <- err
			cancel()
		}
	}()
	for range publishers {
		go func() { defer wg.Done(); h.publishLoop(ctx) }()
	}
	go func() { defer wg.Done(); h.presenceLoop(ctx) }()
	h.tickLoop(ctx)
	wg.Wait()
	select {
	case err := <-errc:
		return err
	default:
	}
	if h.ctx.Err() != nil {
		return nil
	}
	return ctx.Err()
}

// Close disconnects every client with "going away" and stops Run.
func (h *Hub) Close() {
	h.mu.Lock()
	h.closed = true
	conns := make([]*conn, 0, len(h.conns))
	for c := range h.conns {
		conns = append(conns, c)
	}
	h.mu.Unlock()
	for _, c := range conns {
		c.closeWith(websocket.StatusGoingAway, "Server wird neu gestartet")
	}
	// Withdraw this instance's presence now rather than after its ttl.
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	// Tell the others to stop forwarding submits here (forward.go).
	for _, r := range h.roomList() {
		if h.deps.Broker.SetPresence(ctx, h.cfg.Instance, r.id.String(), nil, 0) == nil {
			_ = h.deps.Broker.Publish(ctx, &Message{Kind: KindPresence, Doc: r.id, Instance: h.cfg.Instance})
		}
		_ = h.deps.Broker.Publish(ctx, &Message{Kind: KindLeaving, Doc: r.id, Instance: h.cfg.Instance})
	}
	h.cancel()
}

// Handler returns the websocket endpoint. The request context must carry the
// authenticated user (domain.WithUser); without one it answers 401.
func (h *Hub) Handler() http.Handler {
	return http.HandlerFunc(h.serveWS)
}

// publishers is how many goroutines publish to the broker at once. With
// one, every op of a busy document waits for the broker round trips of the
// ops before it, and the other instances wait for it in turn; the broker
// does not promise order anyway, and rooms put ops back in order.
const publishers = 4

func (h *Hub) publishLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case m := <-h.pubq:
			pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			if err := h.deps.Broker.Publish(pctx, m); err != nil {
				h.metrics.brokerDropped.Inc()
				h.log.Debug("publish failed", "doc", m.Doc, "err", err)
			}
			cancel()
		}
	}
}

// fromBroker handles a message from any instance, this one included.
func (h *Hub) fromBroker(m *Message) {
	switch m.Kind {
	case KindOp:
		if m.Op != nil && m.Op.Doc == m.Doc {
			if m.Serves {
				h.fwd.seen(m.Doc, m.Instance, time.Now())
			}
			h.deliverOp(m.Op)
		}
	case KindSubmit:
		if m.To == h.cfg.Instance && m.Submit != nil {
			h.serveForwarded(m)
		}
	case KindSubmitted:
		if m.To == h.cfg.Instance && m.Outcome != nil {
			h.submitted(m)
		}
	case KindLeaving:
		if m.Instance != h.cfg.Instance {
			h.fwd.gone(m.Doc, m.Instance)
		}
	case KindCursor:
		if m.Instance != h.cfg.Instance && m.Cursor != nil {
			if r := h.findRoom(m.Doc); r != nil {
				r.remoteCursor(m.Cursor)
			}
		}
	case KindPresence:
		if m.Instance != h.cfg.Instance {
			h.presenceChanged(m.Doc, false)
		}
	case KindThreads:
		h.deliverThreads(m)
	case KindNotify:
		h.deliverNotification(m)
	case KindStatement:
		h.deliverStatement(m)
	case KindBeschluss:
		h.deliverBeschluss(m)
	case KindAccess:
		if m.Instance != h.cfg.Instance && m.User != 0 {
			go h.recheck(h.connsWhere(func(c *conn) bool { return c.userID == m.User }))
		}
	case KindResync:
		if r := h.findRoom(m.Doc); r != nil {
			r.mu.Lock()
			r.checkAt = time.Time{} // compare with the log on the next tick
			r.mu.Unlock()
			h.presenceChanged(m.Doc, true)
		}
	}
}

func (h *Hub) deliverOp(op *domain.CommittedOp) {
	if r := h.findRoom(op.Doc); r != nil {
		r.mu.Lock()
		r.offer(op, false)
		r.mu.Unlock()
	}
}

func (h *Hub) findRoom(doc domain.DocKey) *room {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.rooms[doc]
}

// tickLoop runs the periodic work: gap repair and idle checks, heartbeats of
// presence, keepalive pings and removal of empty rooms.
func (h *Hub) tickLoop(ctx context.Context) {
	tick := time.NewTicker(h.cfg.GapWait / 2)
	defer tick.Stop()
	var lastBeat, lastPing time.Time
	lastSweep := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-tick.C:
			beat := now.Sub(lastBeat) >= h.cfg.PresenceBeat
			if beat {
				lastBeat = now
				h.fwd.sweep(now)
				h.checkExpiries(h.now())
			}
			if now.Sub(lastSweep) >= h.cfg.AccessCheck {
				lastSweep = now
				go h.sweepAccess()
			}
			h.checkWrites(now)
			for _, r := range h.roomList() {
				r.tick(ctx, now)
				if beat {
					h.presenceChanged(r.id, true)
				}
			}
			if now.Sub(lastPing) >= h.cfg.PingInterval {
				lastPing = now
				h.pingAll()
			}
		}
	}
}

func (h *Hub) roomList() []*room {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]*room, 0, len(h.rooms))
	for _, r := range h.rooms {
		out = append(out, r)
	}
	return out
}

func (h *Hub) pingAll() {
	h.mu.Lock()
	conns := make([]*conn, 0, len(h.conns))
	for c := range h.conns {
		conns = append(conns, c)
	}
	h.mu.Unlock()
	for _, c := range conns {
		go c.ping()
	}
}

// acquireRoom returns the room of document with a reference held, creating
// it and subscribing to the broker if needed. releaseRoom drops the
// reference and removes an unused room.
func (h *Hub) acquireRoom(ctx context.Context, doc domain.DocKey) (*room, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, domain.Errorf(domain.EUNAVAILABLE, "Der Server wird beendet.")
	}
	r := h.rooms[doc]
	if r == nil {
		// A broker that is down must not keep anyone from editing: the
		// database is the source of truth, the broker remembers the
		// subscription and renews it on reconnect, and until then the idle
		// check brings the room's ops from the log.
		if err := h.deps.Broker.Subscribe(ctx, doc.String()); err != nil {
			h.log.Warn("broker subscribe failed; serving from the log until it recovers", "doc", doc, "err", err)
		}
		r = newRoom(h, doc)
		h.rooms[doc] = r
	}
	r.refs++
	return r, nil
}

func (h *Hub) releaseRoom(r *room) {
	h.mu.Lock()
	defer h.mu.Unlock()
	r.refs--
	if r.refs > 0 || h.rooms[r.id] != r {
		return
	}
	delete(h.rooms, r.id)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := h.deps.Broker.Unsubscribe(ctx, r.id.String()); err != nil {
		h.log.Warn("unsubscribe failed", "doc", r.id, "err", err)
	}
}

func randomID(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	return hex.EncodeToString(b)
}
