package realtime_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// rawConn speaks the protocol frame by frame, for tests of single frames.
type rawConn struct {
	t  *testing.T
	ws *websocket.Conn
}

func dialRaw(t *testing.T, in *instance, user int64) *rawConn {
	return dialRawWith(t, in, user, nil)
}

func dialRawWith(t *testing.T, in *instance, user int64, client *http.Client) *rawConn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, in.wsURL(user), &websocket.DialOptions{HTTPClient: client})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	ws.SetReadLimit(64 << 20)
	t.Cleanup(func() { ws.CloseNow() })
	r := &rawConn{t: t, ws: ws}
	// The handshake completes before the hub has registered the
	// connection; a pong comes from its read loop, which starts after that.
	// Without this round trip, an event published right after dialling may
	// miss the connection.
	r.send(map[string]string{"t": "ping"})
	r.next("pong")
	return r
}

// smallBufferClient dials with a tiny socket receive buffer, so that a
// client that stops reading pushes back on the server quickly.
func smallBufferClient() *http.Client {
	return &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if err == nil {
			c.(*net.TCPConn).SetReadBuffer(32 << 10)
		}
		return c, err
	}}}
}

func (r *rawConn) send(v any) {
	r.t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		r.t.Fatal(err)
	}
	r.sendRaw(websocket.MessageText, b)
}

func (r *rawConn) sendRaw(typ websocket.MessageType, b []byte) {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := r.ws.Write(ctx, typ, b); err != nil {
		r.t.Fatalf("write: %v", err)
	}
}

// next returns the next frame of one of the given types, skipping others.
func (r *rawConn) next(types ...string) *frame {
	r.t.Helper()
	f, err := r.nextErr(20*time.Second, types...) // bounds a broken run only
	if err != nil {
		r.t.Fatalf("waiting for %v: %v", types, err)
	}
	return f
}

func (r *rawConn) nextErr(timeout time.Duration, types ...string) (*frame, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	for {
		f, err := readFrame(ctx, r.ws)
		if err != nil {
			return nil, err
		}
		if slices.Contains(types, f.T) {
			return f, nil
		}
	}
}

// expectError reads up to the next error frame and checks its code.
func (r *rawConn) expectError(code string) *frame {
	r.t.Helper()
	f := r.next("error", "ack")
	if f.T != "error" || f.Code != code {
		r.t.Fatalf("want error %s, got %+v", code, f)
	}
	if f.Message == "" {
		r.t.Errorf("error %s has no message", code)
	}
	return f
}

// open opens a section and returns its snapshot.
func (r *rawConn) open(section int64) *frame {
	r.t.Helper()
	r.send(map[string]any{"t": "open", "section": section})
	f := r.next("snapshot", "error")
	if f.T != "snapshot" {
		r.t.Fatalf("open %d: %+v", section, f)
	}
	return f
}

// openDoc opens any document and returns its snapshot.
func (r *rawConn) openDoc(doc domain.DocKey) *frame {
	r.t.Helper()
	r.send(map[string]any{"t": "open", "doc": doc.String()})
	f := r.next("snapshot", "error")
	if f.T != "snapshot" || f.Doc != doc.String() {
		r.t.Fatalf("open %s: %+v", doc, f)
	}
	return f
}

// opDoc sends an op to any document without waiting.
func (r *rawConn) opDoc(doc domain.DocKey, v int64, op any, client string, seq int64) {
	r.send(map[string]any{"t": "op", "doc": doc.String(), "v": v, "op": op, "client": client, "seq": seq})
}

// submitDoc sends an op to any document and waits for its ack.
func (r *rawConn) submitDoc(doc domain.DocKey, v int64, op any, client string, seq int64) *frame {
	r.t.Helper()
	r.opDoc(doc, v, op, client, seq)
	f := r.next("ack", "error")
	if f.T != "ack" || f.Seq != seq {
		r.t.Fatalf("submit seq %d to %s: %+v", seq, doc, f)
	}
	return f
}

// submit sends an op and waits for its ack.
func (r *rawConn) submit(section, v int64, op any, client string, seq int64) *frame {
	r.t.Helper()
	r.send(map[string]any{"t": "op", "section": section, "v": v, "op": op, "client": client, "seq": seq})
	f := r.next("ack", "error")
	if f.T != "ack" || f.Seq != seq {
		r.t.Fatalf("submit seq %d: %+v", seq, f)
	}
	return f
}
