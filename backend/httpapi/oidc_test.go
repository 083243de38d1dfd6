package httpapi_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/httpapi"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// issuer is an OpenID provider for the tests, standing in for Keycloak (no
// identity provider can be installed where the tests run). It serves
// discovery and keys, signs ID tokens with RS256, and at its token endpoint
// checks the client secret and the PKCE verifier (S256) like a real one.
type issuer struct {
	t   *testing.T
	srv *httptest.Server
	key *rsa.PrivateKey

	mu    sync.Mutex
	codes map[string]grant
}

// grant is what the issuer remembers about an authorization code.
type grant struct {
	challenge, nonce string
	claims           map[string]any
}

func newIssuer(t *testing.T) *issuer {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	must(t, err)
	is := &issuer{t: t, key: key, codes: map[string]grant{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		base := is.srv.URL
		json.NewEncoder(w).Encode(map[string]any{
			"issuer": base, "authorization_endpoint": base + "/auth", "token_endpoint": base + "/token",
			"jwks_uri": base + "/keys", "id_token_signing_alg_values_supported": []string{"RS256"},
			"response_types_supported": []string{"code"}, "subject_types_supported": []string{"public"},
		})
	})
	mux.HandleFunc("GET /keys", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	})
	mux.HandleFunc("POST /token", is.token)
	is.srv = httptest.NewServer(mux)
	t.Cleanup(is.srv.Close)
	return is
}

// authorize plays the person signing in at the issuer: it takes the
// redirect the server sent, remembers the code's challenge and nonce and
// returns the callback URL the issuer would send the browser to.
func (is *issuer) authorize(authURL string, claims map[string]any) string {
	u, err := url.Parse(authURL)
	must(is.t, err)
	q := u.Query()
	if q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("nonce") == "" || q.Get("state") == "" {
		is.t.Fatalf("authorization request without PKCE, nonce or state: %s", authURL)
	}
	if !strings.Contains(q.Get("scope"), "openid") || q.Get("client_id") != "strategieraum" {
		is.t.Fatalf("authorization request: %s", authURL)
	}
	code := "code-" + q.Get("state")[:8]
	is.mu.Lock()
	is.codes[code] = grant{challenge: q.Get("code_challenge"), nonce: q.Get("nonce"), claims: claims}
	is.mu.Unlock()
	return q.Get("redirect_uri") + "?" + url.Values{"code": {code}, "state": {q.Get("state")}}.Encode()
}

func (is *issuer) token(w http.ResponseWriter, r *http.Request) {
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostFormValue("client_id"), r.PostFormValue("client_secret")
	}
	is.mu.Lock()
	g, found := is.codes[r.PostFormValue("code")]
	delete(is.codes, r.PostFormValue("code"))
	is.mu.Unlock()
	sum := sha256.Sum256([]byte(r.PostFormValue("code_verifier")))
	if id != "strategieraum" || secret != "geheim" || !found || base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"error":"invalid_grant"}`))
		return
	}
	claims := map[string]any{"iss": is.srv.URL, "aud": "strategieraum", "sub": "p-1", "nonce": g.nonce,
		"iat": time.Now().Unix(), "exp": time.Now().Add(5 * time.Minute).Unix()}
	for k, v := range g.claims {
		claims[k] = v
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"access_token": "a", "token_type": "Bearer", "expires_in": 300, "id_token": is.sign(claims)})
}

func (is *issuer) sign(claims map[string]any) string {
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: is.key}, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", "k1"))
	must(is.t, err)
	payload, err := json.Marshal(claims)
	must(is.t, err)
	jws, err := signer.Sign(payload)
	must(is.t, err)
	out, err := jws.CompactSerialize()
	must(is.t, err)
	return out
}

// ssoFixture is a server with single sign-on against a test issuer.
func ssoFixture(t *testing.T, createUsers bool) (*fixture, *issuer) {
	is := newIssuer(t)
	f := newFixture(t, storetest.Open(t), options{cfg: httpapi.Config{OIDC: httpapi.OIDCConfig{
		Issuer: is.srv.URL, ClientID: "strategieraum", ClientSecret: "geheim",
		RedirectURL: "http://strategieraum.test/api/auth/oidc/callback", CreateUsers: createUsers}}})
	return f, is
}

// noRedirects is a client with a cookie jar that shows redirects instead
// of following them.
func noRedirects(f *fixture) *http.Client {
	c := f.client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c
}

// begin starts a flow in browser c and lets the person sign in at the
// issuer with claims; it returns the callback URL the issuer redirects to.
func begin(t *testing.T, f *fixture, is *issuer, c *http.Client, next string, claims map[string]any) *url.URL {
	t.Helper()
	r := f.do(c, "GET", "/api/auth/oidc/login?next="+url.QueryEscape(next), "", "")
	wantStatus(t, r, http.StatusFound)
	u, err := url.Parse(is.authorize(r.header.Get("Location"), claims))
	must(t, err)
	return u
}

// back calls the callback u (with query q if set) in browser c and returns
// where it redirects.
func back(t *testing.T, f *fixture, c *http.Client, u *url.URL, q url.Values) string {
	t.Helper()
	if q == nil {
		q = u.Query()
	}
	r := f.do(c, "GET", u.Path+"?"+q.Encode(), "", "")
	wantStatus(t, r, http.StatusFound)
	return r.header.Get("Location")
}

// signIn runs the flow from the login link to the callback and returns the
// callback's redirect target.
func signIn(t *testing.T, f *fixture, is *issuer, c *http.Client, next string, claims map[string]any) string {
	t.Helper()
	return back(t, f, c, begin(t, f, is, c, next, claims), nil)
}

func TestSingleSignOn(t *testing.T) {
	f, is := ssoFixture(t, false)
	var cfg map[string]bool
	f.do(nil, "GET", "/api/auth/config", "", "").json(t, &cfg)
	if !cfg["oidc"] || !cfg["password"] {
		t.Fatalf("auth config %v", cfg)
	}
	land := f.users["land"]

	c := noRedirects(f)
	// The first sign-in links by a verified e-mail address; the test
	// issuer's subject is "p-1" unless the claims say otherwise.
	if to := signIn(t, f, is, c, "/abschnitte/1?v=2", map[string]any{"email": strings.ToUpper(land.Email), "email_verified": true}); to != "/abschnitte/1?v=2" {
		t.Fatalf("after signing in: redirect to %q", to)
	}
	var me domain.User
	r := f.do(c, "GET", "/api/me", "", "")
	wantStatus(t, r, 200)
	r.json(t, &me)
	if me.ID != land.ID {
		t.Fatalf("signed in as %+v", me)
	}
	logins, err := f.db.FindAuditEvents(t.Context(), domain.AuditFilter{Action: "login", ActorID: &land.ID})
	must(t, err)
	if len(logins) != 1 || logins[0].Detail != "Single Sign-on" {
		t.Fatalf("login audit %+v", logins)
	}

	// Never a redirect to another site, however the path is disguised.
	for _, next := range []string{"//evil.example/", "https://evil.example/", "/\\evil.example", "/%09/evil.example",
		"/\t/evil.example", "/%2F/evil.example", "/%2f%2fevil.example", "/%5Cevil.example", "/%5c%5cevil.example",
		"/%0d%0a/evil.example", "/\x7f/evil.example", "https:evil.example", "javascript:alert(1)", "evil.example"} {
		if to := signIn(t, f, is, noRedirects(f), next, map[string]any{"email": land.Email}); to != "/" {
			t.Errorf("next=%q led to %q", next, to)
		}
	}
	// Paths on this site, with query and fragment, stay as they are.
	for _, next := range []string{"/abschnitte/1?v=2#z12", "/suche?q=a%20b", "/"} {
		if to := signIn(t, f, is, noRedirects(f), next, map[string]any{"email": land.Email}); to != next {
			t.Errorf("next=%q led to %q", next, to)
		}
	}
	// Refusals go back to the login page with a reason, and no session.
	for _, tc := range []struct {
		claims map[string]any
		reason string
	}{
		{map[string]any{"sub": "p-2", "email": "niemand@example.de", "email_verified": true, "name": "Niemand", "organisation": "HE"}, "unknown"},
		{map[string]any{"sub": "p-3", "email": f.users["moderator"].Email, "email_verified": false}, "email"},
		// Without email_verified the address is not taken as proof either.
		{map[string]any{"sub": "p-4", "email": f.users["moderator"].Email}, "email"},
		{map[string]any{"sub": "p-5", "email": f.users["moderator"].Email, "email_verified": "true"}, "email"},
		{map[string]any{"sub": "p-6", "name": "Ohne Adresse"}, "email"},
		// The account is linked to p-1 already: another subject with its
		// verified address is another person.
		{map[string]any{"sub": "p-7", "email": land.Email, "email_verified": true}, "linked"},
	} {
		c := noRedirects(f)
		if to := signIn(t, f, is, c, "/", tc.claims); to != "/anmelden?sso="+tc.reason {
			t.Errorf("%v: redirect to %q; want reason %s", tc.claims, to, tc.reason)
		}
		wantStatus(t, f.do(c, "GET", "/api/me", "", ""), 401)
	}
}

// TestSingleSignOnLinksBySubject: once linked, the issuer's subject finds
// the account, whatever e-mail address the issuer sends later; a changed
// address never moves the person to another account.
func TestSingleSignOnLinksBySubject(t *testing.T) {
	f, is := ssoFixture(t, false)
	land, moderator := f.users["land"], f.users["moderator"]
	if to := signIn(t, f, is, noRedirects(f), "/", map[string]any{"sub": "p-1", "email": land.Email, "email_verified": true}); to != "/" {
		t.Fatalf("first sign-in: %q", to)
	}
	for _, claims := range []map[string]any{
		{"sub": "p-1", "email": moderator.Email, "email_verified": true},
		{"sub": "p-1", "email": "neue-adresse@example.de"},
		{"sub": "p-1"},
	} {
		c := noRedirects(f)
		if to := signIn(t, f, is, c, "/", claims); to != "/" {
			t.Fatalf("%v: %q", claims, to)
		}
		var me domain.User
		f.do(c, "GET", "/api/me", "", "").json(t, &me)
		if me.ID != land.ID {
			t.Fatalf("%v signed in as %s, want %s", claims, me.Email, land.Email)
		}
	}
	// The moderator links with their own subject, and a deleted account's
	// link is gone with it.
	if to := signIn(t, f, is, noRedirects(f), "/", map[string]any{"sub": "p-2", "email": moderator.Email, "email_verified": true}); to != "/" {
		t.Fatalf("moderator: %q", to)
	}
	_, err := f.db.PseudonymiseUser(t.Context(), land.ID)
	must(t, err)
	if to := signIn(t, f, is, noRedirects(f), "/", map[string]any{"sub": "p-1"}); to != "/anmelden?sso=email" {
		t.Fatalf("deleted account: %q", to)
	}
}

// The flow is bound to the browser that began it (state in a cookie), to
// the code's PKCE verifier and to the nonce.
func TestSingleSignOnRefusesForgedCallbacks(t *testing.T) {
	f, is := ssoFixture(t, false)
	email := map[string]any{"email": f.users["land"].Email}
	c := noRedirects(f)
	cb := begin(t, f, is, c, "/", email)

	// Another browser (no flow cookie) cannot use the code.
	if to := back(t, f, noRedirects(f), cb, nil); to != "/anmelden?sso=state" {
		t.Fatalf("callback in another browser: %q", to)
	}
	// A wrong state is refused even with the cookie.
	q := cb.Query()
	q.Set("state", "falsch")
	if to := back(t, f, c, cb, q); to != "/anmelden?sso=state" {
		t.Fatalf("wrong state: %q", to)
	}
	wantStatus(t, f.do(c, "GET", "/api/me", "", ""), 401)

	// A code issued for another flow (its verifier is not ours) fails at the
	// token endpoint.
	c2 := noRedirects(f)
	mine := begin(t, f, is, c2, "/", email)
	theirs := begin(t, f, is, noRedirects(f), "/", email)
	swapped := url.Values{"code": {theirs.Query().Get("code")}, "state": {mine.Query().Get("state")}}
	if to := back(t, f, c2, mine, swapped); to != "/anmelden?sso=failed" {
		t.Fatalf("a code of another flow: %q", to)
	}
	wantStatus(t, f.do(c2, "GET", "/api/me", "", ""), 401)

	// An ID token with another nonce is refused.
	c4 := noRedirects(f)
	if to := back(t, f, c4, begin(t, f, is, c4, "/", map[string]any{"email": f.users["land"].Email, "nonce": "fremd"}), nil); to != "/anmelden?sso=failed" {
		t.Fatalf("foreign nonce: %q", to)
	}
	// The issuer said no.
	c5 := noRedirects(f)
	denied := begin(t, f, is, c5, "/", email)
	if to := back(t, f, c5, denied, url.Values{"error": {"access_denied"}, "state": {denied.Query().Get("state")}}); to != "/anmelden?sso=denied" {
		t.Fatalf("access denied: %q", to)
	}
}

// With CreateUsers, a person the issuer vouches for gets a reader account
// in the organisation the claim names; a disabled account stays locked.
func TestSingleSignOnCreatesReaders(t *testing.T) {
	f, is := ssoFixture(t, true)
	c := noRedirects(f)
	if to := signIn(t, f, is, c, "/", map[string]any{"sub": "s-1", "email": "neu@sachsen.example", "email_verified": true, "name": "Neue Person", "organisation": "sn"}); to != "/" {
		t.Fatalf("redirect %q", to)
	}
	var me domain.User
	f.do(c, "GET", "/api/me", "", "").json(t, &me)
	if me.Name != "Neue Person" || me.Org.Code != "SN" || len(me.Roles) != 1 || me.Roles[0] != domain.RoleReader {
		t.Fatalf("created %+v", me)
	}
	if to := signIn(t, f, is, noRedirects(f), "/", map[string]any{"sub": "s-2", "email": "x@nirgendwo.example", "email_verified": true, "name": "X", "organisation": "ZZ"}); to != "/anmelden?sso=unknown" {
		t.Fatalf("unknown organisation: %q", to)
	}
	disabled := true
	_, err := f.db.UpdateUser(t.Context(), me.ID, domain.UserUpdate{Disabled: &disabled})
	must(t, err)
	if to := signIn(t, f, is, noRedirects(f), "/", map[string]any{"sub": "s-1"}); to != "/anmelden?sso=disabled" {
		t.Fatalf("disabled account: %q", to)
	}
}

// Without an issuer the routes do not exist, and the login page is told so.
func TestSingleSignOnOff(t *testing.T) {
	f := newFixture(t, storetest.Open(t), options{})
	var cfg map[string]bool
	f.do(nil, "GET", "/api/auth/config", "", "").json(t, &cfg)
	if cfg["oidc"] {
		t.Fatal("single sign-on reported without an issuer")
	}
	wantStatus(t, f.do(noRedirects(f), "GET", "/api/auth/oidc/login", "", ""), 404)
}
