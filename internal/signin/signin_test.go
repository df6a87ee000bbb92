package signin_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"sitekeeper/ent"
	_ "sitekeeper/ent/runtime"
	"sitekeeper/internal/db/dbtest"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/session"
	"sitekeeper/internal/signin"
	"sitekeeper/internal/viewer"
)

func TestSafeReturnTo(t *testing.T) {
	cases := map[string]string{
		"":                                 "/",
		"/":                                "/",
		"/sites":                           "/sites",
		"/sites/1234567/contacts?q=a#x":    "/sites/1234567/contacts?q=a#x",
		"/a/b?returnTo=//evil.example":     "/a/b?returnTo=//evil.example",
		"//evil.example":                   "/",
		"//evil.example/path":              "/",
		"///evil.example":                  "/",
		"https://evil.example":             "/",
		"http://127.0.0.1:8080/sites":      "/",
		"javascript:alert(1)":              "/",
		"/\\evil.example":                  "/",
		"\\\\evil.example":                 "/",
		"/%2F%2Fevil.example":              "/",
		"/%5Cevil.example":                 "/",
		"/\tevil":                          "/",
		"/\n/evil.example":                 "/",
		"/ sites":                          "/",
		"/sites\x7f":                       "/",
		"/sïtes":                           "/",
		"sites":                            "/",
		"./sites":                          "/",
		"/auth/logout":                     "/",
		"/auth/login?returnTo=/x":          "/",
		"/auth":                            "/",
		"/authors":                         "/authors",
		"/" + strings.Repeat("a", 3000):    "/",
		"/%zz":                             "/",
		"/sites?next=https://evil.example": "/sites?next=https://evil.example",
	}
	for in, want := range cases {
		if got := signin.SafeReturnTo(in); got != want {
			t.Errorf("SafeReturnTo(%q) = %q, want %q", in, got, want)
		}
	}
	if got := signin.LoginURL("//evil"); got != "/auth/login?returnTo=%2F" {
		t.Errorf("LoginURL = %q", got)
	}
}

type env struct {
	client *ent.Client
	store  *session.Store
	user   *ent.User
	now    time.Time
}

func newEnv(t *testing.T) *env {
	t.Helper()
	client := dbtest.Open(t)
	e := &env{client: client, now: time.Now().UTC()}
	e.store = session.New(client, session.Config{Now: func() time.Time { return e.now }})
	e.user = client.User.Create().SetIssuer("https://issuer.example").SetSubject("pat").
		SetEmail("pat@example.com").SetEmailVerified(true).SetName("Pat").SaveX(dbtest.Sys())
	site := client.Site.Create().SetNumber("7654321").SetName("Acme").SetCustomerNumber("C-1").SaveX(dbtest.Sys())
	client.Contact.Create().SetSiteID(site.ID).SetEmail("pat@example.com").SetFirstName("Pat").SetLastName("Lee").
		SetPhone("+1 914 555 0100").SetCity("c").SetStateProvince("s").SetPostalCode("p").SetBusinessJustification("j").
		SetAccessRole(domain.RolePrimary).SetStatus(domain.StatusActive).SetUserID(e.user.ID).SaveX(dbtest.Sys())
	return e
}

// seen records the viewer a handler got.
type seen struct {
	viewer      *viewer.Viewer
	fromSession bool
	called      bool
}

func (s *seen) handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.called = true
		s.viewer = viewer.FromContext(r.Context())
		s.fromSession = signin.FromSession(r.Context())
	})
}

func TestSessionMiddleware(t *testing.T) {
	e := newEnv(t)
	mw := signin.SessionMiddleware(e.store, e.client, nil)
	token, sess, err := e.store.Create(context.Background(), e.user.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	cookie := e.store.Cookie(token, sess)

	var s seen
	serve := func(r *http.Request) *httptest.ResponseRecorder {
		s = seen{}
		w := httptest.NewRecorder()
		mw(s.handler()).ServeHTTP(w, r)
		return w
	}

	// A valid cookie: the session's person, their memberships and the operator flag of the sign-in.
	r := httptest.NewRequest("POST", "/graphql", nil)
	r.AddCookie(cookie)
	serve(r)
	if !s.called || !s.fromSession || s.viewer.UserID != e.user.ID || s.viewer.Email != "pat@example.com" ||
		!s.viewer.EmailVerified || s.viewer.Name != "Pat" || !s.viewer.Operator || len(s.viewer.Memberships) != 1 {
		t.Fatalf("viewer %+v fromSession %v", s.viewer, s.fromSession)
	}
	for _, m := range s.viewer.Memberships {
		if m.Role != domain.RolePrimary {
			t.Fatalf("membership %+v", m)
		}
	}

	// No cookie: anonymous, untouched.
	serve(httptest.NewRequest("GET", "/", nil))
	if !s.called || !s.viewer.IsAnonymous() || s.fromSession {
		t.Fatalf("anonymous request got %+v", s.viewer)
	}

	// An Authorization header wins: the session is not even looked at.
	r = httptest.NewRequest("POST", "/graphql", nil)
	r.AddCookie(cookie)
	r.Header.Set("Authorization", "Bearer x")
	serve(r)
	if !s.viewer.IsAnonymous() || s.fromSession {
		t.Fatalf("bearer request got the session's viewer %+v", s.viewer)
	}

	// An unknown cookie: anonymous, and the browser is told to drop it.
	r = httptest.NewRequest("GET", "/", nil)
	r.AddCookie(&http.Cookie{Name: session.CookieName, Value: session.NewToken()})
	w := serve(r)
	if !s.called || !s.viewer.IsAnonymous() || s.fromSession {
		t.Fatalf("unknown cookie got %+v", s.viewer)
	}
	if sc := w.Header().Get("Set-Cookie"); !strings.HasPrefix(sc, session.CookieName+"=;") || !strings.Contains(sc, "Max-Age=0") {
		t.Fatalf("unknown cookie not cleared: %q", sc)
	}

	// Idle for 31 minutes: refused the same way.
	e.now = e.now.Add(31 * time.Minute)
	r = httptest.NewRequest("GET", "/", nil)
	r.AddCookie(cookie)
	w = serve(r)
	if !s.viewer.IsAnonymous() || !strings.Contains(w.Header().Get("Set-Cookie"), "Max-Age=0") {
		t.Fatalf("idle session accepted: %+v", s.viewer)
	}
}

func TestCSRF(t *testing.T) {
	e := newEnv(t)
	csrf, err := signin.CSRF("http://127.0.0.1:8080", e.store, nil, "/dev-idp/")
	if err != nil {
		t.Fatal(err)
	}
	var reached bool
	h := csrf(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reached = true }))
	cookie := &http.Cookie{Name: session.CookieName, Value: session.NewToken()}

	type req struct {
		method, path string
		cookie       bool
		headers      map[string]string
	}
	cases := []struct {
		name string
		req  req
		want int
	}{
		{"same-origin POST with cookie and header", req{"POST", "/graphql", true, map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": "http://127.0.0.1:8080", "X-Sitekeeper-CSRF": "1"}}, 200},
		{"POST with cookie and header, no browser headers", req{"POST", "/graphql", true, map[string]string{"X-Sitekeeper-CSRF": "1"}}, 200},
		{"Origin of the public URL behind a proxy", req{"POST", "/graphql", true, map[string]string{"Origin": "http://127.0.0.1:8080", "X-Sitekeeper-CSRF": "1"}}, 200},
		{"cross-site POST with cookie and header", req{"POST", "/graphql", true, map[string]string{"Sec-Fetch-Site": "cross-site", "X-Sitekeeper-CSRF": "1"}}, 403},
		{"same-site (sibling subdomain) POST", req{"POST", "/graphql", true, map[string]string{"Sec-Fetch-Site": "same-site", "X-Sitekeeper-CSRF": "1"}}, 403},
		{"foreign Origin without Sec-Fetch-Site", req{"POST", "/graphql", true, map[string]string{"Origin": "https://evil.example", "X-Sitekeeper-CSRF": "1"}}, 403},
		{"foreign Origin without a cookie", req{"POST", "/graphql", false, map[string]string{"Origin": "https://evil.example"}}, 403},
		{"POST with cookie, no header", req{"POST", "/graphql", true, map[string]string{"Sec-Fetch-Site": "same-origin"}}, 403},
		{"POST with cookie, wrong header value", req{"POST", "/graphql", true, map[string]string{"X-Sitekeeper-CSRF": "yes"}}, 403},
		{"PUT with cookie, no header", req{"PUT", "/graphql", true, nil}, 403},
		{"anonymous POST without header", req{"POST", "/graphql", false, nil}, 200},
		{"bearer POST cross-site", req{"POST", "/graphql", true, map[string]string{"Authorization": "Bearer t", "Sec-Fetch-Site": "cross-site"}}, 200},
		{"GET with cookie cross-site", req{"GET", "/graphql", true, map[string]string{"Sec-Fetch-Site": "cross-site"}}, 200},
		{"HEAD with cookie", req{"HEAD", "/", true, nil}, 200},
		{"logout without header, no cookie", req{"POST", "/auth/logout", false, nil}, 403},
		{"logout with header", req{"POST", "/auth/logout", false, map[string]string{"X-Sitekeeper-CSRF": "1"}}, 200},
		{"dev-idp form with cookie, no header", req{"POST", "/dev-idp/login", true, map[string]string{"Sec-Fetch-Site": "same-origin"}}, 200},
		{"dev-idp form cross-site", req{"POST", "/dev-idp/login", false, map[string]string{"Sec-Fetch-Site": "cross-site"}}, 403},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			reached = false
			r := httptest.NewRequest(c.req.method, c.req.path, strings.NewReader("{}"))
			r.Host = "127.0.0.1:8080"
			if c.req.cookie {
				r.AddCookie(cookie)
			}
			for k, v := range c.req.headers {
				r.Header.Set(k, v)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			got := w.Code
			if reached != (c.want == 200) || got != c.want {
				t.Fatalf("status %d reached %v, want %d", got, reached, c.want)
			}
			if got == 403 && (!strings.Contains(w.Body.String(), `"FORBIDDEN"`) || w.Header().Get("Content-Type") != "application/json") {
				t.Fatalf("403 body %q", w.Body.String())
			}
		})
	}
}
