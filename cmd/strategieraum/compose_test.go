package main

import (
	"context"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
)

// TestComposeFile loads compose.yaml as Docker Compose would and checks the
// topology: PostgreSQL, Redis, two app instances wired to both, and a proxy
// that passes websocket upgrades.
func TestComposeFile(t *testing.T) {
	opts, err := cli.NewProjectOptions([]string{"../../compose.yaml"},
		cli.WithWorkingDirectory("../.."), cli.WithName("strategieraum"),
		cli.WithEnv([]string{"STRATEGIERAUM_DEMO_PASSWORD=test"}))
	if err != nil {
		t.Fatal(err)
	}
	p, err := opts.LoadProject(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"postgres", "redis", "app1", "app2", "proxy"} {
		if _, err := p.GetService(name); err != nil {
			t.Fatalf("service %s: %v", name, err)
		}
	}
	seeders := 0
	for _, name := range []string{"app1", "app2"} {
		s, _ := p.GetService(name)
		env := s.Environment
		if db := env["STRATEGIERAUM_DATABASE_URL"]; db == nil || !strings.HasPrefix(*db, "postgres://") || !strings.Contains(*db, "@postgres:") {
			t.Errorf("%s: database URL %v does not point at the postgres service", name, db)
		}
		if r := env["STRATEGIERAUM_REDIS_URL"]; r == nil || !strings.HasPrefix(*r, "redis://redis:") {
			t.Errorf("%s: redis URL %v does not point at the redis service", name, r)
		}
		if s.Build == nil || s.Build.Context == "" {
			t.Errorf("%s is not built from the repository's Dockerfile", name)
		}
		if _, ok := s.DependsOn["postgres"]; !ok {
			t.Errorf("%s does not wait for postgres", name)
		}
		if strings.Join(s.Command, " ") == "serve --demo" {
			seeders++
		}
	}
	if seeders != 1 {
		t.Errorf("%d instances seed demo data; exactly one must", seeders)
	}
	proxy, _ := p.GetService("proxy")
	if len(proxy.Ports) != 1 || proxy.Ports[0].Published != "8080" {
		t.Errorf("proxy ports %+v, want 8080 published", proxy.Ports)
	}
	conf, ok := p.Configs["nginx"]
	if !ok || !strings.Contains(conf.Content, "proxy_set_header Upgrade") ||
		!strings.Contains(conf.Content, "server app1:8080") || !strings.Contains(conf.Content, "server app2:8080") {
		t.Errorf("nginx config does not balance both instances with websocket upgrades:\n%s", conf.Content)
	}
}
