package realtime_test

import (
	"bufio"
	"crypto/rand"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
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
	frame := []byte{0x81, 0x80 | byte(len(ping))}
	var mask [4]byte
	rand.Read(mask[:])
	frame = append(frame, mask[:]...)
	for i, x := range ping {
		frame = append(frame, x^mask[i%4])
	}
	req := "GET /api/ws?as=" + itoa(w.editors[0].ID) + " HTTP/1.1\r\nHost: " + addr + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
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
