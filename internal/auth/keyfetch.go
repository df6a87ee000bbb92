package auth

import (
	"errors"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// JWKS refetch budget. go-oidc's RemoteKeySet fetches the issuer's key set again whenever a token
// names a key id it has not cached (or fails to verify with a cached key), so without a bound every
// forged token would cost a request to the issuer. The budget is a token bucket: jwksBurst fetches
// at once, then one every jwksRefill, i.e. at most a few per minute however many tokens arrive.
const (
	jwksBurst  = 3
	jwksRefill = 20 * time.Second
)

var errJWKSRateLimited = errors.New("auth: jwks refetch rate limited")

// jwksLimiter is an http.RoundTripper that lets requests for the JWKS URL through only while the
// refetch budget lasts; any other request passes untouched. A refused fetch is an error to
// go-oidc, which then keeps its cached keys and fails only the token that asked for the refetch.
type jwksLimiter struct {
	base    http.RoundTripper
	jwksURL atomic.Pointer[url.URL]

	mu     sync.Mutex
	tokens float64
	last   time.Time
	now    func() time.Time
}

func newJWKSLimiter(base http.RoundTripper) *jwksLimiter {
	return &jwksLimiter{base: base, tokens: jwksBurst, now: time.Now}
}

// setJWKSURL names the URL whose fetches are budgeted.
func (l *jwksLimiter) setJWKSURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	l.jwksURL.Store(u)
	return nil
}

func (l *jwksLimiter) isJWKS(r *url.URL) bool {
	u := l.jwksURL.Load()
	return u != nil && r.Scheme == u.Scheme && r.Host == u.Host && r.Path == u.Path
}

// allow takes one fetch from the budget if there is one.
func (l *jwksLimiter) allow() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if !l.last.IsZero() {
		l.tokens += float64(now.Sub(l.last)) / float64(jwksRefill)
		if l.tokens > jwksBurst {
			l.tokens = jwksBurst
		}
	}
	l.last = now
	if l.tokens < 1 {
		return false
	}
	l.tokens--
	return true
}

func (l *jwksLimiter) RoundTrip(req *http.Request) (*http.Response, error) {
	if l.isJWKS(req.URL) && !l.allow() {
		return nil, errJWKSRateLimited
	}
	return l.base.RoundTrip(req)
}
