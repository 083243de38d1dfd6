package httpapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

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
	if s.deps.Frontend == nil {
		c.Response().Header().Set("Cache-Control", "no-cache")
		return c.HTML(http.StatusOK, placeholderPage)
	}
	name := strings.TrimPrefix(path.Clean("/"+c.Request().URL.Path), "/")
	if name != "" && name != "index.html" {
		if st, err := fs.Stat(s.deps.Frontend, name); err == nil && !st.IsDir() {
			return s.serveAsset(c, name)
		}
	}
	if name != "index.html" && (strings.HasPrefix(name, "assets/") || path.Ext(name) != "") {
		// A missing file is not a client-side route; answering with HTML
		// would only produce a confusing MIME error in the browser.
		return domain.Errorf(domain.ENOTFOUND, "Diese Datei gibt es nicht.")
	}
	if _, err := fs.Stat(s.deps.Frontend, "index.html"); err != nil {
		c.Response().Header().Set("Cache-Control", "no-cache")
		return c.HTML(http.StatusOK, placeholderPage)
	}
	return s.serveAsset(c, "index.html")
}

// precompressed are the encodings the build writes beside each file
// (frontend/scripts/compress.mjs), best first.
var precompressed = []struct{ coding, ext string }{{"br", ".br"}, {"gzip", ".gz"}}

// serveAsset writes the frontend file name, as its Brotli or gzip copy when
// one exists and the request accepts it, with an ETag so that a revalidation
// answers 304. Hashed files under assets/ never change and are cached for a
// year; everything else (index.html above all) is revalidated each time.
func (s *Server) serveAsset(c echo.Context, name string) error {
	req, h := c.Request(), c.Response().Header()
	h.Add("Vary", "Accept-Encoding")
	if strings.HasPrefix(name, "assets/") {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	h.Set("Content-Type", ctype)
	accepted := acceptedCodings(req.Header.Get("Accept-Encoding"))
	file, best := name, 0.0
	for _, p := range precompressed {
		if q := accepted[p.coding]; q > best {
			if _, err := fs.Stat(s.deps.Frontend, name+p.ext); err == nil {
				file, best = name+p.ext, q
				h.Set("Content-Encoding", p.coding)
			}
		}
	}
	data, err := fs.ReadFile(s.deps.Frontend, file)
	if err != nil {
		return err
	}
	h.Set("ETag", s.etag(file, data))
	http.ServeContent(c.Response(), req, "", time.Time{}, bytes.NewReader(data))
	return nil
}

// etag returns a strong validator for the embedded file, computed once.
func (s *Server) etag(file string, data []byte) string {
	if v, ok := s.etags.Load(file); ok {
		return v.(string)
	}
	sum := sha256.Sum256(data)
	tag := `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`
	s.etags.Store(file, tag)
	return tag
}

// acceptedCodings parses Accept-Encoding into the quality of br and gzip
// (RFC 9110 §12.5.3): a coding named with q=0, or not named and not
// covered by "*", gets 0 and is not sent. The highest quality wins; on a
// tie the order of precompressed decides (br before gzip).
func acceptedCodings(header string) map[string]float64 {
	named := map[string]float64{}
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding == "" {
			continue
		}
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && f >= 0 && f <= 1 {
					q = f
				} else {
					q = 0
				}
			}
		}
		if coding == "x-gzip" {
			coding = "gzip"
		}
		named[coding] = q
	}
	out := map[string]float64{}
	for _, p := range precompressed {
		if q, ok := named[p.coding]; ok {
			out[p.coding] = q
		} else if q, ok := named["*"]; ok {
			out[p.coding] = q
		}
	}
	return out
}
