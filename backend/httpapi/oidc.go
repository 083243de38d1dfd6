package httpapi

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/labstack/echo/v4"
	"golang.org/x/oauth2"

	"github.com/strategieraum/strategieraum/backend/auth"
	"github.com/strategieraum/strategieraum/backend/domain"
)

// Single sign-on with OpenID Connect: authorization code flow with PKCE
// (S256), state and nonce, against one issuer (typically Keycloak, which
// brokers to the Länder's identity providers). The library
// github.com/coreos/go-oidc discovers the issuer and verifies ID tokens
// (signature, issuer, audience, expiry); golang.org/x/oauth2 does the code
// exchange. A person signs in to the account with the same official
// e-mail address; accounts, roles and topics stay with the administration.

// OIDCConfig configures single sign-on; an empty Issuer turns it off.
type OIDCConfig struct {
	Issuer       string
	ClientID     string
	ClientSecret string
	// RedirectURL is <public URL>/api/auth/oidc/callback, registered with
	// the issuer.
	RedirectURL string
	// OrgClaim names the ID token claim with the organisation code (BY,
	// BUND, …); "organisation" if empty. Only used by CreateUsers.
	OrgClaim string
	// CreateUsers creates an account with the role reader for a person
	// without one whose organisation claim names a known organisation;
	// otherwise such a person is turned away.
	CreateUsers bool
}

// ssoCookie carries state, nonce and PKCE verifier from the redirect to
// the issuer to the callback; any instance can finish the flow.
const (
	ssoCookie    = "strategieraum_sso"
	ssoCookieAge = 10 * time.Minute
	ssoPath      = "/api/auth/oidc"
)

// ssoFlow is the content of the sso cookie.
type ssoFlow struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Next     string `json:"x"`
}

// oidcLogin discovers the issuer on first use (and again after a failure),
// so that the server starts while the issuer is unreachable.
type oidcLogin struct {
	cfg    OIDCConfig
	client *http.Client

	mu       sync.Mutex
	oauth    *oauth2.Config
	verifier *oidc.IDTokenVerifier
}

func newOIDCLogin(cfg OIDCConfig) *oidcLogin {
	if cfg.Issuer == "" {
		return nil
	}
	if cfg.OrgClaim == "" {
		cfg.OrgClaim = "organisation"
	}
	return &oidcLogin{cfg: cfg, client: &http.Client{Timeout: 10 * time.Second}}
}

// ctx lets the libraries use o's HTTP client (with its timeout).
func (o *oidcLogin) ctx(ctx context.Context) context.Context {
	return oidc.ClientContext(ctx, o.client)
}

// setup returns the OAuth 2.0 configuration and the ID token verifier.
func (o *oidcLogin) setup(ctx context.Context) (*oauth2.Config, *oidc.IDTokenVerifier, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.oauth != nil {
		return o.oauth, o.verifier, nil
	}
	p, err := oidc.NewProvider(o.ctx(ctx), o.cfg.Issuer)
	if err != nil {
		return nil, nil, fmt.Errorf("oidc discovery: %w", err)
	}
	o.oauth = &oauth2.Config{ClientID: o.cfg.ClientID, ClientSecret: o.cfg.ClientSecret, RedirectURL: o.cfg.RedirectURL,
		Endpoint: p.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "profile", "email"}}
	o.verifier = p.Verifier(&oidc.Config{ClientID: o.cfg.ClientID})
	return o.oauth, o.verifier, nil
}

// authConfig tells the login page which ways to sign in exist.
type authConfig struct {
	Password bool `json:"password"`
	OIDC     bool `json:"oidc"`
}

func (s *Server) handleAuthConfig(c echo.Context) error {
	return c.JSON(http.StatusOK, authConfig{Password: true, OIDC: s.oidc != nil})
}

// handleOIDCLogin sends the browser to the issuer.
func (s *Server) handleOIDCLogin(c echo.Context) error {
	if s.oidc == nil {
		return domain.Errorf(domain.ENOTFOUND, "Die Anmeldung über Single Sign-on ist nicht eingerichtet.")
	}
	oauth, _, err := s.oidc.setup(c.Request().Context())
	if err != nil {
		s.log.Warn("single sign-on unavailable", "request_id", requestID(c), "err", err)
		return s.ssoFailed(c, "unavailable")
	}
	f := ssoFlow{State: auth.NewSecret(""), Nonce: auth.NewSecret(""), Verifier: oauth2.GenerateVerifier(),
		Next: localPath(c.QueryParam("next"))}
	raw, err := json.Marshal(f)
	if err != nil {
		return err
	}
	c.SetCookie(&http.Cookie{Name: ssoCookie, Value: base64.RawURLEncoding.EncodeToString(raw), Path: ssoPath,
		MaxAge: int(ssoCookieAge.Seconds()), HttpOnly: true, Secure: s.cfg.Secure, SameSite: http.SameSiteLaxMode})
	return c.Redirect(http.StatusFound, oauth.AuthCodeURL(f.State, oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier)))
}

// handleOIDCCallback finishes the flow: it checks state, exchanges the
// code with the PKCE verifier, verifies the ID token and its nonce, finds
// the account by e-mail and starts a session. Every failure goes back to
// the login page with a reason it can explain.
func (s *Server) handleOIDCCallback(c echo.Context) error {
	if s.oidc == nil {
		return domain.Errorf(domain.ENOTFOUND, "Die Anmeldung über Single Sign-on ist nicht eingerichtet.")
	}
	var f ssoFlow
	ck, err := c.Cookie(ssoCookie)
	c.SetCookie(&http.Cookie{Name: ssoCookie, Value: "", Path: ssoPath, MaxAge: -1, HttpOnly: true,
		Secure: s.cfg.Secure, SameSite: http.SameSiteLaxMode})
	if err != nil || decodeFlow(ck.Value, &f) != nil || f.State == "" ||
		subtle.ConstantTimeCompare([]byte(f.State), []byte(c.QueryParam("state"))) != 1 {
		return s.ssoFailed(c, "state")
	}
	if c.QueryParam("error") != "" {
		return s.ssoFailed(c, "denied")
	}
	ctx := c.Request().Context()
	oauth, verifier, err := s.oidc.setup(ctx)
	if err != nil {
		return s.ssoFailed(c, "unavailable")
	}
	tok, err := oauth.Exchange(s.oidc.ctx(ctx), c.QueryParam("code"), oauth2.VerifierOption(f.Verifier))
	if err != nil {
		s.log.Warn("oidc code exchange failed", "request_id", requestID(c), "err", err)
		return s.ssoFailed(c, "failed")
	}
	rawID, _ := tok.Extra("id_token").(string)
	idt, err := verifier.Verify(s.oidc.ctx(ctx), rawID)
	if err != nil || subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(f.Nonce)) != 1 {
		s.log.Warn("oidc id token rejected", "request_id", requestID(c), "err", err)
		return s.ssoFailed(c, "failed")
	}
	u, reason, err := s.ssoUser(c, idt)
	if err != nil {
		return err
	}
	if reason != "" {
		return s.ssoFailed(c, reason)
	}
	if err := s.startSession(c, u); err != nil {
		return err
	}
	s.audit(c, u, "login", fmt.Sprintf("user:%d", u.ID), "Single Sign-on")
	return c.Redirect(http.StatusFound, f.Next)
}

// ssoUser finds (or, if configured, creates) the account for a verified ID
// token. reason is set when the person may not sign in. An account once
// signed in through the issuer is found by the issuer's (issuer, subject)
// pair from then on; only the first sign-in links by e-mail, and only with
// an e-mail address the issuer says it has verified (email_verified true).
func (s *Server) ssoUser(c echo.Context, idt *oidc.IDToken) (*domain.User, string, error) {
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil || idt.Subject == "" {
		return nil, "failed", nil
	}
	ctx := c.Request().Context()
	u, err := s.deps.Identities.FindUserByIdentity(ctx, idt.Issuer, idt.Subject)
	if err == nil {
		return s.ssoAllowed(c, u)
	} else if domain.ErrorCode(err) != domain.ENOTFOUND {
		return nil, "", err
	}
	email, _ := claims["email"].(string)
	email = strings.ToLower(strings.TrimSpace(email))
	if verified, _ := claims["email_verified"].(bool); email == "" || !verified {
		s.audit(c, nil, "login_failed", "", "Single Sign-on ohne bestätigte E-Mail-Adresse")
		return nil, "email", nil
	}
	u, err = s.deps.Users.FindUserByEmail(ctx, email)
	switch {
	case domain.ErrorCode(err) == domain.ENOTFOUND:
		u, reason, err := s.ssoCreate(c, claims, email)
		if u == nil || err != nil {
			return nil, reason, err
		}
		return u, "", s.deps.Identities.LinkIdentity(ctx, u.ID, idt.Issuer, idt.Subject)
	case err != nil:
		return nil, "", err
	}
	err = s.deps.Identities.LinkIdentity(ctx, u.ID, idt.Issuer, idt.Subject)
	if domain.ErrorCode(err) == domain.ECONFLICT {
		// The account belongs to another person at the issuer; the e-mail
		// address alone does not make this one its owner.
		s.audit(c, nil, "login_failed", fmt.Sprintf("user:%d", u.ID), "Single Sign-on: Konto gehört zu einer anderen Identität")
		return nil, "linked", nil
	} else if err != nil {
		return nil, "", err
	}
	s.audit(c, u, "sso_linked", fmt.Sprintf("user:%d", u.ID), "")
	return s.ssoAllowed(c, u)
}

// ssoAllowed turns a disabled account away.
func (s *Server) ssoAllowed(c echo.Context, u *domain.User) (*domain.User, string, error) {
	if u.Disabled {
		s.audit(c, u, "login_failed", fmt.Sprintf("user:%d", u.ID), "Konto deaktiviert")
		return nil, "disabled", nil
	}
	return u, "", nil
}

// ssoCreate creates a reader account for a person the issuer vouches for,
// if the installation allows it and the organisation is known.
func (s *Server) ssoCreate(c echo.Context, claims map[string]any, email string) (*domain.User, string, error) {
	code, _ := claims[s.oidc.cfg.OrgClaim].(string)
	name, _ := claims["name"].(string)
	if !s.oidc.cfg.CreateUsers || code == "" || strings.TrimSpace(name) == "" {
		s.audit(c, nil, "login_failed", "", "Single Sign-on ohne Konto")
		return nil, "unknown", nil
	}
	ctx := c.Request().Context()
	org, err := s.deps.Strategies.FindOrganisationByCode(ctx, strings.ToUpper(strings.TrimSpace(code)))
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		s.audit(c, nil, "login_failed", "", "Single Sign-on: unbekannte Organisation")
		return nil, "unknown", nil
	} else if err != nil {
		return nil, "", err
	}
	u := &domain.User{Email: email, Name: truncate(strings.TrimSpace(name), 200), OrgID: org.ID, Roles: []domain.Role{domain.RoleReader}}
	if err := s.deps.Users.CreateUser(ctx, u, ""); err != nil {
		return nil, "", err
	}
	u, err = s.deps.Users.FindUserByID(ctx, u.ID)
	if err != nil {
		return nil, "", err
	}
	s.audit(c, u, "user_created", fmt.Sprintf("user:%d", u.ID), "Single Sign-on: reader")
	return u, "", nil
}

// ssoFailed sends the browser back to the login page with a reason code.
func (s *Server) ssoFailed(c echo.Context, reason string) error {
	return c.Redirect(http.StatusFound, "/anmelden?sso="+url.QueryEscape(reason))
}

func decodeFlow(v string, f *ssoFlow) error {
	raw, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, f)
}

// localPath returns next if it is a path on this site, else "/": the
// redirect after signing in must never lead elsewhere. next must parse as a
// URL without scheme, host or user, start with exactly one "/", and hold
// no backslash and no control character, neither as given nor after
// percent-decoding (browsers and the app's router decode "/%09/host" to a
// path that some read as "//host").
func localPath(next string) string {
	if len(next) > 512 || !strings.HasPrefix(next, "/") {
		return "/"
	}
	decoded, err := url.PathUnescape(next)
	if err != nil {
		return "/"
	}
	for _, v := range []string{next, decoded} {
		if strings.HasPrefix(v, "//") || strings.ContainsRune(v, '\\') || strings.ContainsFunc(v, unicode.IsControl) {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return "/"
	}
	return next
}
