package realtime_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/strategieraum/strategieraum/backend/collab"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/realtime"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// world is a database with one strategy, an editable and a final section,
// an editor and a reader, and any number of instances serving it.
type world struct {
	t               testing.TB
	url             string
	db              *store.DB // used for seeding and checks
	users           map[int64]*domain.User
	editors         []*domain.User
	reader          *domain.User
	section         int64 // draft, editable
	final           int64 // final, locked
	strategy, phase int64
	// statement is HE's statement draft; landHE are HE's Land accounts,
	// who write it.
	statement domain.DocKey
	landHE    []*domain.User
	// doc is the document the convergence tests type into, and docEditors
	// the users who do: the section and its Themenpaten unless onStatement.
	doc        domain.DocKey
	docEditors []*domain.User
	// sendBuffer, if set, fixes the socket send buffer of the connections
	// instances accept, so that a peer that stops reading blocks the
	// server's writes after a known amount of data rather than after
	// whatever the kernel's buffer autotuning allows (megabytes).
	sendBuffer int
}

// onStatement makes the convergence tests type into HE's statement, as
// HE's Land accounts.
func (w *world) onStatement() *world {
	w.doc, w.docEditors = w.statement, w.landHE
	return w
}

var quietLog = slog.New(slog.NewTextHandler(io.Discard, nil))

// databases runs fn on SQLite and, when its URL is set, on PostgreSQL.
func databases(t *testing.T, fn func(t *testing.T, w *world)) {
	t.Run("sqlite", func(t *testing.T) {
		fn(t, newWorld(t, filepath.Join(t.TempDir(), "rt.db")))
	})
	if os.Getenv(storetest.PostgresEnv) != "" {
		t.Run("postgres", func(t *testing.T) { fn(t, newWorld(t, storetest.PostgresURL(t))) })
	}
}

// eachDocKind runs fn as databases does, once on the section and once on
// HE's statement (w.onStatement), so that the engine is shown to work alike
// for every kind of document.
func eachDocKind(t *testing.T, fn func(t *testing.T, w *world)) {
	t.Run("section", func(t *testing.T) { databases(t, fn) })
	t.Run("statement", func(t *testing.T) {
		databases(t, func(t *testing.T, w *world) { fn(t, w.onStatement()) })
	})
}

func openStore(t testing.TB, url string) *store.DB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db, err := store.Open(ctx, url, quietLog)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db
}

func newWorld(t testing.TB, url string) *world {
	ctx := context.Background()
	w := &world{t: t, url: url, db: openStore(t, url), users: map[int64]*domain.User{}}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("seed: %v", err)
		}
	}
	he, err := w.db.FindOrganisationByCode(ctx, "HE")
	must(err)
	by, err := w.db.FindOrganisationByCode(ctx, "BY")
	must(err)
	st := &domain.Strategy{Title: "Föderale Digitalstrategie"}
	must(w.db.CreateStrategy(ctx, st))
	open := time.Now().Add(-time.Hour)
	phase := &domain.Phase{StrategyID: st.ID, Kind: domain.PhaseBeteiligung, Title: "Beteiligung", OpensAt: &open}
	must(w.db.AddPhase(ctx, phase))
	topic := &domain.Topic{StrategyID: st.ID, Title: "Digitale Infrastruktur", Sponsors: []domain.Organisation{*he}}
	must(w.db.CreateTopic(ctx, topic))
	sec := &domain.Section{StrategyID: st.ID, TopicID: &topic.ID, Part: domain.PartSchwerpunkt,
		Title: "Zielbild", Text: "Netze für alle: 🚀 Glasfaser und Mobilfunk.", Status: domain.SectionDraft}
	must(w.db.CreateSection(ctx, sec))
	fin := &domain.Section{StrategyID: st.ID, TopicID: &topic.ID, Part: domain.PartSchwerpunkt,
		Title: "Leitplanken", Text: "Beschlossen.", Status: domain.SectionFinal}
	must(w.db.CreateSection(ctx, fin))
	w.section, w.final = sec.ID, fin.ID
	for i := range 4 {
		u := &domain.User{Email: "pate" + strconv.Itoa(i) + "@hessen.example", Name: "Pate " + strconv.Itoa(i),
			OrgID: he.ID, Roles: []domain.Role{domain.RoleThemenpate}, TopicIDs: []int64{topic.ID}}
		must(w.db.CreateUser(ctx, u, "x"))
		u, err := w.db.FindUserByID(ctx, u.ID)
		must(err)
		w.users[u.ID] = u
		w.editors = append(w.editors, u)
	}
	for i := range 4 {
		u := &domain.User{Email: "land" + strconv.Itoa(i) + "@hessen.example", Name: "Referent " + strconv.Itoa(i),
			OrgID: he.ID, Roles: []domain.Role{domain.RoleLand}}
		must(w.db.CreateUser(ctx, u, "x"))
		u, err := w.db.FindUserByID(ctx, u.ID)
		must(err)
		w.users[u.ID] = u
		w.landHE = append(w.landHE, u)
	}
	stmt := &domain.Statement{StrategyID: st.ID, PhaseID: phase.ID, OrgID: he.ID, Body: "Hessen begrüßt 🚀 den Entwurf.",
		UpdatedBy: w.landHE[0].ID}
	must(w.db.SaveStatementDraft(ctx, stmt, nil))
	w.statement, w.strategy, w.phase = domain.StatementDoc(stmt.ID), st.ID, phase.ID
	w.doc, w.docEditors = domain.SectionDoc(w.section), w.editors
	r := &domain.User{Email: "leser@bayern.example", Name: "Leserin", OrgID: by.ID, Roles: []domain.Role{domain.RoleLand}}
	must(w.db.CreateUser(ctx, r, "x"))
	r, err = w.db.FindUserByID(ctx, r.ID)
	must(err)
	w.users[r.ID], w.reader = r, r
	return w
}

// instance is one server: its own store pool, op log service and hub.
type instance struct {
	hub    *realtime.Hub
	svc    *collab.Service
	srv    *httptest.Server
	reg    *prometheus.Registry
	cancel context.CancelFunc
	done   chan struct{}
	once   sync.Once
}

// testConfig keeps timers short so that repairs happen within a test.
func testConfig(name string) realtime.HubConfig {
	return realtime.HubConfig{Instance: name, GapWait: 40 * time.Millisecond, IdleCheck: 300 * time.Millisecond,
		PresenceTTL: 3 * time.Second, PresenceBeat: time.Second, PermissionTTL: 200 * time.Millisecond,
		RateLimit: 2000, RateBurst: 4000, ForwardTimeout: 200 * time.Millisecond}
}

func (w *world) start(cfg realtime.HubConfig, broker realtime.Broker) *instance {
	t := w.t
	db := openStore(t, w.url)
	in := &instance{svc: collab.New(db, collab.Options{Logger: quietLog}), reg: prometheus.NewRegistry(), done: make(chan struct{})}
	in.hub = realtime.NewHub(cfg, realtime.Deps{OpLog: in.svc, Strategies: db, Statements: db, Users: db, Broker: broker, Logger: quietLog, Metrics: in.reg, Observe: in.svc.Observe})
	in.svc.OnCommit(in.hub.Committed)
	// The shim stands in for the HTTP layer's authentication: ?as=<user id>.
	in.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if id, err := strconv.ParseInt(r.URL.Query().Get("as"), 10, 64); err == nil && w.users[id] != nil {
			r = r.WithContext(domain.WithUser(r.Context(), w.users[id]))
		}
		in.hub.Handler().ServeHTTP(rw, r)
	}))
	if w.sendBuffer > 0 {
		in.srv.Config.ConnState = func(c net.Conn, s http.ConnState) {
			if tc, ok := c.(*net.TCPConn); ok && s == http.StateNew {
				tc.SetWriteBuffer(w.sendBuffer)
			}
		}
	}
	in.srv.Start()
	ctx, cancel := context.WithCancel(context.Background())
	in.cancel = cancel
	go func() {
		defer close(in.done)
		if err := in.hub.Run(ctx); err != nil && ctx.Err() == nil {
			t.Errorf("hub %s: %v", cfg.Instance, err)
		}
	}()
	t.Cleanup(in.kill)
	waitUntil(t, "hub "+cfg.Instance+" attached to its broker", func() bool { return realtime.Attached(in.hub) })
	return in
}

// kill stops the instance abruptly: connections are cut, nothing is
// cleaned up in the broker.
func (in *instance) kill() {
	in.once.Do(func() {
		in.srv.CloseClientConnections()
		in.hub.Close()
		in.srv.Close()
		in.cancel()
		<-in.done
	})
}

func (in *instance) wsURL(user int64) string {
	return "ws" + strings.TrimPrefix(in.srv.URL, "http") + "/api/ws?as=" + strconv.FormatInt(user, 10)
}

// metric returns the value of a counter or gauge of the instance.
func (in *instance) metric(t testing.TB, name string) float64 {
	mfs, err := in.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			var sum float64
			for _, m := range mf.GetMetric() {
				sum += m.GetCounter().GetValue() + m.GetGauge().GetValue()
			}
			return sum
		}
	}
	t.Fatalf("metric %s not found", name)
	return 0
}

// waitUntil polls cond until it holds and fails the test if it does not
// within 30 seconds. The deadline only bounds a broken run: tests wait for
// a state, never for a span of time that merely tends to be long enough.
func waitUntil(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 30 s for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// waitMetric waits until a counter of the instance reaches want and returns
// its value then (more than want if it went past).
func (in *instance) waitMetric(t testing.TB, name string, want float64) float64 {
	t.Helper()
	var got float64
	waitUntil(t, name+" to reach "+strconv.FormatFloat(want, 'g', -1, 64), func() bool {
		got = in.metric(t, name)
		return got >= want
	})
	return got
}

// dbText returns the document's committed text and version.
func (w *world) dbText(doc domain.DocKey) (string, int64) {
	h, text, err := w.db.DocText(context.Background(), doc)
	if err != nil {
		w.t.Fatal(err)
	}
	return text, h.Version
}

// committed returns every op in a document's log.
func (w *world) committed(svc domain.OpLogService, doc domain.DocKey) []*domain.CommittedOp {
	var all []*domain.CommittedOp
	for {
		ops, err := svc.OpsSince(context.Background(), doc, int64(len(all)), 1000)
		if err != nil {
			w.t.Fatal(err)
		}
		all = append(all, ops...)
		if len(ops) < 1000 {
			return all
		}
	}
}

// newWorldSQLite is a world on SQLite only, for tests of protocol details
// that do not depend on the database.
func newWorldSQLite(t testing.TB) *world {
	return newWorld(t, filepath.Join(t.TempDir(), "rt.db"))
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
