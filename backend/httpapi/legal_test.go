package httpapi_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strategieraum/strategieraum/backend/consult"
	"github.com/strategieraum/strategieraum/backend/httpapi"
	"github.com/strategieraum/strategieraum/backend/legal"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// The legal pages are public, come from the operator's Markdown rendered
// and sanitised on the server, and fall back to the marked defaults.
func TestLegalPages(t *testing.T) {
	dir := t.TempDir()
	md := "## Angaben gemäß § 5 DDG\n\nLand Musterland <script>alert(1)</script>\n\n[Kontakt](javascript:alert(1))\n"
	must(t, os.WriteFile(filepath.Join(dir, "impressum.md"), []byte(md), 0o600))
	pages, err := legal.Load(dir, consult.RenderMarkdown)
	must(t, err)
	db := storetest.Open(t)
	srv := httptest.NewServer(httpapi.New(httpapi.Config{}, httpapi.Deps{Users: db, Sessions: db, Strategies: db, Audit: db, Legal: pages}).Handler())
	defer srv.Close()

	get := func(page string) (int, legal.Page) {
		resp, err := http.Get(srv.URL + "/api/legal/" + page)
		must(t, err)
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		var p legal.Page
		if resp.StatusCode == 200 {
			must(t, json.Unmarshal(body, &p))
		}
		return resp.StatusCode, p
	}
	code, p := get("impressum")
	if code != 200 || p.Default || p.Placeholder || !strings.Contains(p.HTML, "<h2") || !strings.Contains(p.HTML, "Land Musterland") {
		t.Fatalf("impressum: %d %+v", code, p)
	}
	if strings.Contains(p.HTML, "<script") || strings.Contains(p.HTML, "javascript:") {
		t.Fatalf("impressum not sanitised: %s", p.HTML)
	}
	code, p = get("barrierefreiheit")
	if code != 200 || !p.Default || !p.Placeholder || p.Title != "Erklärung zur Barrierefreiheit" {
		t.Fatalf("barrierefreiheit: %d %+v", code, p)
	}
	if code, _ := get("agb"); code != 404 {
		t.Fatalf("unknown page: %d", code)
	}
}
