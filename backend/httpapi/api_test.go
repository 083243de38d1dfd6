package httpapi_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

func TestReadAccess(t *testing.T) {
	f := newFixture(t, storetest.Open(t), options{})
	sid := itoa(f.strategy.ID)
	sec := "/api/sections/" + itoa(f.sections[0].ID)

	wantStatus(t, f.do(nil, "GET", "/api/strategies", "", ""), 401)
	wantStatus(t, f.do(nil, "GET", "/api/strategies/"+sid, "", ""), 401)
	wantStatus(t, f.do(nil, "GET", sec, "", ""), 401)
	wantStatus(t, f.do(nil, "GET", "/api/organisations", "", ""), 401)

	var orgs []domain.Organisation
	f.do(nil, "GET", "/api/organisations", "", "reader").json(t, &orgs)
	if len(orgs) < 21 {
		t.Errorf("%d organisations, want the 21 seeded ones", len(orgs))
	}
	var st domain.Strategy
	f.do(nil, "GET", "/api/strategies/"+sid, "", "land").json(t, &st)
	if st.Title != "Föderale Digitalstrategie" || len(st.Topics) != 1 || st.Topics[0].Sponsors[0].Code != "HH" {
		t.Errorf("strategy %+v", st)
	}

	// During the draft phase, participants neither see nor read sections.
	var list []map[string]any
	f.do(nil, "GET", "/api/strategies/"+sid+"/sections", "", "land").json(t, &list)
	if len(list) != 0 {
		t.Errorf("land user sees %d draft sections", len(list))
	}
	r := f.do(nil, "GET", sec, "", "land")
	wantStatus(t, r, 403)
	if !strings.Contains(r.problem(t)["detail"].(string), "Entwürfe") {
		t.Errorf("403 detail: %s", r.body)
	}
	f.do(nil, "GET", "/api/strategies/"+sid+"/sections", "", "themenpate").json(t, &list)
	if len(list) != 2 || list[0]["title"] != "Zielbild Datennutzung" || list[0]["text"] != nil {
		t.Errorf("sections for themenpate: %v", list)
	}
	var got map[string]any
	r = f.do(nil, "GET", sec, "", "themenpate")
	wantStatus(t, r, 200)
	r.json(t, &got)
	for _, k := range []string{"id", "strategy_id", "topic_id", "part", "title", "text", "version", "status", "updated_at"} {
		if _, ok := got[k]; !ok {
			t.Errorf("section lacks %q: %v", k, got)
		}
	}

	wantStatus(t, f.do(nil, "GET", "/api/sections/999999", "", "admin"), 404)
	wantStatus(t, f.do(nil, "GET", "/api/strategies/999999", "", "admin"), 404)
	wantStatus(t, f.do(nil, "GET", "/api/sections/abc", "", "admin"), 400)
	wantStatus(t, f.do(nil, "GET", "/api/sections/-1", "", "admin"), 400)
	wantStatus(t, f.do(nil, "GET", "/api/sections/99999999999999999999999", "", "admin"), 400)
}

func TestStructureAndPhases(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, options{})
		sid := itoa(f.strategy.ID)

		create := `{"title":"Leitlinien","part":"dachstrategie"}`
		r := f.do(nil, "POST", "/api/strategies/"+sid+"/sections", create, "land")
		wantStatus(t, r, 403)
		wantStatus(t, f.do(nil, "POST", "/api/strategies/"+sid+"/sections", create, "moderator"), 403)
		r = f.do(nil, "POST", "/api/strategies/"+sid+"/sections", create, "admin")
		wantStatus(t, r, 201)
		var sec domain.Section
		r.json(t, &sec)
		if sec.Title != "Leitlinien" || sec.Status != domain.SectionDraft || sec.Position != 3 {
			t.Errorf("created %+v", sec)
		}

		order := `{"ids":[` + itoa(sec.ID) + `,` + itoa(f.sections[0].ID) + `,` + itoa(f.sections[1].ID) + `]}`
		wantStatus(t, f.do(nil, "PUT", "/api/strategies/"+sid+"/sections/order", order, "admin"), 204)
		wantStatus(t, f.do(nil, "PUT", "/api/strategies/"+sid+"/sections/order", `{"ids":[1]}`, "admin"), 400)
		var list []domain.Section
		f.do(nil, "GET", "/api/strategies/"+sid+"/sections", "", "admin").json(t, &list)
		if len(list) != 3 || list[0].ID != sec.ID {
			t.Errorf("order after reorder: %+v", list)
		}

		path := "/api/sections/" + itoa(sec.ID)
		r = f.do(nil, "PATCH", path, `{"topic_id":`+itoa(f.topic.ID)+`,"status":"consultation"}`, "admin")
		wantStatus(t, r, 200)
		r.json(t, &sec)
		if sec.TopicID == nil || *sec.TopicID != f.topic.ID || sec.Status != domain.SectionConsultation {
			t.Errorf("patched %+v", sec)
		}
		r = f.do(nil, "PATCH", path, `{"topic_id":null}`, "admin")
		wantStatus(t, r, 200)
		r.json(t, &sec)
		if sec.TopicID != nil || sec.Status != domain.SectionConsultation {
			t.Errorf("detached %+v", sec)
		}
		wantStatus(t, f.do(nil, "PATCH", path, `{"status":"fertig"}`, "admin"), 400)
		wantStatus(t, f.do(nil, "PATCH", path, `{"topic_id":999999}`, "admin"), 400)

		r = f.do(nil, "POST", "/api/strategies/"+sid+"/topics", `{"title":"Digitale Infrastruktur","sponsors":["HE"]}`, "admin")
		wantStatus(t, r, 201)
		var topic domain.Topic
		r.json(t, &topic)
		if len(topic.Sponsors) != 1 || topic.Sponsors[0].Code != "HE" {
			t.Errorf("topic %+v", topic)
		}
		r = f.do(nil, "PATCH", "/api/topics/"+itoa(topic.ID), `{"sponsors":["HE","BUND"],"title":"Infrastruktur"}`, "admin")
		wantStatus(t, r, 200)
		r.json(t, &topic)
		if len(topic.Sponsors) != 2 || topic.Title != "Infrastruktur" {
			t.Errorf("patched topic %+v", topic)
		}
		wantStatus(t, f.do(nil, "PATCH", "/api/topics/"+itoa(topic.ID), `{"sponsors":["XX"]}`, "admin"), 400)
		wantStatus(t, f.do(nil, "DELETE", "/api/topics/"+itoa(topic.ID), "", "themenpate"), 403)
		wantStatus(t, f.do(nil, "DELETE", "/api/topics/"+itoa(topic.ID), "", "admin"), 204)
		wantStatus(t, f.do(nil, "DELETE", "/api/topics/"+itoa(topic.ID), "", "admin"), 404)

		phases := "/api/strategies/" + sid + "/phases"
		bad := `{"kind":"beteiligung","title":"Beteiligung","opens_at":"2025-03-10T09:00:00Z","closes_at":"2025-03-01T09:00:00Z"}`
		r = f.do(nil, "POST", phases, bad, "moderator")
		wantStatus(t, r, 400)
		if p := r.problem(t); p["errors"] == nil {
			t.Errorf("no field errors: %s", r.body)
		}
		wantStatus(t, f.do(nil, "POST", phases, `{"kind":"beteiligung","title":"B","opens_at":"gestern"}`, "moderator"), 400)
		wantStatus(t, f.do(nil, "POST", phases, `{"kind":"auswertung","title":"A"}`, "land"), 403)
		good := `{"kind":"beteiligung","title":"Beteiligung der Länder","opens_at":"2020-03-01T09:00:00+01:00","closes_at":"2099-03-01T09:00:00Z"}`
		wantStatus(t, f.do(nil, "POST", phases, good, "moderator"), 201)
		var st domain.Strategy
		f.do(nil, "GET", "/api/strategies/"+sid, "", "land").json(t, &st)
		if st.CurrentPhase == nil || st.CurrentPhase.Kind != domain.PhaseBeteiligung || st.CurrentPhase.OpensAt.Hour() != 8 {
			t.Fatalf("current phase %+v", st.CurrentPhase)
		}
		// Now participants read sections.
		wantStatus(t, f.do(nil, "GET", "/api/sections/"+itoa(f.sections[0].ID), "", "land"), 200)

		// The round froze a Beteiligungsfassung of the section: it is
		// archived, not deleted; a new empty section is deleted.
		wantStatus(t, f.do(nil, "DELETE", path, "", "land"), 403)
		r = f.do(nil, "DELETE", path, "", "admin")
		wantStatus(t, r, 200)
		r.json(t, &sec)
		if sec.ArchivedAt == nil {
			t.Errorf("not archived: %s", r.body)
		}
		wantStatus(t, f.do(nil, "GET", path, "", "admin"), 200)
		f.do(nil, "GET", "/api/strategies/"+sid+"/sections", "", "admin").json(t, &list)
		for _, l := range list {
			if l.ID == sec.ID {
				t.Errorf("archived section still listed: %+v", list)
			}
		}
		r = f.do(nil, "POST", "/api/strategies/"+sid+"/sections", `{"title":"Leer","part":"umsetzungsvorhaben"}`, "admin")
		wantStatus(t, r, 201)
		r.json(t, &sec)
		wantStatus(t, f.do(nil, "DELETE", "/api/sections/"+itoa(sec.ID), "", "admin"), 204)
		wantStatus(t, f.do(nil, "GET", "/api/sections/"+itoa(sec.ID), "", "admin"), 404)

		events, err := db.FindAuditEvents(t.Context(), domain.AuditFilter{})
		must(t, err)
		seen := map[string]int{}
		for _, e := range events {
			seen[e.Action]++
		}
		if seen["phase_changed"] != 1 || seen["structure_changed"] < 6 || seen["denied"] < 3 {
			t.Errorf("audit events %v", seen)
		}
	})
}

func TestUserAdministration(t *testing.T) {
	f := newFixture(t, storetest.Open(t), options{})
	wantStatus(t, f.do(nil, "GET", "/api/users", "", "moderator"), 403)
	wantStatus(t, f.do(nil, "GET", "/api/users", "", ""), 401)
	var users []domain.User
	f.do(nil, "GET", "/api/users", "", "admin").json(t, &users)
	if len(users) != 5 {
		t.Errorf("%d users", len(users))
	}

	r := f.do(nil, "POST", "/api/users", `{"email":"neu@example.de","name":"Neu","org":"SN","roles":["land"]}`, "admin")
	wantStatus(t, r, 201)
	var created struct {
		domain.User
		Password string `json:"password"`
	}
	r.json(t, &created)
	if len(created.Password) < 12 || created.Org.Code != "SN" {
		t.Fatalf("created %+v", created)
	}
	wantStatus(t, f.login(f.client(), "neu@example.de", created.Password), 200)
	wantStatus(t, f.do(nil, "POST", "/api/users", `{"email":"neu@example.de","name":"Neu","org":"SN","roles":["land"]}`, "admin"), 409)
	wantStatus(t, f.do(nil, "POST", "/api/users", `{"email":"x@example.de","name":"X","org":"SN","roles":["kaiser"]}`, "admin"), 400)
	wantStatus(t, f.do(nil, "POST", "/api/users", `{"email":"x@example.de","name":"X","org":"ZZ","roles":["land"]}`, "admin"), 400)
	wantStatus(t, f.do(nil, "POST", "/api/users", `{"email":"kein-at","name":"X","org":"SN","roles":["land"]}`, "admin"), 400)
	wantStatus(t, f.do(nil, "POST", "/api/users", `{"email":"y@example.de","name":"Y","org":"SN","roles":["land"],"password":"kurz"}`, "admin"), 400)

	r = f.do(nil, "PATCH", "/api/users/"+itoa(created.ID), `{"roles":["themenpate"],"topic_ids":[`+itoa(f.topic.ID)+`]}`, "admin")
	wantStatus(t, r, 200)
	var u domain.User
	r.json(t, &u)
	if !u.SponsorsTopic(f.topic.ID) {
		t.Errorf("updated %+v", u)
	}
	wantStatus(t, f.do(nil, "PATCH", "/api/users/999999", `{"name":"X"}`, "admin"), 404)
	wantStatus(t, f.do(nil, "PATCH", "/api/users/"+itoa(f.users["admin"].ID), `{"roles":["reader"]}`, "admin"), 400)
	events, err := f.db.FindAuditEvents(t.Context(), domain.AuditFilter{Action: "role_changed"})
	must(t, err)
	if len(events) != 1 || *events[0].ActorID != f.users["admin"].ID {
		t.Errorf("role_changed events %+v", events)
	}
}

// TestDeleteUser: deleting an account removes its personal data, keeps the
// row (and so its contributions) under a pseudonym, ends its access at
// once and is audited; only administrators delete, never themselves.
func TestDeleteUser(t *testing.T) {
	f := newFixture(t, storetest.Open(t), options{})
	land := f.users["land"]
	c := f.client()
	wantStatus(t, f.login(c, land.Email, testPassword), 200)
	path := "/api/users/" + itoa(land.ID)
	wantStatus(t, f.do(nil, "DELETE", path, "", "moderator"), 403)
	wantStatus(t, f.do(nil, "DELETE", "/api/users/"+itoa(f.users["admin"].ID), "", "admin"), 400)
	wantStatus(t, f.do(nil, "DELETE", "/api/users/999999", "", "admin"), 404)

	r := f.do(nil, "DELETE", path, "", "admin")
	wantStatus(t, r, 200)
	var u domain.User
	r.json(t, &u)
	if u.Name != "Gelöschtes Konto #"+itoa(land.ID) || strings.Contains(u.Email, "example.de") || !u.Disabled ||
		len(u.Roles) != 0 || u.Org.Code != "HE" {
		t.Fatalf("deleted account = %+v", u)
	}
	wantStatus(t, f.do(c, "GET", "/api/me", "", ""), 401)       // the session is gone
	wantStatus(t, f.do(nil, "GET", "/api/me", "", "land"), 401) // and the API token
	wantStatus(t, f.login(f.client(), land.Email, testPassword), 401)
	if _, err := f.db.FindUserByEmail(t.Context(), land.Email); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("the old e-mail is still stored: %v", err)
	}
	events, err := f.db.FindAuditEvents(t.Context(), domain.AuditFilter{Action: "user_deleted"})
	must(t, err)
	if len(events) != 1 || events[0].Target != "user:"+itoa(land.ID) || *events[0].ActorID != f.users["admin"].ID {
		t.Fatalf("user_deleted events %+v", events)
	}
	// The audit log names the person only by the pseudonym now.
	logins, err := f.db.FindAuditEvents(t.Context(), domain.AuditFilter{Action: "login", ActorID: &land.ID})
	must(t, err)
	if len(logins) != 1 || logins[0].ActorName != u.Name {
		t.Fatalf("the deleted person's login in the audit log: %+v", logins)
	}
}

func TestHistoryRoutes(t *testing.T) {
	f := newFixture(t, storetest.Open(t), options{})
	sec := "/api/sections/" + itoa(f.sections[0].ID)
	r := f.do(nil, "GET", sec+"/history?limit=10", "", "themenpate")
	wantStatus(t, r, 200)
	wantStatus(t, f.do(nil, "GET", sec+"/history?limit=abc", "", "themenpate"), 400)
	wantStatus(t, f.do(nil, "GET", sec+"/history?limit=100000", "", "themenpate"), 400)
	wantStatus(t, f.do(nil, "GET", sec+"/history", "", "land"), 403)
	r = f.do(nil, "GET", sec+"/text?v=0", "", "themenpate")
	wantStatus(t, r, 200)
	if !strings.Contains(string(r.body), `"text":"v"`) {
		t.Errorf("text at 0: %s", r.body)
	}
	wantStatus(t, f.do(nil, "GET", sec+"/text?v=5", "", "themenpate"), 400)
	wantStatus(t, f.do(nil, "GET", sec+"/text", "", "themenpate"), 400)
	wantStatus(t, f.do(nil, "POST", sec+"/restore", `{"version":0}`, "reader"), 403)
	wantStatus(t, f.do(nil, "POST", sec+"/restore", `{"version":7}`, "themenpate"), 400)
	wantStatus(t, f.do(nil, "POST", sec+"/restore", `{}`, "themenpate"), 400)
	wantStatus(t, f.do(nil, "POST", sec+"/restore", `{"version":0}`, "themenpate"), 200)
	if len(f.history.restored) != 1 {
		t.Errorf("restores %v", f.history.restored)
	}
	// The Themenpate of one topic may not restore another section.
	wantStatus(t, f.do(nil, "POST", "/api/sections/"+itoa(f.sections[1].ID)+"/restore", `{"version":0}`, "themenpate"), 403)

	g := newFixture(t, storetest.Open(t), options{noHistory: true})
	r = g.do(nil, "GET", "/api/sections/"+itoa(g.sections[0].ID)+"/history", "", "admin")
	wantStatus(t, r, 503)
	r.problem(t)
}

func TestBadInput(t *testing.T) {
	f := newFixture(t, storetest.Open(t), options{})
	path := "/api/strategies/" + itoa(f.strategy.ID) + "/sections"
	cases := []struct {
		body, ct string
		status   int
		field    string
	}{
		{`{"title":"A","part":"dachstrategie","extra":1}`, "", 400, "extra"},
		{`{"title":"A",`, "", 400, ""},
		{`{"title":1,"part":"dachstrategie"}`, "", 400, "title"},
		{`{"title":"A","part":"dachstrategie","topic_id":1e400}`, "", 400, "topic_id"},
		{`{"title":"A","part":"dachstrategie","topic_id":99999999999999999999}`, "", 400, "topic_id"},
		{`{"title":"","part":"dachstrategie"}`, "", 400, "title"},
		{`{"title":"A","part":"dach"}`, "", 400, "part"},
		{"{\"title\":\"\xff\xfe\",\"part\":\"dachstrategie\"}", "", 400, ""},
		{`[1,2]`, "", 400, ""},
		{`{"title":"A","part":"dachstrategie"} {}`, "", 400, ""},
		{`{"title":"A","part":"dachstrategie"}`, "Content-Type: text/plain", 415, ""},
		{`{"title":"` + strings.Repeat("x", 2<<20) + `"}`, "", 413, ""},
	}
	for _, tc := range cases {
		hdr := []string{}
		if tc.ct != "" {
			hdr = append(hdr, tc.ct)
		}
		r := f.do(nil, "POST", path, tc.body, "admin", hdr...)
		if r.status != tc.status {
			t.Errorf("%.60q: status %d, want %d: %s", tc.body, r.status, tc.status, r.body)
			continue
		}
		p := r.problem(t)
		if tc.field == "" {
			continue
		}
		errs, _ := p["errors"].([]any)
		if len(errs) != 1 || errs[0].(map[string]any)["field"] != tc.field {
			t.Errorf("%.60q: errors %v, want field %q", tc.body, p["errors"], tc.field)
		}
	}
	// A body without a declared length is cut off while reading.
	req, err := http.NewRequest("POST", f.srv.URL+path, io.MultiReader(strings.NewReader(`{"title":"`), strings.NewReader(strings.Repeat("x", 2<<20))))
	must(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+f.tokens["admin"])
	resp, err := http.DefaultClient.Do(req)
	must(t, err)
	resp.Body.Close()
	if resp.StatusCode != 413 || req.ContentLength != 0 {
		t.Errorf("chunked oversized body: %d (length %d)", resp.StatusCode, req.ContentLength)
	}
	// An empty body fails early.
	wantStatus(t, f.do(nil, "POST", path, "", "admin", "Content-Type: application/json"), 400)
	r := f.do(nil, "PUT", "/api/sections/1", "{}", "admin")
	wantStatus(t, r, 405)
	if r.header.Get("Allow") == "" {
		t.Error("405 without Allow")
	}
	r.problem(t)
}
