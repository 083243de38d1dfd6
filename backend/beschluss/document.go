package beschluss

import (
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"html/template"
	"io"
	"strings"
	"time"
)

//go:embed templates/document.html
var templates embed.FS

var docTemplate = template.Must(template.New("document.html").Funcs(template.FuncMap{
	"date": func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.In(berlin).Format("02.01.2006, 15:04 Uhr")
	},
	"vote":      voteLabel,
	"rule":      ruleLabel,
	"percent":   percent,
	"paragraph": func(s string) []string { return strings.Split(s, "\n") },
}).ParseFS(templates, "templates/document.html"))

// documentStyle is the document's only style, allowed by its hash.
const documentStyle = `body{font-family:sans-serif;max-width:48rem;margin:1rem auto;padding:0 1rem;line-height:1.5}` +
	`table{border-collapse:collapse;width:100%}th,td{border:1px solid #555;padding:.25rem .5rem;text-align:left;vertical-align:top}` +
	`code{overflow-wrap:anywhere}@media print{body{margin:0}}`

// DocumentContentSecurityPolicy allows the document's inline style and
// nothing else.
var DocumentContentSecurityPolicy = func() string {
	sum := sha256.Sum256([]byte(documentStyle))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}()

// WriteHTML writes the printable result document of v: number, date, rule,
// every member's vote with its Protokollerklärung, the text and its hash.
func WriteHTML(w io.Writer, v *View) error {
	return docTemplate.Execute(w, struct {
		*View
		Style template.CSS
	}{v, template.CSS(documentStyle)})
}

func voteLabel(v Vote) string {
	switch v {
	case Zustimmung:
		return "Zustimmung"
	case Ablehnung:
		return "Ablehnung"
	case Enthaltung:
		return "Enthaltung"
	}
	return "keine Stimme"
}

func ruleLabel(r Rule) string {
	switch r {
	case Einstimmig:
		return "einstimmig"
	case Rechtsverbindlich:
		return "rechtsverbindlich (Bund und mindestens 11 Länder mit zwei Dritteln nach dem Königsteiner Schlüssel)"
	}
	return "Empfehlung (einfache Mehrheit der abgegebenen Stimmen)"
}
