package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/strategieraum/strategieraum/backend/auth"
	"github.com/strategieraum/strategieraum/backend/beschluss"
	"github.com/strategieraum/strategieraum/backend/collab"
	"github.com/strategieraum/strategieraum/backend/consult"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/httpapi"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/structure"
	"github.com/strategieraum/strategieraum/backend/testclock"
)

const testPassword = "richtig-langes-passwort"

// passwordHash is computed once: argon2id is deliberately slow.
var passwordHash = sync.OnceValue(func() string {
	h, err := auth.HashPassword(testPassword)
	if err != nil {
		panic(err)
	}
	return h
})

// fixture is a running server on a seeded store.
type fixture struct {
	t        testing.TB
	db       *store.DB
	srv      *httptest.Server
	clock    *testclock.Clock
	reg      *prometheus.Registry
	strategy *domain.Strategy
	topic    *domain.Topic
	sections []*domain.Section // [0] in topic, [1] without topic
	users    map[string]*domain.User
	tokens   map[string]string // role name → bearer secret
	history  *fakeHistory
	oplog    *collab.Service // the consultation's op log
	cfg      httpapi.Config
	deps     httpapi.Deps
}

// instance starts another server on the same store, as a second instance
// behind the load balancer; mod adjusts its dependencies.
func (f *fixture) instance(mod func(*httpapi.Deps)) *httptest.Server {
	deps := f.deps
	deps.Metrics = prometheus.NewRegistry()
	if mod != nil {
		mod(&deps)
	}
	return newServer(f.t, httpapi.New(f.cfg, deps))
}

// options adjusts a fixture before the server starts.
type options struct {
	cfg       httpapi.Config
	ready     []httpapi.NamedPinger
	live      http.Handler
	access    domain.AccessNotifier
	clock     *testclock.Clock // nil: a new clock at the current time
	noHistory bool
	logger    *slog.Logger
	deps      func(*httpapi.Deps) // adjusts the dependencies, if set
}

func newFixture(t testing.TB, db *store.DB, opt options) *fixture {
	t.Helper()
	ctx := context.Background()
	if opt.clock == nil {
		opt.clock = testclock.New(time.Now().UTC())
	}
	f := &fixture{t: t, db: db, clock: opt.clock, reg: prometheus.NewRegistry(),
		users: map[string]*domain.User{}, tokens: map[string]string{}}
	f.strategy = &domain.Strategy{Title: "Föderale Digitalstrategie", Description: "Test"}
	must(t, db.CreateStrategy(ctx, f.strategy))
	hh := f.org("HH")
	f.topic = &domain.Topic{StrategyID: f.strategy.ID, Title: "Datennutzung", Sponsors: []domain.Organisation{*hh}}
	must(t, db.CreateTopic(ctx, f.topic))
	for i, title := range []string{"Zielbild Datennutzung", "Zukunftsbild der Verwaltung"} {
		sec := &domain.Section{StrategyID: f.strategy.ID, Title: title, Part: domain.PartSchwerpunkt, Status: domain.SectionDraft}
		if i == 0 {
			sec.TopicID = &f.topic.ID
		} else {
			sec.Part = domain.PartDach
		}
		must(t, db.CreateSection(ctx, sec))
		f.sections = append(f.sections, sec)
	}
	f.addUser("admin", "FITKO", []domain.Role{domain.RoleAdmin}, nil)
	f.addUser("moderator", "FITKO", []domain.Role{domain.RoleModerator}, nil)
	f.addUser("themenpate", "HH", []domain.Role{domain.RoleThemenpate}, []int64{f.topic.ID})
	f.addUser("land", "HE", []domain.Role{domain.RoleLand}, nil)
	f.addUser("reader", "BY", []domain.Role{domain.RoleReader}, nil)

	f.history = &fakeHistory{db: db}
	deps := httpapi.Deps{
		Users: db, Sessions: db, Strategies: db, Audit: db, Identities: db, Resets: db, Mail: db, SecondFactors: db, History: f.history,
		Ready: opt.ready, Live: opt.live, Access: opt.access, Now: f.clock.Now, Metrics: f.reg, Logger: opt.logger,
	}
	if opt.noHistory {
		deps.History = nil
	}
	f.oplog = collab.New(db, collab.Options{})
	deps.Texts = f.oplog
	deps.Consult = consult.New(consult.Deps{Store: db, Strategies: db, Users: db, OpLog: f.oplog, History: f.oplog,
		Audit: db, Now: f.clock.Now, DenialsAuditedElsewhere: true})
	deps.Beschluss = beschluss.New(beschluss.Deps{Store: db, Strategies: db, History: f.oplog, Audit: db, Now: f.clock.Now})
	deps.Import = structure.NewImporter(structure.ImportDeps{Strategies: db, Sections: db, Audit: db, Now: f.clock.Now})
	if opt.cfg.RequestsPerSecond == 0 {
		opt.cfg.RequestsPerSecond = -1 // tests that are not about the limit send bursts
	}
	if opt.deps != nil {
		opt.deps(&deps)
	}
	f.cfg, f.deps = opt.cfg, deps
	s := httpapi.New(opt.cfg, deps)
	f.srv = httptest.NewServer(s.Handler())
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fixture) org(code string) *domain.Organisation {
	o, err := f.db.FindOrganisationByCode(context.Background(), code)
	must(f.t, err)
	return o
}

// addUser creates an account with the test password and a bearer token.
func (f *fixture) addUser(name, org string, roles []domain.Role, topics []int64) *domain.User {
	ctx := context.Background()
	u := &domain.User{Email: name + "@example.de", Name: "Test " + name, OrgID: f.org(org).ID, Roles: roles, TopicIDs: topics}
	must(f.t, f.db.CreateUser(ctx, u, passwordHash()))
	secret := auth.NewSecret("srt_")
	must(f.t, f.db.CreateAPIToken(ctx, &domain.APIToken{UserID: u.ID, Name: "test", Prefix: secret[:10], Hash: auth.HashSecret(secret)}))
	f.users[name], f.tokens[name] = u, secret
	return u
}

// client returns an HTTP client with its own cookie jar.
func (f *fixture) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// response is a read response.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %q: %v", r.body, err)
	}
}

// problem decodes a problem document and checks its shape.
func (r response) problem(t *testing.T) map[string]any {
	t.Helper()
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("status %d: content type %q, want application/problem+json; body %s", r.status, ct, r.body)
	}
	var p map[string]any
	r.json(t, &p)
	for _, k := range []string{"type", "title", "status", "detail", "instance", "request_id", "code"} {
		if _, ok := p[k]; !ok {
			t.Fatalf("problem lacks %q: %s", k, r.body)
		}
	}
	if int(p["status"].(float64)) != r.status {
		t.Fatalf("problem status %v, response status %d", p["status"], r.status)
	}
	return p
}

// do sends a request; as names a fixture user whose token is used ("" for
// none), hdr adds headers as "Key: value" strings.
func (f *fixture) do(c *http.Client, method, path, body, as string, hdr ...string) response {
	f.t.Helper()
	if c == nil {
		c = f.client()
	}
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, f.srv.URL+path, rd)
	must(f.t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if as != "" {
		req.Header.Set("Authorization", "Bearer "+f.tokens[as])
	}
	for _, h := range hdr {
		k, v, _ := strings.Cut(h, ": ")
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	must(f.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	must(f.t, err)
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

func (f *fixture) login(c *http.Client, email, password string) response {
	f.t.Helper()
	b, _ := json.Marshal(map[string]string{"email": email, "password": password})
	return f.do(c, "POST", "/api/session", string(b), "")
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantStatus(t *testing.T, r response, want int) {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d, want %d; body %s", r.status, want, bytes.TrimSpace(r.body))
	}
}

// fakeHistory serves texts "v0", "v1", ... up to the section's version and
// records restores; the real op log has its own tests.
type fakeHistory struct {
	db       *store.DB
	mu       sync.Mutex
	restored []int64
}

func (h *fakeHistory) FindRevisions(ctx context.Context, doc domain.DocKey, before int64, limit int) ([]*domain.Revision, error) {
	return []*domain.Revision{{FromVersion: 0, ToVersion: 1, UserName: "Test"}}, nil
}

func (h *fakeHistory) TextAt(ctx context.Context, doc domain.DocKey, v int64) (string, error) {
	return "v" + strings.Repeat("I", int(v)), nil
}

func (h *fakeHistory) Restore(ctx context.Context, actor *domain.User, doc domain.DocKey, v int64) (int64, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.restored = append(h.restored, v)
	return 1, nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func newServer(t testing.TB, s *httpapi.Server) *httptest.Server {
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return srv
}
