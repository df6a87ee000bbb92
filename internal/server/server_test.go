package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"sitekeeper/internal/audit"
	"sitekeeper/internal/config"
	"sitekeeper/internal/db/dbtest"
)

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// logLines decodes the JSON log lines.
func (s *syncBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(s.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line is not JSON: %q", l)
		}
		out = append(out, m)
	}
	return out
}

func testConfig(t *testing.T) config.Config {
	t.Helper()
	cfg, err := config.Load([]string{"-addr", "127.0.0.1:0"}, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

type fixture struct {
	srv  *Server
	logs *syncBuffer
}

func newFixture(t *testing.T, gql http.Handler, authn func(http.Handler) http.Handler) fixture {
	t.Helper()
	_, db := dbtest.OpenDB(t)
	logs := &syncBuffer{}
	srv := New(testConfig(t), Deps{DB: db, GraphQL: gql, Authenticate: authn, Logger: NewLogger(logs, config.LogJSON)})
	return fixture{srv: srv, logs: logs}
}

func serve(f fixture, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	f.srv.Handler().ServeHTTP(w, r)
	return w
}

func TestHealthz(t *testing.T) {
	f := newFixture(t, http.NotFoundHandler(), nil)
	w := serve(f, httptest.NewRequest("GET", "/healthz", nil))
	if w.Code != http.StatusOK || strings.TrimSpace(w.Body.String()) != "ok" {
		t.Fatalf("healthz = %d %q, want 200 ok", w.Code, w.Body.String())
	}
	if w := serve(f, httptest.NewRequest("POST", "/healthz", nil)); w.Code != http.StatusMethodNotAllowed {
		t.Fatalf("POST /healthz = %d, want 405", w.Code)
	}
	_ = f.srv.deps.DB.Close()
	w = serve(f, httptest.NewRequest("GET", "/healthz", nil))
	if w.Code != http.StatusServiceUnavailable {
		t.Fatalf("healthz with a closed database = %d, want 503", w.Code)
	}
}

func TestRoutesAndAuthentication(t *testing.T) {
	var sawAuth bool
	gql := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sawAuth = r.Header.Get("X-Test-Authenticated") == "yes"
		_, _ = io.WriteString(w, `{"data":{}}`)
	})
	authn := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.Header.Set("X-Test-Authenticated", "yes")
			next.ServeHTTP(w, r)
		})
	}
	f := newFixture(t, gql, authn)
	for _, method := range []string{"GET", "POST"} {
		sawAuth = false
		w := serve(f, httptest.NewRequest(method, "/graphql", strings.NewReader(`{"query":"{viewer{isOperator}}"}`)))
		if w.Code != http.StatusOK || !sawAuth {
			t.Fatalf("%s /graphql = %d, authenticated=%v; want 200 through the auth middleware", method, w.Code, sawAuth)
		}
	}
	if w := serve(f, httptest.NewRequest("PUT", "/graphql", nil)); w.Code != http.StatusMethodNotAllowed {
		t.Fatalf("PUT /graphql = %d, want 405", w.Code)
	}
	if w := serve(f, httptest.NewRequest("GET", "/nope", nil)); w.Code != http.StatusNotFound {
		t.Fatalf("GET /nope = %d, want 404", w.Code)
	}
	// Without an authenticator (dev mode for now) the handler is reached directly.
	f = newFixture(t, gql, nil)
	sawAuth = true
	if w := serve(f, httptest.NewRequest("POST", "/graphql", nil)); w.Code != http.StatusOK || sawAuth {
		t.Fatalf("POST /graphql without authenticator = %d, authenticated=%v", w.Code, sawAuth)
	}
}

func TestRequestID(t *testing.T) {
	var gotCtx, gotHeader string
	var gotAudit audit.Request
	gql := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotCtx = RequestIDFrom(r.Context())
		gotHeader = r.Header.Get(RequestIDHeader)
		gotAudit = audit.RequestFrom(r.Context())
		slog.New(ContextHandler(slog.DiscardHandler)).InfoContext(r.Context(), "inside")
	})
	f := newFixture(t, gql, nil)
	tests := []struct {
		name     string
		incoming []string
		keep     bool
	}{
		{"none", nil, false},
		{"uuid", []string{"3f2504e0-4f89-11d3-9a0c-0305e82c3301"}, true},
		{"trace id", []string{"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}, true},
		{"log injection", []string{"abc\" level=ERROR msg=forged"}, false},
		{"too long", []string{strings.Repeat("a", 129)}, false},
		{"repeated", []string{"a", "b"}, false},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/graphql", nil)
			for _, v := range tt.incoming {
				r.Header.Add(RequestIDHeader, v)
			}
			r.RemoteAddr = "192.0.2.7:51234"
			w := serve(f, r)
			id := w.Header().Get(RequestIDHeader)
			if !saneRequestID(id) {
				t.Fatalf("response id %q is not sane", id)
			}
			if tt.keep && id != tt.incoming[0] {
				t.Fatalf("response id %q, want the incoming %q", id, tt.incoming[0])
			}
			if !tt.keep && (len(tt.incoming) > 0 && id == tt.incoming[0] || seen[id]) {
				t.Fatalf("response id %q was not freshly generated", id)
			}
			seen[id] = true
			if gotCtx != id || gotHeader != id || gotAudit.ID != id || gotAudit.ClientAddress != "192.0.2.7" {
				t.Fatalf("handler saw ctx=%q header=%q audit=%+v, want %q from 192.0.2.7", gotCtx, gotHeader, gotAudit, id)
			}
		})
	}
	// Every log line written for a request carries its id.
	for _, l := range f.logs.lines(t) {
		if l["msg"] == "http request" && l["request_id"] == nil {
			t.Fatalf("access log line without request_id: %v", l)
		}
	}
}

func TestPanicRecovery(t *testing.T) {
	gql := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Leaky", "1")
		panic("boom: SELECT * FROM contacts")
	})
	f := newFixture(t, gql, nil)
	w := serve(f, httptest.NewRequest("POST", "/graphql", nil))
	if w.Code != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500", w.Code)
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/json" || w.Header().Get("X-Leaky") != "" {
		t.Fatalf("headers %v", w.Header())
	}
	var body struct {
		Errors []struct {
			Message    string
			Extensions map[string]any
		}
	}
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
		t.Fatalf("body %q: %v", w.Body.String(), err)
	}
	id := w.Header().Get(RequestIDHeader)
	if len(body.Errors) != 1 || body.Errors[0].Extensions["code"] != "INTERNAL" ||
		!strings.Contains(body.Errors[0].Message, id) || strings.Contains(w.Body.String(), "boom") {
		t.Fatalf("body %q: want one INTERNAL error quoting request %s and no internals", w.Body.String(), id)
	}
	var logged bool
	for _, l := range f.logs.lines(t) {
		if l["msg"] == "panic while serving a request" {
			logged = l["request_id"] == id && strings.Contains(l["panic"].(string), "boom")
		}
	}
	if !logged {
		t.Fatalf("panic not logged with request id %s:\n%s", id, f.logs.String())
	}
}

func TestHTTPServerTimeouts(t *testing.T) {
	f := newFixture(t, http.NotFoundHandler(), nil)
	hs := f.srv.HTTPServer()
	if hs.ReadHeaderTimeout == 0 || hs.ReadTimeout == 0 || hs.WriteTimeout == 0 || hs.IdleTimeout == 0 || hs.MaxHeaderBytes == 0 {
		t.Fatalf("http.Server without limits: %+v", hs)
	}
	if hs.Addr != "127.0.0.1:0" {
		t.Fatalf("Addr = %q", hs.Addr)
	}
}

// TestGracefulShutdown starts the server on 127.0.0.1:0 with a slow handler, cancels the
// context while a request is in flight, and checks that the request still completes with 200,
// that the listener is closed and that the database is closed afterwards.
func TestGracefulShutdown(t *testing.T) {
	started := make(chan struct{})
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		time.Sleep(500 * time.Millisecond)
		_, _ = io.WriteString(w, `{"data":{"slow":true}}`)
	})
	f := newFixture(t, slow, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- f.srv.Serve(ctx, ln) }()

	type result struct {
		status int
		body   string
		err    error
	}
	done := make(chan result, 1)
	go func() {
		resp, err := http.Post("http://"+addr+"/graphql", "application/json", strings.NewReader(`{"query":"{slow}"}`))
		if err != nil {
			done <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		done <- result{status: resp.StatusCode, body: string(b), err: err}
	}()

	select {
	case <-started:
	case <-time.After(5 * time.Second):
		t.Fatal("the request never reached the handler")
	}
	cancel() // SIGTERM

	var res result
	select {
	case res = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("in-flight request did not finish")
	}
	if res.err != nil || res.status != http.StatusOK || !strings.Contains(res.body, `"slow":true`) {
		t.Fatalf("in-flight request: status %d body %q err %v; want 200 with the full answer", res.status, res.body, res.err)
	}
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("Serve returned %v, want nil after a clean shutdown", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return")
	}
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		_ = c.Close()
		t.Fatal("the listener still accepts connections")
	}
	if err := f.srv.deps.DB.PingContext(context.Background()); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Fatalf("database after shutdown: %v, want closed", err)
	}
	logs := f.logs.String()
	for _, want := range []string{"listening", "shutting down", "stopped"} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}
}

func TestRunListenError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	cfg := testConfig(t)
	cfg.Addr = ln.Addr().String() // taken
	_, db := dbtest.OpenDB(t)
	srv := New(cfg, Deps{DB: db, GraphQL: http.NotFoundHandler()})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err = srv.Run(ctx)
	var opErr *net.OpError
	if !errors.As(err, &opErr) || !strings.Contains(err.Error(), cfg.Addr) {
		t.Fatalf("Run on a taken port = %v, want a listen error naming %s", err, cfg.Addr)
	}
}

func TestNewLoggerFormats(t *testing.T) {
	var j, x bytes.Buffer
	ctx := WithRequestID(context.Background(), "req-1")
	NewLogger(&j, config.LogJSON).With("k", "v").InfoContext(ctx, "hello")
	NewLogger(&x, config.LogText).InfoContext(ctx, "hello")
	var m map[string]any
	if err := json.Unmarshal(j.Bytes(), &m); err != nil || m["request_id"] != "req-1" || m["k"] != "v" {
		t.Fatalf("json log %q (%v)", j.String(), err)
	}
	if !strings.Contains(x.String(), "request_id=req-1") {
		t.Fatalf("text log %q", x.String())
	}
}
