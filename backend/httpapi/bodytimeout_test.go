package httpapi_test

import (
	"bufio"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/httpapi"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// TestSlowBodyIsCutOff: a client that sends its headers and then trickles
// (here: stops sending) its body does not hold the connection open.
func TestSlowBodyIsCutOff(t *testing.T) {
	f := newFixture(t, storetest.Open(t), options{cfg: httpapi.Config{BodyReadTimeout: 200 * time.Millisecond}})
	conn, err := net.Dial("tcp", strings.TrimPrefix(f.srv.URL, "http://"))
	must(t, err)
	defer conn.Close()
	_, err = conn.Write([]byte("POST /api/session HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n" +
		"Content-Length: 100\r\n\r\n{\"email\":"))
	must(t, err)
	// Generous: the server's deadline is what must end the wait, this one
	// only keeps a failing test from hanging.
	must(t, conn.SetReadDeadline(time.Now().Add(30*time.Second)))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			t.Fatal("the server still waits for the body")
		}
		return // the server closed the connection: cut off
	}
	resp.Body.Close()
	if resp.StatusCode < 400 {
		t.Fatalf("status %d for a body that never arrived", resp.StatusCode)
	}
}
