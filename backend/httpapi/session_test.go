package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/httpapi"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

const cookieName = "strategieraum_session"

func sessionCookie(t *testing.T, r response, name string) *http.Cookie {
	t.Helper()
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == name && c.Value != "" {
			return c
		}
	}
	t.Fatalf("no %s cookie in %v", name, r.header.Values("Set-Cookie"))
	return nil
}

func TestLoginLogout(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, options{})
		c := f.client()

		wrong := f.login(c, "land@example.de", "falsches-passwort")
		wantStatus(t, wrong, 401)
		unknown := f.login(c, "niemand@example.de", "falsches-passwort")
		wantStatus(t, unknown, 401)
		if a, b := wrong.problem(t)["detail"], unknown.problem(t)["detail"]; a != b {
			t.Errorf("wrong password says %q, unknown account says %q", a, b)
		}

		r := f.login(c, "LAND@example.de", testPassword)
		wantStatus(t, r, 200)
		ck := sessionCookie(t, r, cookieName)
		if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.Secure {
			t.Errorf("cookie attributes: %+v", ck)
		}
		var me domain.User
		f.do(c, "GET", "/api/me", "", "").json(t, &me)
		if me.Email != "land@example.de" || me.Org.Code != "HE" {
			t.Errorf("me = %+v", me)
		}

		wantStatus(t, f.do(c, "DELETE", "/api/session", "", ""), 204)
		wantStatus(t, f.do(c, "GET", "/api/me", "", ""), 401)
		// The old token stays dead even if a client keeps sending it.
		wantStatus(t, f.do(nil, "GET", "/api/me", "", "", "Cookie: "+cookieName+"="+ck.Value), 401)

		events, err := db.FindAuditEvents(t.Context(), domain.AuditFilter{})
		must(t, err)
		seen := map[string]bool{}
		for _, e := range events {
			seen[e.Action] = true
		}
		for _, a := range []string{"login", "login_failed", "logout"} {
			if !seen[a] {
				t.Errorf("no %q audit event in %v", a, seen)
			}
		}
	})
}

func TestLoginRenewsSessionID(t *testing.T) {
	f := newFixture(t, storetest.Open(t), options{})
	c := f.client()
	first := sessionCookie(t, f.login(c, "land@example.de", testPassword), cookieName)
	second := sessionCookie(t, f.login(c, "land@example.de", testPassword), cookieName)
	if first.Value == second.Value {
		t.Fatal("login kept the session id")
	}
	wantStatus(t, f.do(nil, "GET", "/api/me", "", "", "Cookie: "+cookieName+"="+first.Value), 401)
	wantStatus(t, f.do(nil, "GET", "/api/me", "", "", "Cookie: "+cookieName+"="+second.Value), 200)

	// A planted, unknown cookie never becomes a session.
	planted := "angreifer-gewaehlt"
	r := f.do(nil, "POST", "/api/session", `{"email":"land@example.de","password":"`+testPassword+`"}`, "",
		"Cookie: "+cookieName+"="+planted)
	wantStatus(t, r, 200)
	if sessionCookie(t, r, cookieName).Value == planted {
		t.Fatal("planted cookie value was kept")
	}
}

func TestSessionIdleAndAbsoluteTimeout(t *testing.T) {
	f := newFixture(t, storetest.Open(t), options{})

	idle := f.client()
	wantStatus(t, f.login(idle, "land@example.de", testPassword), 200)
	f.clock.Add(29 * time.Minute)
	wantStatus(t, f.do(idle, "GET", "/api/me", "", ""), 200) // touches the session
	f.clock.Add(29 * time.Minute)
	wantStatus(t, f.do(idle, "GET", "/api/me", "", ""), 200)
	f.clock.Add(31 * time.Minute)
	wantStatus(t, f.do(idle, "GET", "/api/me", "", ""), 401)

	busy := f.client()
	wantStatus(t, f.login(busy, "land@example.de", testPassword), 200)
	for elapsed := time.Duration(0); elapsed < 12*time.Hour-20*time.Minute; elapsed += 20 * time.Minute {
		f.clock.Add(20 * time.Minute)
		wantStatus(t, f.do(busy, "GET", "/api/me", "", ""), 200)
	}
	f.clock.Add(20 * time.Minute)
	wantStatus(t, f.do(busy, "GET", "/api/me", "", ""), 401)
}

func TestSessionListAndEnd(t *testing.T) {
	f := newFixture(t, storetest.Open(t), options{})
	a, b := f.client(), f.client()
	wantStatus(t, f.login(a, "land@example.de", testPassword), 200)
	wantStatus(t, f.login(b, "land@example.de", testPassword), 200)

	var list []domain.Session
	f.do(a, "GET", "/api/me/sessions", "", "").json(t, &list)
	if len(list) != 2 {
		t.Fatalf("%d sessions, want 2", len(list))
	}
	var other string
	current := 0
	for _, s := range list {
		if s.Current {
			current++
		} else {
			other = s.PublicID
		}
	}
	if current != 1 || other == "" {
		t.Fatalf("sessions %+v: want exactly one current", list)
	}
	wantStatus(t, f.do(a, "DELETE", "/api/me/sessions/"+other, "", ""), 204)
	wantStatus(t, f.do(b, "GET", "/api/me", "", ""), 401)
	wantStatus(t, f.do(a, "GET", "/api/me", "", ""), 200)
	wantStatus(t, f.do(a, "DELETE", "/api/me/sessions/"+other, "", ""), 404)
	// Another user's sessions are not reachable.
	stranger := f.client()
	wantStatus(t, f.login(stranger, "reader@example.de", testPassword), 200)
	wantStatus(t, f.do(stranger, "DELETE", "/api/me/sessions/"+list[0].PublicID, "", ""), 404)
}

func TestDisabledUser(t *testing.T) {
	f := newFixture(t, storetest.Open(t), options{})
	c := f.client()
	wantStatus(t, f.login(c, "land@example.de", testPassword), 200)
	id := f.users["land"].ID

	r := f.do(nil, "PATCH", "/api/users/"+itoa(id), `{"disabled":true}`, "admin")
	wantStatus(t, r, 200)
	wantStatus(t, f.do(c, "GET", "/api/me", "", ""), 401)
	wantStatus(t, f.do(nil, "GET", "/api/me", "", "land"), 401)
	login := f.login(f.client(), "land@example.de", testPassword)
	wantStatus(t, login, 403)
	login.problem(t)
	sessions, err := f.db.FindUserSessions(t.Context(), id)
	must(t, err)
	if len(sessions) != 0 {
		t.Errorf("%d sessions left after disabling", len(sessions))
	}
	wantStatus(t, f.do(nil, "PATCH", "/api/users/"+itoa(f.users["admin"].ID), `{"disabled":true}`, "admin"), 400)
}

func TestAPITokens(t *testing.T) {
	f := newFixture(t, storetest.Open(t), options{})
	c := f.client()
	wantStatus(t, f.login(c, "reader@example.de", testPassword), 200)

	r := f.do(c, "POST", "/api/tokens", `{"name":"Auswertung"}`, "")
	wantStatus(t, r, 201)
	var created struct {
		ID     int64  `json:"id"`
		Secret string `json:"secret"`
		Prefix string `json:"prefix"`
	}
	r.json(t, &created)
	if !strings.HasPrefix(created.Secret, "srt_") || !strings.HasPrefix(created.Secret, created.Prefix) {
		t.Fatalf("created token %+v", created)
	}
	bearer := "Authorization: Bearer " + created.Secret
	var me domain.User
	r = f.do(nil, "GET", "/api/me", "", "", bearer)
	wantStatus(t, r, 200)
	r.json(t, &me)
	if me.ID != f.users["reader"].ID {
		t.Fatalf("token authenticated %d", me.ID)
	}
	list := f.do(c, "GET", "/api/tokens", "", "")
	if strings.Contains(string(list.body), created.Secret) || !strings.Contains(string(list.body), "Auswertung") {
		t.Fatalf("token list %s", list.body)
	}
	wantStatus(t, f.do(nil, "DELETE", "/api/tokens/"+itoa(created.ID), "", "land"), 404)
	wantStatus(t, f.do(c, "DELETE", "/api/tokens/"+itoa(created.ID), "", ""), 204)
	r = f.do(nil, "GET", "/api/me", "", "", bearer)
	wantStatus(t, r, 401)
	if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
		t.Errorf("401 without a Bearer challenge: %v", r.header)
	}
	wantStatus(t, f.do(nil, "GET", "/api/me", "", "", "Authorization: Bearer srt_erfunden"), 401)
	wantStatus(t, f.do(nil, "GET", "/api/me", "", "", "Authorization: Bearer kein-token"), 401)
}

func TestSecureCookie(t *testing.T) {
	f := newFixture(t, storetest.Open(t), options{cfg: httpapi.Config{Secure: true}})
	c := f.client()
	r := f.login(c, "land@example.de", testPassword)
	wantStatus(t, r, 200)
	ck := sessionCookie(t, r, "__Host-"+cookieName)
	if !ck.Secure || !ck.HttpOnly || ck.Path != "/" || ck.Domain != "" {
		t.Errorf("cookie %+v", ck)
	}
	if r.header.Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS under Secure")
	}
	wantStatus(t, f.do(nil, "GET", "/api/me", "", "", "Cookie: __Host-"+cookieName+"="+ck.Value), 200)
}

// TestAPITokenLimits: tokens expire at the chosen date (at most a year),
// and a token can neither create tokens nor end browser sessions.
func TestAPITokenLimits(t *testing.T) {
	f := newFixture(t, storetest.Open(t), options{})
	c := f.client()
	wantStatus(t, f.login(c, "reader@example.de", testPassword), 200)
	for _, days := range []string{"-1", "366", "100000"} {
		wantStatus(t, f.do(c, "POST", "/api/tokens", `{"name":"x","expires_in_days":`+days+`}`, ""), 400)
	}
	r := f.do(c, "POST", "/api/tokens", `{"name":"Wochenbericht","expires_in_days":7}`, "")
	wantStatus(t, r, 201)
	var created struct {
		Secret    string    `json:"secret"`
		ExpiresAt time.Time `json:"expires_at"`
	}
	r.json(t, &created)
	if want := f.clock.Now().Add(7 * 24 * time.Hour).Truncate(time.Microsecond); !created.ExpiresAt.Truncate(time.Microsecond).Equal(want) {
		t.Fatalf("expires %v, want %v", created.ExpiresAt, want)
	}
	bearer := "Authorization: Bearer " + created.Secret

	// What only the person may do.
	wantStatus(t, f.do(nil, "POST", "/api/tokens", `{"name":"Nachschub"}`, "", bearer), 403)
	var sessions []struct {
		ID string `json:"id"`
	}
	f.do(c, "GET", "/api/me/sessions", "", "").json(t, &sessions)
	if len(sessions) != 1 {
		t.Fatalf("sessions %+v", sessions)
	}
	wantStatus(t, f.do(nil, "DELETE", "/api/me/sessions/"+sessions[0].ID, "", "", bearer), 403)
	wantStatus(t, f.do(c, "GET", "/api/me", "", ""), 200)

	wantStatus(t, f.do(nil, "GET", "/api/me", "", "", bearer), 200)
	f.clock.Add(7*24*time.Hour + time.Second)
	r = f.do(nil, "GET", "/api/me", "", "", bearer)
	wantStatus(t, r, 401)
	if p := r.problem(t); !strings.Contains(p["detail"].(string), "abgelaufen") {
		t.Errorf("detail %q", p["detail"])
	}
}
