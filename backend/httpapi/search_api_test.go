package httpapi_test

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"

	"github.com/strategieraum/strategieraum/backend/consult"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// Search answers with marked passages and links, and any query string
// whatsoever gets a result or a German problem, never a 500.
func TestSearchAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, options{})
		f.openConsultation(t, "Die Verwaltung arbeitet digital und teilt Daten sicher.")
		sec := f.sections[0].ID
		r := f.do(nil, "POST", fmt.Sprintf("/api/sections/%d/threads", sec),
			`{"kind":"aenderungsvorschlag","start":4,"end":14,"version":1,"body":"Präziser <b>bitte</b>.","replacement":"öffentliche Verwaltung"}`, "land")
		wantStatus(t, r, 201)
		search := fmt.Sprintf("/api/strategies/%d/search?q=", f.strategy.ID)

		r = f.do(nil, "GET", search+url.QueryEscape("Verwaltung"), "", "land")
		wantStatus(t, r, 200)
		var res consult.SearchResult
		r.json(t, &res)
		if res.Total != 3 || len(res.Hits) != 3 { // both sections (one by its title) and the proposal
			t.Fatalf("result = %+v", res)
		}
		for _, h := range res.Hits {
			marked := ""
			for _, p := range h.Snippet {
				if p.Mark {
					marked += p.Text
				}
			}
			if marked != "Verwaltung" && marked != "VerwaltungVerwaltung" {
				t.Errorf("%s %d: marked %q in %+v", h.Kind, h.ID, marked, h.Snippet)
			}
			if !strings.HasPrefix(h.Link, fmt.Sprintf("/abschnitte/%d", h.SectionID)) {
				t.Errorf("link %q", h.Link)
			}
		}
		r = f.do(nil, "GET", search+"bitte&kind=comment&org=HE&status=offen&section="+itoa(sec), "", "land")
		wantStatus(t, r, 200)
		res = consult.SearchResult{}
		r.json(t, &res)
		if res.Total != 1 || res.Hits[0].Kind != "comment" || res.Hits[0].OrgCode != "HE" || !strings.Contains(res.Hits[0].Link, "#diskussion-") {
			t.Fatalf("comment hit = %+v", res)
		}
		for _, p := range res.Hits[0].Snippet {
			if p.Mark && p.Text != "bitte" {
				t.Fatalf("markup marked: %+v", res.Hits[0].Snippet)
			}
		}

		for _, c := range []struct{ query, as string }{
			{"", "land"}, {"%22Verwaltung", "land"}, {"*", "land"}, {"()", "land"}, {url.QueryEscape(strings.Repeat("x", 201)), "land"},
			{"a&kind=abschnitt", "land"}, {"a&status=neu", "land"}, {"a&org=XX", "land"}, {"a&limit=500", "land"}, {"a&offset=-1", "land"},
			{"a&section=abc", "land"},
		} {
			r := f.do(nil, "GET", search+c.query, "", c.as)
			wantStatus(t, r, 400)
			if !strings.HasPrefix(r.header.Get("Content-Type"), "application/problem+json") || !strings.Contains(string(r.body), `"detail"`) {
				t.Errorf("%s: %s %s", c.query, r.header.Get("Content-Type"), r.body)
			}
		}
		wantStatus(t, f.do(nil, "GET", search+"Verwaltung", "", ""), 401)
		wantStatus(t, f.do(nil, "GET", "/api/strategies/999999/search?q=Verwaltung", "", "land"), 404)

		// Fuzz-ish: operators of FTS5 and tsquery in every combination.
		pieces := []string{`"`, "*", "(", ")", "NEAR", "NEAR/2", "AND", "OR", "NOT", "-", "+", "^", ":", "'", "\\", "{", "}",
			"&", "|", "!", "<->", "Verwaltung", "digital", " ", "ä", "\u00a0", "title:", "%", "_", ";", "--"}
		rng := rand.New(rand.NewPCG(1, 2))
		for i := 0; i < 200; i++ {
			var b strings.Builder
			for n := rng.IntN(8); n >= 0; n-- {
				b.WriteString(pieces[rng.IntN(len(pieces))])
			}
			q := b.String()
			r := f.do(nil, "GET", search+url.QueryEscape(q), "", "land")
			if r.status != 200 && r.status != 400 {
				t.Fatalf("q=%q: status %d: %s", q, r.status, r.body)
			}
		}
	})
}
