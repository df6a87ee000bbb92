package adversarial_test

import (
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"sitekeeper/graph"
	"sitekeeper/internal/testkit/apitest"
)

// TestForgedTokens: every bearer token that is not exactly right is refused with 401, before
// GraphQL sees the request.
func TestForgedTokens(t *testing.T) {
	s := newStack(t, graph.Options{})
	iss := s.Issuer
	person := map[string]any{"sub": "sub-" + apitest.Primary, "email": apitest.Primary, "email_verified": true}
	with := func(extra map[string]any) map[string]any {
		out := map[string]any{}
		for k, v := range person {
			out[k] = v
		}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	now := time.Now()
	cases := []struct {
		name  string
		token string
	}{
		{"alg: none", iss.TokenAlgNone(t, person)},
		{"HS256 keyed with the public key", iss.TokenHS256(t, person)},
		{"a wrong audience", iss.Token(t, with(map[string]any{"aud": "sitekeeper-web"}))},
		{"a wrong issuer", iss.Token(t, with(map[string]any{"iss": "https://evil.example"}))},
		{"expired", iss.Token(t, with(map[string]any{"exp": now.Add(-time.Minute).Unix(), "iat": now.Add(-time.Hour).Unix()}))},
		{"not valid before an hour from now", iss.Token(t, with(map[string]any{"nbf": now.Add(time.Hour).Unix()}))},
		{"signed by another key", iss.TokenSignedByStranger(t, person)},
		{"a tampered payload", tamper(iss.Token(t, person))},
		{"garbage", "not.a.jwt"},
	}
	query := fmt.Sprintf(`mutation { markSiteReviewed(siteId:%d) { id } }`, s.R.A.ID)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := s.Dump()
			res := s.post(tc.token, query, nil)
			expect(t, tc.name, res, http.StatusUnauthorized, "UNAUTHENTICATED", "invalid or expired token")
			if res.Header.Get("WWW-Authenticate") != `Bearer error="invalid_token"` {
				t.Errorf("WWW-Authenticate = %q", res.Header.Get("WWW-Authenticate"))
			}
			s.unchanged(t, before, tc.name)
		})
	}
	t.Run("two Authorization headers", func(t *testing.T) {
		req := s.request(s.TokenFor(apitest.Primary), query, nil)
		req.Header.Add("Authorization", "Bearer "+s.TokenFor(apitest.Outsider))
		expect(t, "two headers", s.do(req), http.StatusUnauthorized, "UNAUTHENTICATED", "invalid or expired token")
	})
	t.Run("a flood of unknown key ids", func(t *testing.T) {
		fetches := iss.JWKSFetches()
		for i := range 50 {
			res := s.post(iss.TokenWithKid(t, fmt.Sprintf("kid-%d", i), person), `{ viewer { isOperator } }`, nil)
			if res.Status != http.StatusUnauthorized {
				t.Fatalf("token %d with an unknown kid: HTTP %d", i, res.Status)
			}
		}
		// A refetch budget of 3 at once, then one per 20 s: the issuer is not flooded in turn.
		if n := iss.JWKSFetches() - fetches; n > 3 {
			t.Fatalf("50 unknown key ids made %d key set fetches, want at most 3", n)
		}
		// Good tokens still work.
		if res := s.post(s.TokenFor(apitest.Primary), `{ viewer { isOperator } }`, nil); res.Status != http.StatusOK || len(res.Errors) > 0 {
			t.Fatalf("a good token after the flood: HTTP %d %+v", res.Status, res.Errors)
		}
	})
}

// tamper flips the payload's subject without re-signing.
func tamper(token string) string {
	parts := strings.Split(token, ".")
	parts[1] = strings.Replace(parts[1], parts[1][:8], parts[1][:7]+"A", 1)
	return strings.Join(parts, ".")
}

// TestCookieRequests: what a browser holding a session cookie can be made to send by another
// site. Every request below would change data if it ran.
func TestCookieRequests(t *testing.T) {
	s := newStack(t, graph.Options{})
	cookie := s.sessionCookie(apitest.Primary)
	mutation := fmt.Sprintf(`mutation { markSiteReviewed(siteId:%d) { id } }`, s.R.A.ID)
	crossSite := func(r *http.Request) {
		r.Header.Set("Origin", "https://evil.example")
		r.Header.Set("Sec-Fetch-Site", "cross-site")
		r.Header.Del("X-Sitekeeper-CSRF")
	}
	// An older browser sends neither Sec-Fetch-Site nor a CSRF header from a plain form.
	plainForm := func(r *http.Request) {
		r.Header.Del("Origin")
		r.Header.Del("Sec-Fetch-Site")
		r.Header.Del("X-Sitekeeper-CSRF")
	}
	var multi strings.Builder
	mw := multipart.NewWriter(&multi)
	_ = mw.WriteField("operations", fmt.Sprintf(`{"query":%s}`, jsonString(mutation)))
	_ = mw.Close()
	forms := []struct {
		name, contentType, body string
	}{
		{"a form POST", "application/x-www-form-urlencoded", url.Values{"query": {mutation}}.Encode()},
		{"a multipart POST", mw.FormDataContentType(), multi.String()},
		{"a text/plain POST", "text/plain", fmt.Sprintf(`{"query":%s}`, jsonString(mutation))},
	}
	for _, f := range forms {
		t.Run(f.name+" from another site", func(t *testing.T) {
			before := s.Dump()
			expect(t, f.name, s.browserPost(cookie, f.contentType, f.body, crossSite), http.StatusForbidden, "FORBIDDEN",
				"cross-origin request refused")
			s.unchanged(t, before, f.name)
		})
		t.Run(f.name+" without the CSRF header", func(t *testing.T) {
			before := s.Dump()
			expect(t, f.name, s.browserPost(cookie, f.contentType, f.body, plainForm), http.StatusForbidden, "FORBIDDEN",
				"a signed-in browser request must carry the X-Sitekeeper-CSRF: 1 header")
			s.unchanged(t, before, f.name)
		})
		t.Run(f.name+" even with the header", func(t *testing.T) {
			// Same origin with the header (which no other site can add): still not a transport.
			before := s.Dump()
			res := s.browserPost(cookie, f.contentType, f.body, nil)
			if res.Status != http.StatusBadRequest || res.message() != "transport not supported" {
				t.Fatalf("HTTP %d %s", res.Status, res.Body)
			}
			s.unchanged(t, before, f.name)
		})
	}
	t.Run("JSON from a foreign Origin", func(t *testing.T) {
		before := s.Dump()
		res := s.browserPost(cookie, "application/json", fmt.Sprintf(`{"query":%s}`, jsonString(mutation)), func(r *http.Request) {
			r.Header.Set("Origin", "https://evil.example")
			r.Header.Del("Sec-Fetch-Site")
		})
		expect(t, "foreign Origin", res, http.StatusForbidden, "FORBIDDEN", "cross-origin request refused")
		s.unchanged(t, before, "a foreign Origin")
	})
	t.Run("the SPA's own request works", func(t *testing.T) {
		res := s.browserPost(cookie, "application/json", fmt.Sprintf(`{"query":%s}`, jsonString(mutation)), nil)
		if res.Status != http.StatusOK || len(res.Errors) > 0 {
			t.Fatalf("same-origin JSON with the header: HTTP %d %s", res.Status, res.Body)
		}
	})
}
