package main

import (
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestEveryCommandHasHelp: --help on every command and command group exits
// 0 (flag.ErrHelp) and names the command's flags and the environment
// variables it reads, including those read only from the environment.
func TestEveryCommandHasHelp(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"--help"}, []string{"serve", "migrate up", "migrate status", "user add", "user list", "user set-role",
			"user disable", "user delete", "user reset-password", "strategy create", "strategy list", "import", "backup", "restore", "healthcheck", "version"}},
		{[]string{"help"}, []string{"user delete"}},
		{[]string{"serve", "--help"}, []string{"-addr", "-database", "-demo", "-redis", "-public-url", "STRATEGIERAUM_ADDR",
			"STRATEGIERAUM_DATABASE_URL_FILE", "STRATEGIERAUM_DEMO_PASSWORD", "STRATEGIERAUM_METRICS_TOKEN",
			"STRATEGIERAUM_OIDC_CLIENT_SECRET_FILE", "STRATEGIERAUM_OIDC_ISSUER", "STRATEGIERAUM_LEGAL_DIR",
			"STRATEGIERAUM_AUDIT_RETENTION", "STRATEGIERAUM_NOTIFICATION_RETENTION", "STRATEGIERAUM_DEMO"}},
		{[]string{"migrate", "--help"}, []string{"up", "status"}},
		{[]string{"migrate", "up", "--help"}, []string{"-database", "STRATEGIERAUM_DATABASE_URL"}},
		{[]string{"migrate", "status", "-h"}, []string{"-database", "STRATEGIERAUM_DATABASE_URL"}},
		{[]string{"user", "--help"}, []string{"add", "list", "set-role", "disable", "delete", "reset-password"}},
		{[]string{"user", "add", "--help"}, []string{"-email", "-name", "-org", "-role", "-topic", "-password-stdin", "STRATEGIERAUM_DATABASE_URL"}},
		{[]string{"user", "list", "--help"}, []string{"-database", "STRATEGIERAUM_DATABASE_URL"}},
		{[]string{"user", "set-role", "--help"}, []string{"-email", "-role", "-topic", "STRATEGIERAUM_DATABASE_URL"}},
		{[]string{"user", "disable", "--help"}, []string{"-email", "STRATEGIERAUM_DATABASE_URL"}},
		{[]string{"user", "reset-password", "--help"}, []string{"-email", "-public-url", "30 minutes", "STRATEGIERAUM_PUBLIC_URL", "STRATEGIERAUM_DATABASE_URL"}},
		{[]string{"strategy", "--help"}, []string{"create", "list", "show", "update", "add-topic", "add-section"}},
		{[]string{"strategy", "update", "--help"}, []string{"-id", "-title", "-description", "-statements-public", "STRATEGIERAUM_DATABASE_URL"}},
		{[]string{"strategy", "add-topic", "--help"}, []string{"-strategy", "-title", "-sponsors", "STRATEGIERAUM_DATABASE_URL"}},
		{[]string{"strategy", "add-section", "--help"}, []string{"-strategy", "-title", "-part", "-topic", "STRATEGIERAUM_DATABASE_URL"}},
		{[]string{"strategy", "show", "--help"}, []string{"-id", "STRATEGIERAUM_DATABASE_URL"}},
		{[]string{"strategy", "create", "--help"}, []string{"-title", "-description", "-statements-public", "STRATEGIERAUM_DATABASE_URL"}},
		{[]string{"strategy", "list", "--help"}, []string{"-database", "STRATEGIERAUM_DATABASE_URL"}},
		{[]string{"import", "--help"}, []string{"-strategy", "-topic", "-topic-title", "-preview", "STRATEGIERAUM_DATABASE_URL"}},
		{[]string{"user", "delete", "--help"}, []string{"-email", "pseudonym", "STRATEGIERAUM_DATABASE_URL"}},
		{[]string{"user", "reset-2fa", "--help"}, []string{"-email", "second factor", "STRATEGIERAUM_DATABASE_URL"}},
		{[]string{"serve", "--help"}, []string{"-require-2fa", "STRATEGIERAUM_REQUIRE_2FA"}},
		{[]string{"backup", "--help"}, []string{"-out", "-database", "VACUUM INTO", "STRATEGIERAUM_DATABASE_URL"}},
		{[]string{"restore", "--help"}, []string{"-from", "-force", "-database", "STRATEGIERAUM_DATABASE_URL"}},
		{[]string{"healthcheck", "--help"}, []string{"-addr", "STRATEGIERAUM_ADDR"}},
		{[]string{"version", "--help"}, []string{"version"}},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			out, stderr, err := runCmd(t, nil, "", tc.args...)
			if !errors.Is(err, flag.ErrHelp) {
				t.Fatalf("err %v, want flag.ErrHelp (exit 0)", err)
			}
			text := out + stderr
			if !strings.Contains(text, "Usage: strategieraum") {
				t.Errorf("no usage line:\n%s", text)
			}
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("help lacks %q:\n%s", w, text)
				}
			}
		})
	}
}

// Help never shows a password taken from the environment.
func TestHelpHidesPasswords(t *testing.T) {
	vars := map[string]string{"STRATEGIERAUM_DATABASE_URL": "postgres://s:geheim-db@db/s", "STRATEGIERAUM_REDIS_URL": "redis://:geheim-redis@redis:6379/0"}
	_, stderr, err := runCmd(t, vars, "", "serve", "--help")
	if !errors.Is(err, flag.ErrHelp) || strings.Contains(stderr, "geheim") || !strings.Contains(stderr, "postgres://s:xxxxx@db/s") {
		t.Fatalf("serve --help: %v\n%s", err, stderr)
	}
}

func TestCommandGroupsRefuseUnknownSubcommands(t *testing.T) {
	for _, args := range [][]string{{"user"}, {"user", "frobnicate"}, {"migrate"}, {"migrate", "sideways"}} {
		_, stderr, err := runCmd(t, nil, "", args...)
		if err == nil || errors.Is(err, flag.ErrHelp) || !strings.Contains(stderr, "Commands:") {
			t.Errorf("%v: err %v, stderr %q", args, err, stderr)
		}
	}
}

// TestSecretsFromFiles: every secret can come from NAME_FILE; both set is
// an error, and so is an unreadable or empty file.
func TestSecretsFromFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	dbPath := filepath.Join(dir, "from-file.db")
	vars := map[string]string{"STRATEGIERAUM_DATABASE_URL_FILE": write("db_url", dbPath+"\n")}
	if _, _, err := runCmd(t, vars, "", "migrate", "up"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dbPath); err != nil {
		t.Fatalf("the database URL from the file was not used: %v", err)
	}

	for _, d := range envDocs {
		if !d.secret {
			continue
		}
		vars := map[string]string{d.name + "_FILE": write(d.name, "  geheim-"+d.name+"\n")}
		if d.name == "STRATEGIERAUM_DATABASE_PASSWORD" {
			vars["STRATEGIERAUM_DATABASE_URL"] = "postgres://u@db/s"
		}
		getenv, err := withSecretFiles(testEnv(vars), os.ReadFile)
		if err != nil {
			t.Errorf("%s_FILE: %v", d.name, err)
		} else if v := getenv(d.name); v != "geheim-"+d.name {
			t.Errorf("%s_FILE: value %q", d.name, v)
		}
	}
	for _, name := range []string{"STRATEGIERAUM_DATABASE_URL", "STRATEGIERAUM_REDIS_URL", "STRATEGIERAUM_OIDC_CLIENT_SECRET",
		"STRATEGIERAUM_DEMO_PASSWORD", "STRATEGIERAUM_METRICS_TOKEN"} {
		both := map[string]string{name: "x", name + "_FILE": write("both", "y")}
		if _, _, err := runCmd(t, both, "", "migrate", "status"); err == nil || !strings.Contains(err.Error(), name+"_FILE") {
			t.Errorf("%s and %s_FILE both set: %v", name, name, err)
		}
	}
	// The PostgreSQL password alone may come from a file, put into the URL.
	getenv, err := withSecretFiles(testEnv(map[string]string{"STRATEGIERAUM_DATABASE_URL": "postgres://strategieraum@db:5432/s?sslmode=disable",
		"STRATEGIERAUM_DATABASE_PASSWORD_FILE": write("pw", "g3h/eim@\n")}), os.ReadFile)
	if err != nil || getenv("STRATEGIERAUM_DATABASE_URL") != "postgres://strategieraum:g3h%2Feim%40@db:5432/s?sslmode=disable" {
		t.Errorf("database password from a file: %v %q", err, getenv("STRATEGIERAUM_DATABASE_URL"))
	}
	for _, bad := range []string{"data/s.db", "postgres://db/s", "postgres://u:pw@db/s"} {
		if _, err := withSecretFiles(testEnv(map[string]string{"STRATEGIERAUM_DATABASE_URL": bad,
			"STRATEGIERAUM_DATABASE_PASSWORD": "x"}), os.ReadFile); err == nil {
			t.Errorf("password with URL %q accepted", bad)
		}
	}
	for what, file := range map[string]string{"missing": filepath.Join(dir, "nope"), "empty": write("empty", " \n")} {
		if _, _, err := runCmd(t, map[string]string{"STRATEGIERAUM_METRICS_TOKEN_FILE": file}, "", "serve"); err == nil ||
			!strings.Contains(err.Error(), "STRATEGIERAUM_METRICS_TOKEN_FILE") {
			t.Errorf("%s file: %v", what, err)
		}
	}
}

func TestRetentionPeriods(t *testing.T) {
	c, err := parseServe(nil, env{getenv: testEnv(nil), stderr: io.Discard})
	if err != nil || c.Retention.Audit != 365*24*time.Hour || c.Retention.Notifications != 90*24*time.Hour {
		t.Fatalf("defaults: %v %+v", err, c.Retention)
	}
	c, err = parseServe(nil, env{getenv: testEnv(map[string]string{"STRATEGIERAUM_AUDIT_RETENTION": "0",
		"STRATEGIERAUM_NOTIFICATION_RETENTION": "720h"}), stderr: io.Discard})
	if err != nil || c.Retention.Audit != 0 || c.Retention.Notifications != 30*24*time.Hour {
		t.Fatalf("0 and 720h: %v %+v", err, c.Retention)
	}
	for name, v := range map[string]string{"STRATEGIERAUM_AUDIT_RETENTION": "10d", "STRATEGIERAUM_NOTIFICATION_RETENTION": "bald"} {
		if _, err := parseServe(nil, env{getenv: testEnv(map[string]string{name: v}), stderr: io.Discard}); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s=%s: %v", name, v, err)
		}
	}
}
