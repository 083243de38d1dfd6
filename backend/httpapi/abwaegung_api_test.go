package httpapi_test

import (
	"fmt"
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
