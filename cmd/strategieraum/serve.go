package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/strategieraum/strategieraum/backend/auth"
	"github.com/strategieraum/strategieraum/backend/consult"
	"github.com/strategieraum/strategieraum/backend/demo"
	"github.com/strategieraum/strategieraum/backend/domain"
	"github.com/strategieraum/strategieraum/backend/httpapi"
	"github.com/strategieraum/strategieraum/backend/legal"
	"github.com/strategieraum/strategieraum/backend/mail"
	"github.com/strategieraum/strategieraum/backend/retention"
	"github.com/strategieraum/strategieraum/backend/store"
	"github.com/strategieraum/strategieraum/frontend"
)

// serveConfig is everything serve needs, resolved from flags and environment.
type serveConfig struct {
	Addr           string
	DatabaseURL    string
	RedisURL       string
	PublicURL      string
	Demo           bool
	DemoPassword   string
	LogFormat      string
	LogLevel       string
	TrustedProxies []netip.Prefix
	// ConnectionsPerUser caps one account's live connections.
	ConnectionsPerUser int
	// ContributionsPerMinute caps one account's new threads and comments;
	// 0 turns the cap off.
	ContributionsPerMinute int
	MetricsToken           string
	// DebugAddr is a loopback address for the runtime's profiles; empty
	// turns them off.
	DebugAddr string
	OIDC      httpapi.OIDCConfig
	Retention retention.Periods
	LegalDir  string
	// RequireSecondFactor are the roles that must use a second factor.
	RequireSecondFactor []domain.Role
	SMTP                mail.SMTPConfig
}

func parseServe(args []string, e env) (serveConfig, error) {
	var c serveConfig
	fs := newFlagSet("serve", "serve [flags]",
		"Run the server: HTTP API, websocket and the embedded UI. Migrates the database first.", serveEnv, e)
	fs.StringVar(&c.Addr, "addr", e.get("STRATEGIERAUM_ADDR", ":8080"), "listen address (env STRATEGIERAUM_ADDR)")
	dbURL := databaseFlag(fs, e)
	fs.StringVar(&c.RedisURL, "redis", e.get("STRATEGIERAUM_REDIS_URL", ""),
		"Redis URL for fan-out between instances; empty: in-process broker (env STRATEGIERAUM_REDIS_URL)")
	redactDefault(fs, "redis")
	fs.StringVar(&c.PublicURL, "public-url", e.get("STRATEGIERAUM_PUBLIC_URL", ""),
		"the URL users open, e.g. https://strategieraum.example; https enables Secure cookies (env STRATEGIERAUM_PUBLIC_URL)")
	fs.BoolVar(&c.Demo, "demo", e.get("STRATEGIERAUM_DEMO", "") == "true",
		"seed demo data into an empty database (env STRATEGIERAUM_DEMO=true)")
	perUser := fs.String("connections-per-user", e.get("STRATEGIERAUM_CONNECTIONS_PER_USER", "20"),
		"most live connections one account may hold across all instances (env STRATEGIERAUM_CONNECTIONS_PER_USER)")
	perMinute := fs.String("contributions-per-minute", e.get("STRATEGIERAUM_CONTRIBUTIONS_PER_MINUTE", "10"),
		"most new threads and comments one account may write per minute across all instances; 0: no limit (env STRATEGIERAUM_CONTRIBUTIONS_PER_MINUTE)")
	proxies := fs.String("trusted-proxies", e.get("STRATEGIERAUM_TRUSTED_PROXIES", ""),
		"comma-separated addresses or CIDR ranges of the reverse proxies whose X-Forwarded-For is believed (env STRATEGIERAUM_TRUSTED_PROXIES)")
	require2FA := fs.String("require-2fa", e.get("STRATEGIERAUM_REQUIRE_2FA", ""),
		"comma-separated roles whose local accounts must use a TOTP second factor, e.g. admin,moderator (env STRATEGIERAUM_REQUIRE_2FA)")
	fs.StringVar(&c.LogFormat, "log-format", e.get("STRATEGIERAUM_LOG_FORMAT", "text"), "log format: text or json (env STRATEGIERAUM_LOG_FORMAT)")
	fs.StringVar(&c.DebugAddr, "debug-addr", e.get("STRATEGIERAUM_DEBUG_ADDR", ""),
		"loopback address that serves the Go runtime's profiles under /debug/pprof/, off when empty (env STRATEGIERAUM_DEBUG_ADDR)")
	fs.StringVar(&c.LogLevel, "log-level", e.get("STRATEGIERAUM_LOG_LEVEL", "info"), "log level: debug, info, warn, error (env STRATEGIERAUM_LOG_LEVEL)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	c.DatabaseURL = *dbURL
	if e.getenv("STRATEGIERAUM_TRUST_PROXY") != "" {
		return c, fmt.Errorf("STRATEGIERAUM_TRUST_PROXY is replaced by STRATEGIERAUM_TRUSTED_PROXIES, the addresses of your reverse proxies (e.g. 10.0.0.5/32)")
	}
	var err error
	if c.TrustedProxies, err = parsePrefixes(*proxies); err != nil {
		return c, err
	}
	if err = checkDebugAddr(c.DebugAddr); err != nil {
		return c, err
	}
	c.LegalDir = e.getenv("STRATEGIERAUM_LEGAL_DIR")
	if c.Retention.Audit, err = retentionPeriod(e, "STRATEGIERAUM_AUDIT_RETENTION", "365d", store.MinAuditRetention); err != nil {
		return c, err
	}
	if c.Retention.Notifications, err = retentionPeriod(e, "STRATEGIERAUM_NOTIFICATION_RETENTION", "90d", 0); err != nil {
		return c, err
	}
	if c.ConnectionsPerUser, err = strconv.Atoi(*perUser); err != nil || c.ConnectionsPerUser < 1 {
		return c, fmt.Errorf("invalid connections per user %q: a number of at least 1", *perUser)
	}
	if strings.TrimSpace(*require2FA) != "" {
		if c.RequireSecondFactor, err = parseRoles(*require2FA); err != nil {
			return c, fmt.Errorf("STRATEGIERAUM_REQUIRE_2FA: %w", err)
		}
	}
	if c.ContributionsPerMinute, err = strconv.Atoi(*perMinute); err != nil || c.ContributionsPerMinute < 0 {
		return c, fmt.Errorf("invalid contributions per minute %q: a number, 0 for no limit", *perMinute)
	}
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
	if c.SMTP, err = parseSMTP(e); err != nil {
		return c, err
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

	legalPages, err := legal.Load(c.LegalDir, consult.RenderMarkdown)
	if err != nil {
		return err
	}
	for _, s := range legal.Slugs {
		if legalPages[s.Slug].Placeholder {
			logger.Warn("legal page still has placeholders; put your text into STRATEGIERAUM_LEGAL_DIR", "page", s.Slug+".md")
		}
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	live, err := newLive(ctx, c, db, logger, reg)
	if err != nil {
		return err
	}
	defer live.Close()

	lim, closeLimits, err := newLimits(c)
	if err != nil {
		return err
	}
	defer closeLimits()

	consultation := newConsult(db, live.ops, live.hub, logger)
	decisions := newBeschluss(db, live.ops, live.hub, logger)
	// The 48-hour deadline reminders: each user is reminded once per round.
	go every(ctx, 10*time.Minute, logger, "deadline reminders", consultation.NotifyDeadlines)
	// An Umlaufverfahren's result is recorded and pushed at its deadline.
	go every(ctx, 15*time.Second, logger, "settling due Umlaufverfahren", decisions.SettleDue)
	if err := startMail(ctx, c, db, consultation, logger, reg); err != nil {
		return err
	}

	secure := strings.HasPrefix(c.PublicURL, "https://")
	var origins []string
	if c.PublicURL != "" {
		origins = append(origins, strings.TrimRight(c.PublicURL, "/"))
	}
	api := httpapi.New(httpapi.Config{
		Secure:         secure,
		AllowedOrigins: origins,
		Version:        version,
		TrustedProxies: c.TrustedProxies,
		MetricsToken:   c.MetricsToken,
		OIDC:           c.OIDC,
		// A second factor for the roles the operator names.
		RequireSecondFactor:    c.RequireSecondFactor,
		ContributionsPerMinute: contributionCap(c.ContributionsPerMinute),
		WebsocketsPerUser:      c.ConnectionsPerUser,
	}, httpapi.Deps{
		Users:      db,
		Sessions:   db,
		Strategies: db,
		Audit:      db,
		Resets:     db,

		// Mail preferences; mails go out only with an SMTP server.
		Mail:         db,
		MailDelivery: db.MailEnabled,

		Identities: db,
		// TOTP factors, recovery codes, login challenges.
		SecondFactors: db,
		History:       live.ops,
		Texts:         live.ops,
		Consult:       consultation,
		Beschluss:     decisions,
		Import:        newImporter(db, logger),
		Ready:         live.pingers(db),
		Live:          live.handler,
		Limits:        lim,
		Legal:         legalPages,
		Access:        live.hub,
		Frontend:      frontend.Dist(),
		Logger:        logger,
		Metrics:       reg,
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

	go every(ctx, 5*time.Minute, logger, "retention sweep failed", retention.New(db, c.Retention, logger, nil).Sweep)

	errc := make(chan error, 2)
	if c.DebugAddr != "" {
		dln, err := net.Listen("tcp", c.DebugAddr)
		if err != nil {
			ln.Close()
			return err
		}
		dbg := debugServer(c.DebugAddr)
		defer dbg.Close()
		logger.Info("runtime profiles", "addr", dln.Addr().String())
		go func() {
			if err := dbg.Serve(dln); !errors.Is(err, http.ErrServerClosed) {
				errc <- err
			}
		}()
	}
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

// parsePrefixes reads "10.0.0.5, 192.168.0.0/24": single addresses stand
// for themselves.
func parsePrefixes(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			a, err := netip.ParseAddr(f)
			if err != nil {
				return nil, fmt.Errorf("invalid trusted proxy %q", f)
			}
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, fmt.Errorf("invalid trusted proxy range %q", f)
		}
		out = append(out, p.Masked())
	}
	return out, nil
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
	seeded, err := demo.Seed(ctx, demo.Deps{Users: db, Strategies: db, Versions: db}, password, time.Now())
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

// retentionPeriod reads a retention period such as "365d", "720h" or "0"
// (keep forever) from the variable name; a period shorter than minimum is
// an error.
func retentionPeriod(e env, name, def string, minimum time.Duration) (time.Duration, error) {
	v := e.get(name, def)
	var d time.Duration
	var err error
	if days, ok := strings.CutSuffix(v, "d"); ok {
		var n int
		if n, err = strconv.Atoi(days); err == nil {
			d = time.Duration(n) * 24 * time.Hour
		}
	} else if v == "0" {
		return 0, nil
	} else {
		d, err = time.ParseDuration(v)
	}
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%s: %q is not a period such as 90d or 720h", name, v)
	}
	if d > 0 && d < minimum {
		return 0, fmt.Errorf("%s: %s is shorter than the minimum of %d days (or 0 to keep forever)", name, v, int(minimum.Hours()/24))
	}
	return d, nil
}

// contributionCap turns the configured cap (0: none) into httpapi's
// (negative: none).
func contributionCap(n int) int {
	if n == 0 {
		return -1
	}
	return n
}
