package httpapi

import (
	"crypto/subtle"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/strategieraum/strategieraum/backend/domain"
)

type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	handler  echo.HandlerFunc
}

// newMetrics registers the HTTP collectors with reg. A registry that already
// has them (a second server in one process) keeps its existing collectors.
func newMetrics(reg prometheus.Registerer) *metrics {
	labels := []string{"method", "route", "status"}
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "http_requests_total",
			Help: "HTTP requests by method, route template and status.",
		}, labels),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "http_request_duration_seconds",
			Help:    "HTTP request duration by method, route template and status.",
			Buckets: prometheus.DefBuckets,
		}, labels),
	}
	m.requests = register(reg, m.requests)
	m.duration = register(reg, m.duration)
	gatherer := prometheus.DefaultGatherer
	if g, ok := reg.(prometheus.Gatherer); ok {
		gatherer = g
	}
	m.handler = echo.WrapHandler(promhttp.HandlerFor(gatherer, promhttp.HandlerOpts{}))
	return m
}

func register[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing
			}
		}
		panic(err) // a programming error: conflicting metric definitions
	}
	return c
}

// metricsMiddleware labels by route template, never by raw path, so the
// number of series stays bounded.
func (s *Server) metricsMiddleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		labels := prometheus.Labels{
			"method": methodLabel(c.Request().Method),
			"route":  route,
			"status": strconv.Itoa(c.Response().Status),
		}
		s.metrics.requests.With(labels).Inc()
		s.metrics.duration.With(labels).Observe(time.Since(start).Seconds())
		return nil
	}
}

// methodLabel keeps arbitrary method names out of the label values.
func methodLabel(m string) string {
	switch m {
	case "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS":
		return m
	}
	return "OTHER"
}

// handleMetrics serves the Prometheus metrics to a scraper that shows the
// metrics token, or, without a configured token, to a connection from the
// loopback interface. The peer address is the connection's own, never
// X-Forwarded-For: behind a proxy on the same host every request would
// otherwise come from loopback.
func (s *Server) handleMetrics(c echo.Context) error {
	if tok := s.cfg.MetricsToken; tok != "" {
		got, ok := strings.CutPrefix(c.Request().Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(tok)) != 1 {
			c.Response().Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			return domain.Errorf(domain.EUNAUTHORIZED, "Die Metriken verlangen das Metrik-Token (STRATEGIERAUM_METRICS_TOKEN).")
		}
		return s.metrics.handler(c)
	}
	host, _, err := net.SplitHostPort(c.Request().RemoteAddr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() || forwarded(c.Request()) {
		return domain.Errorf(domain.EFORBIDDEN, "Die Metriken sind nur lokal abrufbar oder mit einem Metrik-Token (STRATEGIERAUM_METRICS_TOKEN).")
	}
	return s.metrics.handler(c)
}

// forwarded reports whether a proxy passed the request on.
func forwarded(r *http.Request) bool {
	return r.Header.Get("X-Forwarded-For") != "" || r.Header.Get("Forwarded") != "" || r.Header.Get("X-Real-IP") != ""
}
