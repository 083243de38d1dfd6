package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strings"
	"testing"
)

// TestServeTrustedProxies: proxies are addresses or ranges; the old switch
// that trusted every private address stops the server with a hint.
func TestServeTrustedProxies(t *testing.T) {
	parse := func(vars map[string]string, args ...string) (serveConfig, error) {
		return parseServe(args, env{getenv: testEnv(vars), stdout: io.Discard, stderr: io.Discard})
	}
	c, err := parse(map[string]string{"STRATEGIERAUM_TRUSTED_PROXIES": "10.0.3.7, 10.0.4.9/28,2001:db8::1"})
	if err != nil {
		t.Fatal(err)
	}
	want := []netip.Prefix{netip.MustParsePrefix("10.0.3.7/32"), netip.MustParsePrefix("10.0.4.0/28"), netip.MustParsePrefix("2001:db8::1/128")}
	if !slices.Equal(c.TrustedProxies, want) {
		t.Fatalf("trusted proxies %v, want %v", c.TrustedProxies, want)
	}
	if c.ConnectionsPerUser != 20 {
		t.Fatalf("connections per user %d, want 20", c.ConnectionsPerUser)
	}
	for _, bad := range []string{"10.0.0.300", "10.0.0.0/33", "proxy.example"} {
		if _, err := parse(map[string]string{"STRATEGIERAUM_TRUSTED_PROXIES": bad}); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if _, err := parse(map[string]string{"STRATEGIERAUM_TRUST_PROXY": "true"}); err == nil ||
		!strings.Contains(err.Error(), "STRATEGIERAUM_TRUSTED_PROXIES") {
		t.Errorf("old switch: %v", err)
	}
	if _, err := parse(nil, "--connections-per-user", "0"); err == nil {
		t.Error("a cap of 0 accepted")
	}
	if c, _ := parse(nil, "--connections-per-user", "2000"); c.ConnectionsPerUser != 2000 {
		t.Errorf("flag: %d", c.ConnectionsPerUser)
	}
}

// TestServeContributionsPerMinute: 10 by default, 0 for none, nothing
// negative or unparsable.
func TestServeContributionsPerMinute(t *testing.T) {
	parse := func(vars map[string]string, args ...string) (serveConfig, error) {
		return parseServe(args, env{getenv: testEnv(vars), stdout: io.Discard, stderr: io.Discard})
	}
	if c, err := parse(nil); err != nil || c.ContributionsPerMinute != 10 || contributionCap(c.ContributionsPerMinute) != 10 {
		t.Fatalf("default: %d, %v", c.ContributionsPerMinute, err)
	}
	if c, err := parse(map[string]string{"STRATEGIERAUM_CONTRIBUTIONS_PER_MINUTE": "0"}); err != nil || contributionCap(c.ContributionsPerMinute) >= 0 {
		t.Fatalf("0 does not turn the cap off: %d, %v", c.ContributionsPerMinute, err)
	}
	if c, _ := parse(nil, "--contributions-per-minute", "30"); c.ContributionsPerMinute != 30 {
		t.Errorf("flag: %d", c.ContributionsPerMinute)
	}
	for _, bad := range []string{"-1", "zehn"} {
		if _, err := parse(map[string]string{"STRATEGIERAUM_CONTRIBUTIONS_PER_MINUTE": bad}); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestServeDebugAddr: the runtime's profiles are off by default, served
// only on a loopback address, and answer there.
func TestServeDebugAddr(t *testing.T) {
	parse := func(args ...string) (serveConfig, error) {
		return parseServe(args, env{getenv: testEnv(nil), stdout: io.Discard, stderr: io.Discard})
	}
	if c, err := parse(); err != nil || c.DebugAddr != "" {
		t.Fatalf("default %q, %v; want off", c.DebugAddr, err)
	}
	for _, ok := range []string{"127.0.0.1:6060", "[::1]:6060", "localhost:6060"} {
		if c, err := parse("--debug-addr", ok); err != nil || c.DebugAddr != ok {
			t.Errorf("%q: %q, %v", ok, c.DebugAddr, err)
		}
	}
	for _, bad := range []string{":6060", "0.0.0.0:6060", "10.0.0.5:6060", "example.org:6060", "127.0.0.1"} {
		if _, err := parse("--debug-addr", bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	srv := httptest.NewServer(debugServer("").Handler)
	defer srv.Close()
	res, err := http.Get(srv.URL + "/debug/pprof/goroutine?debug=1")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "goroutine profile") {
		t.Fatalf("profile: %d %.200s", res.StatusCode, body)
	}
}
