package main

import (
	"context"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
)

// loadCompose loads compose.yaml as Docker Compose would, with env as the
// shell environment.
func loadCompose(t *testing.T, env ...string) *types.Project {
	t.Helper()
	opts, err := cli.NewProjectOptions([]string{"../../compose.yaml"},
		cli.WithWorkingDirectory("../.."), cli.WithName("strategieraum"), cli.WithEnv(env))
	if err != nil {
		t.Fatal(err)
	}
	p, err := opts.LoadProject(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestComposeFile checks the topology: PostgreSQL, a Redis-compatible
// server, two app instances wired to both, and a proxy that passes
// websocket upgrades and is the only service with a port, on loopback.
func TestComposeFile(t *testing.T) {
	p := loadCompose(t)
	for _, name := range []string{"postgres", "redis", "app1", "app2", "proxy"} {
		s, err := p.GetService(name)
		if err != nil {
			t.Fatalf("service %s: %v", name, err)
		}
		if name != "proxy" && len(s.Ports) > 0 {
			t.Errorf("%s publishes ports %+v; only the proxy may", name, s.Ports)
		}
	}
	for _, name := range []string{"app1", "app2"} {
		s, _ := p.GetService(name)
		env := s.Environment
		if db := env["STRATEGIERAUM_DATABASE_URL"]; db == nil || !strings.HasPrefix(*db, "postgres://") || !strings.Contains(*db, "@postgres:") {
			t.Errorf("%s: database URL %v does not point at the postgres service", name, db)
		} else if _, err := withPassword(*db, "x"); err != nil {
			t.Errorf("%s: database URL: %v", name, err)
		}
		if r := env["STRATEGIERAUM_REDIS_URL"]; r == nil || !strings.HasPrefix(*r, "redis://redis:") {
			t.Errorf("%s: redis URL %v does not point at the redis service", name, r)
		}
		if f := env["STRATEGIERAUM_DATABASE_PASSWORD_FILE"]; f == nil || !usesSecret(s, "postgres_password", *f) {
			t.Errorf("%s: the database password does not come from the postgres_password secret (%v)", name, f)
		}
		if s.Build == nil || s.Build.Context == "" {
			t.Errorf("%s is not built from the repository's Dockerfile", name)
		}
		if _, ok := s.DependsOn["postgres"]; !ok {
			t.Errorf("%s does not wait for postgres", name)
		}
		if strings.Contains(strings.Join(s.Command, " "), "--demo") {
			t.Errorf("%s seeds demo data unconditionally", name)
		}
	}
	pg, _ := p.GetService("postgres")
	if _, plain := pg.Environment["POSTGRES_PASSWORD"]; plain {
		t.Error("postgres has its password in the environment")
	}
	if f := pg.Environment["POSTGRES_PASSWORD_FILE"]; f == nil || !usesSecret(pg, "postgres_password", *f) {
		t.Errorf("postgres does not read its password from the secret (%v)", f)
	}
	if rd, _ := p.GetService("redis"); !strings.Contains(rd.Image, "valkey") {
		t.Errorf("redis service image %q, want Valkey", rd.Image)
	}
	proxy, _ := p.GetService("proxy")
	if len(proxy.Ports) != 1 || proxy.Ports[0].Published != "8080" || proxy.Ports[0].HostIP != "127.0.0.1" {
		t.Errorf("proxy ports %+v, want 8080 on 127.0.0.1", proxy.Ports)
	}
	conf, ok := p.Configs["nginx"]
	if !ok || !strings.Contains(conf.Content, "proxy_set_header Upgrade") ||
		!strings.Contains(conf.Content, "server app1:8080") || !strings.Contains(conf.Content, "server app2:8080") {
		t.Errorf("nginx config does not balance both instances with websocket upgrades:\n%s", conf.Content)
	}
	// The client's own X-Forwarded-For must not reach the app: the app
	// trusts the header for login throttling.
	if !strings.Contains(conf.Content, "X-Forwarded-For $remote_addr") || strings.Contains(conf.Content, "proxy_add_x_forwarded_for") {
		t.Errorf("nginx passes on a client-supplied X-Forwarded-For:\n%s", conf.Content)
	}
}

// TestComposeDemoOnlyWhenAsked: no demo data by default; with
// STRATEGIERAUM_DEMO=true exactly one instance seeds it.
func TestComposeDemoOnlyWhenAsked(t *testing.T) {
	seeders := func(p *types.Project) int {
		n := 0
		for _, name := range []string{"app1", "app2"} {
			s, _ := p.GetService(name)
			if v := s.Environment["STRATEGIERAUM_DEMO"]; v != nil && *v == "true" {
				n++
			}
		}
		return n
	}
	if n := seeders(loadCompose(t)); n != 0 {
		t.Errorf("%d instances seed demo data by default", n)
	}
	if n := seeders(loadCompose(t, "STRATEGIERAUM_DEMO=true", "STRATEGIERAUM_DEMO_PASSWORD=test")); n != 1 {
		t.Errorf("%d instances seed demo data when asked; exactly one must", n)
	}
	p := loadCompose(t, "STRATEGIERAUM_BIND=0.0.0.0", "STRATEGIERAUM_PORT=443")
	if proxy, _ := p.GetService("proxy"); proxy.Ports[0].HostIP != "0.0.0.0" || proxy.Ports[0].Published != "443" {
		t.Errorf("proxy ports with STRATEGIERAUM_BIND and _PORT: %+v", proxy.Ports)
	}
}

// usesSecret reports whether s mounts the secret name at path.
func usesSecret(s types.ServiceConfig, name, path string) bool {
	for _, sec := range s.Secrets {
		target := sec.Target
		if target == "" {
			target = sec.Source
		}
		if !strings.HasPrefix(target, "/") {
			target = "/run/secrets/" + target
		}
		if sec.Source == name && target == path {
			return true
		}
	}
	return false
}
