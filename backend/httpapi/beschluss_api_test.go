package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

func TestBeschlussAPI(t *testing.T) {
	f := newFixture(t, storetest.Open(t), options{})
	f.addUser("stimmeBY", "BY", []domain.Role{domain.RoleStimmberechtigt}, nil)
	f.addUser("stimmeHB", "HB", []domain.Role{domain.RoleStimmberechtigt}, nil)
	deadline := f.clock.Now().Add(time.Hour).Format(time.RFC3339)
	body := fmt.Sprintf(`{"title":"Zukunftsbild","decision_text":"Der IT-Planungsrat beschließt das Zukunftsbild.","rule":"einstimmig","procedure":"umlauf","deadline":%q,"sections":[{"section_id":%d}]}`,
		deadline, f.sections[1].ID)
	path := fmt.Sprintf("/api/strategies/%d/beschluesse", f.strategy.ID)

	p := f.do(nil, "POST", path, body, "land").problem(t)
	if p["code"] != "forbidden" {
		t.Fatalf("participant created a Vorlage: %v", p)
	}
	r := f.do(nil, "POST", path, strings.Replace(body, `"einstimmig"`, `"mehrheit"`, 1), "moderator")
	wantStatus(t, r, http.StatusBadRequest)
	if d := r.problem(t)["detail"].(string); !strings.Contains(d, "Mehrheitsregel") {
		t.Fatalf("detail %q", d)
	}
	r = f.do(nil, "POST", path, body, "moderator")
	wantStatus(t, r, http.StatusCreated)
	var v struct {
		ID       int64  `json:"id"`
		TextHash string `json:"text_hash"`
		Voted    int    `json:"voted"`
		Can      struct {
			VoteFor string `json:"vote_for"`
		} `json:"can"`
	}
	r.json(t, &v)
	if len(v.TextHash) != 64 {
		t.Fatalf("hash %q", v.TextHash)
	}
	votes := fmt.Sprintf("/api/beschluesse/%d/votes", v.ID)
	wantStatus(t, f.do(nil, "POST", votes, `{"org":"BY","vote":"ja"}`, "stimmeBY"), http.StatusBadRequest)
	p = f.do(nil, "POST", votes, `{"org":"HB","vote":"zustimmung"}`, "stimmeBY").problem(t)
	if p["code"] != "forbidden" || p["reason"] != "other_org" {
		t.Fatalf("vote for another Land: %v", p)
	}
	r = f.do(nil, "POST", votes, `{"org":"BY","vote":"zustimmung","declaration":"Bayern gibt zu Protokoll …"}`, "stimmeBY")
	wantStatus(t, r, http.StatusOK)
	r = f.do(nil, "GET", fmt.Sprintf("/api/beschluesse/%d", v.ID), "", "stimmeHB")
	wantStatus(t, r, http.StatusOK)
	r.json(t, &v)
	if v.Voted != 1 || v.Can.VoteFor != "HB" {
		t.Fatalf("tally for HB: %+v", v)
	}
	wantStatus(t, f.do(nil, "POST", votes, `{"org":"HB","vote":"ablehnung"}`, "stimmeHB"), http.StatusOK)

	r = f.do(nil, "GET", fmt.Sprintf("/api/beschluesse/%d/document", v.ID), "", "land")
	wantStatus(t, r, http.StatusOK)
	doc := string(r.body)
	if !strings.Contains(doc, v.TextHash) || !strings.Contains(doc, "Bayern gibt zu Protokoll …") || !strings.Contains(doc, "nicht angenommen") {
		t.Fatalf("document lacks hash, declaration or result: %s", doc)
	}
	if !strings.Contains(r.header.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Fatalf("csp %q", r.header.Get("Content-Security-Policy"))
	}
	p = f.do(nil, "POST", votes, `{"org":"BY","vote":"ablehnung"}`, "stimmeBY").problem(t)
	if p["code"] != "locked" {
		t.Fatalf("vote after the decision: %v", p)
	}

	p = f.do(nil, "PUT", "/api/koenigsteiner/2024", `{"source":"GWK","shares":{"BW":100}}`, "admin").problem(t)
	if p["code"] != "invalid" || !strings.Contains(p["detail"].(string), "fehlt") {
		t.Fatalf("incomplete key: %v", p)
	}
	wantStatus(t, f.do(nil, "PUT", "/api/koenigsteiner/2024", `{"source":"GWK","shares":{"BW":100}}`, "moderator"), http.StatusForbidden)
	r = f.do(nil, "GET", "/api/koenigsteiner", "", "land")
	wantStatus(t, r, http.StatusOK)
	if !strings.Contains(string(r.body), `"year":2016`) || strings.Contains(string(r.body), "2024") {
		t.Fatalf("keys %s", r.body)
	}
}
