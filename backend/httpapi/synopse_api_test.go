package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/strategieraum/strategieraum/backend/consult"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// The Synopse compares the Beteiligungsfassung with the current text by
// default, puts a thread beside the paragraph it cites, refuses bad
// versions with a German problem and renders as an office document.
func TestSectionSynopseAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, options{})
		f.openConsultation(t, "Erster Absatz.\n\nZweiter Absatz.")
		id := f.sections[0].ID
		r := f.do(nil, "POST", fmt.Sprintf("/api/sections/%d/threads", id), `{"kind":"frage","start":16,"end":23,"version":1,"body":"Welcher?"}`, "land")
		wantStatus(t, r, 201)
		base := fmt.Sprintf("/api/sections/%d/synopse", id)

		r = f.do(nil, "GET", base, "", "land")
		wantStatus(t, r, 200)
		var sy consult.Synopse
		r.json(t, &sy)
		if len(sy.Rows) != 2 || sy.Rows[0].Line != 1 || sy.Rows[1].Line != 2 || len(sy.Rows[0].Threads) != 0 ||
			len(sy.Rows[1].Threads) != 1 || sy.Rows[1].Threads[0].Quote != "Zweiter" || sy.From.NamedVersionID == nil ||
			!strings.HasPrefix(sy.From.Label, "Beteiligungsfassung ") {
			t.Fatalf("synopse = %+v", sy)
		}

		for _, c := range []struct {
			query, as string
			status    int
		}{
			{"?from=named:x", "land", 400},
			{"?to=99", "land", 400},
			{"?from=named:999999", "land", 404},
			{"?format=xls", "land", 400},
			{"", "", 401},
		} {
			r := f.do(nil, "GET", base+c.query, "", c.as)
			wantStatus(t, r, c.status)
			if !strings.HasPrefix(r.header.Get("Content-Type"), "application/problem+json") || !strings.Contains(string(r.body), `"detail"`) {
				t.Errorf("%s: %s %s", c.query, r.header.Get("Content-Type"), r.body)
			}
		}
		wantStatus(t, f.do(nil, "GET", "/api/sections/999999/synopse", "", "land"), 404)

		r = f.do(nil, "GET", base+"?format=docx", "", "land")
		wantStatus(t, r, 200)
		if !strings.Contains(r.header.Get("Content-Type"), "wordprocessingml") || !strings.Contains(r.header.Get("Content-Disposition"), "synopse-abschnitt-") || len(r.body) < 1000 {
			t.Fatalf("docx: %v, %d bytes", r.header, len(r.body))
		}
	})
}
