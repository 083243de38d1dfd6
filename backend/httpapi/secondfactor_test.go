package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/httpapi"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// code is the TOTP code of secret at the fixture's clock.
func (f *fixture) code(secret string) string {
	f.t.Helper()
	c, err := totp.GenerateCode(secret, f.clock.Now())
	must(f.t, err)
	return c
}

// enrol sets up a factor for the signed-in client c and returns the secret
// and the recovery codes.
func (f *fixture) enrol(t *testing.T, c *http.Client) (string, []string) {
	t.Helper()
	r := f.do(c, "POST", "/api/me/second-factor", "", "")
	wantStatus(t, r, 200)
	var en struct {
		Secret string `json:"secret"`
		URI    string `json:"otpauth_uri"`
		QR     string `json:"qr_code"`
	}
	r.json(t, &en)
	if en.Secret == "" || en.URI == "" || len(en.QR) < 100 {
		t.Fatalf("enrolment %s", r.body)
	}
	// A wrong code is 403, not 401: the session goes on.
	wantReason(t, f.do(c, "POST", "/api/me/second-factor/confirm", `{"code":"000000"}`, ""), 403, "bad_second_factor")
	r = f.do(c, "POST", "/api/me/second-factor/confirm", `{"code":"`+f.code(en.Secret)+`"}`, "")
	wantStatus(t, r, 200)
	var rc struct {
		Codes []string `json:"recovery_codes"`
	}
	r.json(t, &rc)
	if len(rc.Codes) != domain.RecoveryCodeCount {
		t.Fatalf("recovery codes %s", r.body)
	}
	return en.Secret, rc.Codes
}

func codeBody(code string) string {
	b, _ := json.Marshal(map[string]string{"code": code})
	return string(b)
}

func wantReason(t *testing.T, r response, status int, reason string) {
	t.Helper()
	wantStatus(t, r, status)
	if p := r.problem(t); p["reason"] != reason {
		t.Fatalf("reason %v, want %s: %s", p["reason"], reason, r.body)
	}
}

func TestSecondFactorEnrolAndLogin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, options{})
		c := f.client()
		wantStatus(t, f.login(c, "land@example.de", testPassword), 200)
		secret, codes := f.enrol(t, c)
		// The secret is never shown again: a second enrolment is refused.
		wantStatus(t, f.do(c, "POST", "/api/me/second-factor", "", ""), 409)
		var st map[string]any
		r := f.do(c, "GET", "/api/me/second-factor", "", "")
		wantStatus(t, r, 200)
		r.json(t, &st)
		if st["enabled"] != true || st["required"] != false || st["recovery_codes_left"] != float64(10) {
			t.Fatalf("status %s", r.body)
		}
		wantStatus(t, f.do(c, "DELETE", "/api/session", "", ""), 204)

		// The right password alone gives no session.
		c = f.client()
		r = f.login(c, "land@example.de", testPassword)
		wantStatus(t, r, 202)
		wantStatus(t, f.do(c, "GET", "/api/me", "", ""), 401)
		wantStatus(t, f.do(c, "GET", "/api/strategies", "", ""), 401)
		wantReason(t, f.do(c, "POST", "/api/session/second-factor", codeBody("123456"), ""), 401, "bad_second_factor")
		f.clock.Add(30 * time.Second) // the code used at enrolment is spent
		code := f.code(secret)
		wantStatus(t, f.do(c, "POST", "/api/session/second-factor", codeBody(code), ""), 200)
		wantStatus(t, f.do(c, "GET", "/api/strategies", "", ""), 200)

		// The same code does not work twice, even in another browser.
		c2 := f.client()
		wantStatus(t, f.login(c2, "land@example.de", testPassword), 202)
		wantReason(t, f.do(c2, "POST", "/api/session/second-factor", codeBody(code), ""), 401, "code_reused")
		// A recovery code works once, typed in any case.
		wantStatus(t, f.do(c2, "POST", "/api/session/second-factor", codeBody(" "+codes[0]+" "), ""), 200)
		c3 := f.client()
		wantStatus(t, f.login(c3, "land@example.de", testPassword), 202)
		wantReason(t, f.do(c3, "POST", "/api/session/second-factor", codeBody(codes[0]), ""), 401, "bad_second_factor")
		events, err := db.FindAuditEvents(context.Background(), domain.AuditFilter{Action: "recovery_code_used"})
		must(t, err)
		if len(events) != 1 {
			t.Fatalf("%d recovery_code_used events", len(events))
		}

		// Without a challenge cookie, or after it expired, nothing happens.
		wantReason(t, f.do(nil, "POST", "/api/session/second-factor", codeBody(code), ""), 401, "login_expired")
		f.clock.Add(domain.LoginChallengeTimeout)
		wantReason(t, f.do(c3, "POST", "/api/session/second-factor", codeBody(f.code(secret)), ""), 401, "login_expired")

		// Turning it off needs the password and a code.
		wantStatus(t, f.do(c, "POST", "/api/me/second-factor/disable", `{"password":"falsch-falsch-falsch","code":"`+f.code(secret)+`"}`, ""), 403)
		wantStatus(t, f.do(c, "POST", "/api/me/second-factor/disable", `{"password":"`+testPassword+`","code":"`+f.code(secret)+`"}`, ""), 204)
		wantStatus(t, f.login(f.client(), "land@example.de", testPassword), 200)
	})
}

func TestSecondFactorRequiredForRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, options{cfg: httpapi.Config{RequireSecondFactor: []domain.Role{domain.RoleAdmin, domain.RoleModerator}}})
		c := f.client()
		r := f.login(c, "moderator@example.de", testPassword)
		wantStatus(t, r, 200)
		var me map[string]any
		r.json(t, &me)
		if me["second_factor_setup_required"] != true {
			t.Fatalf("me %s", r.body)
		}
		wantReason(t, f.do(c, "GET", "/api/strategies", "", ""), 403, "second_factor_required")
		wantReason(t, f.do(c, "POST", "/api/tokens", `{"name":"x"}`, ""), 403, "second_factor_required")
		wantReason(t, f.do(c, "GET", "/api/ws", "", ""), 403, "second_factor_required")
		wantStatus(t, f.do(c, "GET", "/api/me", "", ""), 200)
		// API tokens are issued separately and not affected.
		wantStatus(t, f.do(nil, "GET", "/api/strategies", "", "moderator"), 200)
		// Others are not asked.
		wantStatus(t, f.do(nil, "GET", "/api/strategies", "", "land"), 200)
		secret, _ := f.enrol(t, c)
		wantStatus(t, f.do(c, "GET", "/api/strategies", "", ""), 200)
		// The role must keep it.
		f.clock.Add(30 * time.Second)
		wantReason(t, f.do(c, "POST", "/api/me/second-factor/disable", `{"password":"`+testPassword+`","code":"`+f.code(secret)+`"}`, ""),
			403, "required_for_role")
		// An account linked to single sign-on gets its second factor from
		// the identity provider: no TOTP, and no password login for a role
		// that needs a second factor.
		must(t, db.LinkIdentity(context.Background(), f.users["admin"].ID, "https://login.example", "sub-admin"))
		ca := f.client()
		wantReason(t, f.login(ca, "admin@example.de", testPassword), 403, "sso_account")
		must(t, db.LinkIdentity(context.Background(), f.users["land"].ID, "https://login.example", "sub-land"))
		cl := f.client()
		wantStatus(t, f.login(cl, "land@example.de", testPassword), 200)
		wantReason(t, f.do(cl, "POST", "/api/me/second-factor", "", ""), 403, "sso_account")
		var st map[string]any
		r = f.do(cl, "GET", "/api/me/second-factor", "", "")
		r.json(t, &st)
		if st["available"] != false {
			t.Fatalf("offered to an SSO account: %s", r.body)
		}
		// New recovery codes need a current code.
		wantReason(t, f.do(c, "POST", "/api/me/second-factor/recovery-codes", codeBody("000000"), ""), 403, "bad_second_factor")
		wantStatus(t, f.do(c, "POST", "/api/me/second-factor/recovery-codes", codeBody(f.code(secret)), ""), 200)
	})
}

func TestSecondFactorAdminReset(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, options{})
		c := f.client()
		wantStatus(t, f.login(c, "land@example.de", testPassword), 200)
		f.enrol(t, c)
		id := itoa(f.users["land"].ID)
		wantStatus(t, f.do(nil, "POST", "/api/users/"+id+"/second-factor/reset", "", "land"), 403)
		wantStatus(t, f.do(nil, "POST", "/api/users/"+id+"/second-factor/reset", "", "admin"), 204)
		wantStatus(t, f.do(c, "GET", "/api/me", "", ""), 401) // sessions ended
		wantStatus(t, f.do(nil, "POST", "/api/users/"+id+"/second-factor/reset", "", "admin"), 404)
		wantStatus(t, f.login(f.client(), "land@example.de", testPassword), 200) // password alone again
		events, err := db.FindAuditEvents(context.Background(), domain.AuditFilter{Action: "second_factor_reset"})
		must(t, err)
		if len(events) != 1 || events[0].Target != "user:"+id {
			t.Fatalf("audit %+v", events)
		}
	})
}

func TestSecondFactorCodeGuessesThrottled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, options{})
		c := f.client()
		wantStatus(t, f.login(c, "land@example.de", testPassword), 200)
		secret, _ := f.enrol(t, c)
		c = f.client()
		wantStatus(t, f.login(c, "land@example.de", testPassword), 202)
		for i := range 5 {
			r := f.do(c, "POST", "/api/session/second-factor", codeBody("000000"), "")
			if r.status != 401 {
				t.Fatalf("guess %d: %d %s", i, r.status, r.body)
			}
		}
		// Spent: even the right code waits, and a new right password does
		// not refill the budget.
		// (The next step's code, inside the allowed skew.)
		next, err := totp.GenerateCode(secret, f.clock.Now().Add(30*time.Second))
		must(t, err)
		wantStatus(t, f.login(f.client(), "land@example.de", testPassword), 202)
		r := f.do(c, "POST", "/api/session/second-factor", codeBody(next), "")
		wantReason(t, r, 429, "login_throttled")
		if r.header.Get("Retry-After") == "" {
			t.Fatal("no Retry-After")
		}
		// Once the budget refills, that code signs in.
		f.clock.Add(15 * time.Second)
		wantStatus(t, f.do(c, "POST", "/api/session/second-factor", codeBody(next), ""), 200)
	})
}

// TestSecondFactorChallengeCookie: the cookie between password and code is
// HttpOnly, SameSite=Strict and limited to /api/session; under HTTPS it
// carries the __Secure- prefix (__Host- would need the path /), and it
// completes the login when sent back.
func TestSecondFactorChallengeCookie(t *testing.T) {
	f := newFixture(t, storetest.Open(t), options{cfg: httpapi.Config{Secure: true}})
	c := f.client()
	wantStatus(t, f.login(c, "land@example.de", testPassword), 200)
	secret, _ := f.enrol(t, c)
	r := f.login(f.client(), "land@example.de", testPassword)
	wantStatus(t, r, 202)
	ck := sessionCookie(t, r, "__Secure-strategieraum_2fa")
	if !ck.Secure || !ck.HttpOnly || ck.Path != "/api/session" || ck.SameSite != http.SameSiteStrictMode || ck.MaxAge != 300 {
		t.Fatalf("challenge cookie %+v in %v", ck, r.header["Set-Cookie"])
	}
	f.clock.Add(30 * time.Second)
	r = f.do(nil, "POST", "/api/session/second-factor", codeBody(f.code(secret)), "", "Cookie: __Secure-strategieraum_2fa="+ck.Value)
	wantStatus(t, r, 200)
	sessionCookie(t, r, "__Host-"+cookieName)
}
