package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/strategieraum/strategieraum/backend/auth"
	"github.com/strategieraum/strategieraum/backend/demo"
	"github.com/strategieraum/strategieraum/backend/httpapi"
	"github.com/strategieraum/strategieraum/frontend"
)

// serveConfig is everything serve needs, resolved from flags and environment.
type serveConfig struct {
	Addr         string
	DatabaseURL  string
	RedisURL     string
	PublicURL    string
	Demo         bool
	DemoPassword string
	LogFormat    string
	LogLevel     string
	TrustProxy   bool
	MetricsToken string
	OIDC         httpapi.OIDCConfig
}

func parseServe(args []string, e env) (serveConfig, error) {
	var c serveConfig
	fs := newFlagSet("serve", "serve [flags]", e)
	fs.StringVar(&c.Addr, "addr", e.get("STRATEGIERAUM_ADDR", ":8080"), "listen address (env STRATEGIERAUM_ADDR)")
	dbURL := databaseFlag(fs, e)
	fs.StringVar(&c.RedisURL, "redis", e.get("STRATEGIERAUM_REDIS_URL", ""),
		"Redis URL for fan-out between instances; empty: in-process broker (env STRATEGIERAUM_REDIS_URL)")
	fs.StringVar(&c.PublicURL, "public-url", e.get("STRATEGIERAUM_PUBLIC_URL", ""),
		"the URL users open, e.g. https://strategieraum.example; https enables Secure cookies (env STRATEGIERAUM_PUBLIC_URL)")
	fs.BoolVar(&c.Demo, "demo", false, "seed demo data into an empty database")
	fs.BoolVar(&c.TrustProxy, "trust-proxy", e.get("STRATEGIERAUM_TRUST_PROXY", "") == "true",
		"take client addresses from X-Forwarded-For; only behind a reverse proxy that sets it (env STRATEGIERAUM_TRUST_PROXY=true)")
	fs.StringVar(&c.LogFormat, "log-format", e.get("STRATEGIERAUM_LOG_FORMAT", "text"), "log format: text or json (env STRATEGIERAUM_LOG_FORMAT)")
	fs.StringVar(&c.LogLevel, "log-level", e.get("STRATEGIERAUM_LOG_LEVEL", "info"), "log level: debug, info, warn, error (env STRATEGIERAUM_LOG_LEVEL)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	c.DatabaseURL = *dbURL
	c.DemoPassword = e.getenv("STRATEGIERAUM_DEMO_PASSWORD")
	c.MetricsToken = e.getenv("STRATEGIERAUM_METRICS_TOKEN") // a secret: environment only, never a flag
	c.OIDC = httpapi.OIDCConfig{Issuer: e.getenv("STRATEGIERAUM_OIDC_ISSUER"), ClientID: e.getenv("STRATEGIERAUM_OIDC_CLIENT_ID"),
		ClientSecret: e.getenv("STRATEGIERAUM_OIDC_CLIENT_SECRET"), OrgClaim: e.getenv("STRATEGIERAUM_OIDC_ORG_CLAIM"),
		CreateUsers: e.getenv("STRATEGIERAUM_OIDC_CREATE_USERS") == "true"}
	if c.OIDC.Issuer != "" {
		if c.PublicURL == "" || c.OIDC.ClientID == "" {
			return c, fmt.Errorf("single sign-on (STRATEGIERAUM_OIDC_ISSUER) needs STRATEGIERAUM_PUBLIC_URL and STRATEGIERAUM_OIDC_CLIENT_ID")
		}
		c.OIDC.RedirectURL = strings.TrimRight(c.PublicURL, "/") + "/api/auth/oidc/callback"
	}
	if c.PublicURL != "" {
		u, err := url.Parse(c.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return c, fmt.Errorf("invalid public URL %q", c.PublicURL)
		}
	}
	return c, nil
}

func newLogger(c serveConfig, e env) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return nil, fmt.Errorf("invalid log level %q", c.LogLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch c.LogFormat {
	case "json":
		return slog.New(slog.NewJSONHandler(e.stderr, opts)), nil
	case "text":
		return slog.New(slog.NewTextHandler(e.stderr, opts)), nil
	}
	return nil, fmt.Errorf("invalid log format %q", c.LogFormat)
}

func runServe(ctx context.Context, args []string, e env) error {
	c, err := parseServe(args, e)
	if err != nil {
		return err
	}
	logger, err := newLogger(c, e)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, c.DatabaseURL, logger)
	if err != nil {
		return fmt.Errorf("database: %w", err)
	}
	defer db.Close()
	logger.Info("database ready", "dialect", db.Dialect())

	if c.Demo {
		if err := seedDemo(ctx, c, e, db, logger); err != nil {
			return err
		}
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	live, err := newLive(ctx, c, db, logger, reg)
	if err != nil {
		return err
	}
	defer live.Close()

	consultation := newConsult(db, live.ops, live.hub, logger)
	go remindDeadlines(ctx, consultation, logger)

	secure := strings.HasPrefix(c.PublicURL, "https://")
	var origins []string
	if c.PublicURL != "" {
		origins = append(origins, strings.TrimRight(c.PublicURL, "/"))
	}
	api := httpapi.New(httpapi.Config{
		Secure:            secure,
		AllowedOrigins:    origins,
		Version:           version,
		TrustProxyHeaders: c.TrustProxy,
		MetricsToken:      c.MetricsToken,
		OIDC:              c.OIDC,
	}, httpapi.Deps{
		Users:      db,
		Sessions:   db,
		Strategies: db,
		Audit:      db,
		History:    live.ops,
		Consult:    consultation,
		Ready:      live.pingers(db),
		Live:       live.handler,
		Frontend:   frontend.Dist(),
		Logger:     logger,
		Metrics:    reg,
	})

	srv := &http.Server{
		Addr:              c.Addr,
		Handler:           api.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return err
	}
	logger.Info("listening", "addr", ln.Addr().String(), "version", version, "redis", c.RedisURL != "")
	fmt.Fprintf(e.stdout, "Strategieraum läuft auf http://%s\n", displayAddr(ln.Addr()))

	go api.PurgeSessions(ctx, 5*time.Minute)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	live.Shutdown(shutdownCtx)
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// displayAddr turns ":8080" into "localhost:8080" for the start-up line.
func displayAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil || host == "" || host == "::" || host == "0.0.0.0" {
		return "localhost:" + port
	}
	return net.JoinHostPort(host, port)
}

func seedDemo(ctx context.Context, c serveConfig, e env, db demoStore, logger *slog.Logger) error {
	password, generated := c.DemoPassword, false
	if password == "" {
		password, generated = auth.GeneratePassword(), true
	}
	seeded, err := demo.Seed(ctx, demo.Deps{Users: db, Strategies: db}, password, time.Now())
	if err != nil {
		return fmt.Errorf("demo data: %w", err)
	}
	if !seeded {
		logger.Info("demo data not seeded: the database is not empty")
		return nil
	}
	logger.Info("demo data seeded", "accounts", len(demo.Accounts()))
	if generated {
		fmt.Fprintf(e.stdout, "Demo-Passwort für alle Demo-Konten (nur jetzt angezeigt): %s\n", password)
	}
	return nil
}
