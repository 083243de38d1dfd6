package httpapi

import (
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/strategieraum/strategieraum/backend/domain"
)

// placeholderPage is served when no frontend build is embedded, so that a
// server started from source still answers with something readable.
const placeholderPage = `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>Strategieraum</title></head>
<body><main><h1>Strategieraum</h1>
<p>Die Oberfläche ist in dieser Installation nicht enthalten. Die Programmierschnittstelle ist unter
<a href="/api/openapi.yaml">/api/openapi.yaml</a> beschrieben.</p></main></body></html>
`

// handleFrontend serves the single-page app: existing files directly (the
// hashed files under assets/ cached for a year), every other path as
// index.html so that client-side routes survive a reload.
func (s *Server) handleFrontend(c echo.Context) error {
	h := c.Response().Header()
	if s.deps.Frontend == nil {
		h.Set("Cache-Control", "no-cache")
		return c.HTML(http.StatusOK, placeholderPage)
	}
	name := strings.TrimPrefix(path.Clean("/"+c.Request().URL.Path), "/")
	if name != "" && name != "index.html" {
		if st, err := fs.Stat(s.deps.Frontend, name); err == nil && !st.IsDir() {
			if strings.HasPrefix(name, "assets/") {
				h.Set("Cache-Control", "public, max-age=31536000, immutable")
			} else {
				h.Set("Cache-Control", "no-cache")
			}
			http.ServeFileFS(c.Response(), c.Request(), s.deps.Frontend, name)
			return nil
		}
	}
	if name != "index.html" && (strings.HasPrefix(name, "assets/") || path.Ext(name) != "") {
		// A missing file is not a client-side route; answering with HTML
		// would only produce a confusing MIME error in the browser.
		return domain.Errorf(domain.ENOTFOUND, "Diese Datei gibt es nicht.")
	}
	index, err := fs.ReadFile(s.deps.Frontend, "index.html")
	if err != nil {
		h.Set("Cache-Control", "no-cache")
		return c.HTML(http.StatusOK, placeholderPage)
	}
	h.Set("Cache-Control", "no-cache")
	return c.HTMLBlob(http.StatusOK, index)
}
