package consult

import (
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"html/template"
	"io"
	"strings"

	"github.com/strategieraum/strategieraum/backend/domain"
)

//go:embed templates/report.html
var templatesFS embed.FS

var reportTemplate = template.Must(template.New("report.html").Funcs(template.FuncMap{
	"berlin":      Berlin,
	"lines":       LineLabel,
	"countHeader": countHeader,
	"countRecord": countRecord,
	"kind":        func(k domain.ThreadKind) string { return kindLabels[k] },
	"status":      func(s domain.ThreadStatus) string { return statusLabels[s] },
	"position":    func(p domain.Position) string { return positionLabels[p] },
	// Comment HTML was rendered from Markdown and sanitised with an
	// allow-list when it was stored.
	"safe": func(s string) template.HTML { return template.HTML(s) }, //nolint:gosec // sanitised on write
}).ParseFS(templatesFS, "templates/report.html"))

// WriteHTML writes the report as a self-contained page that prints cleanly
// (A4, page breaks per section, no external resources).
func (r *Report) WriteHTML(w io.Writer) error {
	return reportTemplate.Execute(w, r)
}

// ReportContentSecurityPolicy is the policy to serve the HTML report with:
// nothing may load or run, only the page's own inline style block, allowed
// by its hash.
var ReportContentSecurityPolicy = func() string {
	raw, err := templatesFS.ReadFile("templates/report.html")
	if err != nil {
		panic(err)
	}
	page := string(raw)
	start := strings.Index(page, "<style>") + len("<style>")
	end := strings.Index(page, "</style>")
	sum := sha256.Sum256([]byte(page[start:end]))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; " +
		"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
}()
