package httpapi_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/strategieraum/strategieraum/backend/consult"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// The Abwägung over HTTP: Mitzeichnung with German problem details at the
// deadline, assessments hidden from participants until publication, bad
// filters answered with 400, the XLSX readable.
func TestAbwaegungAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, options{})
		_, closes := f.openConsultation(t, "Bund und Länder teilen Daten sicher und einmal.")
		f.addUser("bayern", "BY", []domain.Role{domain.RoleLand}, nil)
		r := f.do(nil, "POST", fmt.Sprintf("/api/sections/%d/threads", f.sections[0].ID), `{"kind":"aenderungsvorschlag","start":29,"end":35,"version":1,"body":"Präziser.","replacement":"sicher und datensparsam"}`, "land")
		wantStatus(t, r, 201)
		var th domain.Thread
		r.json(t, &th)
		cosign := fmt.Sprintf("/api/threads/%d/cosign", th.ID)

		r = f.do(nil, "POST", cosign, "", "land")
		wantStatus(t, r, 403)
		if p := r.problem(t); p["reason"] != domain.ReasonOwnContribution || !strings.Contains(fmt.Sprint(p["detail"]), "eigenen Organisation") {
			t.Fatalf("own contribution problem = %v", p)
		}
		wantStatus(t, f.do(nil, "POST", cosign, "", "bayern"), 200)
		r = f.do(nil, "POST", cosign, "", "bayern")
		wantStatus(t, r, 200)
		r.json(t, &th)
		if len(th.Cosigners) != 1 || th.Cosigners[0].OrgCode != "BY" || !th.Can.Withdraw {
			t.Fatalf("after two Mitzeichnungen: %+v, can %+v", th.Cosigners, th.Can)
		}
		f.clock.Set(closes)
		r = f.do(nil, "DELETE", cosign, "", "bayern")
		wantStatus(t, r, 403)
		if p := r.problem(t); p["reason"] != domain.ReasonRoundClosed || !strings.Contains(fmt.Sprint(p["detail"]), "Beteiligungsfrist endete") {
			t.Fatalf("after the deadline = %v", p)
		}

		assess := fmt.Sprintf("/api/threads/%d/assessment", th.ID)
		wantStatus(t, f.do(nil, "PUT", assess, `{"category":"nicht_beruecksichtigt"}`, "themenpate"), 400)
		wantStatus(t, f.do(nil, "PUT", assess, `{"category":"nicht_beruecksichtigt","reason":"x"}`, "land"), 403)
		wantStatus(t, f.do(nil, "PUT", assess, `{"category":"nicht_beruecksichtigt","reason":"Zu eng gefasst."}`, "themenpate"), 200)

		table := fmt.Sprintf("/api/strategies/%d/abwaegung", f.strategy.ID)
		wantStatus(t, f.do(nil, "GET", table+"?category=egal", "", "land"), 400)
		wantStatus(t, f.do(nil, "GET", table+"?section=x", "", "land"), 400)
		var a consult.Abwaegung
		r = f.do(nil, "GET", table+"?org=HE", "", "land")
		wantStatus(t, r, 200)
		r.json(t, &a)
		if len(a.Rows) != 1 || a.Rows[0].Assessment != nil || strings.Contains(string(r.body), "Zu eng") {
			t.Fatalf("Hessen sees before publication: %s", r.body)
		}
		r = f.do(nil, "GET", table+"/xlsx", "", "land")
		wantStatus(t, r, 200)
		if strings.Contains(string(r.body), "Zu eng") {
			t.Fatal("the download carries a draft")
		}

		publish := table + "/publish"
		wantStatus(t, f.do(nil, "POST", publish, `{}`, "themenpate"), 403)
		wantStatus(t, f.do(nil, "POST", publish, `{}`, "moderator"), 200)
		r = f.do(nil, "GET", table+"/xlsx?org=HE&category=nicht_beruecksichtigt", "", "land")
		wantStatus(t, r, 200)
		x, err := excelize.OpenReader(strings.NewReader(string(r.body)))
		must(t, err)
		rows, err := x.GetRows("Abwägungstabelle")
		must(t, err)
		if len(rows) != 2 || !strings.Contains(strings.Join(rows[1], "|"), "Zu eng gefasst.") || !strings.Contains(strings.Join(rows[1], "|"), "BY") {
			t.Fatalf("published sheet = %q", rows)
		}
		r = f.do(nil, "GET", table+"/document?format=odt", "", "land")
		wantStatus(t, r, 200)
		if ct := r.header.Get("Content-Type"); ct != "application/vnd.oasis.opendocument.text" {
			t.Fatalf("document content type %q", ct)
		}
	})
}

// The labels of the categories: the moderation renames one, the table,
// its rows' labels and the XLSX use it; empty, overlong and unknown ones
// are refused with German problem details (an overlong one as too large, like every overlong text), participants and Themenpaten
// may not change them.
func TestAbwaegungLabelsAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, options{})
		f.openConsultation(t, "Bund und Länder teilen Daten sicher und einmal.")
		r := f.do(nil, "POST", fmt.Sprintf("/api/sections/%d/threads", f.sections[0].ID), `{"kind":"kommentar","start":0,"end":4,"version":1,"body":"Gut so."}`, "land")
		wantStatus(t, r, 201)
		var th domain.Thread
		r.json(t, &th)
		wantStatus(t, f.do(nil, "PUT", fmt.Sprintf("/api/threads/%d/assessment", th.ID), `{"category":"beruecksichtigt","reason":"Aufgenommen."}`, "themenpate"), 200)

		labels := fmt.Sprintf("/api/strategies/%d/abwaegung/labels", f.strategy.ID)
		var got map[string]string
		r = f.do(nil, "GET", labels, "", "land")
		wantStatus(t, r, 200)
		r.json(t, &got)
		if got["beruecksichtigt"] != "berücksichtigt" || len(got) != 4 {
			t.Fatalf("default labels = %v", got)
		}
		body := `{"beruecksichtigt":"übernommen","teilweise_beruecksichtigt":"teilweise übernommen","nicht_beruecksichtigt":"nicht übernommen","zur_kenntnis_genommen":"zur Kenntnis genommen"}`
		wantStatus(t, f.do(nil, "PUT", labels, body, "land"), 403)
		wantStatus(t, f.do(nil, "PUT", labels, body, "themenpate"), 403)
		for bad, status := range map[string]int{
			strings.Replace(body, `"übernommen"`, `"  "`, 1):                          400,
			strings.Replace(body, `"übernommen"`, `"`+strings.Repeat("x", 61)+`"`, 1): 413,
			strings.Replace(body, `"übernommen"`, `"über\nnommen"`, 1):                400,
			`{"beruecksichtigt":"übernommen"}`:                                        400,
			strings.Replace(body, `"zur_kenntnis_genommen"`, `"egal"`, 1):             400,
		} {
			r = f.do(nil, "PUT", labels, bad, "moderator")
			wantStatus(t, r, status)
			if p := r.problem(t); !strings.Contains(fmt.Sprint(p), "labels") {
				t.Fatalf("%s: problem = %v", bad, p)
			}
		}
		r = f.do(nil, "PUT", labels, body, "moderator")
		wantStatus(t, r, 200)
		r.json(t, &got)
		if got["beruecksichtigt"] != "übernommen" {
			t.Fatalf("saved labels = %v", got)
		}

		table := fmt.Sprintf("/api/strategies/%d/abwaegung", f.strategy.ID)
		var a consult.Abwaegung
		r = f.do(nil, "GET", table, "", "moderator")
		wantStatus(t, r, 200)
		r.json(t, &a)
		if len(a.Rows) != 1 || a.Rows[0].Assessment == nil || a.Labels.Label(a.Rows[0].Assessment.Category) != "übernommen" || !a.Can.Labels {
			t.Fatalf("table after renaming: %s", r.body)
		}
		r = f.do(nil, "GET", table+"/xlsx", "", "moderator")
		wantStatus(t, r, 200)
		x, err := excelize.OpenReader(strings.NewReader(string(r.body)))
		must(t, err)
		rows, err := x.GetRows("Abwägungstabelle")
		must(t, err)
		if len(rows) != 2 || !slices.Contains(rows[1], "übernommen") {
			t.Fatalf("sheet after renaming = %q", rows)
		}
	})
}

// The sidebar's thread JSON carries the assessment: a participant's only
// once the Abwägung is published, the Themenpate's as a draft before.
func TestThreadAssessmentAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, options{})
		_, closes := f.openConsultation(t, "Bund und Länder teilen Daten sicher und einmal.")
		r := f.do(nil, "POST", fmt.Sprintf("/api/sections/%d/threads", f.sections[0].ID), `{"kind":"kommentar","start":0,"end":4,"version":1,"body":"Gut so."}`, "land")
		wantStatus(t, r, 201)
		var th domain.Thread
		r.json(t, &th)
		wantStatus(t, f.do(nil, "PUT", fmt.Sprintf("/api/threads/%d/assessment", th.ID), `{"category":"nicht_beruecksichtigt","reason":"Zu früh."}`, "themenpate"), 200)
		wantStatus(t, f.do(nil, "PUT", fmt.Sprintf("/api/strategies/%d/abwaegung/labels", f.strategy.ID),
			`{"beruecksichtigt":"übernommen","teilweise_beruecksichtigt":"teilweise übernommen","nicht_beruecksichtigt":"nicht übernommen","zur_kenntnis_genommen":"zur Kenntnis genommen"}`, "moderator"), 200)

		sidebar := func(user string) (*domain.ThreadAssessment, string) {
			t.Helper()
			r := f.do(nil, "GET", fmt.Sprintf("/api/sections/%d/threads", f.sections[0].ID), "", user)
			wantStatus(t, r, 200)
			var ts []domain.Thread
			r.json(t, &ts)
			if len(ts) != 1 {
				t.Fatalf("%s sees %d threads", user, len(ts))
			}
			one := f.do(nil, "GET", fmt.Sprintf("/api/threads/%d", th.ID), "", user)
			wantStatus(t, one, 200)
			return ts[0].Assessment, string(r.body) + string(one.body)
		}
		if a, body := sidebar("land"); a != nil || strings.Contains(body, "Zu früh") || strings.Contains(body, "nicht übernommen") {
			t.Fatalf("before publication the participant sees %s", body)
		}
		if a, _ := sidebar("themenpate"); a == nil || !a.Draft || a.Label != "nicht übernommen" || a.Reason != "Zu früh." {
			t.Fatalf("the Themenpate sees %+v", a)
		}

		f.clock.Set(closes)
		wantStatus(t, f.do(nil, "POST", fmt.Sprintf("/api/strategies/%d/abwaegung/publish", f.strategy.ID), `{}`, "moderator"), 200)
		a, body := sidebar("land")
		if a == nil || a.Draft || a.Category != domain.CategoryNichtBeruecksichtigt || a.Label != "nicht übernommen" || a.Reason != "Zu früh." {
			t.Fatalf("after publication the participant sees %+v", a)
		}
		if strings.Count(body, "Zu früh.") != 2 {
			t.Fatalf("the list and the single thread both carry it: %s", body)
		}
	})
}
