package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/strategieraum/strategieraum/backend/account"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// syncBuffer is a bytes.Buffer safe for a writer goroutine and a reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// testEnv returns a getenv that sees only vars.
func testEnv(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// runCmd runs one command line to completion.
func runCmd(t *testing.T, vars map[string]string, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, testEnv(vars), strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestHelpAndUnknownCommands(t *testing.T) {
	out, _, err := runCmd(t, nil, "", "--help")
	if !errors.Is(err, flag.ErrHelp) || !strings.Contains(out, "serve") || !strings.Contains(out, "migrate") {
		t.Fatalf("--help: err %v, out %q", err, out)
	}
	for _, sub := range [][]string{{"serve", "--help"}, {"migrate", "status", "--help"}, {"user", "add", "--help"},
		{"user", "list", "--help"}, {"user", "set-role", "--help"}, {"user", "disable", "--help"}, {"user", "delete", "--help"}, {"healthcheck", "--help"}} {
		_, stderr, err := runCmd(t, nil, "", sub...)
		if !errors.Is(err, flag.ErrHelp) || !strings.Contains(stderr, "Usage: strategieraum") {
			t.Errorf("%v: err %v, stderr %q", sub, err, stderr)
		}
	}
	if _, _, err := runCmd(t, nil, "", "frobnicate"); err == nil || !strings.Contains(err.Error(), "frobnicate") {
		t.Fatalf("unknown command: %v", err)
	}
	if _, _, err := runCmd(t, nil, ""); err == nil {
		t.Fatal("no command accepted")
	}
	out, _, err = runCmd(t, nil, "", "version")
	if err != nil || !strings.HasPrefix(out, "strategieraum ") {
		t.Fatalf("version: %v %q", err, out)
	}
	if _, _, err := runCmd(t, nil, "", "serve", "--public-url", "ftp://x"); err == nil {
		t.Fatal("invalid public URL accepted")
	}
	// Single sign-on needs the public URL (for the redirect) and a client id.
	if _, _, err := runCmd(t, map[string]string{"STRATEGIERAUM_OIDC_ISSUER": "https://login.example/realms/land"}, "", "serve"); err == nil ||
		!strings.Contains(err.Error(), "STRATEGIERAUM_PUBLIC_URL") {
		t.Fatalf("single sign-on without public URL: %v", err)
	}
	if _, _, err := runCmd(t, nil, "", "migrate", "sideways", "--database", filepath.Join(t.TempDir(), "x.db")); err == nil {
		t.Fatal("unknown migrate command accepted")
	}
}

func TestMigrateAndUserCommands(t *testing.T) {
	vars := map[string]string{"STRATEGIERAUM_DATABASE_URL": filepath.Join(t.TempDir(), "db", "s.db")}
	out, _, err := runCmd(t, vars, "", "migrate", "up")
	if err != nil || !strings.Contains(out, "0001") || strings.Contains(out, "pending") {
		t.Fatalf("migrate up: %v\n%s", err, out)
	}
	out, _, err = runCmd(t, vars, "", "migrate", "status")
	if err != nil || !strings.Contains(out, "0001") {
		t.Fatalf("migrate status: %v\n%s", err, out)
	}

	out, _, err = runCmd(t, vars, "ein-sehr-langes-Passwort\n", "user", "add", "--email", "Anna.Beispiel@by.example",
		"--name", "Anna Beispiel", "--org", "BY", "--role", "land", "--password-stdin")
	if err != nil || !strings.Contains(out, "created user") || strings.Contains(out, "password") {
		t.Fatalf("user add: %v %q", err, out)
	}
	out, _, err = runCmd(t, vars, "", "user", "add", "--email", "moderation@fitko.example",
		"--name", "Mo Deration", "--org", "FITKO", "--role", "moderator")
	if err != nil || !regexp.MustCompile(`password \(shown once\): \S{20}`).MatchString(out) {
		t.Fatalf("user add with generated password: %v %q", err, out)
	}
	for _, bad := range [][]string{
		{"user", "add", "--email", "x@by.example", "--name", "X", "--org", "XX", "--role", "land"},
		{"user", "add", "--email", "x@by.example", "--name", "X", "--org", "BY", "--role", "kaiser"},
		{"user", "add", "--email", "anna.beispiel@by.example", "--name", "Dup", "--org", "BY", "--role", "land"},
		{"user", "add", "--email", "x@by.example", "--org", "BY", "--role", "land"},
		{"user", "set-role", "--email", "nobody@by.example", "--role", "reader"},
	} {
		if _, _, err := runCmd(t, vars, "", bad...); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	if _, _, err := runCmd(t, vars, "kurz\n", "user", "add", "--email", "y@by.example", "--name", "Y", "--org", "BY",
		"--role", "land", "--password-stdin"); err == nil {
		t.Error("short password accepted")
	}

	if _, _, err := runCmd(t, vars, "Passwort2026!\n", "user", "add", "--email", "z@by.example", "--name", "Z", "--org", "BY",
		"--role", "land", "--password-stdin"); err == nil {
		t.Error("common password accepted")
	}
	out, _, err = runCmd(t, vars, "", "user", "reset-password", "--email", "anna.beispiel@by.example", "--public-url", "https://sr.example/")
	link := regexp.MustCompile(`https://sr\.example/passwort-zuruecksetzen#(srp_\S+)`).FindStringSubmatch(out)
	if err != nil || link == nil {
		t.Fatalf("user reset-password: %v %q", err, out)
	}
	if _, _, err := runCmd(t, vars, "", "user", "reset-password", "--email", "nobody@by.example"); err == nil {
		t.Error("reset for an unknown account accepted")
	}
	out, _, err = runCmd(t, vars, "", "strategy", "create", "--title", "  Föderale Digitalstrategie ", "--description", "Entwurf\nzweite Zeile", "--statements-public")
	if err != nil || !regexp.MustCompile(`created strategy \d+ "Föderale Digitalstrategie"`).MatchString(out) {
		t.Fatalf("strategy create: %v %q", err, out)
	}
	for _, bad := range []string{"", "zwei\nZeilen", strings.Repeat("T", 201)} {
		if _, _, err := runCmd(t, vars, "", "strategy", "create", "--title", bad); err == nil {
			t.Errorf("strategy create --title %.20q accepted", bad)
		}
	}
	out, _, err = runCmd(t, vars, "", "strategy", "list")
	if lines := strings.Split(strings.TrimSpace(out), "\n"); err != nil || len(lines) != 2 ||
		!regexp.MustCompile(`^\d+\s+Föderale Digitalstrategie\s+public$`).MatchString(lines[1]) {
		t.Fatalf("strategy list: %v\n%s", err, out)
	}
	rdb := storetest.OpenURL(t, vars["STRATEGIERAUM_DATABASE_URL"], nil)
	if err := account.New(account.Deps{Users: rdb, Sessions: rdb, Resets: rdb, Audit: rdb}).
		RedeemReset(context.Background(), link[1], "Kaffee am Morgen im Amt"); err != nil {
		t.Fatalf("redeeming the printed code: %v", err)
	}

	if _, _, err := runCmd(t, vars, "", "user", "set-role", "--email", "anna.beispiel@by.example", "--role", "reader,land"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCmd(t, vars, "", "user", "disable", "--email", "ANNA.BEISPIEL@by.example"); err != nil {
		t.Fatal(err)
	}
	out, _, err = runCmd(t, vars, "", "user", "list")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("user list: want header + 2 users, got\n%s", out)
	}
	if row := strings.ToLower(lines[1]); !strings.Contains(row, "anna.beispiel@by.example") ||
		!regexp.MustCompile(`\b(reader,land|land,reader)\b`).MatchString(row) || !strings.Contains(row, "disabled") {
		t.Fatalf("user list row for Anna: %q", lines[1])
	}
	if !strings.Contains(lines[2], "moderation@fitko.example") || !strings.Contains(lines[2], "active") {
		t.Fatalf("user list row for moderation: %q", lines[2])
	}

	// Deleting keeps the row under a pseudonym, without name, e-mail or roles.
	if out, _, err := runCmd(t, vars, "", "user", "delete", "--email", "anna.beispiel@by.example"); err != nil || !strings.Contains(out, "Gelöschtes Konto #") {
		t.Fatalf("user delete: %v %q", err, out)
	}
	out, _, err = runCmd(t, vars, "", "user", "list")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(strings.ToLower(out), "anna") || !strings.Contains(out, "Gelöschtes Konto #") {
		t.Fatalf("user list after delete:\n%s", out)
	}
	if _, _, err := runCmd(t, vars, "", "user", "delete", "--email", "anna.beispiel@by.example"); err == nil {
		t.Fatal("the deleted e-mail is still found")
	}
}

// startServe runs `serve` in the background and returns its base URL.
func startServe(t *testing.T, vars map[string]string, args ...string) (string, *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, errOut := &syncBuffer{}, &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), testEnv(vars), strings.NewReader(""), out, errOut)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve returned %v\n%s", err, errOut.String())
			}
		case <-time.After(20 * time.Second):
			t.Error("serve did not shut down within 20 s")
		}
	})
	re := regexp.MustCompile(`läuft auf (http://\S+)`)
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			return m[1], out
		}
		select {
		case err := <-done:
			t.Fatalf("serve stopped early: %v\n%s", err, errOut.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("serve did not start\nstdout: %s\nstderr: %s", out.String(), errOut.String())
	return "", nil
}

func getJSON(t *testing.T, c *http.Client, url string, into any) int {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if into != nil {
		body, _ := io.ReadAll(resp.Body)
		if err := json.Unmarshal(body, into); err != nil {
			t.Fatalf("GET %s: %v: %s", url, err, body)
		}
	}
	return resp.StatusCode
}

func TestServeDemoEndToEnd(t *testing.T) {
	vars := map[string]string{
		"STRATEGIERAUM_DATABASE_URL":  filepath.Join(t.TempDir(), "demo.db"),
		"STRATEGIERAUM_DEMO_PASSWORD": "demo-passwort-fuer-tests",
	}
	base, _ := startServe(t, vars, "--demo")
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second}

	if code := getJSON(t, c, base+"/healthz", nil); code != 200 {
		t.Fatalf("healthz %d", code)
	}
	if code := getJSON(t, c, base+"/readyz", nil); code != 200 {
		t.Fatalf("readyz %d", code)
	}
	if code := getJSON(t, c, base+"/api/me", nil); code != 401 {
		t.Fatalf("/api/me without session: %d", code)
	}
	body := `{"email":"pate1@hh.example","password":"demo-passwort-fuer-tests"}`
	req, _ := http.NewRequest(http.MethodPost, base+"/api/session", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("demo login: %s", resp.Status)
	}
	var strategies []struct {
		ID    int64  `json:"id"`
		Title string `json:"title"`
	}
	if code := getJSON(t, c, base+"/api/strategies", &strategies); code != 200 || len(strategies) != 1 ||
		strategies[0].Title != "Föderale Digitalstrategie" {
		t.Fatalf("strategies: %d %+v", code, strategies)
	}
	var sections []struct {
		ID    int64  `json:"id"`
		Title string `json:"title"`
	}
	getJSON(t, c, fmt.Sprintf("%s/api/strategies/%d/sections", base, strategies[0].ID), &sections)
	if len(sections) != 8 || sections[0].Title != "Zukunftsbild der Verwaltung" {
		t.Fatalf("sections: %+v", sections)
	}
	resp, err = c.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), "<html") {
		t.Fatalf("UI: %s %.200s", resp.Status, page)
	}
	resp, err = c.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(metrics), "http_requests_total") {
		t.Fatalf("metrics lack request counts:\n%.500s", metrics)
	}
}

// TestServeOnPostgresAndRedis runs the same binary against the services CI
// starts, and checks that readiness covers both.
func TestServeOnPostgresAndRedis(t *testing.T) {
	pg, rd := os.Getenv("STRATEGIERAUM_TEST_POSTGRES_URL"), os.Getenv("STRATEGIERAUM_TEST_REDIS_URL")
	if pg == "" || rd == "" {
		t.Skip("STRATEGIERAUM_TEST_POSTGRES_URL and STRATEGIERAUM_TEST_REDIS_URL not set")
	}
	dbURL := freshPostgresDatabase(t, pg)
	vars := map[string]string{
		"STRATEGIERAUM_DATABASE_URL":  dbURL,
		"STRATEGIERAUM_REDIS_URL":     rd,
		"STRATEGIERAUM_DEMO_PASSWORD": "demo-passwort-fuer-tests",
	}
	base, _ := startServe(t, vars, "--demo")
	base2, _ := startServe(t, vars) // a second instance on the same database
	var ready map[string]any
	for _, b := range []string{base, base2} {
		if code := getJSON(t, http.DefaultClient, b+"/readyz", &ready); code != 200 {
			t.Fatalf("readyz %d %v", code, ready)
		}
	}
	var problem map[string]any
	if code := getJSON(t, http.DefaultClient, base2+"/api/strategies", &problem); code != 401 {
		t.Fatalf("anonymous strategies on instance 2: %d", code)
	}
}
