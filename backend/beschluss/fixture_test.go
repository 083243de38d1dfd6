package beschluss_test

import (
	"context"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/beschluss"
	"github.com/strategieraum/strategieraum/backend/collab"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/testclock"
)

var ctx = context.Background()

// fixture is a strategy with a draft section (edited once, so that it has
// versions 0 and 1) and a section in consultation, a moderator, an admin,
// one voting account per member, a deputy for Bayern and a participant
// without a vote, on a real database with an injected clock.
type fixture struct {
	db        *store.DB
	col       *collab.Service
	svc       *beschluss.Service
	strategy  *domain.Strategy
	draft     *domain.Section
	consulted *domain.Section

	moderator, admin, deputyBY, landBY *domain.User
	voters                             map[string]*domain.User

	*testclock.Clock
}

const draftText = "Bund und Länder stellen Verwaltungsleistungen digital bereit."

func newFixture(t testing.TB, db *store.DB) *fixture {
	t.Helper()
	f := &fixture{db: db, Clock: testclock.New(time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)), voters: map[string]*domain.User{}}
	f.strategy = &domain.Strategy{Title: "Föderale Digitalstrategie"}
	must(t, db.CreateStrategy(ctx, f.strategy))
	f.draft = &domain.Section{StrategyID: f.strategy.ID, Part: domain.PartDach, Title: "Leitlinien", Text: draftText}
	must(t, db.CreateSection(ctx, f.draft))
	f.consulted = &domain.Section{StrategyID: f.strategy.ID, Part: domain.PartSchwerpunkt, Title: "Zielbild Datennutzung", Text: "Daten werden geteilt."}
	must(t, db.CreateSection(ctx, f.consulted))
	status := domain.SectionConsultation
	_, err := db.UpdateSection(ctx, f.consulted.ID, domain.SectionUpdate{Status: &status})
	must(t, err)

	f.moderator = newUser(t, db, "mod@fitko.de", "FITKO", domain.RoleModerator)
	f.admin = newUser(t, db, "admin@fitko.de", "FITKO", domain.RoleAdmin)
	for _, m := range beschluss.Members {
		f.voters[m] = newUser(t, db, "stimme@"+m+".de", m, domain.RoleStimmberechtigt)
	}
	f.deputyBY = newUser(t, db, "vertretung@by.de", "BY", domain.RoleStimmberechtigt, domain.RoleLand)
	f.landBY = newUser(t, db, "land@by.de", "BY", domain.RoleLand)

	f.col = collab.New(db, collab.Options{})
	_, err = f.col.Submit(ctx, domain.SubmitRequest{Doc: domain.SectionDoc(f.draft.ID), BaseVersion: 0,
		Op: []byte(`[61, " Gemeinsam."]`), UserID: f.moderator.ID, ClientID: "fixture", Seq: 1})
	must(t, err)
	f.svc = f.service(db)
	return f
}

// service returns another service instance on db, as a second server would
// run, sharing the fixture's clock.
func (f *fixture) service(db *store.DB) *beschluss.Service {
	return beschluss.New(beschluss.Deps{Store: db, Strategies: db, History: collab.New(db, collab.Options{}), Audit: db, Now: f.Now})
}

// umlauf creates an Umlaufverfahren on the draft section with rule r and
// a deadline one day ahead.
func (f *fixture) umlauf(t testing.TB, r beschluss.Rule) *beschluss.Beschluss {
	t.Helper()
	deadline := f.Now().Add(24 * time.Hour)
	b, err := f.svc.Create(ctx, f.moderator, beschluss.NewVorlage{StrategyID: f.strategy.ID, Title: "Leitlinien",
		DecisionText: "Der IT-Planungsrat beschließt die Leitlinien.", Rule: r, Procedure: beschluss.Umlauf,
		Deadline: &deadline, Sections: []beschluss.SectionRef{{SectionID: f.draft.ID}}})
	must(t, err)
	return b
}

// vote casts v for member m with its voting account.
func (f *fixture) vote(t testing.TB, id int64, m string, v beschluss.Vote) *beschluss.View {
	t.Helper()
	view, err := f.svc.Vote(ctx, f.voters[m], id, beschluss.Ballot{Org: m, Vote: v})
	must(t, err)
	return view
}

func newUser(t testing.TB, db *store.DB, email, org string, roles ...domain.Role) *domain.User {
	t.Helper()
	o, err := db.FindOrganisationByCode(ctx, org)
	must(t, err)
	u := &domain.User{Email: email, Name: "Mitglied " + org, OrgID: o.ID, Roles: roles}
	must(t, db.CreateUser(ctx, u, ""))
	u, err = db.FindUserByID(ctx, u.ID)
	must(t, err)
	return u
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
