package frontend

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func get(t *testing.T, h http.Handler, method, target string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// Without -tags spa every dashboard path answers the placeholder page; the test also covers the
// handler both builds share.
func TestPlaceholderServesEveryClientRoute(t *testing.T) {
	if Built {
		t.Skip("built with -tags spa")
	}
	h := Handler()
	for _, target := range []string{"/", "/index.html", "/sites/1234567", "/sites/1234567/contacts/42?x=1", "/playground", "/operator/break-glass"} {
		rec := get(t, h, http.MethodGet, target)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: status %d", target, rec.Code)
		}
		body := rec.Body.String()
		if !strings.Contains(body, "dashboard was not built") || !strings.Contains(body, "npm ci &amp;&amp; npm run build") || !strings.Contains(body, "-tags spa") {
			t.Fatalf("GET %s: body does not explain how to build: %q", target, body)
		}
		if got := rec.Header().Get("Content-Type"); !strings.HasPrefix(got, "text/html") {
			t.Fatalf("GET %s: Content-Type %q", target, got)
		}
		if got := rec.Header().Get("Cache-Control"); got != "no-cache" {
			t.Fatalf("GET %s: Cache-Control %q, want no-cache", target, got)
		}
		if got := rec.Header().Get("Content-Security-Policy"); !strings.Contains(got, "frame-ancestors 'none'") || !strings.Contains(got, "script-src 'self'") {
			t.Fatalf("GET %s: Content-Security-Policy %q", target, got)
		}
	}
}

func TestPlaceholderRefusesMissingAssetsAndWrites(t *testing.T) {
	if Built {
		t.Skip("built with -tags spa")
	}
	h := Handler()
	if rec := get(t, h, http.MethodGet, "/assets/index-abc123.js"); rec.Code != http.StatusNotFound {
		t.Fatalf("missing asset: status %d, want 404", rec.Code)
	}
	rec := get(t, h, http.MethodPost, "/sites/1234567")
	if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "GET, HEAD" {
		t.Fatalf("POST: status %d, Allow %q", rec.Code, rec.Header().Get("Allow"))
	}
	if rec := get(t, h, http.MethodHead, "/sites/1234567"); rec.Code != http.StatusOK || rec.Body.Len() != 0 {
		t.Fatalf("HEAD: status %d, %d body bytes", rec.Code, rec.Body.Len())
	}
}

func TestHandlerServesBuiltFiles(t *testing.T) {
	h := newHandler(fstest.MapFS{
		"index.html":              {Data: []byte("<!doctype html><title>app</title>")},
		"assets/index-abc123.js":  {Data: []byte("console.log(1)")},
		"assets/index-abc123.css": {Data: []byte("body{}")},
		"robots.txt":              {Data: []byte("User-agent: *")},
		".vite/manifest.json":     {Data: []byte("{}")},
	})

	rec := get(t, h, http.MethodGet, "/assets/index-abc123.js")
	if rec.Code != http.StatusOK || rec.Body.String() != "console.log(1)" {
		t.Fatalf("asset: status %d body %q", rec.Code, rec.Body.String())
	}
	if got := rec.Header().Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
		t.Fatalf("asset Cache-Control %q", got)
	}
	if got := rec.Header().Get("Content-Type"); !strings.Contains(got, "javascript") {
		t.Fatalf("asset Content-Type %q", got)
	}
	if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
		t.Fatalf("X-Content-Type-Options %q", got)
	}
	etag := rec.Header().Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	if rec := get(t, h, http.MethodGet, "/assets/index-abc123.js", "If-None-Match", etag); rec.Code != http.StatusNotModified {
		t.Fatalf("conditional GET: status %d, want 304", rec.Code)
	}

	for _, missing := range []string{"/assets/gone-000.js", "/assets/", "/assets", "/.vite/manifest.json"} {
		if rec := get(t, h, http.MethodGet, missing); rec.Code != http.StatusNotFound {
			t.Fatalf("GET %s: status %d, want 404", missing, rec.Code)
		}
	}

	for _, route := range []string{"/", "/sites/1234567/contacts/new", "/request-access", "/../../etc/passwd"} {
		rec := get(t, h, http.MethodGet, route)
		if rec.Code != http.StatusOK || rec.Body.String() != "<!doctype html><title>app</title>" {
			t.Fatalf("GET %s: status %d body %q, want index.html", route, rec.Code, rec.Body.String())
		}
		if got := rec.Header().Get("Cache-Control"); got != "no-cache" {
			t.Fatalf("GET %s: Cache-Control %q, want no-cache", route, got)
		}
	}

	rec = get(t, h, http.MethodGet, "/robots.txt")
	if rec.Code != http.StatusOK || rec.Body.String() != "User-agent: *" || rec.Header().Get("Cache-Control") != "no-cache" {
		t.Fatalf("robots.txt: status %d body %q cache %q", rec.Code, rec.Body.String(), rec.Header().Get("Cache-Control"))
	}
}
