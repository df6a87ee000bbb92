package main

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"sitekeeper/internal/config"
	"sitekeeper/internal/db/dbtest"
	"sitekeeper/internal/server"
)

func TestTakeFlag(t *testing.T) {
	cases := []struct {
		args []string
		want string
		rest []string
	}{
		{[]string{"-as", "a@example.com"}, "a@example.com", nil},
		{[]string{"--as", "a@example.com", "-public-url", "http://127.0.0.1:9090"}, "a@example.com", []string{"-public-url", "http://127.0.0.1:9090"}},
		{[]string{"-addr", "127.0.0.1:9", "--as=a@example.com"}, "a@example.com", []string{"-addr", "127.0.0.1:9"}},
		{[]string{"-as=a@example.com", "-as", "b@example.com"}, "b@example.com", nil},
		{[]string{"-addr", "x"}, "", []string{"-addr", "x"}},
		{[]string{"-ask", "x"}, "", []string{"-ask", "x"}},
		{[]string{"--", "-as", "x"}, "", []string{"--", "-as", "x"}},
	}
	for _, c := range cases {
		got, rest, err := takeFlag(c.args, "as")
		if err != nil || got != c.want || !slices.Equal(rest, c.rest) {
			t.Errorf("takeFlag(%q) = %q, %q, %v; want %q, %q", c.args, got, rest, err, c.want, c.rest)
		}
	}
	if _, _, err := takeFlag([]string{"-as"}, "as"); err == nil {
		t.Error("-as without a value accepted")
	}
}

// TestRoutes: the server mounts the review reminder and the evidence of completed reviews (the
// URLs the API gives in Review.evidenceCsvUrl and evidenceHtmlUrl); an anonymous caller reaches
// each handler, which asks them to sign in.
func TestRoutes(t *testing.T) {
	cfg := config.Config{Addr: "127.0.0.1:0", PublicURL: "http://127.0.0.1:8080"}
	h := server.New(cfg, server.Deps{GraphQL: http.NotFoundHandler(), Routes: routes(dbtest.Open(t), cfg)}).Handler()
	for path, want := range map[string]string{
		"/sites/1234567/review.ics": "review reminder",
		"/reviews/42/evidence.csv":  "evidence of a review",
		"/reviews/42/evidence.html": "evidence of a review",
	} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		if w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), want) {
			t.Errorf("GET %s: %d %q", path, w.Code, w.Body)
		}
	}
}
