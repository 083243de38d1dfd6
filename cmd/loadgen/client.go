package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/strategieraum/strategieraum/backend/ot"
)

// client is one websocket client. Editors run the usual OT client state
// machine (one op in flight, later edits buffered); the others only read.
type client struct {
	cfg    *config
	stats  *stats
	url    string
	id     string
	editor bool
	ws     *websocket.Conn
	ending atomic.Bool // set before loadgen closes the connection itself

	mu       sync.Mutex
	doc      string
	v        int64
	inflight ot.Op
	inSeq    int64
	buffer   ot.Op
	seq      int64
}

// serverFrame holds the fields of server frames that loadgen looks at.
type serverFrame struct {
	T      string          `json:"t"`
	V      int64           `json:"v"`
	Op     json.RawMessage `json:"op"`
	Ops    []serverFrame   `json:"ops"`
	Client string          `json:"client"`
	Seq    int64           `json:"seq"`
	Text   string          `json:"text"`
	Code   string          `json:"code"`
}

func (c *client) connect(ctx context.Context) error {
	wsURL := "ws" + strings.TrimPrefix(c.url, "http") + "/api/ws"
	dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	ws, _, err := websocket.Dial(dctx, wsURL, &websocket.DialOptions{
		HTTPHeader: http.Header{"Authorization": {"Bearer " + c.cfg.token}},
	})
	if err != nil {
		return err
	}
	ws.SetReadLimit(8 << 20)
	if err := c.write(ctx, ws, map[string]any{"t": "open", "section": c.cfg.section}); err != nil {
		ws.CloseNow()
		return err
	}
	for {
		f, err := read(dctx, ws)
		if err != nil {
			ws.CloseNow()
			return err
		}
		switch f.T {
		case "snapshot":
			c.doc, c.v, c.ws = f.Text, f.V, ws
			return nil
		case "error":
			ws.CloseNow()
			return fmt.Errorf("open: %s", f.Code)
		}
	}
}

func (c *client) write(ctx context.Context, ws *websocket.Conn, v any) error {
	b, _ := json.Marshal(v)
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	return ws.Write(wctx, websocket.MessageText, b)
}

func read(ctx context.Context, ws *websocket.Conn) (*serverFrame, error) {
	_, data, err := ws.Read(ctx)
	if err != nil {
		return nil, err
	}
	var f serverFrame
	return &f, json.Unmarshal(data, &f)
}

func (c *client) close() {
	c.ending.Store(true)
	c.ws.Close(websocket.StatusNormalClosure, "")
}

// run reads until the connection closes; editors also type from start on
// for the configured duration.
func (c *client) run(ctx context.Context, start <-chan struct{}) {
	if c.editor && !c.cfg.idle {
		go c.typeLoop(ctx, start)
	}
	for {
		f, err := read(ctx, c.ws)
		if err != nil {
			if ctx.Err() == nil && !c.ending.Load() {
				c.stats.error("connection lost")
			}
			return
		}
		now := time.Now()
		switch f.T {
		case "op":
			c.remote(f, now)
		case "ops":
			for i := range f.Ops {
				c.remote(&f.Ops[i], now)
			}
		case "ack":
			c.stats.acked(c.id, f.Seq, now)
			c.mu.Lock()
			c.inflight, c.v = nil, f.V+1
			c.mu.Unlock()
			c.flush(ctx)
		case "error":
			c.stats.error("error frame " + f.Code)
		}
	}
}

func (c *client) remote(f *serverFrame, now time.Time) {
	c.stats.delivered(f.Client, f.Seq, now)
	if !c.editor {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	op, err := ot.Parse(f.Op)
	if err != nil || f.V != c.v {
		c.stats.error("op out of order or malformed")
		return
	}
	for _, pending := range []*ot.Op{&c.inflight, &c.buffer} {
		if *pending == nil {
			continue
		}
		p2, e1 := ot.Transform(*pending, op, ot.Left)
		op2, e2 := ot.Transform(op, *pending, ot.Right)
		if e1 != nil || e2 != nil {
			c.stats.error("transform failed")
			return
		}
		*pending, op = p2, op2
	}
	if c.doc, err = ot.Apply(c.doc, op); err != nil {
		c.stats.error("apply failed")
	}
	c.v++
}

// typeLoop types for the configured duration once start is closed.
func (c *client) typeLoop(ctx context.Context, start <-chan struct{}) {
	select {
	case <-ctx.Done():
		return
	case <-start:
	}
	tick := time.NewTicker(time.Duration(float64(time.Second) / c.cfg.rate))
	defer tick.Stop()
	stop := time.After(c.cfg.duration)
	for {
		select {
		case <-ctx.Done():
			return
		case <-stop:
			return
		case <-tick.C:
			c.edit()
			c.flush(ctx)
		}
	}
}

// edit types one character (or deletes one) at a random place.
func (c *client) edit() {
	c.mu.Lock()
	defer c.mu.Unlock()
	runes := []rune(c.doc)
	pos := rand.IntN(len(runes) + 1)
	next := string(runes[:pos]) + "x" + string(runes[pos:])
	if len(runes) > 200 && rand.IntN(2) == 0 {
		next = string(runes[:min(pos, len(runes)-1)]) + string(runes[min(pos, len(runes)-1)+1:])
	}
	op := ot.Diff(c.doc, next)
	c.doc = next
	if c.buffer == nil {
		c.buffer = op
	} else if composed, err := ot.Compose(c.buffer, op); err == nil {
		c.buffer = composed
	}
}

// flush sends the buffer if nothing is in flight.
func (c *client) flush(ctx context.Context) {
	c.mu.Lock()
	if c.inflight != nil || c.buffer == nil {
		c.mu.Unlock()
		return
	}
	c.inflight, c.buffer = c.buffer, nil
	c.seq++
	c.inSeq = c.seq
	msg := map[string]any{"t": "op", "section": c.cfg.section, "v": c.v, "op": c.inflight, "client": c.id, "seq": c.inSeq}
	c.mu.Unlock()
	c.stats.submit(c.id, c.inSeq, time.Now())
	if err := c.write(ctx, c.ws, msg); err != nil && ctx.Err() == nil {
		c.stats.error("write failed")
	}
}
