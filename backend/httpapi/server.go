package httpapi

import (
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/strategieraum/strategieraum/backend/consult"
	"github.com/strategieraum/strategieraum/backend/domain"
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
	// TrustProxyHeaders takes the client address from X-Forwarded-For.
	// Enable it only behind a reverse proxy that sets the header, or
	// clients can evade the login throttle.
	TrustProxyHeaders bool
	// RequestsPerSecond and RequestBurst bound API requests per user (or
	// per address when anonymous); 0 takes the defaults (20/s, burst 120),
	// a negative rate turns the limit off.
	RequestsPerSecond float64
	RequestBurst      int
	// OIDC turns on single sign-on when its Issuer is set (oidc.go).
	OIDC OIDCConfig
	// MetricsToken, if set, is the bearer token /metrics requires. Without
	// it /metrics answers only connections from the loopback interface
	// (a scraper on the same host), never through a reverse proxy.
	MetricsToken string
}

// NamedPinger is a dependency /readyz checks, with the name it reports.
type NamedPinger struct {
	Name   string
	Pinger domain.Pinger
}

// Deps are the services and collaborators the server calls.
type Deps struct {
	Users      domain.UserService
	Sessions   domain.SessionService
	Strategies domain.StrategyService
	Audit      domain.AuditService
	// History may be nil until the op log exists; its routes then answer 503.
	History domain.HistoryService
	// Consult runs the consultation; nil answers its routes with 503.
	Consult *consult.Service
	// Ready lists what /readyz checks.
	Ready []NamedPinger
	// Live serves the websocket endpoint; it reads the user with
	// domain.UserFromContext. Nil answers 503.
	Live http.Handler
	// Frontend is the built single-page app; nil serves a small placeholder.
	Frontend fs.FS
	Logger   *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Metrics receives the HTTP collectors; nil uses a private registry.
	// If it is also a prometheus.Gatherer, /metrics serves it.
	Metrics prometheus.Registerer
}

// Server is the HTTP front of Strategieraum.
type Server struct {
	cfg      Config
	deps     Deps
	log      *slog.Logger
	echo     *echo.Echo
	metrics  *metrics
	throttle *loginThrottle
	limiter  *requestLimiter
	cookie   string
	oidc     *oidcLogin // nil without single sign-on
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
//  9. rate limit: a token bucket per user (or address) for /api requests,
//     429 with Retry-After when spent.
//
// Handlers then decode, validate, ask policy.Check, call a service and
// encode. Every error, whether from a handler, a service or echo itself,
// reaches the one HTTPErrorHandler that writes RFC 9457 problem details.
func New(cfg Config, deps Deps) *Server {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	if deps.Logger == nil {
		deps.Logger = slog.New(slog.DiscardHandler)
	}
	if deps.Now == nil {
		deps.Now = time.Now
	}
	if deps.Metrics == nil {
		deps.Metrics = prometheus.NewRegistry()
	}
	s := &Server{
		cfg:      cfg,
		deps:     deps,
		log:      deps.Logger,
		metrics:  newMetrics(deps.Metrics),
		throttle: newLoginThrottle(defaultThrottleLimits),
		limiter:  newRequestLimiter(cfg.RequestsPerSecond, cfg.RequestBurst),
		cookie:   "strategieraum_session",
		oidc:     newOIDCLogin(cfg.OIDC),
	}
	if cfg.Secure {
		s.cookie = "__Host-strategieraum_session"
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.IPExtractor = echo.ExtractIPDirect()
	if cfg.TrustProxyHeaders {
		e.IPExtractor = echo.ExtractIPFromXFFHeader()
	}
	s.echo = e
	s.middleware()
	s.routes()
	return s
}

// Handler returns the root handler to mount in an http.Server.
func (s *Server) Handler() http.Handler { return s.echo }

func (s *Server) now() time.Time { return s.deps.Now().UTC() }
