package auth_test

import (
	"net/http"
	"sync/atomic"
	"testing"

	"sitekeeper/internal/auth"
)

// countingTransport counts the requests it passes on.
type countingTransport struct {
	n    atomic.Int64
	next http.RoundTripper
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.RoundTrip(r)
}

func TestConfiguredHTTPClientReachesTheIssuer(t *testing.T) {
	ct := &countingTransport{next: http.DefaultTransport}
	e := newEnv(t, func(c *auth.Config) { c.HTTPClient = &http.Client{Transport: ct} })
	if ct.n.Load() != 1 {
		t.Fatalf("discovery made %d requests through the configured client, want 1", ct.n.Load())
	}
	e.iss.SetUserInfo("via-client", map[string]any{"email": "via@example.com", "email_verified": true})
	v := e.viewerFor(e.iss.Token(t, map[string]any{"sub": "via-client"}))
	if v.Email != "via@example.com" {
		t.Fatalf("viewer %+v", v)
	}
	// The JWKS and UserInfo requests went through it as well.
	if got := ct.n.Load(); got != 3 {
		t.Fatalf("%d requests through the configured client, want 3 (discovery, JWKS, UserInfo)", got)
	}
}
