package consult_test

import (
	"context"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/collab"
	"github.com/strategieraum/strategieraum/backend/consult"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/testclock"
)

var ctx = context.Background()

// sectionText is the demo passage the tests discuss.
const sectionText = "Die Verwaltung arbeitet digital. Daten werden einmal erhoben und sicher geteilt. Bund und Länder handeln gemeinsam."

// fixture is a strategy in its consultation window with one section, the
// usual roles and a consultation service on a real database.
type fixture struct {
	db       *store.DB
	col      *collab.Service
	svc      *consult.Service
	strategy *domain.Strategy
	phase    *domain.Phase
	topic    *domain.Topic
	section  *domain.Section

	moderator, pate, otherPate, land, land2, reader *domain.User

	*testclock.Clock
}

func newFixture(t testing.TB, db *store.DB, opts ...func(*domain.Strategy)) *fixture {
	t.Helper()
	f := &fixture{db: db, Clock: testclock.New(time.Now().UTC())}
	f.strategy = &domain.Strategy{Title: "Föderale Digitalstrategie"}
	for _, o := range opts {
		o(f.strategy)
	}
	must(t, db.CreateStrategy(ctx, f.strategy))
	f.topic = &domain.Topic{StrategyID: f.strategy.ID, Title: "Datennutzung"}
	must(t, db.CreateTopic(ctx, f.topic))
	other := &domain.Topic{StrategyID: f.strategy.ID, Title: "Digitale Infrastruktur"}
	must(t, db.CreateTopic(ctx, other))
	f.section = &domain.Section{StrategyID: f.strategy.ID, TopicID: &f.topic.ID, Part: domain.PartSchwerpunkt,
		Title: "Zielbild Datennutzung", Text: sectionText}
	must(t, db.CreateSection(ctx, f.section))
	status := domain.SectionConsultation
	_, err := db.UpdateSection(ctx, f.section.ID, domain.SectionUpdate{Status: &status})
	must(t, err)
	opens, closes := f.Now().Add(-time.Hour), f.Now().Add(7*24*time.Hour)
	f.phase = &domain.Phase{StrategyID: f.strategy.ID, Kind: domain.PhaseBeteiligung, Title: "Beteiligung", OpensAt: &opens, ClosesAt: &closes}
	must(t, db.AddPhase(ctx, f.phase))

	f.moderator = newUser(t, db, "mod@fitko.de", "FITKO", []domain.Role{domain.RoleModerator})
	f.pate = newUser(t, db, "pate@hamburg.de", "HH", []domain.Role{domain.RoleThemenpate}, f.topic.ID)
	f.otherPate = newUser(t, db, "pate@hessen.de", "HE", []domain.Role{domain.RoleThemenpate}, other.ID)
	f.land = newUser(t, db, "land@bayern.de", "BY", []domain.Role{domain.RoleLand})
	f.land2 = newUser(t, db, "land2@bayern.de", "BY", []domain.Role{domain.RoleLand})
	f.reader = newUser(t, db, "leser@fitko.de", "FITKO", []domain.Role{domain.RoleReader})

	f.col = collab.New(db, collab.Options{})
	f.svc = f.service(f.col)
	return f
}

// service returns another consultation service instance on the same
// database, as a second server would run.
func (f *fixture) service(col *collab.Service) *consult.Service {
	return consult.New(consult.Deps{Store: f.db, Strategies: f.db, Users: f.db, OpLog: col, History: col,
		Audit: f.db, Now: f.Now})
}

func newUser(t testing.TB, db *store.DB, email, org string, roles []domain.Role, topics ...int64) *domain.User {
	t.Helper()
	o, err := db.FindOrganisationByCode(ctx, org)
	must(t, err)
	u := &domain.User{Email: email, Name: "Nutzer " + org, OrgID: o.ID, Roles: roles, TopicIDs: topics}
	must(t, db.CreateUser(ctx, u, ""))
	u, err = db.FindUserByID(ctx, u.ID)
	must(t, err)
	return u
}

// strategyNow reloads the strategy with its current phase.
func (f *fixture) reload(t *testing.T) {
	t.Helper()
	st, err := f.db.FindStrategyByID(ctx, f.strategy.ID)
	must(t, err)
	f.strategy = st
}

// text returns the section's current text and version.
func (f *fixture) text(t *testing.T) (string, int64) {
	t.Helper()
	s, v, err := f.col.Snapshot(ctx, domain.SectionDoc(f.section.ID))
	must(t, err)
	return s, v
}

// edit commits op (JSON) at base as user u.
func (f *fixture) edit(t *testing.T, u *domain.User, client string, seq, base int64, op string) {
	t.Helper()
	_, err := f.col.Submit(ctx, domain.SubmitRequest{Doc: domain.SectionDoc(f.section.ID), BaseVersion: base, Op: []byte(op),
		UserID: u.ID, ClientID: client, Seq: seq})
	must(t, err)
}

// thread starts a thread on the first occurrence of passage.
func (f *fixture) thread(t *testing.T, u *domain.User, kind domain.ThreadKind, passage, replacement string) *domain.Thread {
	t.Helper()
	text, v := f.text(t)
	start, end := find(t, text, passage)
	th, err := f.svc.CreateThread(ctx, u, consult.NewThread{SectionID: f.section.ID, Kind: kind, Start: start, End: end,
		Version: v, Body: "Begründung", Replacement: replacement})
	must(t, err)
	return th
}

// find returns the code point range of the first occurrence of sub.
func find(t *testing.T, text, sub string) (int, int) {
	t.Helper()
	r, s := []rune(text), []rune(sub)
	for i := 0; i+len(s) <= len(r); i++ {
		if string(r[i:i+len(s)]) == sub {
			return i, i + len(s)
		}
	}
	t.Fatalf("%q not in %q", sub, text)
	return 0, 0
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := domain.ErrorCode(err); got != code {
		t.Fatalf("error code = %q, want %q (err: %v)", got, code, err)
	}
}

// auditCount counts audit events with action.
func (f *fixture) auditCount(t *testing.T, action string) int {
	t.Helper()
	evs, err := f.db.FindAuditEvents(ctx, domain.AuditFilter{Action: action, Limit: 1000})
	must(t, err)
	return len(evs)
}
