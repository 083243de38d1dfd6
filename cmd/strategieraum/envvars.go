package main

import (
	"fmt"
	"io"
	"net/url"
	"strings"
)

// envDoc describes one environment variable for the help texts. A secret
// may also be given as NAME_FILE, naming a file that holds the value, so
// that container secrets never appear in the environment or in `ps`.
type envDoc struct {
	name   string
	doc    string
	secret bool
}

// envDocs lists every variable the commands read, in the order help shows
// them. The commands name the ones that apply to them.
var envDocs = []envDoc{
	{"STRATEGIERAUM_DATABASE_URL", "a SQLite file path, or postgres://… (default " + defaultDatabaseURL + ")", true},
	{"STRATEGIERAUM_DATABASE_PASSWORD", "password put into a postgres:// STRATEGIERAUM_DATABASE_URL that has none", true},
	{"STRATEGIERAUM_ADDR", "listen address (default :8080)", false},
	{"STRATEGIERAUM_REDIS_URL", "redis://… for fan-out between instances; empty: in-process broker", true},
	{"STRATEGIERAUM_PUBLIC_URL", "the URL users open; https:// turns on Secure cookies", false},
	{"STRATEGIERAUM_TRUSTED_PROXIES", "comma-separated addresses or CIDR ranges of the reverse proxies whose X-Forwarded-For is believed", false},
	{"STRATEGIERAUM_CONNECTIONS_PER_USER", "most live connections one account may hold across all instances (default 20)", false},
	{"STRATEGIERAUM_CONTRIBUTIONS_PER_MINUTE", "most new threads and comments one account may write per minute across all instances (default 10; 0: no limit)", false},
	{"STRATEGIERAUM_DEMO", "true: seed demo data into an empty database, like --demo", false},
	{"STRATEGIERAUM_DEMO_PASSWORD", "password of the demo accounts; empty: generated and printed once", true},
	{"STRATEGIERAUM_METRICS_TOKEN", "bearer token for /metrics; empty: /metrics only from loopback", true},
	{"STRATEGIERAUM_OIDC_ISSUER", "OpenID Connect issuer URL; empty: no single sign-on", false},
	{"STRATEGIERAUM_OIDC_CLIENT_ID", "OpenID Connect client id", false},
	{"STRATEGIERAUM_OIDC_CLIENT_SECRET", "OpenID Connect client secret", true},
	{"STRATEGIERAUM_OIDC_ORG_CLAIM", "ID token claim with the organisation code (default organisation)", false},
	{"STRATEGIERAUM_OIDC_CREATE_USERS", "true: unknown people of a known organisation get a reader account", false},
	{"STRATEGIERAUM_LEGAL_DIR", "directory with impressum.md, datenschutz.md, barrierefreiheit.md; empty: built-in placeholders", false},
	{"STRATEGIERAUM_AUDIT_RETENTION", "how long audit entries are kept, e.g. 8760h or 365d (default 365d); 0: forever", false},
	{"STRATEGIERAUM_NOTIFICATION_RETENTION", "how long notifications are kept (default 90d); 0: forever", false},
	{"STRATEGIERAUM_LOG_FORMAT", "text or json (default text)", false},
	{"STRATEGIERAUM_LOG_LEVEL", "debug, info, warn or error (default info)", false},
	{"STRATEGIERAUM_DEBUG_ADDR", "loopback address serving the Go runtime's profiles under /debug/pprof/, e.g. 127.0.0.1:6060; empty: off", false},
	{"STRATEGIERAUM_SMTP_URL", "SMTP server for mails, smtp://user:password@host:587 (STARTTLS) or smtps://…:465 (TLS); ?tls=none for a local relay, ?from=… the sender; empty (and no STRATEGIERAUM_SMTP_HOST): no mails are queued or sent", true},
	{"STRATEGIERAUM_SMTP_HOST", "SMTP server host (instead of or over STRATEGIERAUM_SMTP_URL)", false},
	{"STRATEGIERAUM_SMTP_PORT", "SMTP port (default 587 with starttls, 465 with tls, 25 with none)", false},
	{"STRATEGIERAUM_SMTP_USER", "SMTP user name; empty: no authentication", false},
	{"STRATEGIERAUM_SMTP_PASSWORD", "SMTP password", true},
	{"STRATEGIERAUM_SMTP_FROM", "sender address of mails, e.g. Strategieraum <noreply@strategieraum.example>", false},
	{"STRATEGIERAUM_SMTP_TLS", "starttls (default), tls or none", false},
	{"STRATEGIERAUM_REQUIRE_2FA", "comma-separated roles whose local accounts must use a TOTP second factor, e.g. admin,moderator; empty: optional for everyone", false},
}

// serveEnv, databaseEnv and addrEnv name the variables each command reads.
var (
	serveEnv = append([]string{"STRATEGIERAUM_DATABASE_URL", "STRATEGIERAUM_DATABASE_PASSWORD", "STRATEGIERAUM_ADDR", "STRATEGIERAUM_REDIS_URL",
		"STRATEGIERAUM_PUBLIC_URL", "STRATEGIERAUM_TRUSTED_PROXIES", "STRATEGIERAUM_CONNECTIONS_PER_USER", "STRATEGIERAUM_CONTRIBUTIONS_PER_MINUTE", "STRATEGIERAUM_DEMO", "STRATEGIERAUM_DEMO_PASSWORD",
		"STRATEGIERAUM_METRICS_TOKEN", "STRATEGIERAUM_OIDC_ISSUER", "STRATEGIERAUM_OIDC_CLIENT_ID",
		"STRATEGIERAUM_OIDC_CLIENT_SECRET", "STRATEGIERAUM_OIDC_ORG_CLAIM", "STRATEGIERAUM_OIDC_CREATE_USERS",
		"STRATEGIERAUM_LEGAL_DIR", "STRATEGIERAUM_AUDIT_RETENTION", "STRATEGIERAUM_NOTIFICATION_RETENTION",
		"STRATEGIERAUM_LOG_FORMAT", "STRATEGIERAUM_LOG_LEVEL", "STRATEGIERAUM_DEBUG_ADDR",
		"STRATEGIERAUM_REQUIRE_2FA"}, smtpEnv...)
	databaseEnv = []string{"STRATEGIERAUM_DATABASE_URL", "STRATEGIERAUM_DATABASE_PASSWORD"}
	addrEnv     = []string{"STRATEGIERAUM_ADDR"}
)

// printEnv writes the help section for the named variables.
func printEnv(w io.Writer, names []string) {
	if len(names) == 0 {
		return
	}
	fmt.Fprintln(w, "\nEnvironment:")
	secrets := false
	for _, n := range names {
		for _, d := range envDocs {
			if d.name == n {
				mark := ""
				if d.secret {
					mark, secrets = " (or "+n+"_FILE)", true
				}
				fmt.Fprintf(w, "  %s%s\n    \t%s\n", n, mark, d.doc)
			}
		}
	}
	if secrets {
		fmt.Fprintln(w, "\nNAME_FILE names a file holding the value (e.g. a container secret); setting both NAME and NAME_FILE is an error.")
	}
}

// withSecretFiles returns a getenv that answers each secret variable NAME
// from the file named by NAME_FILE (its content without surrounding
// whitespace) when that is set. Setting both, or naming a file that cannot
// be read, is an error, reported before any command runs.
func withSecretFiles(getenv func(string) string, readFile func(string) ([]byte, error)) (func(string) string, error) {
	values := map[string]string{}
	for _, d := range envDocs {
		if !d.secret {
			continue
		}
		file := getenv(d.name + "_FILE")
		if file == "" {
			continue
		}
		if getenv(d.name) != "" {
			return nil, fmt.Errorf("both %s and %s_FILE are set; use one", d.name, d.name)
		}
		b, err := readFile(file)
		if err != nil {
			return nil, fmt.Errorf("%s_FILE: %w", d.name, err)
		}
		v := strings.TrimSpace(string(b))
		if v == "" {
			return nil, fmt.Errorf("%s_FILE: %s is empty", d.name, file)
		}
		values[d.name] = v
	}
	lookup := func(name string) string {
		if v, ok := values[name]; ok {
			return v
		}
		return getenv(name)
	}
	if pw := lookup("STRATEGIERAUM_DATABASE_PASSWORD"); pw != "" {
		u, err := withPassword(lookup("STRATEGIERAUM_DATABASE_URL"), pw)
		if err != nil {
			return nil, err
		}
		values["STRATEGIERAUM_DATABASE_URL"] = u
	}
	return lookup, nil
}

// withPassword puts password into the PostgreSQL URL raw, so that the URL
// can sit in plain configuration and only the password in a secret (the
// same file PostgreSQL's POSTGRES_PASSWORD_FILE reads).
func withPassword(raw, password string) (string, error) {
	if !isPostgresURL(raw) {
		return "", fmt.Errorf("STRATEGIERAUM_DATABASE_PASSWORD needs a postgres:// STRATEGIERAUM_DATABASE_URL")
	}
	u, err := url.Parse(raw)
	if err != nil || u.User == nil || u.User.Username() == "" {
		return "", fmt.Errorf("STRATEGIERAUM_DATABASE_URL needs a user name to go with STRATEGIERAUM_DATABASE_PASSWORD")
	}
	if _, has := u.User.Password(); has {
		return "", fmt.Errorf("STRATEGIERAUM_DATABASE_URL already holds a password; drop it or STRATEGIERAUM_DATABASE_PASSWORD")
	}
	u.User = url.UserPassword(u.User.Username(), password)
	return u.String(), nil
}
