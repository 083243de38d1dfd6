package httpapi

import (
	"cmp"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/strategieraum/strategieraum/backend/account"
	"github.com/strategieraum/strategieraum/backend/beschluss"
	"github.com/strategieraum/strategieraum/backend/consult"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/legal"
	"github.com/strategieraum/strategieraum/backend/limit"
	"github.com/strategieraum/strategieraum/backend/structure"
)

// Config holds plain settings decided by the composition root.
type Config struct {
	// Secure marks a deployment behind HTTPS: cookies get the Secure flag
	// and the __Host- prefix, and responses carry HSTS.
	Secure bool
	// AllowedOrigins are extra origins (scheme://host[:port]) trusted for
	// state-changing requests and the websocket handshake, besides the
	// request's own host.
	AllowedOrigins []string
	// MaxBodyBytes bounds every request body; 0 means 1 MiB.
	MaxBodyBytes int64
	// Version is reported by /healthz.
	Version string
	// TrustedProxies are the addresses of the reverse proxies in front of
	// the server. The client address is read from X-Forwarded-For from the
	// right, skipping only these; the first address not among them is the
	// client. Empty: the header is ignored and the peer address counts.
	TrustedProxies []netip.Prefix
	// BodyReadTimeout bounds reading one request's body (not the
	// websocket's); 0 means 30 s. A client trickling its body is cut off.
	BodyReadTimeout time.Duration
	// RequestsPerSecond and RequestBurst bound API requests per user (or
	// per address when anonymous); 0 takes the defaults (20/s, burst 120),
	// a negative rate turns the limit off.
	RequestsPerSecond float64
	RequestBurst      int
	// ContributionsPerMinute bounds the new threads and comments of one
	// account across all instances; 0 means 10, negative turns it off.
	ContributionsPerMinute int
	// MaxConcurrentHashes bounds password hashes running at once (argon2id
	// takes 19 MiB each); 0 means 4. Logins beyond it wait briefly, then
	// get a 429.
	MaxConcurrentHashes int
	// WebsocketsPerUser caps one account's concurrent live connections
	// across all instances; 0 means 20.
	WebsocketsPerUser int
	// OIDC turns on single sign-on when its Issuer is set (oidc.go).
	OIDC OIDCConfig
	// RequireSecondFactor lists the roles whose local accounts must use a
	// TOTP second factor: after the password they reach nothing but the
	// enrolment until it is set up (secondfactor.go). Accounts linked to
	// single sign-on rely on the identity provider's factor.
	RequireSecondFactor []domain.Role
	// TOTPIssuer names the service in authenticator apps; "" means
	// "Strategieraum".
	TOTPIssuer string
	// MetricsToken, if set, is the bearer token /metrics requires. Without
	// it /metrics answers only connections from the loopback interface
	// (a scraper on the same host), never through a reverse proxy.
	MetricsToken string
}

// NamedPinger is a dependency /readyz checks, with the name it reports.
type NamedPinger struct {
	Name   string
	Pinger domain.Pinger
	// Timeout bounds the check; 0 means one second. A probe must answer
	// quickly even while a dependency hangs or retries.
	Timeout time.Duration
}

// Deps are the services and collaborators the server calls.
type Deps struct {
	Users      domain.UserService
	Sessions   domain.SessionService
	Strategies domain.StrategyService
	Audit      domain.AuditService
	// Resets stores one-time password reset codes; nil answers the reset
	// routes with 503.
	Resets domain.PasswordResetService
	// Mail stores each account's choice of notification mails; nil
	// answers its routes with 503. MailDelivery reports whether this
	// server sends mails (an SMTP server is configured).
	Mail         domain.MailOutbox
	MailDelivery func() bool
	// Identities links accounts to single sign-on identities; needed when
	// OIDC is configured.
	Identities domain.IdentityService
	// SecondFactors stores TOTP factors, recovery codes and the login
	// challenges between password and code.
	SecondFactors domain.SecondFactorService
	// History may be nil until the op log exists; its routes then answer 503.
	History domain.HistoryService
	// Texts gives a section's current text; the op log answers from its
	// cache for a document this instance is editing. Nil reads the text
	// with the section from Strategies.
	Texts domain.OpLogService
	// Consult runs the consultation; nil answers its routes with 503.
	Consult *consult.Service
	// Beschluss runs Beschlussvorlagen and votes; nil answers its routes
	// with 503.
	Beschluss *beschluss.Service
	// Import turns uploaded drafts into sections; nil answers its route
	// with 503.
	Import *structure.Importer
	// Ready lists what /readyz checks.
	Ready []NamedPinger
	// Access is told whenever a session or token ends or an account
	// changes, so that open live connections are re-checked at once; nil
	// leaves that to the live layer's periodic check.
	Access domain.AccessNotifier
	// Live serves the websocket endpoint; it reads the user with
	// domain.UserFromContext and calls domain.ConnectionEnd once the
	// connection ends (or was never opened), which frees the user's
	// connection slot. Nil answers 503.
	Live http.Handler
	// Legal are the legal pages (Impressum, Datenschutz, Barrierefreiheit);
	// nil serves the shipped defaults.
	Legal legal.Pages
	// Frontend is the built single-page app; nil serves a small placeholder.
	Frontend fs.FS
	Logger   *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Limits holds the login, request and connection budgets; it must be
	// shared by all instances (Redis). Nil uses one in memory, right for a
	// single instance.
	Limits limit.Store
	// VerifyPassword checks a password against a stored hash; an empty hash
	// (unknown account) must take as long and return false. Nil uses
	// argon2id (backend/auth).
	VerifyPassword func(hash, password string) bool
	// Metrics receives the HTTP collectors; nil uses a private registry.
	// If it is also a prometheus.Gatherer, /metrics serves it.
	Metrics prometheus.Registerer
}

// Server is the HTTP front of Strategieraum.
type Server struct {
	cfg         Config
	deps        Deps
	log         *slog.Logger
	echo        *echo.Echo
	metrics     *metrics
	limits      limit.Store
	requestRate *limit.Rate   // nil: requests are not limited
	contribRate *limit.Rate   // nil: contributions are not limited
	hashes      chan struct{} // one element per password hash running
	verify      func(hash, password string) bool
	cookie      string
	// challengeCookie holds the token of a login waiting for its second
	// factor.
	challengeCookie string
	oidc            *oidcLogin // nil without single sign-on
	etags           sync.Map   // frontend file name → ETag
	liveLeases      liveLeases // connection slots of the open websockets
	accounts        *account.Service
	structure       *structure.Service
}

// New builds the server and registers every route (see routes).
//
// Requests pass the middleware in this order, outermost first:
//  1. request id: takes a well-formed X-Request-Id or makes one, and
//     echoes it in the response;
//  2. metrics: counts and times each request by method, route template
//     and final status;
//  3. logging: one slog line per request with the request id, never
//     cookies, tokens or bodies;
//  4. recovery: a panic becomes a logged 500 problem;
//  5. security headers (CSP, nosniff, frame and referrer policy, HSTS when
//     Secure);
//  6. body limit: larger bodies answer 413;
//  7. cross-origin protection for every unsafe method (bearer-token
//     requests are exempt because browsers cannot forge that header);
//  8. authentication: a bearer token or the session cookie puts the user
//     into the request context (domain.WithUser); nothing is decided here;
//  9. second factor: a browser session of an account that must have a
//     second factor and has none reaches only the enrolment (403
//     second_factor_required otherwise);
//  10. rate limit: a budget per user (or address) for /api requests in the
//     shared limiter, 429 with Retry-After when spent.
//
// Handlers then decode, validate, ask policy.Check, call a service and
// encode. Every error, whether from a handler, a service or echo itself,
// reaches the one HTTPErrorHandler that writes RFC 9457 problem details.
func New(cfg Config, deps Deps) *Server {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	if cfg.BodyReadTimeout <= 0 {
		cfg.BodyReadTimeout = 30 * time.Second
	}
	if deps.Logger == nil {
		deps.Logger = slog.New(slog.DiscardHandler)
	}
	if deps.Legal == nil {
		// The shipped defaults always load; an error would be a build fault.
		deps.Legal, _ = legal.Load("", consult.RenderMarkdown)
	}
	if deps.Now == nil {
		deps.Now = time.Now
	}
	if deps.Metrics == nil {
		deps.Metrics = prometheus.NewRegistry()
	}
	s := &Server{
		cfg:         cfg,
		deps:        deps,
		log:         deps.Logger,
		metrics:     newMetrics(deps.Metrics),
		limits:      deps.Limits,
		requestRate: requestRate(cfg.RequestsPerSecond, cfg.RequestBurst),
		contribRate: contributionRate(cfg.ContributionsPerMinute),
		hashes:      make(chan struct{}, cmp.Or(max(cfg.MaxConcurrentHashes, 0), defaultMaxHashes)),
		verify:      deps.VerifyPassword,
		cookie:      "strategieraum_session",
		oidc:        newOIDCLogin(cfg.OIDC),
	}
	if s.verify == nil {
		s.verify = verifyPassword
	}
	s.accounts = newAccounts(deps, s.verify)
	s.structure = structure.New(structure.Deps{Strategies: deps.Strategies, Audit: deps.Audit, Logger: deps.Logger, Now: deps.Now})
	if s.limits == nil {
		s.limits = limit.NewMemory(deps.Now)
	}
	if cfg.WebsocketsPerUser <= 0 {
		s.cfg.WebsocketsPerUser = defaultWebsocketsPerUser
	}
	if cfg.Secure {
		s.cookie = "__Host-strategieraum_session"
	}
	// __Secure-, not __Host-: the challenge cookie is limited to
	// /api/session, and __Host- requires the path /.
	s.challengeCookie = "strategieraum_2fa"
	if cfg.Secure {
		s.challengeCookie = "__Secure-strategieraum_2fa"
	}
	if s.cfg.TOTPIssuer == "" {
		s.cfg.TOTPIssuer = "Strategieraum"
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.IPExtractor = clientIP(cfg.TrustedProxies)
	s.echo = e
	s.middleware()
	s.routes()
	return s
}

// Handler returns the root handler to mount in an http.Server.
func (s *Server) Handler() http.Handler { return s.echo }

func (s *Server) now() time.Time { return s.deps.Now().UTC() }

// accessChanged tells the live layer that userID's sessions, tokens or
// rights changed, so that their open connections are re-checked now.
func (s *Server) accessChanged(userID int64) {
	if s.deps.Access != nil {
		s.deps.Access.AccessChanged(userID)
	}
}

// clientIP returns the extractor of client addresses: the peer address, or
// behind trusted proxies the rightmost X-Forwarded-For entry that is not one
// of them. Private, loopback and link-local ranges are not trusted unless
// configured: anyone on the same network could otherwise claim any address.
func clientIP(trusted []netip.Prefix) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range trusted {
		p = p.Masked()
		opts = append(opts, echo.TrustIPRange(&net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}
