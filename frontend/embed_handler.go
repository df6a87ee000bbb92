// Package frontend serves the admin dashboard (the single-page app built into frontend/dist) and
// its GraphQL playground. Build with -tags spa to embed the built assets; without the tag,
// Handler serves a page explaining how to build them.
package frontend

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"
)

const (
	indexFile = "index.html"
	// Vite names everything under /assets/ by content hash: a changed file gets a new name.
	assetsPrefix = "/assets/"
	cacheForever = "public, max-age=31536000, immutable"
	// index.html and unhashed files are revalidated on every use (cheaply, by ETag).
	cacheRevalidate = "no-cache"
	// pagePolicy is the Content-Security-Policy of the dashboard and playground pages: their own
	// scripts, styles (Mantine sets inline styles), workers (GraphiQL's editor) and API only, and
	// never inside another site's frame.
	pagePolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
		"font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; " +
		"form-action 'self'; frame-ancestors 'none'"
)

// spa serves files from a dist directory: hashed assets with long cache lifetimes, a 404 for
// missing assets, and index.html for every other path that is not a file, so the client-side
// router can answer it (/sites/1234567/contacts and the like).
type spa struct {
	files fs.FS
	etags sync.Map // file name -> quoted strong ETag
}

func newHandler(files fs.FS) http.Handler { return &spa{files: files} }

func (h *spa) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")

	clean := path.Clean("/" + r.URL.Path)
	name := strings.TrimPrefix(clean, "/")
	if hidden(name) {
		// Build metadata such as .vite/manifest.json is not part of the site.
		http.NotFound(w, r)
		return
	}
	if strings.HasPrefix(clean+"/", assetsPrefix) {
		if !h.serveFile(w, r, name, cacheForever) {
			http.NotFound(w, r)
		}
		return
	}
	if name != "" && name != indexFile && h.serveFile(w, r, name, cacheRevalidate) {
		return
	}
	if !h.serveFile(w, r, indexFile, cacheRevalidate) {
		http.Error(w, "the dashboard's index.html is missing", http.StatusInternalServerError)
	}
}

// serveFile writes the named regular file and reports whether there was one.
func (h *spa) serveFile(w http.ResponseWriter, r *http.Request, name, cacheControl string) bool {
	if name == "" {
		return false
	}
	content, err := fs.ReadFile(h.files, name)
	if err != nil {
		return false // missing, or a directory
	}
	w.Header().Set("Cache-Control", cacheControl)
	w.Header().Set("ETag", h.etag(name, content))
	if strings.HasSuffix(name, ".html") {
		w.Header().Set("Content-Security-Policy", pagePolicy)
		w.Header().Set("X-Frame-Options", "DENY")
		w.Header().Set("Referrer-Policy", "same-origin")
	}
	// Embedded files carry no modification time; the ETag answers conditional requests.
	http.ServeContent(w, r, path.Base(name), time.Time{}, bytes.NewReader(content))
	return true
}

func (h *spa) etag(name string, content []byte) string {
	if v, ok := h.etags.Load(name); ok {
		return v.(string)
	}
	sum := sha256.Sum256(content)
	tag := `"` + hex.EncodeToString(sum[:16]) + `"`
	h.etags.Store(name, tag)
	return tag
}

func hidden(name string) bool {
	for _, seg := range strings.Split(name, "/") {
		if strings.HasPrefix(seg, ".") && seg != "." {
			return true
		}
	}
	return false
}
