package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/strategieraum/strategieraum/backend/collab"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/httpapi"
	"github.com/strategieraum/strategieraum/backend/realtime"
	"github.com/strategieraum/strategieraum/backend/realtime/redisbroker"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
	"github.com/strategieraum/strategieraum/backend/testclock"
)

// liveConfig keeps the periodic access check out of the way (an hour), so
// that a test passes only if the event itself closes the connection.
func liveConfig(name string) realtime.HubConfig {
	return realtime.HubConfig{Instance: name, PresenceBeat: 100 * time.Millisecond, GapWait: 40 * time.Millisecond,
		IdleCheck: 300 * time.Millisecond, PermissionTTL: time.Hour, AccessCheck: time.Hour, RateLimit: 2000, RateBurst: 4000}
}

// startHub runs a hub with access checks on db.
func startHub(t *testing.T, db *store.DB, broker realtime.Broker, cfg realtime.HubConfig, now func() time.Time) *realtime.Hub {
	t.Helper()
	ops := collab.New(db, collab.Options{})
	hub := realtime.NewHub(cfg, realtime.Deps{OpLog: ops, Strategies: db, Broker: broker, Observe: ops.Observe,
		Sessions: db, Users: db, Audit: db, Now: now})
	ops.OnCommit(hub.Committed)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); hub.Run(ctx) }()
	t.Cleanup(func() { hub.Close(); cancel(); <-done; ops.Close() })
	return hub
}

// newLiveFixture is a fixture whose /api/ws is a real hub.
func newLiveFixture(t *testing.T, broker realtime.Broker, cfg realtime.HubConfig) *fixture {
	db := storetest.Open(t)
	clk := testclock.New(time.Now().UTC())
	hub := startHub(t, db, broker, cfg, clk.Now)
	return newFixture(t, db, options{live: hub.Handler(), access: hub, clock: clk})
}

// secondInstance serves the fixture's database through another hub.
func (f *fixture) secondInstance(t *testing.T, broker realtime.Broker, cfg realtime.HubConfig) *httptest.Server {
	hub := startHub(t, f.db, broker, cfg, f.clock.Now)
	s := httpapi.New(httpapi.Config{RequestsPerSecond: -1}, httpapi.Deps{Users: f.db, Sessions: f.db, Strategies: f.db,
		Audit: f.db, Live: hub.Handler(), Access: hub, Now: f.clock.Now})
	return newServer(t, s)
}

// liveClient is a websocket client that collects frames.
type liveClient struct {
	t      *testing.T
	ws     *websocket.Conn
	frames chan map[string]any
	status websocket.StatusCode // valid once frames is closed
	seq    int
}

// dialLive connects to base's /api/ws with the cookies of c or, if token
// is set, with that bearer token.
func dialLive(t *testing.T, base string, c *http.Client, token string) *liveClient {
	t.Helper()
	opts := &websocket.DialOptions{HTTPClient: c}
	if token != "" {
		opts.HTTPHeader = http.Header{"Authorization": {"Bearer " + token}}
	}
	ws, _, err := websocket.Dial(context.Background(), "ws"+strings.TrimPrefix(base, "http")+"/api/ws", opts)
	must(t, err)
	lc := &liveClient{t: t, ws: ws, frames: make(chan map[string]any, 256)}
	go func() {
		defer close(lc.frames)
		for {
			_, data, err := ws.Read(context.Background())
			if err != nil {
				lc.status = websocket.CloseStatus(err)
				return
			}
			var f map[string]any
			if json.Unmarshal(data, &f) == nil {
				lc.frames <- f
			}
		}
	}()
	t.Cleanup(func() { ws.CloseNow() })
	return lc
}

func (lc *liveClient) send(frame string) {
	lc.t.Helper()
	must(lc.t, lc.ws.Write(context.Background(), websocket.MessageText, []byte(frame)))
}

// waitFor returns the first frame for which match holds.
func (lc *liveClient) waitFor(what string, match func(map[string]any) bool) map[string]any {
	lc.t.Helper()
	timeout := time.After(20 * time.Second)
	for {
		select {
		case f, ok := <-lc.frames:
			if !ok {
				lc.t.Fatalf("waiting for %s: connection closed (%d)", what, lc.status)
			}
			if match(f) {
				return f
			}
		case <-timeout:
			lc.t.Fatalf("no %s within 20 s", what)
		}
	}
}

func isFrame(typ string) func(map[string]any) bool {
	return func(f map[string]any) bool { return f["t"] == typ }
}

// open opens section and returns its version.
func (lc *liveClient) open(section int64) int64 {
	lc.send(fmt.Sprintf(`{"t":"open","section":%d}`, section))
	return int64(lc.waitFor("snapshot", isFrame("snapshot"))["v"].(float64))
}

// edit submits an insertion at v and returns the answer: an ack or an error.
func (lc *liveClient) edit(section, v int64) map[string]any {
	lc.seq++
	lc.send(fmt.Sprintf(`{"t":"op","section":%d,"v":%d,"op":["x"],"client":"c","seq":%d}`, section, v, lc.seq))
	return lc.waitFor("answer to an op", func(f map[string]any) bool {
		return (f["t"] == "ack" || f["t"] == "error") && f["seq"] == float64(lc.seq)
	})
}

// waitClosed waits until the server closes the connection and returns the
// close status and the error codes received before it.
func (lc *liveClient) waitClosed() (websocket.StatusCode, []string) {
	lc.t.Helper()
	var codes []string
	timeout := time.After(20 * time.Second)
	for {
		select {
		case f, ok := <-lc.frames:
			if !ok {
				return lc.status, codes
			}
			if f["t"] == "error" {
				codes = append(codes, f["code"].(string))
			}
		case <-timeout:
			lc.t.Fatal("the connection is still open after 20 s")
		}
	}
}

// wantRevoked checks that lc is closed with an "unauthorized" frame first.
func wantRevoked(t *testing.T, lc *liveClient) {
	t.Helper()
	status, codes := lc.waitClosed()
	if status != realtime.StatusRevoked || !contains(codes, "unauthorized") {
		t.Fatalf("closed with %d after errors %v, want %d after unauthorized", status, codes, realtime.StatusRevoked)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// tokenID returns the id of the API token with that secret.
func (f *fixture) tokenID(as string) int64 {
	var list []domain.APIToken
	f.do(nil, "GET", "/api/tokens", "", as).json(f.t.(*testing.T), &list)
	if len(list) != 1 {
		f.t.Fatalf("%s has %d tokens", as, len(list))
	}
	return list[0].ID
}

// TestLiveRevocation checks that every way of ending a session, a token
// or an account closes the open websocket of that user at once, and that
// losing the edit right turns the live editor read-only, on one instance.
func TestLiveRevocation(t *testing.T) {
	f := newLiveFixture(t, nil, liveConfig("a"))
	section := f.sections[0].ID
	// connect logs in as name (or uses its token) and checks that edits
	// are acknowledged before anything happens.
	connect := func(t *testing.T, name string, token bool) (*liveClient, *http.Client) {
		c := f.client()
		secret := ""
		if token {
			secret = f.tokens[name]
		} else {
			wantStatus(t, f.login(c, f.users[name].Email, testPassword), 200)
		}
		lc := dialLive(t, f.srv.URL, c, secret)
		v := lc.open(section)
		if a := lc.edit(section, v); a["t"] != "ack" {
			t.Fatalf("edit before the change: %v", a)
		}
		return lc, c
	}
	closes := []struct {
		name   string
		token  bool
		change func(t *testing.T, c *http.Client, u *domain.User)
	}{
		{"logout", false, func(t *testing.T, c *http.Client, _ *domain.User) {
			wantStatus(t, f.do(c, "DELETE", "/api/session", "", ""), 204)
		}},
		{"session ended elsewhere", false, func(t *testing.T, _ *http.Client, u *domain.User) {
			other := f.client()
			wantStatus(t, f.login(other, u.Email, testPassword), 200)
			var list []domain.Session
			f.do(other, "GET", "/api/me/sessions", "", "").json(t, &list)
			for _, s := range list {
				if !s.Current {
					wantStatus(t, f.do(other, "DELETE", "/api/me/sessions/"+s.PublicID, "", ""), 204)
				}
			}
		}},
		{"idle timeout", false, func(*testing.T, *http.Client, *domain.User) {
			f.clock.Add(domain.SessionIdleTimeout + time.Minute)
		}},
		{"disabled", false, func(t *testing.T, _ *http.Client, u *domain.User) {
			wantStatus(t, f.do(nil, "PATCH", "/api/users/"+itoa(u.ID), `{"disabled":true}`, "admin"), 200)
		}},
		{"deleted", false, func(t *testing.T, _ *http.Client, u *domain.User) {
			wantStatus(t, f.do(nil, "DELETE", "/api/users/"+itoa(u.ID), "", "admin"), 200)
		}},
		{"token revoked", true, func(t *testing.T, _ *http.Client, u *domain.User) {
			name := strings.TrimSuffix(u.Email, "@example.de")
			wantStatus(t, f.do(nil, "DELETE", "/api/tokens/"+itoa(f.tokenID(name)), "", name), 204)
		}},
		{"password changed elsewhere", false, func(t *testing.T, _ *http.Client, u *domain.User) {
			other := f.client()
			wantStatus(t, f.login(other, u.Email, testPassword), 200)
			wantStatus(t, f.do(other, "PUT", "/api/me/password",
				`{"current_password":"`+testPassword+`","new_password":"Tee am Abend im Büro"}`, ""), 204)
		}},
		{"password reset", false, func(t *testing.T, _ *http.Client, u *domain.User) {
			wantStatus(t, f.do(nil, "POST", "/api/users/"+itoa(u.ID)+"/password-reset", "", "admin"), 201)
		}},
		{"disabled, token", true, func(t *testing.T, _ *http.Client, u *domain.User) {
			wantStatus(t, f.do(nil, "PATCH", "/api/users/"+itoa(u.ID), `{"disabled":true}`, "admin"), 200)
		}},
	}
	for i, tc := range closes {
		t.Run(tc.name, func(t *testing.T) {
			name := fmt.Sprintf("pate%d", i)
			u := f.addUser(name, "HH", []domain.Role{domain.RoleThemenpate}, []int64{f.topic.ID})
			lc, c := connect(t, name, tc.token)
			tc.change(t, c, u)
			wantRevoked(t, lc)
		})
	}

	t.Run("topic withdrawn", func(t *testing.T) {
		// Still a Themenpate, so still a reader of the section: read-only.
		f.addUser("downgraded", "HH", []domain.Role{domain.RoleThemenpate}, []int64{f.topic.ID})
		lc, _ := connect(t, "downgraded", false)
		wantStatus(t, f.do(nil, "PATCH", "/api/users/"+itoa(f.users["downgraded"].ID), `{"topic_ids":[]}`, "admin"), 200)
		lc.waitFor("forbidden for the section", func(f map[string]any) bool {
			return f["t"] == "error" && f["code"] == "forbidden" && f["section"] == float64(section)
		})
		text, v := sectionText(t, f, section)
		if a := lc.edit(section, v); a["t"] != "error" || a["code"] != "forbidden" {
			t.Fatalf("edit after the change: %v", a)
		}
		if now, _ := sectionText(t, f, section); now != text {
			t.Fatalf("the text changed after the right was withdrawn: %q → %q", text, now)
		}
	})
	t.Run("role withdrawn", func(t *testing.T) {
		// A Land account may not even read a draft: the connection closes
		// after saying so, and a new one is refused the section.
		f.addUser("demoted", "HH", []domain.Role{domain.RoleThemenpate}, []int64{f.topic.ID})
		lc, c := connect(t, "demoted", false)
		wantStatus(t, f.do(nil, "PATCH", "/api/users/"+itoa(f.users["demoted"].ID), `{"roles":["land"]}`, "admin"), 200)
		if status, codes := lc.waitClosed(); status != websocket.StatusPolicyViolation || !contains(codes, "forbidden") {
			t.Fatalf("closed with %d after %v", status, codes)
		}
		again := dialLive(t, f.srv.URL, c, "")
		again.send(fmt.Sprintf(`{"t":"open","section":%d}`, section))
		if e := again.waitFor("answer to open", func(f map[string]any) bool { return f["t"] == "error" || f["t"] == "snapshot" }); e["code"] != "forbidden" {
			t.Fatalf("open after the change: %v", e)
		}
	})
}

// sectionText reads a section's text and version from the database.
func sectionText(t *testing.T, f *fixture, id int64) (string, int64) {
	s, err := f.db.FindSectionByID(context.Background(), id)
	must(t, err)
	return s.Text, s.Version
}

// dropAccess is a broker that loses every access message, as Redis may.
type dropAccess struct{ realtime.Broker }

func (b dropAccess) Publish(ctx context.Context, m *realtime.Message) error {
	if m.Kind == realtime.KindAccess {
		return nil
	}
	return b.Broker.Publish(ctx, m)
}

// TestLiveRevocationAcrossInstances logs out on one instance and expects
// the socket of that session on another instance to be closed: through the
// broker, and with the message lost, by the periodic check.
func TestLiveRevocationAcrossInstances(t *testing.T) {
	cases := []struct {
		name   string
		broker func(t *testing.T) (realtime.Broker, realtime.Broker)
		cfg    func(realtime.HubConfig) realtime.HubConfig
	}{
		{"broker", sharedBrokers, func(c realtime.HubConfig) realtime.HubConfig { return c }},
		{"message lost", func(t *testing.T) (realtime.Broker, realtime.Broker) {
			a, b := sharedBrokers(t)
			return dropAccess{a}, dropAccess{b}
		}, func(c realtime.HubConfig) realtime.HubConfig { c.AccessCheck = 300 * time.Millisecond; return c }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ba, bb := tc.broker(t)
			f := newLiveFixture(t, ba, tc.cfg(liveConfig("a")))
			other := f.secondInstance(t, bb, tc.cfg(liveConfig("b")))
			c := f.client()
			wantStatus(t, f.login(c, f.users["themenpate"].Email, testPassword), 200)
			// The cookie is for the host 127.0.0.1 whatever the port.
			lc := dialLive(t, other.URL, c, "")
			v := lc.open(f.sections[0].ID)
			if a := lc.edit(f.sections[0].ID, v); a["t"] != "ack" {
				t.Fatalf("edit on the second instance: %v", a)
			}
			wantStatus(t, f.do(c, "DELETE", "/api/session", "", ""), 204)
			wantRevoked(t, lc)
		})
	}
}

// sharedBrokers returns two views of one broker: Redis when the tests have
// one, else the in-process broker.
func sharedBrokers(t *testing.T) (realtime.Broker, realtime.Broker) {
	if url := os.Getenv("STRATEGIERAUM_TEST_REDIS_URL"); url != "" {
		prefix := fmt.Sprintf("strategieraum-test:%s:%d:", t.Name(), time.Now().UnixNano())
		open := func() realtime.Broker {
			b, err := redisbroker.Open(url, prefix, nil)
			must(t, err)
			t.Cleanup(func() { b.Close() })
			return b
		}
		return open(), open()
	}
	mem := realtime.NewMemoryBroker()
	return mem.View(), mem.View()
}

// TestLiveDenialsAudited checks that refused live edits are audited like
// REST denials, but a flood of them yields a single entry.
func TestLiveDenialsAudited(t *testing.T) {
	f := newLiveFixture(t, nil, liveConfig("a"))
	section := f.sections[0].ID
	// A Themenpate of another topic reads the section but may not edit it.
	f.addUser("elsewhere", "HH", []domain.Role{domain.RoleThemenpate}, nil)
	lc := dialLive(t, f.srv.URL, nil, f.tokens["elsewhere"])
	v := lc.open(section)
	for range 30 {
		if a := lc.edit(section, v); a["code"] != "forbidden" {
			t.Fatalf("a reader's edit: %v", a)
		}
	}
	var denied []*domain.AuditEvent
	deadline := time.Now().Add(20 * time.Second)
	for len(denied) == 0 && time.Now().Before(deadline) {
		var err error
		denied, err = f.db.FindAuditEvents(context.Background(), domain.AuditFilter{Action: "denied", Limit: 100})
		must(t, err)
		time.Sleep(20 * time.Millisecond)
	}
	if len(denied) != 1 || denied[0].Target != "section:"+itoa(section) || *denied[0].ActorID != f.users["elsewhere"].ID {
		t.Fatalf("audited denials: %+v", denied)
	}
}
