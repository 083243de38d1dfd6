package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/consult"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// The reported loss: a Land submits, a new beteiligung phase is posted, and
// the statement was gone from the API. Now the first round keeps it
// (?phase=), and a deadline moves in place with PATCH, so nothing leaves
// the round at all.
func TestRoundsAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, options{})
		_, closes := f.openConsultation(t, "Bund und Länder teilen Daten sicher und einmal.")
		st := f.strategy.ID
		stmt := fmt.Sprintf("/api/strategies/%d/statement", st)
		wantStatus(t, f.do(nil, "POST", stmt+"/submit", `{"position":"zustimmung","body":"Hessen stimmt zu."}`, "land"), 200)
		r := f.do(nil, "POST", fmt.Sprintf("/api/sections/%d/threads", f.sections[0].ID), `{"kind":"kommentar","start":0,"end":4,"version":1,"body":"Zu Bund"}`, "land")
		wantStatus(t, r, 201)
		var th domain.Thread
		r.json(t, &th)
		first := *th.PhaseID

		// The deadline moves in place: same round, statement still there.
		phase := fmt.Sprintf("/api/strategies/%d/phases/%d", st, first)
		later := closes.Add(48 * time.Hour).Truncate(time.Second)
		wantStatus(t, f.do(nil, "PATCH", phase, fmt.Sprintf(`{"closes_at":%q,"reason":"Bitte der Länder"}`, later.Format(time.RFC3339)), "land"), 403)
		r = f.do(nil, "PATCH", phase, fmt.Sprintf(`{"closes_at":%q}`, later.Format(time.RFC3339)), "moderator")
		wantStatus(t, r, 400)
		if p := r.problem(t); !strings.Contains(fmt.Sprint(p["errors"]), "reason") {
			t.Fatalf("missing reason problem = %v", p)
		}
		wantStatus(t, f.do(nil, "PATCH", fmt.Sprintf("/api/strategies/%d/phases/999999", st), `{"reason":"x"}`, "moderator"), 404)
		r = f.do(nil, "PATCH", phase, fmt.Sprintf(`{"closes_at":%q,"reason":"Bitte der Länder"}`, later.Format(time.RFC3339)), "moderator")
		wantStatus(t, r, 200)
		var p domain.Phase
		r.json(t, &p)
		if p.ID != first || !p.ClosesAt.Equal(later) {
			t.Fatalf("changed phase = %+v", p)
		}
		list := f.statements(t, "")
		if len(list) != 1 || list[0].OrgCode != "HE" || list[0].Version != 1 {
			t.Fatalf("statements after the extension = %+v", list)
		}
		r = f.do(nil, "GET", "/api/notifications", "", "land")
		wantStatus(t, r, 200)
		if !strings.Contains(string(r.body), "Frist verlängert bis "+consult.Berlin(later)) {
			t.Fatalf("Land not told of the extension: %s", r.body)
		}

		// A second round starts empty; the first keeps its statement and
		// its report.
		now := f.clock.Now()
		body := fmt.Sprintf(`{"kind":"beteiligung","title":"Zweite Runde","opens_at":%q,"closes_at":%q}`,
			now.Add(-time.Minute).Format(time.RFC3339), now.Add(time.Hour).Format(time.RFC3339))
		wantStatus(t, f.do(nil, "POST", fmt.Sprintf("/api/strategies/%d/phases", st), body, "moderator"), 201)
		if list := f.statements(t, ""); len(list) != 0 {
			t.Fatalf("second round's statements = %+v", list)
		}
		if list := f.statements(t, fmt.Sprintf("?phase=%d", first)); len(list) != 1 || list[0].OrgCode != "HE" {
			t.Fatalf("first round's statements = %+v", list)
		}
		r = f.do(nil, "GET", fmt.Sprintf("/api/strategies/%d/report?phase=%d", st, first), "", "moderator")
		wantStatus(t, r, 200)
		var rep consult.Report
		r.json(t, &rep)
		if rep.Phase.ID != first || len(rep.Statements) != 1 || len(rep.Sections[0].Threads) != 1 {
			t.Fatalf("first round's report = phase %d, %d statements, %d threads", rep.Phase.ID, len(rep.Statements), len(rep.Sections[0].Threads))
		}
		wantStatus(t, f.do(nil, "GET", fmt.Sprintf("/api/strategies/%d/statements?phase=abc", st), "", "moderator"), 400)
		wantStatus(t, f.do(nil, "GET", fmt.Sprintf("/api/strategies/%d/report?phase=999999", st), "", "moderator"), 404)
	})
}

// A Land could rewrite its comment one second after closes_at.
func TestCommentEditAtTheDeadline(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, options{})
		f.openConsultation(t, "Bund und Länder teilen Daten sicher und einmal.")
		// A short round (shortened in place), so that the comment is still
		// in its edit window at the deadline.
		closes := f.clock.Now().Add(5 * time.Minute).Truncate(time.Second)
		r := f.do(nil, "PATCH", fmt.Sprintf("/api/strategies/%d/phases/%d", f.strategy.ID, f.currentPhase(t)),
			fmt.Sprintf(`{"closes_at":%q,"reason":"Sitzung vorgezogen"}`, closes.Format(time.RFC3339)), "moderator")
		wantStatus(t, r, 200)
		f.clock.Add(closes.Sub(f.clock.Now()) - 3*time.Second)
		r = f.do(nil, "POST", fmt.Sprintf("/api/sections/%d/threads", f.sections[0].ID), `{"kind":"kommentar","start":0,"end":4,"version":1,"body":"Zu Bund"}`, "land")
		wantStatus(t, r, 201)
		var th domain.Thread
		r.json(t, &th)
		comment := fmt.Sprintf("/api/comments/%d", th.Comments[0].ID)
		f.clock.Add(2 * time.Second) // closes_at - 1s
		wantStatus(t, f.do(nil, "PATCH", comment, `{"body":"Zu Bund, knapp"}`, "land"), 200)
		f.clock.Add(time.Second) // closes_at
		r = f.do(nil, "PATCH", comment, `{"body":"Zu Bund, zu spät"}`, "land")
		wantStatus(t, r, 403)
		if p := r.problem(t); p["reason"] != domain.ReasonRoundClosed {
			t.Fatalf("late edit problem = %v", p)
		}
		r = f.do(nil, "GET", fmt.Sprintf("/api/threads/%d", th.ID), "", "land")
		wantStatus(t, r, 200)
		if !strings.Contains(string(r.body), "Zu Bund, knapp") || strings.Contains(string(r.body), "zu spät") {
			t.Fatalf("thread after the refused edit: %s", r.body)
		}
	})
}

// statements lists the current (or the query's) round's statements as the
// moderation sees them.
func (f *fixture) statements(t *testing.T, query string) []consult.StatementStatus {
	t.Helper()
	r := f.do(nil, "GET", fmt.Sprintf("/api/strategies/%d/statements%s", f.strategy.ID, query), "", "moderator")
	wantStatus(t, r, 200)
	var list []consult.StatementStatus
	r.json(t, &list)
	return list
}

// currentPhase is the id of the strategy's current phase.
func (f *fixture) currentPhase(t *testing.T) int64 {
	t.Helper()
	st, err := f.db.FindStrategyByID(t.Context(), f.strategy.ID)
	must(t, err)
	return st.CurrentPhase.ID
}

// Moderators freeze named versions by hand; everyone who reads the section
// lists them, the round's Beteiligungsfassung first.
func TestNamedVersionsAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, options{})
		f.openConsultation(t, "Erster Absatz.\n\nZweiter Absatz.")
		versions := fmt.Sprintf("/api/sections/%d/versions", f.sections[0].ID)
		wantStatus(t, f.do(nil, "POST", versions, `{"name":"Arbeitsstand"}`, "land"), 403)
		wantStatus(t, f.do(nil, "POST", versions, `{"name":"  "}`, "moderator"), 400)
		wantStatus(t, f.do(nil, "POST", versions, `{"name":"Arbeitsstand"}`, "moderator"), 201)
		r := f.do(nil, "GET", versions, "", "land")
		wantStatus(t, r, 200)
		var list []domain.NamedVersion
		r.json(t, &list)
		if len(list) != 2 || !strings.HasPrefix(list[0].Name, "Beteiligungsfassung ") || list[0].PhaseID == nil ||
			list[1].Name != "Arbeitsstand" || list[1].PhaseID != nil || list[1].Text != "Erster Absatz.\n\nZweiter Absatz." {
			t.Fatalf("named versions = %+v", list)
		}
		// A thread on the second paragraph cites line 2.
		r = f.do(nil, "POST", fmt.Sprintf("/api/sections/%d/threads", f.sections[0].ID), `{"kind":"frage","start":16,"end":23,"version":1,"body":"Welcher?"}`, "land")
		wantStatus(t, r, 201)
		var th domain.Thread
		r.json(t, &th)
		if th.LineFrom == nil || *th.LineFrom != 2 || *th.LineTo != 2 {
			t.Fatalf("thread lines %v–%v, want 2", th.LineFrom, th.LineTo)
		}
	})
}
