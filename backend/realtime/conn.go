package realtime

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// maxOpsPerFrame bounds how many ops one coalesced "ops" frame carries.
const maxOpsPerFrame = 256

// outItem is one queued outgoing frame. Items with entries are committed
// ops and are coalesced with their neighbours of the same document. Both
// slices may be shared with other connections and are never written to.
type outItem struct {
	doc     domain.DocKey
	entries [][]byte // op entries (opEntry), or nil
	frame   []byte   // the complete frame, or nil to build it from entries
}

// conn is one websocket connection. The read loop runs in a goroutine of
// its own (readLoop); a writer goroutine exists only while frames are
// queued, so an idle connection costs one goroutine.
type conn struct {
	hub    *Hub
	ws     *websocket.Conn
	userID int64
	id     string
	self   Presence // the identity part of this connection's presence
	access access   // the credential and current rights (access.go)

	subs map[domain.DocKey]*sub // open documents; written by the read loop only

	writeSince atomic.Int64 // unix ns when the current write began; 0 if none

	mu      sync.Mutex
	queue   []outItem
	writing bool
	closing bool // no more frames are queued; those queued are still sent
	closed  bool

	tokens   float64 // rate limit bucket, read loop only
	lastFill time.Time
	denied   int // frames refused in a row
}

func (h *Hub) serveWS(w http.ResponseWriter, r *http.Request) {
	end, handedOff := domain.ConnectionEnd(r.Context()), false
	defer func() {
		if !handedOff {
			end()
		}
	}()
	u := domain.UserFromContext(r.Context())
	if u == nil {
		http.Error(w, "Bitte melden Sie sich an.", http.StatusUnauthorized)
		return
	}
	ws, err := websocket.Accept(smallBuffers{w}, r, &websocket.AcceptOptions{
		OriginPatterns:  h.cfg.OriginPatterns,
		CompressionMode: websocket.CompressionDisabled,
	})
	if err != nil {
		return // Accept has answered the request
	}
	ws.SetReadLimit(h.cfg.MaxFrameBytes)
	c := &conn{
		hub: h, ws: ws, userID: u.ID, subs: map[domain.DocKey]*sub{},
		id:     h.cfg.Instance + "." + strconv.FormatInt(h.connSeq.Add(1), 36),
		tokens: float64(h.cfg.RateBurst), lastFill: time.Now(),
	}
	c.access.init(u, domain.CredentialFromContext(r.Context()))
	c.self = Presence{Conn: c.id, User: u.ID, Name: u.Name, Org: u.Org.Code, Color: ColorFor(u.ID), Ranges: [][2]int{}}
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		ws.Close(websocket.StatusGoingAway, "Server wird neu gestartet")
		return
	}
	h.conns[c] = struct{}{}
	h.mu.Unlock()
	h.metrics.connections.Inc()
	handedOff = true
	// The connection is hijacked, so the handler may return: the read loop
	// runs on a fresh goroutine whose stack is not grown by the HTTP server's
	// frames, and the request's memory is freed. That keeps an idle
	// connection small.
	go c.readLoop(end)
}

// readLoop reads and handles the client's frames until the connection
// ends, then cleans up and calls end. After a frame that did real work
// (open, op, cursor, close: database queries, JSON) the loop goes on in a
// fresh goroutine and this one ends: the stack that work has grown is
// freed at once rather than kept while the connection waits for its next
// frame, which is most of the time. A new goroutine costs far less than
// the frame's work.
func (c *conn) readLoop(end func()) {
	for {
		more, worked := c.readFrame(context.Background())
		if !more {
			c.cleanup()
			h := c.hub
			h.mu.Lock()
			delete(h.conns, c)
			h.mu.Unlock()
			h.metrics.connections.Dec()
			end()
			return
		}
		if worked {
			go c.readLoop(end)
			return
		}
	}
}

// readFrame reads and handles one frame. It reports whether the
// connection goes on and whether the frame was handled beyond a ping or a
// refusal.
func (c *conn) readFrame(ctx context.Context) (more, worked bool) {
	typ, data, err := c.ws.Read(ctx)
	if err != nil {
		return false, false // closed, timed out or too large (Read has sent 1009)
	}
	c.hub.metrics.framesIn.Inc()
	if c.access.revoked.Load() {
		return true, false // closing: nothing more is handled
	}
	if !c.allow() {
		if c.denied > c.hub.cfg.RateBurst {
			c.closeSync(websocket.StatusPolicyViolation, "Zu viele Nachrichten")
			return false, false
		}
		if c.denied == 1 {
			c.sendError(&frameError{code: CodeRateLimited, message: "Zu viele Nachrichten – bitte langsamer senden."})
		}
		return true, false
	}
	if typ != websocket.MessageText {
		c.sendError(badRequest("Nur Textnachrichten (JSON) sind erlaubt."))
		return true, false
	}
	f, ferr := decodeFrame(data)
	if ferr != nil {
		c.sendError(ferr)
		return true, false
	}
	if f.T == typePing {
		c.enqueue(nil, outItem{frame: pongFrame})
		return true, false
	}
	c.access.active.Store(true) // live editing keeps the session alive
	if ferr := c.handle(ctx, f); ferr != nil {
		c.sendError(ferr)
	}
	return true, true
}

// allow takes a token from the connection's bucket.
func (c *conn) allow() bool {
	now := time.Now()
	c.tokens += now.Sub(c.lastFill).Seconds() * c.hub.cfg.RateLimit
	c.lastFill = now
	if max := float64(c.hub.cfg.RateBurst); c.tokens > max {
		c.tokens = max
	}
	if c.tokens < 1 {
		c.denied++
		return false
	}
	c.tokens--
	c.denied = 0
	return true
}

func (c *conn) handle(ctx context.Context, f *inFrame) *frameError {
	var ferr *frameError
	switch f.T {
	case typeOpen:
		ferr = c.open(ctx, f.doc, f.V)
	case typeClose:
		c.closeDoc(f.doc)
	case typeOp:
		ferr = c.submit(ctx, f)
	case typeCursor:
		ferr = c.cursor(ctx, f)
	}
	if ferr != nil {
		ferr.doc, ferr.seq = f.doc, f.Seq
	}
	return ferr
}

func (c *conn) sendError(e *frameError) {
	c.enqueue(nil, outItem{doc: e.doc, frame: errorFrame(e)})
}

// ping checks that the peer is alive; a ping not answered in time drops the
// connection, which ends the read loop.
func (c *conn) ping() {
	ctx, cancel := context.WithTimeout(context.Background(), c.hub.cfg.PongTimeout)
	defer cancel()
	if err := c.ws.Ping(ctx); err != nil {
		c.ws.CloseNow()
	}
}

// closeWith sends what is queued (such as the error frame that explains
// the close), then closes with code. It never waits for the peer.
func (c *conn) closeWith(code websocket.StatusCode, reason string) {
	go c.closeSync(code, reason)
}

// closeSync is closeWith for the read loop, which must not end (and clean
// up) before the close frame is out.
func (c *conn) closeSync(code websocket.StatusCode, reason string) {
	c.mu.Lock()
	c.closing = true
	c.mu.Unlock()
	for deadline := time.Now().Add(time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		c.mu.Lock()
		busy := c.writing
		c.mu.Unlock()
		if !busy {
			break
		}
	}
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.ws.Close(code, reason)
}

// cleanup leaves every open document when the read loop has ended.
func (c *conn) cleanup() {
	for id := range c.subs {
		c.closeDoc(id)
	}
	c.mu.Lock()
	c.closed = true
	c.queue = nil
	c.mu.Unlock()
	c.ws.CloseNow()
}
