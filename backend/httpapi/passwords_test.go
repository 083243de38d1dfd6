package httpapi_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

const newPassword = "Kaffee am Morgen im Amt"

func changeBody(current, next string) string {
	b, _ := json.Marshal(map[string]string{"current_password": current, "new_password": next})
	return string(b)
}

// wantField checks a 400 problem naming field.
func wantField(t *testing.T, r response, field string) {
	t.Helper()
	wantStatus(t, r, 400)
	p := r.problem(t)
	errs, _ := p["errors"].([]any)
	for _, e := range errs {
		if m, _ := e.(map[string]any); m["field"] == field {
			return
		}
	}
	t.Fatalf("problem does not name %s: %s", field, r.body)
}

func TestChangePassword(t *testing.T) {
	f := newFixture(t, storetest.Open(t), options{})
	u := f.addUser("person", "HE", []domain.Role{domain.RoleLand}, nil)
	here, there := f.client(), f.client()
	wantStatus(t, f.login(here, u.Email, testPassword), 200)
	wantStatus(t, f.login(there, u.Email, testPassword), 200)

	// Not with an API token, not anonymously.
	wantStatus(t, f.do(nil, "PUT", "/api/me/password", changeBody(testPassword, newPassword), "person"), 403)
	wantStatus(t, f.do(nil, "PUT", "/api/me/password", changeBody(testPassword, newPassword), ""), 401)
	wantField(t, f.do(here, "PUT", "/api/me/password", changeBody("falsch", newPassword), ""), "current_password")
	wantField(t, f.do(here, "PUT", "/api/me/password", changeBody(testPassword, "Passwort2026!"), ""), "new_password")
	wantField(t, f.do(here, "PUT", "/api/me/password", changeBody(testPassword, "kurz"), ""), "new_password")
	wantStatus(t, f.do(there, "GET", "/api/me", "", ""), 200)

	wantStatus(t, f.do(here, "PUT", "/api/me/password", changeBody(testPassword, newPassword), ""), 204)
	wantStatus(t, f.do(here, "GET", "/api/me", "", ""), 200)
	wantStatus(t, f.do(there, "GET", "/api/me", "", ""), 401)
	wantStatus(t, f.login(f.client(), u.Email, testPassword), 401)
	wantStatus(t, f.login(f.client(), u.Email, newPassword), 200)
}

func TestPasswordResetByAdmin(t *testing.T) {
	f := newFixture(t, storetest.Open(t), options{})
	u := f.addUser("person", "HE", []domain.Role{domain.RoleLand}, nil)
	f.addUser("mod", "FITKO", []domain.Role{domain.RoleModerator}, nil)
	c := f.client()
	wantStatus(t, f.login(c, u.Email, testPassword), 200)

	path := "/api/users/" + itoa(u.ID) + "/password-reset"
	wantStatus(t, f.do(nil, "POST", path, "", "mod"), 403)
	wantStatus(t, f.do(nil, "POST", path, "", "person"), 403)
	wantStatus(t, f.do(nil, "POST", "/api/users/99999/password-reset", "", "admin"), 404)
	r := f.do(nil, "POST", path, "", "admin")
	wantStatus(t, r, 201)
	if r.header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control = %q", r.header.Get("Cache-Control"))
	}
	var issued struct {
		Code      string `json:"code"`
		Path      string `json:"path"`
		ExpiresAt string `json:"expires_at"`
	}
	r.json(t, &issued)
	if !strings.HasPrefix(issued.Code, "srp_") || issued.Path != "/passwort-zuruecksetzen#"+issued.Code || issued.ExpiresAt == "" {
		t.Fatalf("issued %s", r.body)
	}
	wantStatus(t, f.do(c, "GET", "/api/me", "", ""), 401) // the session ended at once

	redeem := func(code, pw string) response {
		b, _ := json.Marshal(map[string]string{"code": code, "password": pw})
		return f.do(f.client(), "POST", "/api/password-reset", string(b), "")
	}
	wantField(t, redeem(issued.Code, "person@example.de"), "password")
	wantField(t, redeem("srp_falsch-falsch-falsch-falsch", newPassword), "code")
	wantStatus(t, redeem(issued.Code, newPassword), 204)
	wantField(t, redeem(issued.Code, "Tee am Abend im Büro"), "code")
	wantStatus(t, f.login(f.client(), u.Email, newPassword), 200)

	var evs []domain.AuditEvent
	f.do(nil, "GET", "/api/audit?action=password_reset_issued", "", "admin").json(t, &evs)
	if len(evs) != 1 || evs[0].Target != "user:"+itoa(u.ID) || evs[0].ActorID == nil || *evs[0].ActorID != f.users["admin"].ID {
		t.Fatalf("audit: %+v", evs)
	}
}
