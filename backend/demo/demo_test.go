package demo_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/auth"
	"github.com/strategieraum/strategieraum/backend/demo"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

const password = "Demo-Passwort-2026!"

// now lies in the week before the switch to summer time, so the window's
// bounds have different UTC offsets.
var now = time.Date(2026, 3, 20, 10, 30, 0, 0, time.UTC)

func TestSeed(t *testing.T) {
	storetest.Each(t, testSeed)
}

func testSeed(t *testing.T, st *store.DB) {
	ctx := context.Background()
	deps := demo.Deps{Users: st, Strategies: st, Versions: st}

	seeded, err := demo.Seed(ctx, deps, password, now)
	if err != nil || !seeded {
		t.Fatalf("Seed = %v, %v; want true, nil", seeded, err)
	}

	strategies, err := st.FindStrategies(ctx)
	if err != nil || len(strategies) != 1 {
		t.Fatalf("FindStrategies = %d strategies, %v; want 1", len(strategies), err)
	}
	s, err := st.FindStrategyByID(ctx, strategies[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	checkStrategy(t, s)
	checkSections(ctx, t, st, s)
	checkPhases(t, s)
	checkAccounts(ctx, t, st, s)
	checkBeteiligungsfassung(ctx, t, st, s)

	before := snapshot(ctx, t, st, s.ID)
	seeded, err = demo.Seed(ctx, deps, password, now.Add(time.Hour))
	if err != nil || seeded {
		t.Fatalf("second Seed = %v, %v; want false, nil", seeded, err)
	}
	if after := snapshot(ctx, t, st, s.ID); after != before {
		t.Errorf("second Seed changed the database:\nbefore %s\nafter  %s", before, after)
	}
}

func checkStrategy(t *testing.T, s *domain.Strategy) {
	t.Helper()
	if s.Title != "Föderale Digitalstrategie" || strings.TrimSpace(s.Description) == "" {
		t.Errorf("strategy = %q with description %q", s.Title, s.Description)
	}
	if !s.EditDuringConsultation || !s.StatementsPublic {
		t.Errorf("EditDuringConsultation = %v, StatementsPublic = %v; want both true", s.EditDuringConsultation, s.StatementsPublic)
	}
	want := [][2]string{
		{"Digitale Transformation", "ST"},
		{"Digitale Infrastruktur", "HE"},
		{"Digitale Anwendungen", "HB"},
		{"Datennutzung", "HH"},
		{"Informationssicherheit", "BUND"},
	}
	if len(s.Topics) != len(want) {
		t.Fatalf("got %d topics, want %d", len(s.Topics), len(want))
	}
	for i, tp := range s.Topics {
		if tp.Title != want[i][0] || len(tp.Sponsors) != 1 || tp.Sponsors[0].Code != want[i][1] {
			t.Errorf("topic %d = %q sponsored by %v; want %q by %s", i, tp.Title, tp.Sponsors, want[i][0], want[i][1])
		}
	}
}

func checkSections(ctx context.Context, t *testing.T, st domain.StrategyService, s *domain.Strategy) {
	t.Helper()
	type want struct {
		part   domain.Part
		title  string
		topic  string
		status domain.SectionStatus
	}
	wants := []want{
		{domain.PartDach, "Zukunftsbild der Verwaltung", "", domain.SectionFinal},
		{domain.PartDach, "Leitlinien der föderalen Zusammenarbeit", "", domain.SectionFinal},
	}
	for _, tp := range s.Topics {
		wants = append(wants, want{domain.PartSchwerpunkt, "Zielbild: " + tp.Title, tp.Title, domain.SectionConsultation})
	}
	wants = append(wants, want{domain.PartUmsetzung, "Umsetzungsvorhaben: Auswahl und Portfolio", "", domain.SectionDraft})

	secs, err := st.FindSections(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(secs) != len(wants) {
		t.Fatalf("got %d sections, want %d", len(secs), len(wants))
	}
	for i, sec := range secs {
		w := wants[i]
		if sec.Part != w.part || sec.Title != w.title || sec.Status != w.status {
			t.Errorf("section %d = %s/%q/%s; want %s/%q/%s", i, sec.Part, sec.Title, sec.Status, w.part, w.title, w.status)
		}
		if got := topicTitle(s, sec.TopicID); got != w.topic {
			t.Errorf("section %q has topic %q, want %q", sec.Title, got, w.topic)
		}
		full, err := st.FindSectionByID(ctx, sec.ID)
		if err != nil {
			t.Fatal(err)
		}
		if full.Version != 0 {
			t.Errorf("section %q at version %d, want 0", sec.Title, full.Version)
		}
		checkText(t, sec.Title, full.Text)
	}
	for _, sec := range secs {
		if sec.Title != "Zielbild: Informationssicherheit" {
			continue
		}
		full, err := st.FindSectionByID(ctx, sec.ID)
		if err != nil || !strings.Contains(full.Text, "Annahme für diese Demonstration") {
			t.Errorf("section %q does not mark the Bund assignment as a demo assumption (err %v)", sec.Title, err)
		}
	}
}

// checkText asserts a heading-free German body of three to five prose
// paragraphs (lists not counted).
func checkText(t *testing.T, title, text string) {
	t.Helper()
	prose := 0
	for _, block := range strings.Split(text, "\n\n") {
		block = strings.TrimSpace(block)
		if strings.HasPrefix(block, "#") {
			t.Errorf("section %q has a heading: %q", title, block)
		}
		if block != "" && !strings.HasPrefix(block, "- ") && !strings.HasPrefix(block, "1. ") {
			prose++
		}
	}
	if prose < 3 || prose > 6 {
		t.Errorf("section %q has %d prose paragraphs, want 3–5 plus an optional note", title, prose)
	}
	german := 0
	for _, w := range []string{" der ", " die ", " und ", " für "} {
		if strings.Contains(text, w) {
			german++
		}
	}
	if german < 3 {
		t.Errorf("section %q does not read as German text: %q", title, text)
	}
}

func checkPhases(t *testing.T, s *domain.Strategy) {
	t.Helper()
	want := []domain.PhaseKind{
		domain.PhaseEntwurf, domain.PhaseEntwurf, domain.PhaseEntwurf,
		domain.PhaseBeschlossen, domain.PhaseEntwurf, domain.PhaseBeteiligung,
	}
	if len(s.Phases) != len(want) {
		t.Fatalf("got %d phases, want %d", len(s.Phases), len(want))
	}
	for i, p := range s.Phases {
		if p.Kind != want[i] || p.Title == "" {
			t.Errorf("phase %d = %s %q, want %s", i, p.Kind, p.Title, want[i])
		}
	}
	if !strings.Contains(s.Phases[3].Title, "November 2024") {
		t.Errorf("adoption phase title %q lacks its date", s.Phases[3].Title)
	}
	cur := s.CurrentPhase
	if cur == nil || cur.ID != s.Phases[5].ID || cur.Title != "Beteiligung zu den Zielbildern" {
		t.Fatalf("current phase = %+v, want the consultation", cur)
	}
	if !cur.Open(now) {
		t.Errorf("consultation %v–%v not open at %v", cur.OpensAt, cur.ClosesAt, now)
	}
	// 13 March 09:00 CET and 10 April 18:00 CEST.
	wantOpens := time.Date(2026, 3, 13, 8, 0, 0, 0, time.UTC)
	wantCloses := time.Date(2026, 4, 10, 16, 0, 0, 0, time.UTC)
	if cur.OpensAt == nil || !cur.OpensAt.Equal(wantOpens) || cur.ClosesAt == nil || !cur.ClosesAt.Equal(wantCloses) {
		t.Errorf("window = %v–%v, want %v–%v", cur.OpensAt, cur.ClosesAt, wantOpens, wantCloses)
	}
	if cur.Open(wantCloses) {
		t.Errorf("consultation still open at its closing time")
	}
}

func checkAccounts(ctx context.Context, t *testing.T, st domain.UserService, s *domain.Strategy) {
	t.Helper()
	accounts := demo.Accounts()
	all, err := st.FindUsers(ctx, domain.UserFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(accounts) {
		t.Errorf("database holds %d users, Accounts lists %d", len(all), len(accounts))
	}
	for _, a := range accounts {
		u, err := st.FindUserByEmail(ctx, a.Email)
		if err != nil {
			t.Errorf("account %s: %v", a.Email, err)
			continue
		}
		if u.Name != a.Name || u.Org.Code != a.OrgCode || !slices.Equal(u.Roles, a.Roles) {
			t.Errorf("account %s = %q %s %v; want %q %s %v", a.Email, u.Name, u.Org.Code, u.Roles, a.Name, a.OrgCode, a.Roles)
		}
		var topics []string
		for _, id := range u.TopicIDs {
			topics = append(topics, topicTitle(s, &id))
		}
		if !slices.Equal(topics, a.Topics) {
			t.Errorf("account %s edits %v, want %v", a.Email, topics, a.Topics)
		}
		hash, err := st.PasswordHash(ctx, u.ID)
		if err != nil || !auth.VerifyPassword(hash, password) || auth.VerifyPassword(hash, password+"x") {
			t.Errorf("account %s: password check failed (err %v)", a.Email, err)
		}
	}
}

func topicTitle(s *domain.Strategy, id *int64) string {
	if id == nil {
		return ""
	}
	for _, tp := range s.Topics {
		if tp.ID == *id {
			return tp.Title
		}
	}
	return "?unknown topic?"
}

// checkBeteiligungsfassung: the demo round froze every section's text.
func checkBeteiligungsfassung(ctx context.Context, t *testing.T, st *store.DB, s *domain.Strategy) {
	t.Helper()
	secs, err := st.FindSections(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, sec := range secs {
		vs, err := st.FindNamedVersions(ctx, sec.ID)
		if err != nil {
			t.Fatal(err)
		}
		full, err := st.FindSectionByID(ctx, sec.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) != 1 || vs[0].PhaseID == nil || *vs[0].PhaseID != s.CurrentPhase.ID || vs[0].Version != 0 ||
			!strings.HasPrefix(vs[0].Name, "Beteiligungsfassung ") || vs[0].Text == "" || (full.Text != "" && vs[0].Text != full.Text) {
			t.Errorf("section %q: named versions %+v", sec.Title, vs)
		}
	}
}
