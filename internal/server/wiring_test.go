package server

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"sitekeeper/internal/config"
	"sitekeeper/internal/db/dbtest"
	"sitekeeper/internal/metrics"
)

// TestMiddlewareOrder checks which middlewares each route passes, in which order.
func TestMiddlewareOrder(t *testing.T) {
	var trail []string
	mark := func(name string) func(http.Handler) http.Handler {
		return func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				trail = append(trail, name)
				next.ServeHTTP(w, r)
			})
		}
	}
	endpoint := func(name string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { trail = append(trail, name) })
	}
	_, db := dbtest.OpenDB(t)
	srv := New(testConfig(t), Deps{
		DB:           db,
		GraphQL:      endpoint("graphql"),
		SignIn:       endpoint("signin"),
		DevIDP:       endpoint("devidp"),
		Session:      mark("session"),
		Authenticate: mark("bearer"),
		CSRF:         mark("csrf"),
		SPA:          endpoint("spa"),
		Routes:       map[string]http.Handler{"GET /sites/{number}/review.ics": endpoint("ics")},
	})
	for _, tc := range []struct{ method, path, want string }{
		{"POST", "/graphql", "session bearer csrf graphql"},
		{"GET", "/graphql", "session bearer csrf graphql"},
		{"GET", "/auth/login", "session bearer csrf signin"},
		{"POST", "/auth/logout", "session bearer csrf signin"},
		{"POST", "/dev-idp/oauth/token", "csrf devidp"},
		{"GET", "/dev-idp/login", "csrf devidp"},
		{"GET", "/healthz", ""},
		{"GET", "/sites/1234567", "session bearer csrf spa"},
		{"GET", "/assets/index-abc.js", "spa"},
		{"GET", "/sites/1234567/review.ics", "session bearer csrf ics"},
	} {
		trail = nil
		w := httptest.NewRecorder()
		srv.Handler().ServeHTTP(w, httptest.NewRequest(tc.method, tc.path, nil))
		if got := strings.Join(trail, " "); got != tc.want {
			t.Errorf("%s %s passed %q, want %q", tc.method, tc.path, got, tc.want)
		}
	}
}

func TestInProcessClient(t *testing.T) {
	var gotHost, gotPath, gotBody string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		gotHost, gotPath, gotBody = r.Host, r.URL.RequestURI(), string(b)
		w.Header().Set("X-From", "in-process")
		w.WriteHeader(http.StatusTeapot)
		_, _ = io.WriteString(w, "hello")
	})
	outside := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "network")
	}))
	defer outside.Close()
	c, err := InProcessClient("http://127.0.0.1:1/dev-idp", h, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Port 1 is not listening: an answer can only come from the handler.
	resp, err := c.Post("http://127.0.0.1:1/dev-idp/oauth/token?x=1", "text/plain", strings.NewReader("body"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusTeapot || string(b) != "hello" || resp.Header.Get("X-From") != "in-process" ||
		gotHost != "127.0.0.1:1" || gotPath != "/dev-idp/oauth/token?x=1" || gotBody != "body" {
		t.Fatalf("in-process answer %d %q %v; handler saw %s %s %q", resp.StatusCode, b, resp.Header, gotHost, gotPath, gotBody)
	}
	for _, u := range []string{"http://127.0.0.1:1/dev-idpx", "http://127.0.0.1:1/", "https://127.0.0.1:1/dev-idp/keys"} {
		gotPath = ""
		if _, err := c.Get(u); err == nil || gotPath != "" {
			t.Errorf("%s was served in-process", u)
		}
	}
	resp, err = c.Get(outside.URL)
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "network" {
		t.Fatalf("a request outside the base got %q", b)
	}
}

func TestMetricsRoute(t *testing.T) {
	_, db := dbtest.OpenDB(t)
	m := metrics.New(db)
	srv := New(testConfig(t), Deps{DB: db, Metrics: m,
		GraphQL: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })})
	for _, path := range []string{"/graphql", "/graphql"} {
		srv.Handler().ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", path, nil))
	}
	// Not on the API's address: anyone reaching the API would read the service's rates and errors.
	w := httptest.NewRecorder()
	srv.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	if w.Code != http.StatusNotFound || strings.Contains(w.Body.String(), "sitekeeper_http_requests_total") {
		t.Fatalf("/metrics on the API address: %d %.200s", w.Code, w.Body)
	}
	w = httptest.NewRecorder()
	srv.MetricsHandler().ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	body := w.Body.String()
	for _, want := range []string{
		`sitekeeper_http_requests_total{method="POST",route="graphql",status="204"} 2`,
		`go_sql_max_open_connections{db_name="sitekeeper"}`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// Run serves /metrics on the metrics address, and stops serving it with the server.
func TestMetricsAddress(t *testing.T) {
	_, db := dbtest.OpenDB(t)
	free := func() string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		return ln.Addr().String()
	}
	api, metricsAddr := free(), free()
	cfg, err := config.Load([]string{"-addr", api, "-metrics-addr", metricsAddr}, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	srv := New(cfg, Deps{DB: db, Metrics: metrics.New(db), GraphQL: http.NotFoundHandler()})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()
	get := func(url string) (int, string) {
		for range 50 {
			resp, err := http.Get(url)
			if err == nil {
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				return resp.StatusCode, string(b)
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Fatalf("%s never answered", url)
		return 0, ""
	}
	if code, body := get("http://" + metricsAddr + "/metrics"); code != http.StatusOK || !strings.Contains(body, "go_sql_max_open_connections") {
		t.Fatalf("metrics address: %d %.200s", code, body)
	}
	if code, _ := get("http://" + api + "/metrics"); code != http.StatusNotFound {
		t.Fatalf("the API address serves /metrics: %d", code)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := http.Get("http://" + metricsAddr + "/metrics"); err == nil {
		t.Fatal("metrics still served after shutdown")
	}
}
