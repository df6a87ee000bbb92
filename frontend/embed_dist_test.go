//go:build spa

package frontend

import (
	"encoding/json"
	"io/fs"
	"net/http"
	"strings"
	"testing"
)

// The embedded build: index.html for client routes, and every chunk the manifest names served
// from /assets/ with the long cache lifetime.
func TestEmbeddedBuild(t *testing.T) {
	h := Handler()
	rec := get(t, h, http.MethodGet, "/sites/1234567/contacts")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `<div id="root">`) {
		t.Fatalf("client route: status %d body %.200q", rec.Code, rec.Body.String())
	}
	raw, err := fs.ReadFile(dist, "dist/.vite/manifest.json")
	if err != nil {
		t.Fatalf("manifest: %v", err)
	}
	var manifest map[string]struct {
		File string `json:"file"`
	}
	if err := json.Unmarshal(raw, &manifest); err != nil {
		t.Fatal(err)
	}
	if len(manifest) == 0 {
		t.Fatal("empty manifest")
	}
	for _, chunk := range manifest {
		rec := get(t, h, http.MethodGet, "/"+chunk.File)
		if rec.Code != http.StatusOK || rec.Header().Get("Cache-Control") != cacheForever {
			t.Fatalf("%s: status %d cache %q", chunk.File, rec.Code, rec.Header().Get("Cache-Control"))
		}
	}
	if rec := get(t, h, http.MethodGet, "/.vite/manifest.json"); rec.Code != http.StatusNotFound {
		t.Fatalf("manifest is served: status %d", rec.Code)
	}
}
