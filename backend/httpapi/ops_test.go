package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/httpapi"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

type pinger func(context.Context) error

func (p pinger) Ping(ctx context.Context) error { return p(ctx) }

func TestHealthAndReady(t *testing.T) {
	ok := pinger(func(context.Context) error { return nil })
	down := pinger(func(context.Context) error { return errors.New("connection refused") })
	db := storetest.Open(t)
	f := newFixture(t, db, options{ready: []httpapi.NamedPinger{{Name: "database", Pinger: db}, {Name: "redis", Pinger: ok}}})
	wantStatus(t, f.do(nil, "GET", "/healthz", "", ""), 200)
	wantStatus(t, f.do(nil, "GET", "/readyz", "", ""), 200)

	g := newFixture(t, storetest.Open(t), options{ready: []httpapi.NamedPinger{{Name: "database", Pinger: ok}, {Name: "redis", Pinger: down}}})
	r := g.do(nil, "GET", "/readyz", "", "")
	wantStatus(t, r, 503)
	p := r.problem(t)
	if d := p["detail"].(string); !strings.Contains(d, "redis") || strings.Contains(d, "database") || strings.Contains(d, "refused") {
		t.Errorf("detail %q should name only the failing dependency, without internals", d)
	}
}

func TestSecurityHeaders(t *testing.T) {
	f := newFixture(t, storetest.Open(t), options{})
	for _, path := range []string{"/", "/api/me", "/api/nirgends", "/healthz"} {
		r := f.do(nil, "GET", path, "", "")
		h := r.header
		if !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'self'") ||
			!strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") ||
			h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" ||
			h.Get("Referrer-Policy") == "" || h.Get("Cross-Origin-Opener-Policy") != "same-origin" ||
			h.Get("Permissions-Policy") == "" || h.Get("X-Request-Id") == "" {
			t.Errorf("%s: headers %v", path, h)
		}
		if strings.HasPrefix(path, "/api/") && h.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control %q", path, h.Get("Cache-Control"))
		}
		if h.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS without Secure", path)
		}
	}
	r := f.do(nil, "GET", "/healthz", "", "", "X-Request-Id: abc-123")
	if r.header.Get("X-Request-Id") != "abc-123" {
		t.Errorf("request id not kept: %q", r.header.Get("X-Request-Id"))
	}
	r = f.do(nil, "GET", "/healthz", "", "", "X-Request-Id: <script>")
	if r.header.Get("X-Request-Id") == "<script>" {
		t.Error("unsafe request id echoed")
	}
}

func TestCrossOriginProtection(t *testing.T) {
	live := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "live %d", domain.UserFromContext(r.Context()).ID)
	})
	f := newFixture(t, storetest.Open(t), options{live: live,
		cfg: httpapi.Config{AllowedOrigins: []string{"https://strategie.example"}}})
	body := `{"email":"land@example.de","password":"` + testPassword + `"}`
	evil := []string{"Origin: https://evil.example", "Sec-Fetch-Site: cross-site"}

	r := f.do(nil, "POST", "/api/session", body, "", evil...)
	wantStatus(t, r, 403)
	r.problem(t)
	wantStatus(t, f.do(nil, "POST", "/api/session", body, "", "Origin: https://evil.example"), 403)
	wantStatus(t, f.do(nil, "POST", "/api/session", body, "", "Origin: https://strategie.example", "Sec-Fetch-Site: cross-site"), 200)
	wantStatus(t, f.do(nil, "POST", "/api/session", body, "", "Sec-Fetch-Site: same-origin"), 200)
	// Scripts with a bearer token are not browsers: the request reaches the
	// handler (404: no such token) instead of the cross-origin refusal.
	wantStatus(t, f.do(nil, "DELETE", "/api/tokens/999999", "", "land", evil...), 404)

	c := f.client()
	wantStatus(t, f.login(c, "land@example.de", testPassword), 200)
	ws := []string{"Connection: Upgrade", "Upgrade: websocket"}
	wantStatus(t, f.do(c, "GET", "/api/ws", "", "", append(ws, evil...)...), 403)
	wantStatus(t, f.do(c, "GET", "/api/ws", "", "", append(ws, "Origin: https://evil.example")...), 403)
	r = f.do(c, "GET", "/api/ws", "", "", append(ws, "Sec-Fetch-Site: same-origin")...)
	wantStatus(t, r, 200)
	if string(r.body) != "live "+itoa(f.users["land"].ID) {
		t.Errorf("live handler saw %q", r.body)
	}
	wantStatus(t, f.do(nil, "GET", "/api/ws", "", "", ws...), 401)
}

func TestLiveUnavailableAndPanics(t *testing.T) {
	f := newFixture(t, storetest.Open(t), options{})
	wantStatus(t, f.do(nil, "GET", "/api/ws", "", "land"), 503)

	boom := http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("geheimes Detail") })
	g := newFixture(t, storetest.Open(t), options{live: boom})
	r := g.do(nil, "GET", "/api/ws", "", "land")
	wantStatus(t, r, 500)
	p := r.problem(t)
	if strings.Contains(string(r.body), "geheim") || !strings.Contains(p["detail"].(string), p["request_id"].(string)) {
		t.Errorf("internal problem leaks or lacks the request id: %s", r.body)
	}
}

func TestMetrics(t *testing.T) {
	f := newFixture(t, storetest.Open(t), options{})
	f.do(nil, "GET", "/api/sections/"+itoa(f.sections[0].ID), "", "admin")
	f.do(nil, "GET", "/api/sections/"+itoa(f.sections[1].ID), "", "admin")
	f.do(nil, "GET", "/api/sections/999999", "", "admin")
	r := f.do(nil, "GET", "/metrics", "", "")
	wantStatus(t, r, 200)
	for _, want := range []string{
		`http_requests_total{method="GET",route="/api/sections/:id",status="200"} 2`,
		`http_requests_total{method="GET",route="/api/sections/:id",status="404"} 1`,
		`http_request_duration_seconds_count{method="GET",route="/api/sections/:id",status="200"} 2`,
	} {
		if !strings.Contains(string(r.body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

// TestMetricsAccess keeps the metrics from the public: without a token only
// a direct connection from loopback gets them (not one a proxy passed on),
// with a token only who shows it.
func TestMetricsAccess(t *testing.T) {
	f := newFixture(t, storetest.Open(t), options{})
	wantStatus(t, f.do(nil, "GET", "/metrics", "", ""), 200) // the test server listens on loopback
	for _, h := range []string{"X-Forwarded-For: 203.0.113.9", "Forwarded: for=203.0.113.9", "X-Real-IP: 203.0.113.9"} {
		r := f.do(nil, "GET", "/metrics", "", "", h)
		wantStatus(t, r, 403)
		if p := r.problem(t); !strings.Contains(p["detail"].(string), "STRATEGIERAUM_METRICS_TOKEN") {
			t.Errorf("refusal does not say how to get access: %s", r.body)
		}
	}
	// The admin's own bearer token is not the metrics token.
	wantStatus(t, f.do(nil, "GET", "/metrics", "", "admin", "X-Forwarded-For: 203.0.113.9"), 403)

	g := newFixture(t, storetest.Open(t), options{cfg: httpapi.Config{MetricsToken: "metrik-geheimnis"}})
	wantStatus(t, g.do(nil, "GET", "/metrics", "", ""), 401)
	wantStatus(t, g.do(nil, "GET", "/metrics", "", "", "Authorization: Bearer falsch"), 401)
	r := g.do(nil, "GET", "/metrics", "", "", "Authorization: Bearer metrik-geheimnis", "X-Forwarded-For: 203.0.113.9")
	wantStatus(t, r, 200)
	if !strings.Contains(string(r.body), "http_requests_total") {
		t.Errorf("metrics with the token: %.200s", r.body)
	}
}

func TestFrontend(t *testing.T) {
	f := newFixture(t, storetest.Open(t), options{})
	r := f.do(nil, "GET", "/strategien/1", "", "")
	wantStatus(t, r, 200)
	if !strings.Contains(string(r.body), "Strategieraum") {
		t.Errorf("placeholder page: %s", r.body)
	}

	db := storetest.Open(t)
	spa := fstest.MapFS{
		"index.html":         {Data: []byte("<!doctype html><title>App</title>")},
		"assets/app-1a2b.js": {Data: []byte("console.log(1)")},
		"favicon.svg":        {Data: []byte("<svg/>")},
	}
	s := httpapi.New(httpapi.Config{}, httpapi.Deps{Users: db, Sessions: db, Strategies: db, Audit: db, Frontend: spa})
	g := &fixture{t: t}
	g.srv = newServer(t, s)
	r = g.do(nil, "GET", "/assets/app-1a2b.js", "", "")
	wantStatus(t, r, 200)
	if !strings.Contains(r.header.Get("Cache-Control"), "immutable") || string(r.body) != "console.log(1)" {
		t.Errorf("asset: %v %s", r.header, r.body)
	}
	for _, path := range []string{"/", "/strategien/1/abschnitte/2", "/index.html"} {
		r = g.do(nil, "GET", path, "", "")
		wantStatus(t, r, 200)
		if !strings.Contains(string(r.body), "<title>App</title>") || r.header.Get("Cache-Control") != "no-cache" {
			t.Errorf("%s: %v %s", path, r.header, r.body)
		}
	}
	wantStatus(t, g.do(nil, "GET", "/api", "", ""), 404)
	wantStatus(t, g.do(nil, "GET", "/assets/app-alt.js", "", ""), 404)
	r = g.do(nil, "GET", "/api/gibt-es-nicht", "", "")
	wantStatus(t, r, 404)
	r.problem(t)
	r = g.do(nil, "POST", "/api/strategies/1/gibt-es-nicht", `{}`, "")
	wantStatus(t, r, 404)
	r.problem(t)
}

func TestOpenAPIServed(t *testing.T) {
	f := newFixture(t, storetest.Open(t), options{})
	r := f.do(nil, "GET", "/api/openapi.yaml", "", "")
	wantStatus(t, r, 200)
	if !strings.HasPrefix(string(r.body), "openapi: 3") {
		t.Errorf("openapi: %.40s", r.body)
	}
}

// syncBuffer collects log output from concurrent handlers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestLogsCarryRequestIDAndNoSecrets(t *testing.T) {
	db := storetest.Open(t)
	var buf syncBuffer
	logger := slog.New(slog.NewJSONHandler(&buf, nil))
	f := newFixture(t, db, options{logger: logger, live: http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("x") })})
	c := f.client()
	r := f.login(c, "land@example.de", testPassword)
	wantStatus(t, r, 200)
	ck := sessionCookie(t, r, cookieName)
	f.do(c, "GET", "/api/me?token=geheim-im-query", "", "")
	f.do(nil, "GET", "/api/me", "", "reader")
	f.do(nil, "GET", "/api/ws", "", "reader")
	out := buf.String()
	for _, secret := range []string{testPassword, ck.Value, f.tokens["reader"], "geheim-im-query"} {
		if strings.Contains(out, secret) {
			t.Errorf("log contains a secret %q", secret[:6])
		}
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 4 {
		t.Fatalf("only %d log lines", len(lines))
	}
	for _, line := range lines {
		var rec map[string]any
		must(t, json.Unmarshal([]byte(line), &rec))
		if id, _ := rec["request_id"].(string); id == "" {
			t.Errorf("log line without request id: %s", line)
		}
	}
}

// brokenSessions fails every session lookup, like a database that is down.
type brokenSessions struct{ domain.SessionService }

func (brokenSessions) FindSession(context.Context, string) (*domain.Session, error) {
	return nil, errors.New("dial tcp 10.0.0.5:5432: connection refused")
}

func TestStorageFailure(t *testing.T) {
	db := storetest.Open(t)
	s := httpapi.New(httpapi.Config{}, httpapi.Deps{Users: db, Sessions: brokenSessions{db}, Strategies: db, Audit: db})
	f := &fixture{t: t, srv: newServer(t, s)}
	cookie := "Cookie: " + cookieName + "=irgendwas"
	wantStatus(t, f.do(nil, "GET", "/healthz", "", "", cookie), 200)
	wantStatus(t, f.do(nil, "GET", "/strategien/1", "", "", cookie), 200)
	r := f.do(nil, "GET", "/api/me", "", "", cookie)
	wantStatus(t, r, 500)
	if p := r.problem(t); strings.Contains(string(r.body), "10.0.0.5") || p["code"] != "internal" {
		t.Errorf("internal error leaks: %s", r.body)
	}
}
