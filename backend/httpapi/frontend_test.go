package httpapi_test

import (
	"io"
	"net/http"
	"testing"
	"testing/fstest"

	"github.com/strategieraum/strategieraum/backend/httpapi"
	"github.com/strategieraum/strategieraum/backend/store/storetest"
)

// TestPrecompressedAssets: the server sends the Brotli or gzip copy the
// build wrote, whichever the request accepts best, with the original's
// type, Vary, caching headers and an ETag that answers 304.
func TestPrecompressedAssets(t *testing.T) {
	db := storetest.Open(t)
	spa := fstest.MapFS{
		"index.html":            {Data: []byte("<!doctype html><title>App</title>")},
		"index.html.br":         {Data: []byte("BR-INDEX")},
		"index.html.gz":         {Data: []byte("GZ-INDEX")},
		"assets/app-1a2b.js":    {Data: []byte("console.log(1)")},
		"assets/app-1a2b.js.br": {Data: []byte("BR-JS")},
		"assets/app-1a2b.js.gz": {Data: []byte("GZ-JS")},
		"assets/app-1a2b.css":   {Data: []byte("body{}")},
	}
	srv := newServer(t, httpapi.New(httpapi.Config{}, httpapi.Deps{Users: db, Sessions: db, Strategies: db, Audit: db, Frontend: spa}))
	// No transparent decompression: the test sees the bytes on the wire.
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	get := func(path, accept, ifNoneMatch string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		if accept != "" {
			req.Header.Set("Accept-Encoding", accept)
		}
		if ifNoneMatch != "" {
			req.Header.Set("If-None-Match", ifNoneMatch)
		}
		resp, err := client.Do(req)
		must(t, err)
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, string(body)
	}

	for _, tc := range []struct{ accept, encoding, body string }{
		{"gzip, deflate, br", "br", "BR-JS"},
		{"gzip", "gzip", "GZ-JS"},
		{"x-gzip", "gzip", "GZ-JS"},
		{"br;q=0.5, gzip;q=0.8", "gzip", "GZ-JS"},
		{"br;q=0.8, gzip;q=0.8", "br", "BR-JS"},
		{"*", "br", "BR-JS"},
		{"*;q=0.5, br;q=0", "gzip", "GZ-JS"},
		{"br;q=0, gzip;q=0", "", "console.log(1)"},
		{"identity", "", "console.log(1)"},
		{"", "", "console.log(1)"},
		{"gzip;q=nonsense", "", "console.log(1)"},
	} {
		resp, body := get("/assets/app-1a2b.js", tc.accept, "")
		if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != tc.encoding || body != tc.body {
			t.Errorf("Accept-Encoding %q: %d, Content-Encoding %q, body %q; want %q, %q", tc.accept, resp.StatusCode,
				resp.Header.Get("Content-Encoding"), body, tc.encoding, tc.body)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "text/javascript; charset=utf-8" {
			t.Errorf("Accept-Encoding %q: Content-Type %q", tc.accept, ct)
		}
		if resp.Header.Get("Vary") != "Accept-Encoding" || resp.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
			t.Errorf("Accept-Encoding %q: Vary %q, Cache-Control %q", tc.accept, resp.Header.Get("Vary"), resp.Header.Get("Cache-Control"))
		}
	}

	// A file without copies goes out as it is.
	resp, body := get("/assets/app-1a2b.css", "br, gzip", "")
	if resp.Header.Get("Content-Encoding") != "" || body != "body{}" || resp.Header.Get("Content-Type") != "text/css; charset=utf-8" {
		t.Errorf("css: %v %q", resp.Header, body)
	}

	// Revalidation: the ETag of each encoding answers 304 for that encoding.
	resp, _ = get("/assets/app-1a2b.js", "br", "")
	etag := resp.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	if resp, _ := get("/assets/app-1a2b.js", "br", etag); resp.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match with the ETag: %d, want 304", resp.StatusCode)
	}
	if resp, _ := get("/assets/app-1a2b.js", "gzip", etag); resp.StatusCode != 200 || resp.Header.Get("ETag") == etag {
		t.Errorf("the br ETag matched the gzip copy: %d %q", resp.StatusCode, resp.Header.Get("ETag"))
	}

	// index.html, also for client-side routes: compressed, never cached unchecked.
	for _, path := range []string{"/", "/strategien/1"} {
		resp, body := get(path, "br", "")
		if resp.StatusCode != 200 || body != "BR-INDEX" || resp.Header.Get("Cache-Control") != "no-cache" ||
			resp.Header.Get("Content-Type") != "text/html; charset=utf-8" || resp.Header.Get("Vary") != "Accept-Encoding" {
			t.Errorf("%s: %d %v %q", path, resp.StatusCode, resp.Header, body)
		}
		if resp, _ := get(path, "br", resp.Header.Get("ETag")); resp.StatusCode != http.StatusNotModified {
			t.Errorf("%s revalidated: %d, want 304", path, resp.StatusCode)
		}
	}

	// API answers are personal and never stored.
	resp, _ = get("/api/me", "gzip", "")
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("/api/me Cache-Control %q, want no-store", resp.Header.Get("Cache-Control"))
	}
}
