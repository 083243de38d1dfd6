package httpapi_test

import (
	"strings"
	"testing"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

func TestLanguage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, options{})
		u := f.addUser("person", "HE", []domain.Role{domain.RoleLand}, nil)
		c := f.client()
		wantStatus(t, f.login(c, u.Email, testPassword), 200)

		var me struct {
			Language string `json:"language"`
		}
		lang := func() string {
			r := f.do(c, "GET", "/api/me", "", "")
			wantStatus(t, r, 200)
			r.json(t, &me)
			return me.Language
		}
		if got := lang(); got != "de" {
			t.Fatalf("default language %q, want de", got)
		}
		r := f.do(c, "PUT", "/api/me/language", `{"language":"en"}`, "")
		wantStatus(t, r, 200)
		r.json(t, &me)
		if me.Language != "en" || lang() != "en" {
			t.Fatalf("after PUT en: %q, /api/me %q", me.Language, lang())
		}
		// A new session takes the stored language.
		other := f.client()
		wantStatus(t, f.login(other, u.Email, testPassword), 200)
		r = f.do(other, "GET", "/api/me", "", "")
		r.json(t, &me)
		if me.Language != "en" {
			t.Fatalf("other session sees %q", me.Language)
		}

		r = f.do(c, "PUT", "/api/me/language", `{"language":"fr"}`, "")
		wantField(t, r, "language")
		if p := r.problem(t); !strings.Contains(string(r.body), "Bitte wählen") || p["status"] != float64(400) {
			t.Fatalf("problem for an unknown language: %s", r.body)
		}
		wantStatus(t, f.do(c, "PUT", "/api/me/language", `{"language":"en","x":1}`, ""), 400)
		wantStatus(t, f.do(c, "PUT", "/api/me/language", `{}`, ""), 400)
		wantStatus(t, f.do(nil, "PUT", "/api/me/language", `{"language":"de"}`, ""), 401)
		if lang() != "en" {
			t.Fatal("a refused PUT changed the language")
		}
		wantStatus(t, f.do(c, "PUT", "/api/me/language", `{"language":"de"}`, ""), 200)
		if lang() != "de" {
			t.Fatal("back to de")
		}
	})
}
