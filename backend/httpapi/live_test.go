package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/coder/websocket"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// TestWebsocketThroughMiddleware upgrades a real connection through the
// whole middleware chain and checks the live handler sees the user.
func TestWebsocketThroughMiddleware(t *testing.T) {
	live := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer conn.CloseNow()
		_ = conn.Write(r.Context(), websocket.MessageText, []byte(domain.UserFromContext(r.Context()).Name))
		conn.Close(websocket.StatusNormalClosure, "")
	})
	f := newFixture(t, storetest.Open(t), options{live: live})
	url := "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/api/ws"

	conn, _, err := websocket.Dial(t.Context(), url, &websocket.DialOptions{
		HTTPHeader: http.Header{"Authorization": {"Bearer " + f.tokens["land"]}},
	})
	must(t, err)
	defer conn.CloseNow()
	_, msg, err := conn.Read(t.Context())
	must(t, err)
	if string(msg) != "Test land" {
		t.Errorf("live handler saw %q", msg)
	}

	_, resp, err := websocket.Dial(t.Context(), url, nil)
	if err == nil || resp == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("anonymous handshake: %v %v", resp, err)
	}
	_, resp, err = websocket.Dial(t.Context(), url, &websocket.DialOptions{
		HTTPHeader: http.Header{"Origin": {"https://evil.example"}, "Cookie": {"x=y"}},
	})
	if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin handshake: %v %v", resp, err)
	}
}
