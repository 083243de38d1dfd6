package realtime_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/coder/websocket"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/ot"
)

// frame is any server frame as a client sees it.
type frame struct {
	T            string            `json:"t"`
	Doc          string            `json:"doc"`
	Section      int64             `json:"section"`
	V            int64             `json:"v"`
	Op           json.RawMessage   `json:"op"`
	Ops          []frame           `json:"ops"`
	User         int64             `json:"user"`
	Client       string            `json:"client"`
	Seq          int64             `json:"seq"`
	Text         string            `json:"text"`
	Code         string            `json:"code"`
	Message      string            `json:"message"`
	Conn         string            `json:"conn"`
	Ranges       [][2]int          `json:"ranges"`
	Users        []json.RawMessage `json:"users"`
	Presence     []json.RawMessage `json:"presence"`
	Thread       int64             `json:"thread"`
	Event        string            `json:"event"`
	Notification json.RawMessage   `json:"notification"`
	Strategy     int64             `json:"strategy"`
	Org          int64             `json:"org"`
	Beschluss    int64             `json:"beschluss"`
	Revision     int64             `json:"revision"`
	By           string            `json:"by"`
}

// otClient is a collaborative editor as a browser runs it: one op in
// flight, later local edits composed into a buffer, incoming ops
// transformed against both. It reconnects on its own and resubmits the op
// in flight with the same client id and seq.
type otClient struct {
	t    *testing.T
	name string
	user int64
	key  domain.DocKey
	urls func() []string // instances to try, in order
	id   string
	rng  *rand.Rand

	mu       sync.Mutex
	ws       *websocket.Conn
	doc      string
	v        int64
	inflight ot.Op
	inSeq    int64
	buffer   ot.Op
	seq      int64
	acked    map[int64]int64 // seq → committed version
	errs     []string        // error codes received
	resyncs  int
	connects int

	hold <-chan struct{} // if set, no edit is typed before it is closed
}

// connected reports whether the client has opened the section at least once.
func (c *otClient) connected() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.connects > 0
}

func newOTClient(t *testing.T, name string, user int64, doc domain.DocKey, seed uint64, urls func() []string) *otClient {
	return &otClient{t: t, name: name, user: user, key: doc, urls: urls, id: fmt.Sprintf("%s-%d", name, seed),
		rng: rand.New(rand.NewPCG(seed, 7)), v: -1, acked: map[int64]int64{}}
}

func (c *otClient) send(ctx context.Context, ws *websocket.Conn, v any) error {
	b, _ := json.Marshal(v)
	wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	return ws.Write(wctx, websocket.MessageText, b)
}

// connect opens the section on the first instance that answers, with the
// known version if there is one, and resubmits the op in flight once the
// catch-up has been applied.
func (c *otClient) connect(ctx context.Context) (*websocket.Conn, error) {
	var lastErr error
	for _, u := range c.urls() {
		dctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		ws, _, err := websocket.Dial(dctx, u, nil)
		cancel()
		if err != nil {
			lastErr = err
			continue
		}
		ws.SetReadLimit(64 << 20)
		c.mu.Lock()
		open := map[string]any{"t": "open", "doc": c.key.String()}
		if c.v >= 0 {
			open["v"] = c.v
		}
		c.mu.Unlock()
		if err := c.send(ctx, ws, open); err != nil {
			lastErr = err
			continue
		}
		for {
			f, err := readFrame(ctx, ws)
			if err != nil {
				lastErr = err
				break
			}
			if f.T == "presence" || f.T == "cursor" {
				continue
			}
			if f.T == "error" {
				ws.CloseNow()
				return nil, fmt.Errorf("open: %s %s", f.Code, f.Message)
			}
			c.handle(f)
			if f.T == "snapshot" || f.T == "ops" {
				c.mu.Lock()
				c.ws = ws
				c.connects++
				c.mu.Unlock()
				return ws, c.flush(ctx, true)
			}
			lastErr = fmt.Errorf("unexpected %s before the open reply", f.T)
			break
		}
		ws.CloseNow()
	}
	return nil, lastErr
}

func readFrame(ctx context.Context, ws *websocket.Conn) (*frame, error) {
	_, data, err := ws.Read(ctx)
	if err != nil {
		return nil, err
	}
	var f frame
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("server sent invalid JSON %q: %w", data, err)
	}
	return &f, nil
}

// handle applies one server frame to the client state.
func (c *otClient) handle(f *frame) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch f.T {
	case "snapshot":
		if c.inflight != nil || c.buffer != nil {
			c.t.Errorf("%s: snapshot while ops are pending", c.name)
		}
		c.doc, c.v = f.Text, f.V
	case "op":
		c.remote(f)
	case "ops":
		for i := range f.Ops {
			c.remote(&f.Ops[i])
		}
	case "ack":
		c.ack(f.V, f.Seq)
	case "error":
		c.errs = append(c.errs, f.Code)
		if f.Code == "resync" {
			c.resyncs++
		}
	}
}

func (c *otClient) ack(v, seq int64) {
	if c.inflight == nil || seq != c.inSeq {
		if old, ok := c.acked[seq]; !ok || old != v {
			c.t.Errorf("%s: ack v%d seq %d for no op in flight", c.name, v, seq)
		}
		return
	}
	if v != c.v {
		c.t.Errorf("%s: ack at v%d while the client is at v%d: an earlier op was not delivered first", c.name, v, c.v)
	}
	c.acked[seq] = v
	c.inflight = nil
	c.v = v + 1
}

func (c *otClient) remote(f *frame) {
	if f.V != c.v {
		c.t.Errorf("%s: op v%d arrived at v%d", c.name, f.V, c.v)
		return
	}
	if f.Client == c.id && c.inflight != nil && f.Seq == c.inSeq {
		c.ack(f.V, f.Seq) // our own op, committed before this connection knew it
		return
	}
	op, err := ot.Parse(f.Op)
	if err != nil {
		c.t.Errorf("%s: bad op from server: %v", c.name, err)
		return
	}
	if c.inflight != nil {
		in2, e1 := ot.Transform(c.inflight, op, ot.Left)
		op2, e2 := ot.Transform(op, c.inflight, ot.Right)
		if e1 != nil || e2 != nil {
			c.t.Errorf("%s: transform: %v %v", c.name, e1, e2)
			return
		}
		c.inflight, op = in2, op2
	}
	if c.buffer != nil {
		b2, e1 := ot.Transform(c.buffer, op, ot.Left)
		op2, e2 := ot.Transform(op, c.buffer, ot.Right)
		if e1 != nil || e2 != nil {
			c.t.Errorf("%s: transform: %v %v", c.name, e1, e2)
			return
		}
		c.buffer, op = b2, op2
	}
	doc, err := ot.Apply(c.doc, op)
	if err != nil {
		c.t.Errorf("%s: apply remote op: %v", c.name, err)
		return
	}
	c.doc, c.v = doc, c.v+1
}

// edit makes one random local change.
func (c *otClient) edit() {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := utf8.RuneCountInString(c.doc)
	runes := []rune(c.doc)
	pos := c.rng.IntN(n + 1)
	var next string
	if n > 20 && c.rng.IntN(3) == 0 {
		k := min(1+c.rng.IntN(4), n-pos)
		next = string(runes[:pos]) + string(runes[pos+k:])
	} else {
		ins := []string{"a", "ä", "Land ", "😀", "𝄞x", "ß"}[c.rng.IntN(6)]
		next = string(runes[:pos]) + ins + string(runes[pos:])
	}
	op := ot.Diff(c.doc, next)
	if len(op) == 0 {
		return
	}
	c.doc = next
	if c.buffer == nil {
		c.buffer = op
		return
	}
	composed, err := ot.Compose(c.buffer, op)
	if err != nil {
		c.t.Errorf("%s: compose: %v", c.name, err)
		return
	}
	c.buffer = composed
}

// flush sends the buffer when nothing is in flight; with resend it first
// resubmits the op in flight (after a reconnect).
func (c *otClient) flush(ctx context.Context, resend bool) error {
	c.mu.Lock()
	ws := c.ws
	if ws == nil {
		c.mu.Unlock()
		return nil
	}
	if c.inflight == nil && c.buffer != nil {
		c.inflight, c.buffer = c.buffer, nil
		c.seq++
		c.inSeq = c.seq
		resend = true
	}
	if c.inflight == nil || !resend {
		c.mu.Unlock()
		return nil
	}
	msg := map[string]any{"t": "op", "doc": c.key.String(), "v": c.v, "op": c.inflight, "client": c.id, "seq": c.inSeq}
	c.mu.Unlock()
	return c.send(ctx, ws, msg)
}

// released reports whether the client may type.
func (c *otClient) released() bool {
	if c.hold == nil {
		return true
	}
	select {
	case <-c.hold:
		return true
	default:
		return false
	}
}

// idle reports whether nothing is pending.
func (c *otClient) idle() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.inflight == nil && c.buffer == nil
}

func (c *otClient) state() (string, int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.doc, c.v
}

// cut drops the connection without a close handshake.
func (c *otClient) cut() {
	c.mu.Lock()
	ws := c.ws
	c.mu.Unlock()
	if ws != nil {
		ws.CloseNow()
	}
}

// run types edits at random intervals, keeps reading, and reconnects after
// any failure until ctx ends.
func (c *otClient) run(ctx context.Context, edits int, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for ctx.Err() == nil {
		ws, err := c.connect(ctx)
		if err != nil {
			if ctx.Err() == nil && !strings.Contains(err.Error(), "refused") {
				c.t.Logf("%s: connect: %v", c.name, err)
			}
			select {
			case <-ctx.Done():
			case <-time.After(50 * time.Millisecond):
			}
			continue
		}
		frames := make(chan *frame, 64)
		go func() {
			defer close(frames)
			for {
				f, err := readFrame(ctx, ws)
				if err != nil {
					return
				}
				frames <- f
			}
		}()
	loop:
		for {
			select {
			case <-ctx.Done():
				ws.CloseNow()
				return
			case f, ok := <-frames:
				if !ok {
					break loop
				}
				c.handle(f)
			case <-tick.C:
				if edits > 0 && c.released() && c.rng.IntN(2) == 0 {
					edits--
					c.edit()
				}
			}
			if c.flush(ctx, false) != nil {
				break loop
			}
		}
		ws.CloseNow()
		c.mu.Lock()
		c.ws = nil
		c.mu.Unlock()
	}
}
