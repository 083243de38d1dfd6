package legal_test

import (
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strategieraum/strategieraum/backend/legal"
)

func render(md string) string { return "<p>" + html.EscapeString(md) + "</p>" }

func TestDefaultsAreMarkedPlaceholders(t *testing.T) {
	pages, err := legal.Load("", render)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range legal.Slugs {
		p := pages[s.Slug]
		if p == nil || !p.Default || !p.Placeholder || p.Title != s.Title || !strings.Contains(p.HTML, "PLATZHALTER") {
			t.Errorf("%s: %+v", s.Slug, p)
		}
	}
}

func TestOperatorFilesReplaceDefaults(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "impressum.md"), []byte("## Angaben gemäß § 5 DDG\n\nLand Musterland\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	pages, err := legal.Load(dir, render)
	if err != nil {
		t.Fatal(err)
	}
	if p := pages["impressum"]; p.Default || p.Placeholder || !strings.Contains(p.HTML, "Land Musterland") {
		t.Errorf("impressum from the directory: %+v", p)
	}
	if p := pages["datenschutz"]; !p.Default {
		t.Errorf("datenschutz without a file is not the default: %+v", p)
	}
}

func TestBadDirectoryOrFileIsAnError(t *testing.T) {
	if _, err := legal.Load(filepath.Join(t.TempDir(), "missing"), render); err == nil {
		t.Error("a missing directory was accepted")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "datenschutz.md"), []byte(" \n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := legal.Load(dir, render); err == nil || !strings.Contains(err.Error(), "datenschutz.md") {
		t.Errorf("an empty page: %v", err)
	}
}
