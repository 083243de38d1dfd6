package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/coder/websocket"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// client is one websocket client. Every client reads every frame. Sampled
// clients decode each frame and record edit→delivery latency; the others
// only look at a frame's first bytes (and editors at its last version), so
// that the load generator stays cheap next to the server it measures.
//
// Editors type without keeping the text: each keystroke inserts "x" at a
// random position within the text length of their snapshot. Nobody deletes,
// so that position is valid at every later version, and the server
// transforms the op from the editor's version as it would a browser's. As in
// a browser, one op is in flight at a time and later keystrokes wait in a
// buffer, sent as one op when the ack comes.
type client struct {
	cfg     *config
	stats   *stats
	url     string
	doc     domain.DocKey // the document this client opens
	id      string
	index   int  // position among the editors, or -1
	sampled bool // decodes frames and records delivery latency
	ws      *websocket.Conn
	ending  atomic.Bool // set before loadgen closes the connection itself
	wake    chan struct{}

	textLen int // runes in the snapshot

	mu       sync.Mutex
	v        int64 // next version expected
	inflight bool
	buffered int // keystrokes waiting
	seq      int64

	ack      []time.Duration // this editor's submit→ack latencies
	delivery []time.Duration // this client's edit→delivery latencies
	errors   map[string]int
}

// serverFrame holds the fields of server frames that sampled clients look at.
type serverFrame struct {
	T      string        `json:"t"`
	V      int64         `json:"v"`
	Ops    []serverFrame `json:"ops"`
	Client string        `json:"client"`
	Seq    int64         `json:"seq"`
	Text   string        `json:"text"`
	Code   string        `json:"code"`
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
	open := fmt.Sprintf(`{"t":"open","doc":%q}`, c.doc)
	if err := c.write(ctx, ws, []byte(open)); err != nil {
		ws.CloseNow()
		return err
	}
	for {
		_, data, err := ws.Read(dctx)
		if err != nil {
			ws.CloseNow()
			return err
		}
		var f serverFrame
		if err := json.Unmarshal(data, &f); err != nil {
			ws.CloseNow()
			return err
		}
		switch f.T {
		case "snapshot":
			c.textLen, c.v, c.ws = utf8.RuneCountInString(f.Text), f.V, ws
			return nil
		case "error":
			ws.CloseNow()
			return fmt.Errorf("open: %s", f.Code)
		}
	}
}

func (c *client) write(ctx context.Context, ws *websocket.Conn, b []byte) error {
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	return ws.Write(wctx, websocket.MessageText, b)
}

func (c *client) close() {
	c.ending.Store(true)
	c.ws.Close(websocket.StatusNormalClosure, "")
}

func (c *client) error(what string) {
	c.mu.Lock()
	if c.errors == nil {
		c.errors = map[string]int{}
	}
	c.errors[what]++
	c.mu.Unlock()
}

var (
	prefixAck   = []byte(`{"t":"ack"`)
	prefixError = []byte(`{"t":"error"`)
	prefixOp    = []byte(`{"t":"op"`) // also matches "ops"
)

// run reads until the connection closes, into one buffer reused for every
// frame. Reads get no context that can end: one that can costs the
// websocket library a timer per frame. An interrupt closes the connection
// instead (see run in main.go).
func (c *client) run(ctx context.Context) {
	var buf bytes.Buffer
	for {
		_, r, err := c.ws.Reader(context.Background())
		if err == nil {
			buf.Reset()
			_, err = buf.ReadFrom(r)
		}
		if err != nil {
			if ctx.Err() == nil && !c.ending.Load() && err != io.EOF {
				c.error("connection lost")
			}
			return
		}
		now := time.Now()
		data := buf.Bytes()
		if c.sampled {
			c.decoded(data, now)
			continue
		}
		switch {
		case bytes.HasPrefix(data, prefixAck):
			c.acked(lastInt(data, `"seq":`), lastInt(data, `"v":`), now)
		case bytes.HasPrefix(data, prefixOp):
			if c.index >= 0 {
				c.advance(lastInt(data, `"v":`))
			}
		case bytes.HasPrefix(data, prefixError):
			var f serverFrame
			_ = json.Unmarshal(data, &f)
			c.error("error frame " + f.Code)
		}
	}
}

// decoded handles a frame at a sampled client: every op is checked to come
// in version order and its delivery latency recorded.
func (c *client) decoded(data []byte, now time.Time) {
	var f serverFrame
	if err := json.Unmarshal(data, &f); err != nil {
		c.error("malformed frame")
		return
	}
	switch f.T {
	case "op":
		c.remote(&f, now)
	case "ops":
		for i := range f.Ops {
			c.remote(&f.Ops[i], now)
		}
	case "ack":
		c.acked(f.Seq, f.V, now)
	case "error":
		c.error("error frame " + f.Code)
	}
}

func (c *client) remote(f *serverFrame, now time.Time) {
	if t, ok := c.stats.sentAt(f.Client, f.Seq); ok {
		c.delivery = append(c.delivery, now.Sub(t))
	}
	c.mu.Lock()
	ok := f.V == c.v
	c.v = f.V + 1
	c.mu.Unlock()
	if !ok {
		c.error("op out of order")
	}
}

// advance moves an editor's version past an op frame whose last op is at v.
func (c *client) advance(v int64) {
	c.mu.Lock()
	c.v = max(c.v, v+1)
	c.mu.Unlock()
}

func (c *client) acked(seq, v int64, now time.Time) {
	if c.index < 0 {
		c.error("ack at a reader")
		return
	}
	if t, ok := c.stats.sentAt(c.id, seq); ok {
		c.ack = append(c.ack, now.Sub(t))
	}
	c.mu.Lock()
	c.inflight = false
	c.v = max(c.v, v+1)
	c.mu.Unlock()
	c.kick()
}

// lastInt returns the integer after the last occurrence of key in a frame.
// Keys are never found inside JSON strings, whose quotes are escaped.
func lastInt(data []byte, key string) int64 {
	i := bytes.LastIndex(data, []byte(key))
	if i < 0 {
		return -1
	}
	rest := data[i+len(key):]
	j := 0
	for j < len(rest) && (rest[j] == '-' || rest[j] >= '0' && rest[j] <= '9') {
		j++
	}
	n, err := strconv.ParseInt(string(rest[:j]), 10, 64)
	if err != nil {
		return -1
	}
	return n
}

// keystroke is called by the typing schedule; the editor's sender sends it.
func (c *client) keystroke() {
	c.mu.Lock()
	c.buffered++
	c.mu.Unlock()
	c.kick()
}

func (c *client) kick() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// sendLoop sends the buffered keystrokes as one op whenever nothing is in
// flight.
func (c *client) sendLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.wake:
		}
		c.mu.Lock()
		if c.inflight || c.buffered == 0 {
			c.mu.Unlock()
			continue
		}
		n := c.buffered
		c.buffered, c.inflight = 0, true
		c.seq++
		seq, v := c.seq, c.v
		c.mu.Unlock()
		op := `["` + strings.Repeat("x", n) + `"]`
		if pos := rand.IntN(c.textLen + 1); pos > 0 {
			op = `[` + strconv.Itoa(pos) + `,"` + strings.Repeat("x", n) + `"]`
		}
		msg := fmt.Sprintf(`{"t":"op","doc":%q,"v":%d,"op":%s,"client":%q,"seq":%d}`, c.doc, v, op, c.id, seq)
		c.stats.submit(c.index, seq, time.Now())
		if err := c.write(ctx, c.ws, []byte(msg)); err != nil && ctx.Err() == nil && !c.ending.Load() {
			c.error("write failed")
		}
	}
}

// typeLoop drives all editors from one ticker: keystrokes are spread evenly,
// editor after editor, so that together they type rate × editors per
// second. A tick that comes late (a busy machine drops ticks) makes up for
// the keystrokes that were due meanwhile.
func typeLoop(ctx context.Context, editors []*client, rate float64, d time.Duration) {
	if len(editors) == 0 {
		return
	}
	perSecond := rate * float64(len(editors))
	tick := time.NewTicker(max(time.Duration(float64(time.Second)/perSecond), time.Millisecond))
	defer tick.Stop()
	start := time.Now()
	stop := time.After(d)
	done, next := 0, 0
	for {
		select {
		case <-ctx.Done():
			return
		case <-stop:
			return
		case now := <-tick.C:
			for due := int(now.Sub(start).Seconds() * perSecond); done < due; done++ {
				editors[next].keystroke()
				next = (next + 1) % len(editors)
			}
		}
	}
}
