package httpapi_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
	"github.com/strategieraum/strategieraum/backend/testclock"
)

// TestDatabaseOutage cuts the connection to PostgreSQL while an editor is
// connected: REST requests and new handshakes are answered 503 with the
// German problem detail, an op sent meanwhile is answered "unavailable" and
// nothing is committed; once the database is back, the same op (same client
// and seq) is committed exactly once. The outage is logged once, not once
// per failed statement.
func TestDatabaseOutage(t *testing.T) {
	url, outage := storetest.PostgresOutage(t)
	logs := &syncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	db := storetest.OpenURL(t, url, logger)
	clk := testclock.New(time.Now().UTC())
	hub := startHub(t, db, nil, liveConfig("a"), clk.Now)
	f := newFixture(t, db, options{live: hub.Handler(), access: hub, clock: clk, logger: logger})
	section := f.sections[0].ID

	c := f.client()
	wantStatus(t, f.login(c, f.users["themenpate"].Email, testPassword), 200)
	lc := dialLive(t, f.srv.URL, c, "")
	v := lc.open(section)
	if a := lc.edit(section, v); a["t"] != "ack" {
		t.Fatalf("edit before the outage: %v", a)
	}
	v++

	outage.Down()
	for range 10 {
		r := f.do(c, "GET", "/api/strategies", "", "")
		wantStatus(t, r, http.StatusServiceUnavailable)
		if p := r.problem(t); p["code"] != "unavailable" || p["detail"] != store.UnavailableMessage {
			t.Fatalf("problem during the outage: %v", p)
		}
	}
	_, resp, err := websocket.Dial(context.Background(), "ws"+strings.TrimPrefix(f.srv.URL, "http")+"/api/ws",
		&websocket.DialOptions{HTTPClient: c})
	if err == nil || resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("handshake during the outage: %v %v", resp, err)
	}
	op := fmt.Sprintf(`{"t":"op","section":%d,"v":%d,"op":["y"],"client":"c","seq":2}`, section, v)
	lc.send(op)
	answer := lc.waitFor("answer to the op", func(f map[string]any) bool { return f["seq"] == float64(2) })
	if answer["t"] != "error" || answer["code"] != "unavailable" {
		t.Fatalf("op during the outage: %v", answer)
	}

	outage.Up()
	// The client sends the op again, unchanged, until it is acknowledged.
	acked := false
	for deadline := time.Now().Add(30 * time.Second); !acked && time.Now().Before(deadline); {
		lc.send(op)
		a := lc.waitFor("answer to the op", func(f map[string]any) bool { return f["seq"] == float64(2) })
		acked = a["t"] == "ack"
		if !acked {
			if a["code"] != "unavailable" {
				t.Fatalf("op after the outage: %v", a)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	if !acked {
		t.Fatal("the op was not committed after the database came back")
	}
	ops, err := f.oplog.OpsSince(context.Background(), domain.SectionDoc(section), 0, 100)
	must(t, err)
	n := 0
	for _, o := range ops {
		if o.ClientID == "c" && o.Seq == 2 {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("the op was committed %d times", n)
	}
	if text, _ := sectionText(t, f, section); strings.Count(text, "y") != 1 {
		t.Fatalf("text after the outage: %q", text)
	}
	if lines := strings.Count(logs.String(), "level=ERROR"); lines > 2 {
		t.Errorf("%d error lines for one outage:\n%s", lines, logs.String())
	}
	if !strings.Contains(logs.String(), "database unreachable") {
		t.Errorf("the outage was not logged:\n%s", logs.String())
	}
}
