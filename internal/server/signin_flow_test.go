package server_test

// End-to-end tests of browser sign-in, sessions and CSRF, against the real server assembly in
// dev mode: the zitadel-based provider under /dev-idp, go-oidc reaching it in-process, the real
// GraphQL handler and the demo data, on 127.0.0.1.

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"sitekeeper/ent"
	"sitekeeper/ent/contact"
	"sitekeeper/ent/loginstate"
	_ "sitekeeper/ent/runtime"
	"sitekeeper/graph"
	"sitekeeper/internal/config"
	"sitekeeper/internal/db/dbtest"
	"sitekeeper/internal/demo"
	"sitekeeper/internal/devidp"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/server"
	"sitekeeper/internal/session"
	"sitekeeper/internal/signin"
	"sitekeeper/internal/testkit/testclock"
)

// world is one database with the demo data, shared by the servers a test starts over it.
type world struct {
	client *ent.Client
	db     *sql.DB
	clock  *testclock.Clock
}

func newWorld(t *testing.T) *world {
	t.Helper()
	client, sqlDB := dbtest.OpenDB(t)
	if seeded, err := demo.Seed(context.Background(), client); err != nil || !seeded {
		t.Fatalf("demo.Seed = %v, %v", seeded, err)
	}
	return &world{client: client, db: sqlDB, clock: testclock.New(time.Now())}
}

// app is one running dev-mode server.
type app struct {
	t    *testing.T
	w    *world
	url  string
	id   *server.Identity
	hs   *httptest.Server
	logs *logBuffer
}

// logBuffer collects the server's log lines.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// take returns the log so far and forgets it.
func (l *logBuffer) take() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.b.String()
	l.b.Reset()
	return s
}

// start assembles a dev-mode server as serve does and listens on 127.0.0.1. The identity is
// built before the server listens, so discovery and keys must come through the in-process
// transport. With tls the public URL is https.
func (w *world) start(t *testing.T, tls bool) *app {
	t.Helper()
	hs := httptest.NewUnstartedServer(nil)
	scheme := "http"
	if tls {
		scheme = "https"
	}
	addr := hs.Listener.Addr().String()
	cfg, err := config.Load([]string{"-addr", addr, "-public-url", scheme + "://" + addr}, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	logs := &logBuffer{}
	logger := slog.New(server.ContextHandler(slog.NewTextHandler(logs, nil)))
	id, err := server.NewIdentity(context.Background(), cfg, w.client, logger, server.IdentityOptions{Now: w.clock.Now})
	if err != nil {
		t.Fatalf("NewIdentity: %v", err)
	}
	deps := server.Deps{DB: w.db, GraphQL: graph.NewHandler(w.client, graph.Options{DevMode: true, Logger: logger}), Logger: logger}
	id.Wire(&deps)
	hs.Config.Handler = server.New(cfg, deps).Handler()
	if tls {
		hs.StartTLS()
	} else {
		hs.Start()
	}
	t.Cleanup(hs.Close)
	return &app{t: t, w: w, url: cfg.PublicURL, id: id, hs: hs, logs: logs}
}

// browser is a cookie-keeping client that does not follow redirects by itself.
type browser struct {
	t   *testing.T
	app *app
	c   *http.Client
}

func (a *app) browser() *browser {
	jar, _ := cookiejar.New(nil)
	c := a.hs.Client()
	c.Jar = jar
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &browser{t: a.t, app: a, c: c}
}

func (b *browser) do(req *http.Request) (*http.Response, string) {
	b.t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func (b *browser) get(u string) (*http.Response, string) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.abs(u), nil)
	return b.do(req)
}

func (b *browser) abs(u string) string {
	if strings.HasPrefix(u, "/") {
		return b.app.url + u
	}
	return u
}

func location(t *testing.T, resp *http.Response) string {
	t.Helper()
	if resp.StatusCode < 300 || resp.StatusCode > 399 {
		t.Fatalf("%s %s = %d, want a redirect", resp.Request.Method, resp.Request.URL, resp.StatusCode)
	}
	loc, err := resp.Request.URL.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return loc.String()
}

func subjectOf(t *testing.T, email string) string {
	t.Helper()
	for _, p := range demo.People("") {
		if strings.EqualFold(p.Email, email) {
			return p.Subject
		}
	}
	t.Fatalf("no demo person %s", email)
	return ""
}

// startSignIn goes from /auth/login through the provider's sign-in page, chooses the person,
// and returns the callback URL the provider sends the browser to, without requesting it.
func (b *browser) startSignIn(returnTo, email string) string {
	b.t.Helper()
	resp, _ := b.get("/auth/login?returnTo=" + url.QueryEscape(returnTo))
	next := location(b.t, resp)
	if !strings.HasPrefix(next, b.app.url+"/dev-idp/authorize?") {
		b.t.Fatalf("login redirects to %s, want the provider's authorize endpoint", next)
	}
	q, _ := url.Parse(next)
	for k, want := range map[string]string{"response_type": "code", "client_id": server.DevClientID,
		"redirect_uri": b.app.url + "/auth/callback", "code_challenge_method": "S256", "scope": "openid email profile"} {
		if got := q.Query().Get(k); got != want {
			b.t.Fatalf("authorize %s = %q, want %q", k, got, want)
		}
	}
	for _, k := range []string{"state", "nonce", "code_challenge"} {
		if q.Query().Get(k) == "" {
			b.t.Fatalf("authorize request without %s", k)
		}
	}
	for !strings.Contains(next, "/dev-idp/login") {
		resp, _ = b.get(next)
		next = location(b.t, resp)
	}
	resp, page := b.get(next)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Dev mode") {
		b.t.Fatalf("provider sign-in page: %d\n%s", resp.StatusCode, page)
	}
	u, _ := url.Parse(next)
	form := url.Values{"authRequestID": {u.Query().Get("authRequestID")}, "subject": {subjectOf(b.t, email)}}
	req, _ := http.NewRequest(http.MethodPost, b.app.url+"/dev-idp/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.app.url)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, page = b.do(req)
	if resp.StatusCode != http.StatusSeeOther {
		b.t.Fatalf("choosing %s: %d\n%s", email, resp.StatusCode, page)
	}
	next = location(b.t, resp)
	for !strings.HasPrefix(next, b.app.url+"/auth/callback?") {
		resp, _ = b.get(next)
		next = location(b.t, resp)
	}
	return next
}

// signIn completes a sign-in and returns the response of the callback.
func (b *browser) signIn(returnTo, email string) *http.Response {
	b.t.Helper()
	resp, body := b.get(b.startSignIn(returnTo, email))
	if resp.StatusCode != http.StatusSeeOther {
		b.t.Fatalf("callback = %d\n%s", resp.StatusCode, body)
	}
	return resp
}

// sessionCookie is the session cookie the browser holds.
func (b *browser) sessionCookie() *http.Cookie {
	u, _ := url.Parse(b.app.url)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == b.app.id.Sessions.CookieName() {
			return c
		}
	}
	return nil
}

func setCookie(t *testing.T, resp *http.Response, name string) *http.Cookie {
	t.Helper()
	for _, c := range resp.Cookies() {
		if c.Name == name && c.Value != "" {
			return c
		}
	}
	t.Fatalf("no %s cookie set; Set-Cookie: %q", name, resp.Header.Values("Set-Cookie"))
	return nil
}

// gqlResult is a GraphQL answer.
type gqlResult struct {
	Status int
	Data   map[string]any
	Errors []struct {
		Message    string
		Extensions map[string]any
	}
	Raw string
}

func (r gqlResult) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

// graphql posts a query as the SPA does: JSON, same origin, with the CSRF header and the
// browser's cookies (or, with cookie set, only that cookie).
func (b *browser) graphql(query string, mutate ...func(*http.Request)) gqlResult {
	b.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query})
	req, _ := http.NewRequest(http.MethodPost, b.app.url+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", b.app.url)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set(signin.CSRFHeader, "1")
	for _, m := range mutate {
		m(req)
	}
	resp, raw := b.do(req)
	r := gqlResult{Status: resp.StatusCode, Raw: raw}
	_ = json.Unmarshal([]byte(raw), &r)
	return r
}

const viewerQuery = `{ viewer { isOperator user { email emailVerified } contacts { site { number } accessRole status } } }`

// viewerEmail is the email of the viewer a query answered for, "" when anonymous.
func viewerEmail(t *testing.T, r gqlResult) string {
	t.Helper()
	if r.Status != http.StatusOK || len(r.Errors) > 0 {
		t.Fatalf("viewer query: %d %s", r.Status, r.Raw)
	}
	v, _ := r.Data["viewer"].(map[string]any)
	u, _ := v["user"].(map[string]any)
	email, _ := u["email"].(string)
	return email
}

// signedInField queries a @signedIn field: its error code is UNAUTHENTICATED for an anonymous caller.
const signedInField = `{ site(number: "1234567") { number } }`

// withOnlyCookie sends only the given session cookie (as an attacker or an old tab would).
func withOnlyCookie(name, value string) func(*http.Request) {
	return func(r *http.Request) {
		r.Header.Set("Cookie", name+"="+value)
	}
}

func TestBrowserSignInFlow(t *testing.T) {
	w := newWorld(t)
	a := w.start(t, false)
	b := a.browser()

	resp := b.signIn("/sites", demo.PrimaryEmail)
	if got := resp.Header.Get("Location"); got != "/sites" {
		t.Fatalf("after sign-in the browser goes to %q, want /sites", got)
	}
	c := setCookie(t, resp, session.CookieName)
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure || c.Domain != "" {
		t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Lax, Path=/, not Secure over http", c)
	}
	if len(c.Value) != 43 {
		t.Fatalf("session id %q is not 32 random bytes", c.Value)
	}
	if resp.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Fatal("the callback's redirect may leak the code in Referer")
	}
	// The login cookie was single-use.
	for _, c := range b.c.Jar.Cookies(mustURL(a.url)) {
		if c.Name == signin.LoginCookieName {
			t.Fatalf("login cookie still set: %+v", c)
		}
	}
	if n := w.client.LoginState.Query().CountX(dbtest.Sys()); n != 0 {
		t.Fatalf("%d login states left after the callback", n)
	}

	r := b.graphql(viewerQuery)
	if got := viewerEmail(t, r); got != demo.PrimaryEmail {
		t.Fatalf("viewer %s, want %s: %s", got, demo.PrimaryEmail, r.Raw)
	}
	if !strings.Contains(r.Raw, `"number":"1234567"`) || !strings.Contains(r.Raw, `"accessRole":"PRIMARY"`) ||
		strings.Contains(r.Raw, `"isOperator":true`) {
		t.Fatalf("viewer %s", r.Raw)
	}
	if r := b.graphql(signedInField); r.code() != "" || !strings.Contains(r.Raw, `"1234567"`) {
		t.Fatalf("signed-in field: %s", r.Raw)
	}
	// The session row stores the hash, not the id.
	rows := w.client.Session.Query().AllX(dbtest.Sys())
	if len(rows) != 1 || strings.Contains(rows[0].TokenHash, c.Value) {
		t.Fatalf("session rows %+v", rows)
	}
	u := w.client.User.GetX(dbtest.Sys(), rows[0].UserID)
	if u.Email != demo.PrimaryEmail || !u.EmailVerified || u.LastSignInAt == nil || u.Issuer != a.url+"/dev-idp" {
		t.Fatalf("user %+v", u)
	}

	// Sign-out: 204, the cookie is cleared, and the same cookie is refused afterwards.
	req, _ := http.NewRequest(http.MethodPost, a.url+"/auth/logout", nil)
	req.Header.Set("Origin", a.url)
	req.Header.Set(signin.CSRFHeader, "1")
	resp, _ = b.do(req)
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("logout = %d, want 204", resp.StatusCode)
	}
	if b.sessionCookie() != nil {
		t.Fatal("logout did not clear the cookie")
	}
	if n := w.client.Session.Query().CountX(dbtest.Sys()); n != 0 {
		t.Fatalf("%d sessions after logout", n)
	}
	replay := withOnlyCookie(session.CookieName, c.Value)
	if got := viewerEmail(t, b.graphql(viewerQuery, replay)); got != "" {
		t.Fatalf("the signed-out cookie still works as %s", got)
	}
	if r := b.graphql(signedInField, replay); r.code() != "UNAUTHENTICATED" {
		t.Fatalf("signed-in field with the signed-out cookie: %s", r.Raw)
	}
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

func TestOperatorFlagComesFromTheSignIn(t *testing.T) {
	w := newWorld(t)
	a := w.start(t, false)
	b := a.browser()
	b.signIn("/", demo.OperatorEmail)
	r := b.graphql(viewerQuery)
	if viewerEmail(t, r) != demo.OperatorEmail || !strings.Contains(r.Raw, `"isOperator":true`) {
		t.Fatalf("operator viewer: %s", r.Raw)
	}
	if s := w.client.Session.Query().OnlyX(dbtest.Sys()); !s.Operator {
		t.Fatalf("session %+v not marked operator", s)
	}
}

func TestSecureCookieOverHTTPS(t *testing.T) {
	w := newWorld(t)
	a := w.start(t, true)
	if !strings.HasPrefix(a.url, "https://") {
		t.Fatal(a.url)
	}
	b := a.browser()
	cb := b.startSignIn("/sites", demo.UserEmail)
	var login *http.Cookie
	for _, c := range b.c.Jar.Cookies(mustURL(a.url)) {
		if c.Name == signin.SecureLoginCookieName {
			login = c
		}
	}
	if login == nil {
		t.Fatal("no __Host- login cookie over https")
	}
	resp, body := b.get(cb)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("callback %d %s", resp.StatusCode, body)
	}
	c := setCookie(t, resp, session.SecureCookieName)
	if !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Domain != "" {
		t.Fatalf("cookie %+v: a __Host- cookie must be Secure, Path=/, no Domain", c)
	}
	if got := viewerEmail(t, b.graphql(viewerQuery)); got != demo.UserEmail {
		t.Fatalf("viewer %q over https", got)
	}
}

// refused asserts that a callback answered 400 with a helpful page that echoes nothing of the
// request, that nobody got a session, and that the log names the reason.
func refused(t *testing.T, w *world, b *browser, callback, reason string) {
	t.Helper()
	b.app.logs.take()
	resp, body := b.get(callback)
	if logs := b.app.logs.take(); !strings.Contains(logs, reason) {
		t.Fatalf("log does not give the reason %q:\n%s", reason, logs)
	}
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("callback = %d, want 400\n%s", resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") || !strings.Contains(body, "Sign in again") {
		t.Fatalf("error page %s:\n%s", ct, body)
	}
	q := mustURL(callback).Query()
	for _, k := range []string{"code", "state"} {
		if v := q.Get(k); len(v) > 8 && strings.Contains(body, v) {
			t.Fatalf("error page echoes the %s", k)
		}
	}
	for _, c := range resp.Cookies() {
		if c.Name == session.CookieName && c.Value != "" {
			t.Fatal("a refused callback set a session cookie")
		}
	}
	if n := w.client.Session.Query().CountX(dbtest.Sys()); n != 0 {
		t.Fatalf("%d sessions after a refused callback", n)
	}
}

func stateOf(t *testing.T, callback string) string {
	t.Helper()
	return mustURL(callback).Query().Get("state")
}

func withQuery(t *testing.T, raw string, set map[string]string) string {
	t.Helper()
	u := mustURL(raw)
	q := u.Query()
	for k, v := range set {
		q.Set(k, v)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

func TestCallbackRefusals(t *testing.T) {
	w := newWorld(t)
	a := w.start(t, false)

	t.Run("wrong state", func(t *testing.T) {
		b := a.browser()
		cb := b.startSignIn("/", demo.PrimaryEmail)
		refused(t, w, b, withQuery(t, cb, map[string]string{"state": session.NewToken()}), "unknown, used or expired state")
		refused(t, w, b, withQuery(t, cb, map[string]string{"state": ""}), "unknown, used or expired state")
	})
	t.Run("nonce tampered", func(t *testing.T) {
		for _, nonce := range []string{session.NewToken(), ""} {
			b := a.browser()
			cb := b.startSignIn("/", demo.PrimaryEmail)
			if _, err := w.db.Exec(dbtest.Rebind(`UPDATE login_states SET nonce = ? WHERE state = ?`), nonce, stateOf(t, cb)); err != nil {
				t.Fatal(err)
			}
			refused(t, w, b, cb, "nonce does not match")
		}
	})
	t.Run("PKCE verifier tampered", func(t *testing.T) {
		b := a.browser()
		cb := b.startSignIn("/", demo.PrimaryEmail)
		if _, err := w.db.Exec(dbtest.Rebind(`UPDATE login_states SET code_verifier = ? WHERE state = ?`), oauth2.GenerateVerifier(), stateOf(t, cb)); err != nil {
			t.Fatal(err)
		}
		refused(t, w, b, cb, "code exchange refused")
	})
	t.Run("replayed callback", func(t *testing.T) {
		b := a.browser()
		cb := b.startSignIn("/", demo.PrimaryEmail)
		if resp, body := b.get(cb); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("first callback %d %s", resp.StatusCode, body)
		}
		w.client.Session.Delete().ExecX(dbtest.Sys())
		refused(t, w, b, cb, "unknown, used or expired state")
	})
	t.Run("replayed code with a fresh state", func(t *testing.T) {
		b := a.browser()
		cb := b.startSignIn("/", demo.PrimaryEmail)
		first := w.client.LoginState.Query().Where(loginstate.State(stateOf(t, cb))).OnlyX(dbtest.Sys())
		if resp, body := b.get(cb); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("first callback %d %s", resp.StatusCode, body)
		}
		w.client.Session.Delete().ExecX(dbtest.Sys())
		// A new sign-in in the same browser; its state is paired with the spent code, and with
		// the verifier that code was issued for, so only the code's single use can refuse it.
		resp, _ := b.get("/auth/login?returnTo=/")
		state := mustURL(location(t, resp)).Query().Get("state")
		if _, err := w.db.Exec(dbtest.Rebind(`UPDATE login_states SET code_verifier = ? WHERE state = ?`), first.CodeVerifier, state); err != nil {
			t.Fatal(err)
		}
		refused(t, w, b, withQuery(t, cb, map[string]string{"state": state}), "code exchange refused")
	})
	t.Run("callback in another browser", func(t *testing.T) {
		// An attacker's own callback URL sent to a victim: the victim's browser did not start it.
		attacker := a.browser()
		cb := attacker.startSignIn("/", demo.GlobexPrimaryEmail)
		victim := a.browser()
		refused(t, w, victim, cb, "started in another browser")
	})
	t.Run("expired login state", func(t *testing.T) {
		b := a.browser()
		cb := b.startSignIn("/", demo.PrimaryEmail)
		w.clock.Advance(11 * time.Minute)
		refused(t, w, b, cb, "unknown, used or expired state")
	})
	t.Run("provider error", func(t *testing.T) {
		b := a.browser()
		cb := b.startSignIn("/", demo.PrimaryEmail)
		refused(t, w, b, withQuery(t, cb, map[string]string{"error": "access_denied", "code": ""}), "provider refused the sign-in")
	})
}

func TestOpenRedirectReturnTo(t *testing.T) {
	w := newWorld(t)
	a := w.start(t, false)
	for _, evil := range []string{"//evil.example", "https://evil.example", `/\evil`, "/%5Cevil", "\t//evil.example"} {
		b := a.browser()
		resp := b.signIn(evil, demo.UserEmail)
		if got := resp.Header.Get("Location"); got != "/" {
			t.Errorf("returnTo %q ends at %q, want /", evil, got)
		}
	}
	b := a.browser()
	if got := b.signIn("/sites/1234567/contacts?role=USER", demo.UserEmail).Header.Get("Location"); got != "/sites/1234567/contacts?role=USER" {
		t.Errorf("a local returnTo ends at %q", got)
	}
}

func TestCSRFWithSessionCookie(t *testing.T) {
	w := newWorld(t)
	a := w.start(t, false)
	b := a.browser()
	b.signIn("/", demo.PrimaryEmail)
	// A harmless mutation that would succeed for this person if it ran.
	mutation := `mutation { requestAccess(siteNumber: "7654321", justification: "csrf probe") { id } }`
	countRequests := func() int { return w.client.AccessRequest.Query().CountX(dbtest.Sys()) }

	forbidden := func(name string, r gqlResult) {
		t.Helper()
		if r.Status != http.StatusForbidden || r.code() != "FORBIDDEN" {
			t.Fatalf("%s: %d %s, want 403 FORBIDDEN", name, r.Status, r.Raw)
		}
	}
	forbidden("Origin: https://evil.example", b.graphql(mutation, func(r *http.Request) {
		r.Header.Set("Origin", "https://evil.example")
		r.Header.Del("Sec-Fetch-Site")
	}))
	forbidden("Sec-Fetch-Site: cross-site", b.graphql(mutation, func(r *http.Request) {
		r.Header.Set("Origin", "https://evil.example")
		r.Header.Set("Sec-Fetch-Site", "cross-site")
	}))
	forbidden("no CSRF header", b.graphql(mutation, func(r *http.Request) { r.Header.Del(signin.CSRFHeader) }))
	forbidden("no CSRF header, query", b.graphql(viewerQuery, func(r *http.Request) { r.Header.Del(signin.CSRFHeader) }))

	// A form post (what a cross-site <form> can send), even same-origin with the header: refused
	// by the GraphQL transports, which take only JSON.
	for _, withHeader := range []bool{false, true} {
		form := url.Values{"query": {mutation}}
		req, _ := http.NewRequest(http.MethodPost, a.url+"/graphql", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if withHeader {
			req.Header.Set(signin.CSRFHeader, "1")
		}
		resp, body := b.do(req)
		if resp.StatusCode < 400 {
			t.Fatalf("form-encoded POST (header %v) = %d %s", withHeader, resp.StatusCode, body)
		}
	}
	// text/plain, the other content type a form can send.
	req, _ := http.NewRequest(http.MethodPost, a.url+"/graphql", strings.NewReader(`{"query":"`+strings.ReplaceAll(mutation, `"`, `\"`)+`"}`))
	req.Header.Set("Content-Type", "text/plain")
	req.Header.Set(signin.CSRFHeader, "1")
	if resp, body := b.do(req); resp.StatusCode < 400 {
		t.Fatalf("text/plain POST = %d %s", resp.StatusCode, body)
	}
	// GET never mutates.
	resp, body := b.get("/graphql?query=" + url.QueryEscape(mutation))
	if resp.StatusCode == http.StatusOK && !strings.Contains(body, `"errors"`) {
		t.Fatalf("GET mutation = %d %s", resp.StatusCode, body)
	}
	// Logout without the header is refused and keeps the session.
	req, _ = http.NewRequest(http.MethodPost, a.url+"/auth/logout", nil)
	if resp, _ := b.do(req); resp.StatusCode != http.StatusForbidden || b.sessionCookie() == nil {
		t.Fatalf("header-less logout = %d", resp.StatusCode)
	}
	if n := countRequests(); n != 0 {
		t.Fatalf("%d access requests created by refused requests", n)
	}
	// The same mutation, sent properly, works: the refusals above were the CSRF checks.
	if r := b.graphql(mutation); r.Status != http.StatusOK || len(r.Errors) > 0 || countRequests() != 1 {
		t.Fatalf("proper mutation: %s", r.Raw)
	}
	if got := viewerEmail(t, b.graphql(viewerQuery)); got != demo.PrimaryEmail {
		t.Fatalf("viewer %q", got)
	}
}

func TestSessionExpiry(t *testing.T) {
	w := newWorld(t)
	a := w.start(t, false)

	t.Run("idle", func(t *testing.T) {
		b := a.browser()
		b.signIn("/", demo.PrimaryEmail)
		w.clock.Advance(29 * time.Minute)
		if got := viewerEmail(t, b.graphql(viewerQuery)); got != demo.PrimaryEmail {
			t.Fatalf("after 29 idle minutes: %q", got)
		}
		w.clock.Advance(31 * time.Minute)
		if got := viewerEmail(t, b.graphql(viewerQuery)); got != "" {
			t.Fatalf("after 31 idle minutes still %q", got)
		}
		if r := b.graphql(signedInField); r.code() != "UNAUTHENTICATED" {
			t.Fatalf("signed-in field after idle expiry: %s", r.Raw)
		}
		if b.sessionCookie() != nil {
			t.Fatal("the expired cookie was not cleared")
		}
	})
	t.Run("absolute", func(t *testing.T) {
		b := a.browser()
		b.signIn("/", demo.PrimaryEmail)
		for elapsed := 20 * time.Minute; elapsed < 10*time.Hour; elapsed += 20 * time.Minute {
			w.clock.Advance(20 * time.Minute)
			if got := viewerEmail(t, b.graphql(viewerQuery)); got != demo.PrimaryEmail {
				t.Fatalf("active every 20 minutes, refused after %v", elapsed)
			}
		}
		w.clock.Advance(20 * time.Minute)
		if r := b.graphql(signedInField); r.code() != "UNAUTHENTICATED" {
			t.Fatalf("signed-in field 10 h after sign-in: %s", r.Raw)
		}
	})
	t.Run("cleanup", func(t *testing.T) {
		b := a.browser()
		b.startSignIn("/", demo.PrimaryEmail) // an abandoned sign-in
		b2 := a.browser()
		b2.signIn("/", demo.UserEmail)
		w.clock.Advance(time.Hour)
		if n, m, err := a.id.Sessions.Cleanup(context.Background()); err != nil || n < 1 || m != 1 {
			t.Fatalf("cleanup = %d, %d, %v", n, m, err)
		}
		if n := w.client.Session.Query().CountX(dbtest.Sys()) + w.client.LoginState.Query().CountX(dbtest.Sys()); n != 0 {
			t.Fatalf("%d rows left", n)
		}
	})
}

func TestNewSessionIDAtEverySignIn(t *testing.T) {
	w := newWorld(t)
	a := w.start(t, false)
	b := a.browser()
	first := setCookie(t, b.signIn("/", demo.PrimaryEmail), session.CookieName)
	second := setCookie(t, b.signIn("/", demo.UserEmail), session.CookieName)
	if first.Value == second.Value {
		t.Fatal("the second sign-in kept the session id")
	}
	if got := viewerEmail(t, b.graphql(viewerQuery)); got != demo.UserEmail {
		t.Fatalf("viewer after the second sign-in: %q", got)
	}
	// The first session was ended by the second sign-in in the same browser.
	if got := viewerEmail(t, b.graphql(viewerQuery, withOnlyCookie(session.CookieName, first.Value))); got != "" {
		t.Fatalf("the previous session still works as %s", got)
	}
	if n := w.client.Session.Query().CountX(dbtest.Sys()); n != 1 {
		t.Fatalf("%d sessions, want 1", n)
	}
	// A cookie planted before sign-in (session fixation) is never adopted.
	planted := session.NewToken()
	b2 := a.browser()
	b2.c.Jar.SetCookies(mustURL(a.url), []*http.Cookie{{Name: session.CookieName, Value: planted, Path: "/"}})
	if got := setCookie(t, b2.signIn("/", demo.UserEmail), session.CookieName); got.Value == planted {
		t.Fatal("the planted id was adopted")
	}
	if c := b2.sessionCookie(); c == nil || c.Value == planted {
		t.Fatalf("the browser kept %+v", c)
	}
	if got := viewerEmail(t, b2.graphql(viewerQuery)); got != demo.UserEmail {
		t.Fatalf("viewer %q after signing in over a planted cookie", got)
	}
}

func TestSessionsSurviveRestart(t *testing.T) {
	w := newWorld(t)
	a := w.start(t, false)
	b := a.browser()
	c := setCookie(t, b.signIn("/", demo.SecondaryAccessEmail), session.CookieName)
	a.hs.Close()

	// A new process: new provider key, new client secret, same database.
	a2 := w.start(t, false)
	b2 := a2.browser()
	if got := viewerEmail(t, b2.graphql(viewerQuery, withOnlyCookie(session.CookieName, c.Value))); got != demo.SecondaryAccessEmail {
		t.Fatalf("after restart the session is %q", got)
	}
}

func TestPartnerClientCredentials(t *testing.T) {
	w := newWorld(t)
	a := w.start(t, false)
	cc := clientcredentials.Config{
		ClientID:     demo.PartnerClientID,
		ClientSecret: demo.PartnerClientSecret,
		TokenURL:     a.url + "/dev-idp/oauth/token",
	}
	tok, err := cc.Token(context.WithValue(context.Background(), oauth2.HTTPClient, a.hs.Client()))
	if err != nil {
		t.Fatalf("client credentials: %v", err)
	}
	b := a.browser()
	bearer := func(r *http.Request) {
		r.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		r.Header.Del(signin.CSRFHeader)
		r.Header.Del("Origin")
		r.Header.Del("Sec-Fetch-Site")
	}
	r := b.graphql(`{
		granted: site(number: "1234567") { number contacts(first: 50) { edges { node { email accessRole } } } }
		other: site(number: "7654321") { number }
		viewer { partner { name } }
	}`, bearer)
	if r.Status != http.StatusOK || len(r.Errors) > 0 {
		t.Fatalf("partner query: %d %s", r.Status, r.Raw)
	}
	if r.Data["other"] != nil {
		t.Fatalf("the partner sees the other Site: %s", r.Raw)
	}
	if !strings.Contains(r.Raw, demo.PrimaryEmail) || !strings.Contains(r.Raw, `"accessRole":"PRIMARY"`) ||
		!strings.Contains(r.Raw, demo.PartnerName) {
		t.Fatalf("the partner does not see the granted Site's contact roles: %s", r.Raw)
	}
	// A bad client secret gets no token.
	cc.ClientSecret = "wrong"
	if _, err := cc.Token(context.WithValue(context.Background(), oauth2.HTTPClient, a.hs.Client())); err == nil {
		t.Fatal("a wrong partner secret got a token")
	}
}

func TestSignInLinksWaitingContacts(t *testing.T) {
	w := newWorld(t)
	a := w.start(t, false)
	invited := w.client.Contact.Query().Where(contact.EmailKey(strings.ToLower(demo.InvitedEmail))).OnlyX(dbtest.Sys())
	if invited.Status != domain.StatusInvited || invited.UserID != nil {
		t.Fatalf("demo invited contact %+v", invited)
	}
	b := a.browser()
	b.signIn("/", demo.InvitedEmail)
	r := b.graphql(viewerQuery)
	if viewerEmail(t, r) != demo.InvitedEmail || !strings.Contains(r.Raw, `"number":"1234567"`) ||
		!strings.Contains(r.Raw, `"status":"ACTIVE"`) {
		t.Fatalf("viewer after accepting the invitation: %s", r.Raw)
	}
	got := w.client.Contact.GetX(dbtest.Sys(), invited.ID)
	if got.Status != domain.StatusActive || got.UserID == nil || got.LastSignInAt == nil {
		t.Fatalf("contact after sign-in %+v", got)
	}
}

func TestDevIdentityIsSelfContained(t *testing.T) {
	// The provider is served under /dev-idp with its banner; its discovery names the public URL.
	w := newWorld(t)
	a := w.start(t, false)
	b := a.browser()
	resp, body := b.get("/dev-idp/.well-known/openid-configuration")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `"issuer":"`+a.url+`/dev-idp"`) {
		t.Fatalf("discovery %d %s", resp.StatusCode, body)
	}
	if a.id.DevIDP == nil || a.id.Issuer != a.url+"/dev-idp" {
		t.Fatalf("identity %+v", a.id)
	}
	if !strings.Contains(devidp.Banner, "Dev mode") {
		t.Fatal(devidp.Banner)
	}
	// healthz is outside every middleware.
	if resp, _ := b.get("/healthz"); resp.StatusCode != http.StatusOK {
		t.Fatalf("healthz %d", resp.StatusCode)
	}
}

func TestDevTokenCommand(t *testing.T) {
	w := newWorld(t)
	a := w.start(t, false)
	cfg, err := config.Load([]string{"-public-url", a.url}, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	tok, err := server.DevToken(context.Background(), cfg, strings.ToUpper(demo.SecondaryContactEmail), a.hs.Client())
	if err != nil {
		t.Fatalf("DevToken: %v", err)
	}
	b := a.browser()
	r := b.graphql(viewerQuery, func(r *http.Request) {
		r.Header.Set("Authorization", "Bearer "+tok)
		r.Header.Del(signin.CSRFHeader)
	})
	if got := viewerEmail(t, r); got != demo.SecondaryContactEmail {
		t.Fatalf("the token is %q's, want %s: %s", got, demo.SecondaryContactEmail, r.Raw)
	}
	// A bearer token wins over a session cookie in the same request.
	b.signIn("/", demo.PrimaryEmail)
	r = b.graphql(viewerQuery, func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+tok) })
	if got := viewerEmail(t, r); got != demo.SecondaryContactEmail {
		t.Fatalf("with cookie and bearer token the viewer is %q", got)
	}

	if _, err := server.DevToken(context.Background(), cfg, "nobody@example.com", a.hs.Client()); err == nil ||
		!strings.Contains(err.Error(), demo.PrimaryEmail) {
		t.Fatalf("unknown email: %v (want the list of demo people)", err)
	}
	prod := cfg
	prod.OIDCIssuer = "https://issuer.example"
	if _, err := server.DevToken(context.Background(), prod, demo.PrimaryEmail, nil); err == nil {
		t.Fatal("DevToken outside dev mode")
	}
	down := cfg
	down.PublicURL = "http://127.0.0.1:1"
	if _, err := server.DevToken(context.Background(), down, demo.PrimaryEmail, nil); err == nil ||
		!strings.Contains(err.Error(), "start it first") {
		t.Fatalf("server not running: %v", err)
	}
}

// TestConfiguredIssuer runs the non-dev path: an external OpenID Provider (the same zitadel-based
// provider, on its own listener) configured through SITEKEEPER_OIDC_*, reached over the network.
func TestConfiguredIssuer(t *testing.T) {
	w := newWorld(t)
	idpServer := httptest.NewUnstartedServer(nil)
	appServer := httptest.NewUnstartedServer(nil)
	idpURL := "http://" + idpServer.Listener.Addr().String()
	appURL := "http://" + appServer.Listener.Addr().String()
	logger := slog.New(slog.DiscardHandler)
	idp, err := devidp.New(devidp.Config{
		Issuer: idpURL + "/dev-idp",
		People: demo.People(""),
		Clients: []devidp.Client{
			{ID: "sitekeeper-web", Secret: "web-secret", RedirectURIs: []string{appURL + "/auth/callback"}},
			{ID: demo.PartnerClientID, Secret: demo.PartnerClientSecret, CredentialsOnly: true},
		},
		APIAudience: "https://api.sitekeeper.example",
		Logger:      logger,
	})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/dev-idp/", idp.Handler())
	idpServer.Config.Handler = mux
	idpServer.Start()
	t.Cleanup(idpServer.Close)

	env := map[string]string{
		config.EnvAddr:             appServer.Listener.Addr().String(),
		config.EnvOIDCIssuer:       idpURL + "/dev-idp",
		config.EnvOIDCClientID:     "sitekeeper-web",
		config.EnvOIDCClientSecret: "web-secret",
		config.EnvOIDCAudience:     "https://api.sitekeeper.example",
	}
	cfg, err := config.Load(nil, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	logs := &logBuffer{}
	slogger := slog.New(server.ContextHandler(slog.NewTextHandler(logs, nil)))
	id, err := server.NewIdentity(context.Background(), cfg, w.client, slogger, server.IdentityOptions{Now: w.clock.Now})
	if err != nil {
		t.Fatalf("NewIdentity: %v", err)
	}
	if id.DevIDP != nil || id.Issuer != idpURL+"/dev-idp" {
		t.Fatalf("identity %+v", id)
	}
	deps := server.Deps{DB: w.db, GraphQL: graph.NewHandler(w.client, graph.Options{Logger: slogger}), Logger: slogger}
	id.Wire(&deps)
	appServer.Config.Handler = server.New(cfg, deps).Handler()
	appServer.Start()
	t.Cleanup(appServer.Close)
	a := &app{t: t, w: w, url: appURL, id: id, hs: appServer, logs: logs}

	// /dev-idp is not served by the application outside dev mode.
	b := a.browser()
	if resp, _ := b.get("/dev-idp/.well-known/openid-configuration"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("/dev-idp outside dev mode: %d", resp.StatusCode)
	}
	// The browser signs in at the external provider.
	resp, _ := b.get("/auth/login?returnTo=/sites")
	next := location(t, resp)
	if !strings.HasPrefix(next, idpURL+"/dev-idp/authorize?") || !strings.Contains(next, "client_id=sitekeeper-web") {
		t.Fatalf("login goes to %s", next)
	}
	for !strings.Contains(next, "/dev-idp/login") {
		resp, _ = b.get(next)
		next = location(t, resp)
	}
	form := url.Values{"authRequestID": {mustURL(next).Query().Get("authRequestID")}, "subject": {subjectOf(t, demo.PrimaryEmail)}}
	req, _ := http.NewRequest(http.MethodPost, idpURL+"/dev-idp/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, _ = b.do(req)
	next = location(t, resp)
	for !strings.HasPrefix(next, appURL+"/auth/callback?") {
		resp, _ = b.get(next)
		next = location(t, resp)
	}
	resp, body := b.get(next)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/sites" {
		t.Fatalf("callback %d %s\n%s", resp.StatusCode, body, logs.take())
	}
	if got := viewerEmail(t, b.graphql(viewerQuery)); got != demo.PrimaryEmail {
		t.Fatalf("viewer %q", got)
	}
	// Bearer tokens are accepted for the configured audience.
	tok, err := idp.AccessToken(demo.UserEmail, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if got := viewerEmail(t, b.graphql(viewerQuery, func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+tok) })); got != demo.UserEmail {
		t.Fatalf("bearer viewer %q", got)
	}
}
