package main

import (
	"io"
	"strings"
	"testing"

	"github.com/strategieraum/strategieraum/backend/mail"
)

// TestServeSMTPSettings: one URL or single variables (which win), the
// sender required, the TLS mode checked, the password from a file; none
// means no mail.
func TestServeSMTPSettings(t *testing.T) {
	parse := func(vars map[string]string) (serveConfig, error) {
		return parseServe(nil, env{getenv: testEnv(vars), stdout: io.Discard, stderr: io.Discard})
	}
	c, err := parse(nil)
	if err != nil || c.SMTP.Configured() {
		t.Fatalf("no SMTP settings: %+v %v", c.SMTP, err)
	}
	c, err = parse(map[string]string{"STRATEGIERAUM_SMTP_URL": "smtps://bot:geheim@mail.example?from=noreply@strategieraum.example"})
	if err != nil {
		t.Fatal(err)
	}
	want := mail.SMTPConfig{Host: "mail.example", Username: "bot", Password: "geheim", From: "noreply@strategieraum.example", TLS: mail.TLSImplicit}
	if c.SMTP != want {
		t.Fatalf("from URL %+v, want %+v", c.SMTP, want)
	}
	c, err = parse(map[string]string{"STRATEGIERAUM_SMTP_URL": "smtp://mail.example:2525", "STRATEGIERAUM_SMTP_PORT": "587",
		"STRATEGIERAUM_SMTP_FROM": "Strategieraum <noreply@strategieraum.example>", "STRATEGIERAUM_SMTP_USER": "u"})
	if err != nil || c.SMTP.Port != 587 || c.SMTP.TLS != mail.TLSStartTLS || c.SMTP.Username != "u" {
		t.Fatalf("single variables over the URL: %+v %v", c.SMTP, err)
	}
	for name, vars := range map[string]map[string]string{
		"no sender":   {"STRATEGIERAUM_SMTP_HOST": "mail.example"},
		"bad TLS":     {"STRATEGIERAUM_SMTP_HOST": "mail.example", "STRATEGIERAUM_SMTP_FROM": "a@b.example", "STRATEGIERAUM_SMTP_TLS": "maybe"},
		"bad port":    {"STRATEGIERAUM_SMTP_HOST": "mail.example", "STRATEGIERAUM_SMTP_FROM": "a@b.example", "STRATEGIERAUM_SMTP_PORT": "x"},
		"bad scheme":  {"STRATEGIERAUM_SMTP_URL": "http://mail.example", "STRATEGIERAUM_SMTP_FROM": "a@b.example"},
		"port range":  {"STRATEGIERAUM_SMTP_HOST": "mail.example", "STRATEGIERAUM_SMTP_FROM": "a@b.example", "STRATEGIERAUM_SMTP_PORT": "70000"},
		"URL garbage": {"STRATEGIERAUM_SMTP_URL": "smtp://mail.example:abc", "STRATEGIERAUM_SMTP_FROM": "a@b.example"},
	} {
		if _, err := parse(vars); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}

	// The password may come from a file, like every secret.
	getenv, err := withSecretFiles(testEnv(map[string]string{"STRATEGIERAUM_SMTP_PASSWORD_FILE": "/run/secrets/smtp"}),
		func(string) ([]byte, error) { return []byte("aus-der-datei\n"), nil })
	if err != nil {
		t.Fatal(err)
	}
	if got := getenv("STRATEGIERAUM_SMTP_PASSWORD"); got != "aus-der-datei" {
		t.Fatalf("password from file %q", got)
	}
	var help strings.Builder
	printEnv(&help, serveEnv)
	for _, v := range smtpEnv {
		if !strings.Contains(help.String(), v) {
			t.Errorf("%s not in serve --help", v)
		}
	}
}
