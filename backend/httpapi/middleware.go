package httpapi

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// contentSecurityPolicy allows only same-origin resources: the frontend is
// bundled and makes no third-party requests (DSGVO).
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

const ctxRequestID = "request_id"

// middleware installs the chain documented on New.
func (s *Server) middleware() {
	s.echo.Use(
		s.requestIDMiddleware,
		s.metricsMiddleware,
		s.logMiddleware,
		s.recoverMiddleware,
		s.securityHeaders,
		s.bodyLimit,
		s.crossOrigin(),
		s.authenticate,
		s.secondFactorGate,
		s.rateLimit,
	)
}

var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// requestIDMiddleware accepts a caller's id only if it is harmless in logs.
func (s *Server) requestIDMiddleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Request().Header.Get(echo.HeaderXRequestID)
		if !validRequestID.MatchString(id) {
			b := make([]byte, 12)
			_, _ = rand.Read(b)
			id = hex.EncodeToString(b)
		}
		c.Set(ctxRequestID, id)
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		return next(c)
	}
}

func requestID(c echo.Context) string {
	id, _ := c.Get(ctxRequestID).(string)
	return id
}

// logMiddleware writes one line per request. It logs the path without the
// query and never headers, so cookies and tokens stay out of the logs.
func (s *Server) logMiddleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		attrs := []any{
			"request_id", requestID(c),
			"method", c.Request().Method,
			"route", c.Path(),
			"path", truncate(c.Request().URL.Path, 200),
			"status", c.Response().Status,
			"duration_ms", time.Since(start).Milliseconds(),
		}
		if u := domain.UserFromContext(c.Request().Context()); u != nil {
			attrs = append(attrs, "user_id", u.ID)
		}
		level := slog.LevelInfo
		if isProbe(c.Path()) && c.Response().Status < 400 {
			level = slog.LevelDebug // scraped every few seconds
		}
		s.log.Log(c.Request().Context(), level, "http request", attrs...)
		return nil
	}
}

// recoverMiddleware turns a panic into an internal error; the stack goes to
// the log, never to the client. http.ErrAbortHandler keeps its meaning.
func (s *Server) recoverMiddleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			r := recover()
			if r == nil {
				return
			}
			if r == http.ErrAbortHandler {
				panic(r)
			}
			s.log.Error("panic in handler", "request_id", requestID(c), "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			err = fmt.Errorf("panic: %v", r)
		}()
		return next(c)
	}
}

func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		if strings.HasPrefix(c.Request().URL.Path, "/api/") {
			h.Set("Cache-Control", "no-store") // personal data; handlers may relax it
		}
		if s.cfg.Secure {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		return next(c)
	}
}

// bodyLimit rejects declared oversized bodies at once and cuts off the rest
// while reading; decodeJSON turns the cut-off into a 413. Reading the body
// has a deadline, so that a client trickling it byte by byte cannot hold a
// connection open; the websocket handshake is exempt, since its connection
// lives on (the live-editing handler keeps its own deadlines).
func (s *Server) bodyLimit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if r.ContentLength != 0 && r.Body != nil && r.Body != http.NoBody && !isWebsocketHandshake(r) {
			// Only until the body is read to its end: the server's
			// background read, which notices a client going away during a
			// long handler, would cancel the request if the deadline
			// stayed. A body not read to its end keeps the deadline, so the
			// server's discarding of its rest cannot hang either.
			rc := http.NewResponseController(c.Response().Writer)
			if rc.SetReadDeadline(time.Now().Add(s.cfg.BodyReadTimeout)) == nil {
				r.Body = &deadlineBody{ReadCloser: r.Body, done: func() { _ = rc.SetReadDeadline(time.Time{}) }}
			}
		}
		limit := s.cfg.MaxBodyBytes
		if c.Path() == importPath {
			limit = max(limit, maxImportBody)
		}
		if r.ContentLength > limit {
			return domain.Errorf(domain.ETOOLARGE, "Der Anfragetext ist größer als %d Bytes.", limit)
		}
		r.Body = http.MaxBytesReader(c.Response(), r.Body, limit)
		return next(c)
	}
}

// crossOrigin rejects cross-origin browser requests with unsafe methods and
// cross-origin websocket handshakes. Requests carrying a bearer token come
// from scripts, which browsers cannot make send that header cross-origin
// without a CORS preflight we never grant.
func (s *Server) crossOrigin() echo.MiddlewareFunc {
	cop := http.NewCrossOriginProtection()
	for _, o := range s.cfg.AllowedOrigins {
		if err := cop.AddTrustedOrigin(o); err != nil {
			s.log.Warn("ignoring invalid allowed origin", "origin", o, "err", err)
		}
	}
	deny := domain.Errorf(domain.EFORBIDDEN, "Anfragen von fremden Websites werden abgelehnt.")
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			if bearerToken(r) != "" {
				return next(c)
			}
			check := r
			if isWebsocketHandshake(r) {
				// The handshake is a GET, which the check treats as safe;
				// judge it like a state-changing request instead.
				cp := *r
				cp.Method = http.MethodPost
				check = &cp
			}
			if err := cop.Check(check); err != nil {
				return deny
			}
			return next(c)
		}
	}
}

// deadlineBody lifts the read deadline once the body is read to its end.
type deadlineBody struct {
	io.ReadCloser
	done func()
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF {
		b.done()
	}
	return n, err
}

func isWebsocketHandshake(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket") || r.URL.Path == "/api/ws"
}

func isProbe(route string) bool {
	return route == "/healthz" || route == "/readyz" || route == "/metrics"
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}
