package consult

import (
	"bytes"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"github.com/strategieraum/strategieraum/backend/export"
)

// markdown renders without raw HTML (goldmark's default); the allow-list
// below is the second line of defence should a renderer bug let markup
// through.
var (
	markdown  = goldmark.New(goldmark.WithExtensions(extension.Strikethrough, extension.Table, extension.Linkify))
	sanitizer = func() *bluemonday.Policy {
		p := bluemonday.UGCPolicy()
		p.RequireNoFollowOnLinks(true)
		p.RequireNoReferrerOnLinks(true)
		p.AllowURLSchemes("https", "http", "mailto")
		return p
	}()
)

// RenderMarkdown turns a Markdown body into sanitised HTML that is safe to
// insert into a page. A very long paragraph is shown as its literal text
// (export.Defuse), which keeps rendering linear in the length of body.
func RenderMarkdown(body string) string {
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(export.Defuse(body)), &buf); err != nil {
		// goldmark only fails on writer errors; fall back to escaped text.
		return sanitizer.Sanitize("<p>" + bluemonday.StrictPolicy().Sanitize(body) + "</p>")
	}
	return sanitizer.Sanitize(buf.String())
}
