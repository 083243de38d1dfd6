package collab_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/collab"
	"github.com/strategieraum/strategieraum/backend/collab/collabtest"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/ot"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// fixture is one live document with two authors, in a database or in
// memory.
type fixture struct {
	store   collab.Store
	db      *store.DB          // nil in memory
	mem     *collabtest.Memory // nil in a database
	section *domain.Section    // the section whose text doc is, if it is one
	doc     domain.DocKey
	text    string       // the document's text at version 0
	phase   int64        // the statement's phase, if doc is a statement
	anna    *domain.User // Hamburg
	bernd   *domain.User // Sachsen-Anhalt
}

// newFixture creates a strategy, a section with text and two users.
func newFixture(t testing.TB, db *store.DB, text string) *fixture {
	t.Helper()
	ctx := context.Background()
	st := &domain.Strategy{Title: "Föderale Digitalstrategie"}
	if err := db.CreateStrategy(ctx, st); err != nil {
		t.Fatal(err)
	}
	d := &domain.Section{StrategyID: st.ID, Part: domain.PartSchwerpunkt, Title: "Zielbild Datennutzung", Text: text}
	if err := db.CreateSection(ctx, d); err != nil {
		t.Fatal(err)
	}
	return &fixture{store: db, db: db, section: d, doc: domain.SectionDoc(d.ID), text: text,
		anna:  newUser(t, db, "anna@hamburg.de", "Anna Hansen", "HH"),
		bernd: newUser(t, db, "bernd@sachsen-anhalt.de", "Bernd Schulz", "ST")}
}

// newStatementFixture creates a strategy in Beteiligung and Hamburg's
// statement draft with text; both users write it (the op log does not ask
// who may: that is the policy's business, tested in realtime).
func newStatementFixture(t testing.TB, db *store.DB, text string) *fixture {
	t.Helper()
	ctx := context.Background()
	st := &domain.Strategy{Title: "Föderale Digitalstrategie"}
	if err := db.CreateStrategy(ctx, st); err != nil {
		t.Fatal(err)
	}
	p := &domain.Phase{StrategyID: st.ID, Kind: domain.PhaseBeteiligung}
	if err := db.AddPhase(ctx, p); err != nil {
		t.Fatal(err)
	}
	anna := newUser(t, db, "anna@hamburg.de", "Anna Hansen", "HH")
	stmt := &domain.Statement{StrategyID: st.ID, PhaseID: p.ID, OrgID: anna.OrgID, Body: text, UpdatedBy: anna.ID}
	if err := db.SaveStatementDraft(ctx, stmt, nil); err != nil {
		t.Fatal(err)
	}
	return &fixture{store: db, db: db, doc: domain.StatementDoc(stmt.ID), text: text, phase: p.ID, anna: anna,
		bernd: newUser(t, db, "bernd@sachsen-anhalt.de", "Bernd Schulz", "ST")}
}

// newMemoryFixture is a document in memory; conditional offers the
// optimistic path (as PostgreSQL does).
func newMemoryFixture(text string, conditional bool) *fixture {
	m := collabtest.NewMemory()
	m.Conditional = conditional
	doc := domain.StatementDoc(7)
	m.Create(doc, text)
	return &fixture{store: m, mem: m, doc: doc, text: text,
		anna:  &domain.User{ID: 1, Name: "Anna Hansen", Org: domain.Organisation{Code: "HH"}},
		bernd: &domain.User{ID: 2, Name: "Bernd Schulz", Org: domain.Organisation{Code: "ST"}}}
}

// eachDoc runs fn on a fresh document of every kind in every store: a
// section and a statement on SQLite and PostgreSQL, and a document in
// memory with and without the optimistic path.
func eachDoc(t *testing.T, text string, fn func(t *testing.T, f *fixture)) {
	eachStoredDoc(t, text, fn)
	t.Run("memory", func(t *testing.T) { fn(t, newMemoryFixture(text, false)) })
	t.Run("memory-conditional", func(t *testing.T) { fn(t, newMemoryFixture(text, true)) })
}

// eachStoredDoc is eachDoc in the databases only, for what the memory
// store leaves to them (grouping revisions, naming authors, the audit log).
func eachStoredDoc(t *testing.T, text string, fn func(t *testing.T, f *fixture)) {
	t.Run("section", func(t *testing.T) {
		storetest.Each(t, func(t *testing.T, db *store.DB) { fn(t, newFixture(t, db, text)) })
	})
	t.Run("statement", func(t *testing.T) {
		storetest.Each(t, func(t *testing.T, db *store.DB) { fn(t, newStatementFixture(t, db, text)) })
	})
}

// finalise makes the document final: the section adopted, the statement
// submitted.
func (f *fixture) finalise(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	switch {
	case f.mem != nil:
		f.mem.SetFinal(f.doc, true)
	case f.doc.Kind == domain.DocSection:
		final := domain.SectionFinal
		if _, err := f.db.UpdateSection(ctx, f.doc.ID, domain.SectionUpdate{Status: &final}); err != nil {
			t.Fatal(err)
		}
	default:
		stmts, err := f.db.FindStatementVersions(ctx, f.phase, f.anna.OrgID)
		if err != nil || len(stmts) == 0 {
			t.Fatalf("statement versions: %v", err)
		}
		if _, err := f.db.SubmitStatement(ctx, stmts[0].PhaseID, f.anna.OrgID, f.anna.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
}

func newUser(t testing.TB, db *store.DB, email, name, org string) *domain.User {
	t.Helper()
	o, err := db.FindOrganisationByCode(context.Background(), org)
	if err != nil {
		t.Fatal(err)
	}
	u := &domain.User{Email: email, Name: name, OrgID: o.ID, Org: *o, Roles: []domain.Role{domain.RoleLand}}
	if err := db.CreateUser(context.Background(), u, ""); err != nil {
		t.Fatal(err)
	}
	return u
}

// submit sends op (as JSON) at base and fails the test on error.
func (f *fixture) submit(t testing.TB, s *collab.Service, user *domain.User, client string, seq, base int64, op string) *domain.SubmitResult {
	t.Helper()
	res, err := s.Submit(context.Background(), f.req(user, client, seq, base, op))
	if err != nil {
		t.Fatalf("submit %s#%d at %d: %v", client, seq, base, err)
	}
	return res
}

func (f *fixture) req(user *domain.User, client string, seq, base int64, op string) domain.SubmitRequest {
	return domain.SubmitRequest{Doc: f.doc, BaseVersion: base, Op: json.RawMessage(op),
		UserID: user.ID, ClientID: client, Seq: seq}
}

// snapshot returns the document's text and version.
func (f *fixture) snapshot(t testing.TB, s *collab.Service) (string, int64) {
	t.Helper()
	text, v, err := s.Snapshot(context.Background(), f.doc)
	if err != nil {
		t.Fatal(err)
	}
	return text, v
}

// replayLog applies the whole op log to the initial text and checks that
// versions are 0..n-1 without gaps and (client, seq) pairs are unique.
func (f *fixture) replayLog(t testing.TB, s *collab.Service) (string, []*domain.CommittedOp) {
	t.Helper()
	var all []*domain.CommittedOp
	for {
		ops, err := s.OpsSince(context.Background(), f.doc, int64(len(all)), 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(ops) == 0 {
			break
		}
		all = append(all, ops...)
	}
	text := f.text
	seen := map[string]bool{}
	for i, c := range all {
		if c.Version != int64(i) {
			t.Fatalf("op %d has version %d", i, c.Version)
		}
		key := fmt.Sprintf("%s#%d", c.ClientID, c.Seq)
		if seen[key] {
			t.Fatalf("op %s committed twice", key)
		}
		seen[key] = true
		op, err := ot.Parse(c.Op)
		if err != nil {
			t.Fatalf("stored op %d: %v", i, err)
		}
		if text, err = ot.Apply(text, op); err != nil {
			t.Fatalf("replay op %d: %v", i, err)
		}
	}
	return text, all
}

// wantCode fails unless err carries code.
func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := domain.ErrorCode(err); got != code {
		t.Fatalf("error code = %q, want %q (err: %v)", got, code, err)
	}
	var e *domain.Error
	if errors.As(err, &e) && e.Message == "" {
		t.Fatalf("error %v has no message", err)
	}
}

// sleep pauses briefly while polling for asynchronous hooks.
func sleep() { time.Sleep(10 * time.Millisecond) }
