// Package adversarial_test attacks the assembled server the way a hostile client would and
// asserts the exact answer of each attack: status, error code, message, and that nothing changed.
//
// The server under attack is the real assembly of internal/server (request id, access log,
// recovery, session, bearer token, CSRF, routes) with the real GraphQL handler, a configured
// (non-dev) OpenID issuer on loopback that mints good and bad tokens, and a fresh database
// seeded with the standard roster of apitest.
package adversarial_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"sitekeeper/graph"
	"sitekeeper/internal/config"
	"sitekeeper/internal/server"
	"sitekeeper/internal/signin"
	"sitekeeper/internal/testkit/apitest"
)

// stack is one server under attack.
type stack struct {
	*apitest.Env
	R   *apitest.Roster
	t   testing.TB
	id  *server.Identity
	url string // http://127.0.0.1:PORT
}

// newStack seeds the roster and starts the full server. opts configure the GraphQL handler
// (Logger and MaxSecondary are set here); deps, when given, adjust the server's dependencies.
func newStack(t testing.TB, opts graph.Options, deps ...func(*server.Deps)) *stack {
	t.Helper()
	e := apitest.New(t)
	r := e.SeedRoster()
	hs := httptest.NewUnstartedServer(nil)
	addr := hs.Listener.Addr().String()
	env := map[string]string{
		config.EnvAddr:             addr,
		config.EnvOIDCIssuer:       e.Issuer.URL(),
		config.EnvOIDCClientID:     "sitekeeper-web",
		config.EnvOIDCClientSecret: "web-secret",
		config.EnvOIDCAudience:     apitest.Audience,
	}
	cfg, err := config.Load(nil, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(server.ContextHandler(slog.DiscardHandler))
	id, err := server.NewIdentity(context.Background(), cfg, e.Client, logger, server.IdentityOptions{})
	if err != nil {
		t.Fatalf("NewIdentity: %v", err)
	}
	opts.Logger, opts.MaxSecondary = logger, 4
	d := server.Deps{DB: e.DB, GraphQL: graph.NewHandler(e.Client, opts), Logger: logger}
	id.Wire(&d)
	for _, f := range deps {
		f(&d)
	}
	hs.Config.Handler = server.New(cfg, d).Handler()
	hs.Start()
	t.Cleanup(hs.Close)
	return &stack{Env: e, R: r, t: t, id: id, url: cfg.PublicURL}
}

// answer is what came back, decoded as far as it is GraphQL.
type answer struct {
	Status int
	Header http.Header
	Body   string
	Data   json.RawMessage `json:"data"`
	Errors []apitest.Error `json:"errors"`
	took   time.Duration   // the round trip
}

func (a answer) code() string {
	if len(a.Errors) == 0 {
		return ""
	}
	return a.Errors[0].Extensions.Code
}

func (a answer) message() string {
	if len(a.Errors) == 0 {
		return ""
	}
	return a.Errors[0].Message
}

// do sends req and reads the answer; it never follows redirects.
func (s *stack) do(req *http.Request) answer {
	s.t.Helper()
	client := &http.Client{
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	a := answer{Status: resp.StatusCode, Header: resp.Header, Body: string(body), took: time.Since(start)}
	if len(body) > 0 && body[0] == '{' {
		_ = json.Unmarshal(body, &a)
	}
	return a
}

// request builds a JSON POST to /graphql; token "" is anonymous.
func (s *stack) request(token, query string, vars map[string]any) *http.Request {
	s.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, s.url+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req
}

// post sends a query as the holder of token.
func (s *stack) post(token, query string, vars map[string]any) answer {
	s.t.Helper()
	return s.do(s.request(token, query, vars))
}

// rawPost posts body with a content type, and the given headers.
func (s *stack) rawPost(path, contentType string, body io.Reader, header map[string]string) answer {
	s.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.url+path, body)
	req.Header.Set("Content-Type", contentType)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return s.do(req)
}

// sessionCookie signs email in as a browser would end up: a server-side session and its cookie.
func (s *stack) sessionCookie(email string) *http.Cookie {
	s.t.Helper()
	var userID int
	if err := s.QueryRow(`SELECT id FROM users WHERE email = ?`, email).Scan(&userID); err != nil {
		s.t.Fatalf("user %s: %v", email, err)
	}
	token, sess, err := s.id.Sessions.Create(context.Background(), userID, false)
	if err != nil {
		s.t.Fatal(err)
	}
	return s.id.Sessions.Cookie(token, sess)
}

// browserPost is a cookie-authenticated POST as the SPA sends it: same origin, with the CSRF
// header; mutate changes it into an attack.
func (s *stack) browserPost(cookie *http.Cookie, contentType, body string, mutate func(*http.Request)) answer {
	s.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.url+"/graphql", strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Origin", s.url)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set(signin.CSRFHeader, signin.CSRFHeaderValue)
	req.AddCookie(cookie)
	if mutate != nil {
		mutate(req)
	}
	return s.do(req)
}

// unchanged fails t when the database differs from before (a Dump).
func (s *stack) unchanged(t testing.TB, before, what string) {
	t.Helper()
	if after := s.Dump(); after != before {
		t.Errorf("%s changed the database", what)
	}
}

// expect checks an answer's status, first error code and that its first message contains msg.
func expect(t testing.TB, what string, a answer, status int, code, msg string) {
	t.Helper()
	if a.Status != status || a.code() != code || !strings.Contains(a.message(), msg) {
		t.Fatalf("%s: got HTTP %d %s %q, want HTTP %d %s %q\nbody: %.600s", what, a.Status, a.code(), a.message(), status, code, msg, a.Body)
	}
}

// jsonString quotes s for a GraphQL document.
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
