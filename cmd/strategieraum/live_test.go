package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// login returns a client holding a session of email.
func login(t *testing.T, base, email, password string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	post(t, c, base+"/api/session", `{"email":"`+email+`","password":"`+password+`"}`, http.StatusOK)
	return c
}

func post(t *testing.T, c *http.Client, url, body string, want int) {
	t.Helper()
	resp, err := c.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != want {
		t.Fatalf("POST %s: %s, want %d", url, resp.Status, want)
	}
}

// nextFrame reads frames until one of type typ arrives.
func nextFrame(t *testing.T, ws *websocket.Conn, typ string) map[string]json.RawMessage {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		_, data, err := ws.Read(ctx)
		if err != nil {
			t.Fatalf("waiting for a %q frame: %v", typ, err)
		}
		var f map[string]json.RawMessage
		if err := json.Unmarshal(data, &f); err != nil {
			t.Fatalf("frame %s: %v", data, err)
		}
		if string(f["t"]) == `"`+typ+`"` {
			return f
		}
	}
}

// TestLiveThreadsAndNotifications checks the wiring of the consultation to
// the websocket: a new thread reaches the section's editors as a "threads"
// frame, and a phase change reaches every connected user as a notification.
func TestLiveThreadsAndNotifications(t *testing.T) {
	const pw = "demo-passwort-fuer-tests"
	vars := map[string]string{
		"STRATEGIERAUM_DATABASE_URL":  filepath.Join(t.TempDir(), "live.db"),
		"STRATEGIERAUM_DEMO_PASSWORD": pw,
	}
	base, _ := startServe(t, vars, "--demo")
	land := login(t, base, "beteiligung@by.example", pw)
	ctx := context.Background()
	ws, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(base, "http")+"/api/ws", &websocket.DialOptions{HTTPClient: land})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()
	// Section 6 is "Zielbild: Datennutzung", in consultation.
	if err := ws.Write(ctx, websocket.MessageText, []byte(`{"t":"open","section":6}`)); err != nil {
		t.Fatal(err)
	}
	var snap struct {
		V int64 `json:"v"`
	}
	f := nextFrame(t, ws, "snapshot")
	json.Unmarshal(f["v"], &snap.V)

	post(t, land, base+"/api/sections/6/threads",
		`{"kind":"frage","start":0,"end":14,"version":`+jsonInt(snap.V)+`,"body":"Wer ist gemeint?"}`, http.StatusCreated)
	f = nextFrame(t, ws, "threads")
	if string(f["section"]) != "6" || string(f["event"]) != `"created"` {
		t.Fatalf("threads frame %v", f)
	}

	moderator := login(t, base, "moderation@fitko.example", pw)
	post(t, moderator, base+"/api/strategies/1/phases", `{"kind":"auswertung","title":"Auswertung der Beteiligung"}`, http.StatusCreated)
	f = nextFrame(t, ws, "notification")
	var n struct {
		Kind string `json:"kind"`
		Text string `json:"text"`
	}
	if err := json.Unmarshal(f["notification"], &n); err != nil || n.Kind == "" || n.Text == "" {
		t.Fatalf("notification %s (%v)", f["notification"], err)
	}
}

// --connections-per-user sets the cap on one account's live connections
// (the default is 20).
func TestConnectionsPerUserFlag(t *testing.T) {
	const pw = "demo-passwort-fuer-tests"
	vars := map[string]string{
		"STRATEGIERAUM_DATABASE_URL":  filepath.Join(t.TempDir(), "live.db"),
		"STRATEGIERAUM_DEMO_PASSWORD": pw,
	}
	base, _ := startServe(t, vars, "--demo", "--connections-per-user", "22")
	land := login(t, base, "beteiligung@by.example", pw)
	ctx := context.Background()
	url := "ws" + strings.TrimPrefix(base, "http") + "/api/ws"
	for i := range 23 {
		ws, resp, err := websocket.Dial(ctx, url, &websocket.DialOptions{HTTPClient: land})
		if i < 22 {
			if err != nil {
				t.Fatalf("connection %d refused: %v", i+1, err)
			}
			defer ws.CloseNow()
			continue
		}
		if err == nil {
			ws.CloseNow()
			t.Fatal("a 23rd connection was accepted with --connections-per-user 22")
		}
		if resp == nil || resp.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("23rd connection: %v, want 429", err)
		}
	}
}

func jsonInt(v int64) string { b, _ := json.Marshal(v); return string(b) }

// TestUserCommandClosesLiveConnection disables an account on the command
// line while it has a section open in a running server: the command tells
// the server through Redis, which closes the connection with 4401 well
// before its periodic check (30 s) would.
func TestUserCommandClosesLiveConnection(t *testing.T) {
	redisURL := os.Getenv("STRATEGIERAUM_TEST_REDIS_URL")
	if redisURL == "" {
		t.Skip("STRATEGIERAUM_TEST_REDIS_URL not set")
	}
	const pw = "demo-passwort-fuer-tests"
	vars := map[string]string{
		"STRATEGIERAUM_DATABASE_URL":  filepath.Join(t.TempDir(), "live.db"),
		"STRATEGIERAUM_DEMO_PASSWORD": pw,
		"STRATEGIERAUM_REDIS_URL":     redisURL,
	}
	base, _ := startServe(t, vars, "--demo")
	pate := login(t, base, "pate1@hh.example", pw)
	ctx := context.Background()
	ws, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(base, "http")+"/api/ws", &websocket.DialOptions{HTTPClient: pate})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()
	if err := ws.Write(ctx, websocket.MessageText, []byte(`{"t":"open","section":6}`)); err != nil {
		t.Fatal(err)
	}
	nextFrame(t, ws, "snapshot")
	if _, _, err := runCmd(t, vars, "", "user", "disable", "--email", "pate1@hh.example"); err != nil {
		t.Fatal(err)
	}
	rctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	for {
		_, _, err := ws.Read(rctx)
		if err != nil {
			if s := websocket.CloseStatus(err); s != 4401 {
				t.Fatalf("connection ended with %v (status %d), want close 4401", err, s)
			}
			return
		}
	}
}
