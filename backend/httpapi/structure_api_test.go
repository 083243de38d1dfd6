package httpapi_test

import (
	"strings"
	"testing"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// TestStrategyRoutes: creating and changing a strategy is the
// administration's; others are refused with a reason, anonymous callers
// are asked to sign in, and bad input is a German problem on the field.
func TestStrategyRoutes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, options{})
		body := `{"title":"Digitalstrategie 2030","description":"Entwurf","statements_public":true}`
		wantStatus(t, f.do(nil, "POST", "/api/strategies", body, ""), 401)
		for _, as := range []string{"moderator", "themenpate", "land", "reader"} {
			r := f.do(nil, "POST", "/api/strategies", body, as)
			wantStatus(t, r, 403)
			if p := r.problem(t); p["reason"] != domain.ReasonAdminOnly {
				t.Errorf("%s: reason %v", as, p["reason"])
			}
		}
		r := f.do(nil, "POST", "/api/strategies", body, "admin")
		wantStatus(t, r, 201)
		var st domain.Strategy
		r.json(t, &st)
		if st.Title != "Digitalstrategie 2030" || !st.StatementsPublic || st.Description != "Entwurf" {
			t.Errorf("created %+v", st)
		}
		path := "/api/strategies/" + itoa(st.ID)
		wantStatus(t, f.do(nil, "PATCH", path, `{"title":"X"}`, ""), 401)
		wantStatus(t, f.do(nil, "PATCH", path, `{"title":"X"}`, "moderator"), 403)
		r = f.do(nil, "PATCH", path, `{"title":"Föderale Digitalstrategie","statements_public":false}`, "admin")
		wantStatus(t, r, 200)
		r.json(t, &st)
		if st.Title != "Föderale Digitalstrategie" || st.StatementsPublic || st.Description != "Entwurf" {
			t.Errorf("patched %+v", st)
		}
		for _, bad := range []struct {
			body, field string
			status      int
		}{
			{`{"title":"  "}`, "title", 400},
			{`{"title":"zwei\nZeilen"}`, "title", 400},
			{`{"description":"` + strings.Repeat("ä", 5001) + `"}`, "description", 413},
		} {
			r := f.do(nil, "PATCH", path, bad.body, "admin")
			wantStatus(t, r, bad.status)
			p := r.problem(t)
			if errs, _ := p["errors"].([]any); len(errs) == 0 || !strings.Contains(string(r.body), bad.field) {
				t.Errorf("%.40s: no error on %s: %s", bad.body, bad.field, r.body)
			}
		}
		wantStatus(t, f.do(nil, "POST", "/api/strategies", `{"description":"ohne Titel"}`, "admin"), 400)
		wantStatus(t, f.do(nil, "PATCH", "/api/strategies/999999", `{"title":"X"}`, "admin"), 404)
		wantStatus(t, f.do(nil, "PATCH", "/api/strategies/abc", `{"title":"X"}`, "admin"), 400)
	})
}
