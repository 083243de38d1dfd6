package realtime_test

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/realtime"
)

// A client may send its first frame in the same packet as the handshake;
// the hub answers it.
func TestFrameWithHandshakeIsAnswered(t *testing.T) {
	w := newWorldSQLite(t)
	in := w.start(testConfig("a"), nil)
	addr := strings.TrimPrefix(in.srv.URL, "http://")
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(time.Minute)) // bounds a broken run only
	ping, _ := json.Marshal(map[string]string{"t": "ping"})
	req := upgradeRequest("/api/ws?as="+itoa(w.editors[0].ID), addr)
	frame := realtime.MaskedFrame(0x1, ping)
	if _, err := c.Write(append([]byte(req), frame...)); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("handshake: %v %v", resp, err)
	}
	for { // the hub may ping first
		var h [2]byte
		if _, err := io.ReadFull(br, h[:]); err != nil {
			t.Fatal(err)
		}
		if h[1] >= 126 {
			t.Fatalf("unexpected frame header %x", h)
		}
		p := make([]byte, h[1])
		if _, err := io.ReadFull(br, p); err != nil {
			t.Fatal(err)
		}
		if h[0] == 0x89 { // ping
			continue
		}
		if h[0] != 0x81 || string(p) != `{"t":"pong"}` {
			t.Fatalf("answer to a ping sent with the handshake: %x %s", h[0], p)
		}
		return
	}
}
