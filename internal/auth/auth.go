// Package auth authenticates API and partner clients by their OIDC bearer tokens (SPEC sections 5
// and 8) and puts the resulting viewer into the request context. It never refuses an anonymous
// caller: the GraphQL directives and ent privacy rules decide what a viewer may do. It refuses a
// bad token, because a client that sent credentials must learn that they did not work.
package auth

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"

	"sitekeeper/ent"
	"sitekeeper/internal/viewer"
)

// Config configures bearer-token authentication.
type Config struct {
	Issuer        string // SITEKEEPER_OIDC_ISSUER
	Audience      string // accepted `aud` on bearer tokens
	OperatorGroup string // default "sitekeeper-operators"
	GroupsClaim   string // default "groups"
	Logger        *slog.Logger
	Now           func() time.Time // optional clock for tests
	// HTTPClient, when set, makes the requests to the issuer (discovery, JWKS, UserInfo): in dev
	// mode it serves the embedded provider in-process. Its Transport (http.DefaultTransport when
	// nil) is wrapped by the JWKS refetch budget; its Timeout defaults to 10 s.
	HTTPClient *http.Client
}

// Defaults of Config.
const (
	DefaultOperatorGroup = "sitekeeper-operators"
	DefaultGroupsClaim   = "groups"
)

// SupportedSigningAlgs are the only algorithms a bearer token may be signed with.
var SupportedSigningAlgs = []string{oidc.RS256, oidc.ES256, oidc.PS256}

const (
	// maxTokenLen bounds the work a caller can ask for with one header.
	maxTokenLen = 16 << 10
	// nbfLeeway tolerates clock skew between the issuer and this server on `nbf`.
	nbfLeeway = time.Minute
	// lastSignInEvery bounds the writes of User.last_sign_in_at.
	lastSignInEvery = time.Minute
	// nothingToLinkFor is how long a "nothing to link" answer is trusted.
	nothingToLinkFor = time.Minute
	// userInfoFailureFor is how long a failed UserInfo lookup is remembered, so that a client
	// whose token the issuer's UserInfo endpoint refuses does not cost a request each time.
	userInfoFailureFor = time.Minute
	// userInfoMaxAge caps how long UserInfo claims are cached, whatever the token's expiry.
	userInfoMaxAge = 12 * time.Hour
	// notPartnerFor is how long "this subject is no Partner's" is trusted: a Partner registered
	// meanwhile is treated as a person without contacts, who sees nothing, for at most this long.
	// Positive answers are never cached, so revoking a grant takes effect at once.
	notPartnerFor = time.Minute
	// cacheEntries bounds each in-memory cache.
	cacheEntries = 10000
	// userCacheFor is how long a User row's identity is remembered between requests.
	userCacheFor = 10 * time.Minute
)

// Authenticator verifies bearer tokens and resolves them to viewers.
type Authenticator struct {
	client     *ent.Client
	cfg        Config
	log        *slog.Logger
	now        func() time.Time
	httpClient *http.Client
	provider   *oidc.Provider
	verifier   *oidc.IDTokenVerifier

	userInfo      *ttlCache[[sha256.Size]byte, userInfoResult]
	users         *ttlCache[string, cachedUser]
	nothingToLink *ttlCache[linkKey, struct{}]
	notPartner    *ttlCache[string, struct{}]
}

// New fetches the issuer's discovery document and returns an Authenticator for its tokens.
func New(ctx context.Context, client *ent.Client, cfg Config) (*Authenticator, error) {
	if client == nil {
		return nil, errors.New("auth: nil ent client")
	}
	if cfg.Issuer == "" {
		return nil, errors.New("auth: no issuer configured")
	}
	if cfg.Audience == "" {
		return nil, errors.New("auth: no audience configured")
	}
	if cfg.OperatorGroup == "" {
		cfg.OperatorGroup = DefaultOperatorGroup
	}
	if cfg.GroupsClaim == "" {
		cfg.GroupsClaim = DefaultGroupsClaim
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}

	base, timeout := http.RoundTripper(http.DefaultTransport), 10*time.Second
	if cfg.HTTPClient != nil {
		if cfg.HTTPClient.Transport != nil {
			base = cfg.HTTPClient.Transport
		}
		if cfg.HTTPClient.Timeout > 0 {
			timeout = cfg.HTTPClient.Timeout
		}
	}
	limiter := newJWKSLimiter(base)
	httpClient := &http.Client{Timeout: timeout, Transport: limiter}
	provider, err := oidc.NewProvider(oidc.ClientContext(ctx, httpClient), cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("auth: oidc discovery for %s: %w", cfg.Issuer, err)
	}
	var meta struct {
		JWKSURI string `json:"jwks_uri"`
	}
	if err := provider.Claims(&meta); err != nil || meta.JWKSURI == "" {
		return nil, fmt.Errorf("auth: issuer %s publishes no jwks_uri", cfg.Issuer)
	}
	if err := limiter.setJWKSURL(meta.JWKSURI); err != nil {
		return nil, fmt.Errorf("auth: issuer %s: bad jwks_uri: %w", cfg.Issuer, err)
	}

	return &Authenticator{
		client:     client,
		cfg:        cfg,
		log:        cfg.Logger,
		now:        now,
		httpClient: httpClient,
		provider:   provider,
		verifier: provider.Verifier(&oidc.Config{
			ClientID:             cfg.Audience,
			SupportedSigningAlgs: SupportedSigningAlgs,
			Now:                  cfg.Now,
		}),
		userInfo:      newTTLCache[[sha256.Size]byte, userInfoResult](cacheEntries),
		users:         newTTLCache[string, cachedUser](cacheEntries),
		nothingToLink: newTTLCache[linkKey, struct{}](cacheEntries),
		notPartner:    newTTLCache[string, struct{}](cacheEntries),
	}, nil
}

// Middleware attaches the viewer of a request's bearer token to its context. Without an
// Authorization header it calls next with the context untouched (an anonymous viewer, or whatever
// an earlier middleware such as the session attached). A bad or non-Bearer credential gets 401.
func (a *Authenticator) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		values := r.Header.Values("Authorization")
		if len(values) == 0 {
			next.ServeHTTP(w, r)
			return
		}
		raw, ok := bearerToken(values)
		if !ok {
			a.reject(w, r, "authorization header is not a single Bearer token")
			return
		}
		v, err := a.authenticate(r.Context(), raw)
		if err != nil {
			var invalid *invalidTokenError
			if errors.As(err, &invalid) {
				a.reject(w, r, invalid.reason)
				return
			}
			a.log.ErrorContext(r.Context(), "auth: resolving the bearer token's viewer failed", "err", err)
			writeError(w, http.StatusInternalServerError, internalBody)
			return
		}
		next.ServeHTTP(w, r.WithContext(viewer.NewContext(r.Context(), v)))
	})
}

// bearerToken extracts the token of a single `Authorization: Bearer <token>` header.
func bearerToken(values []string) (string, bool) {
	if len(values) != 1 {
		return "", false
	}
	scheme, token, ok := strings.Cut(strings.TrimSpace(values[0]), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	if token == "" || len(token) > maxTokenLen || strings.ContainsAny(token, " \t\r\n") {
		return "", false
	}
	return token, true
}

const (
	unauthorizedBody = `{"errors":[{"message":"invalid or expired token","extensions":{"code":"UNAUTHENTICATED"}}]}`
	internalBody     = `{"errors":[{"message":"internal error","extensions":{"code":"INTERNAL"}}]}`
)

// reject answers 401 without echoing the token or why it failed; the reason goes to the log.
func (a *Authenticator) reject(w http.ResponseWriter, r *http.Request, reason string) {
	a.log.InfoContext(r.Context(), "auth: bearer token rejected", "reason", truncate(reason, 300),
		"method", r.Method, "path", r.URL.Path, "remote", r.RemoteAddr)
	w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
	writeError(w, http.StatusUnauthorized, unauthorizedBody)
}

func writeError(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// invalidTokenError is a credential problem (401), as opposed to a server failure (500).
type invalidTokenError struct{ reason string }

func (e *invalidTokenError) Error() string { return "invalid token: " + e.reason }

func invalidToken(format string, args ...any) error {
	return &invalidTokenError{reason: fmt.Sprintf(format, args...)}
}

// authenticate verifies raw and resolves it to a partner or a person.
func (a *Authenticator) authenticate(ctx context.Context, raw string) (*viewer.Viewer, error) {
	tok, err := a.verifier.Verify(ctx, raw)
	if err != nil {
		return nil, invalidToken("%v", err)
	}
	var claims map[string]json.RawMessage
	if err := tok.Claims(&claims); err != nil {
		return nil, invalidToken("claims: %v", err)
	}
	now := a.now()
	if nbf, ok, err := numericDate(claims["nbf"]); err != nil {
		return nil, invalidToken("nbf: %v", err)
	} else if ok && nbf.After(now.Add(nbfLeeway)) {
		return nil, invalidToken("token not valid before %s", nbf.UTC().Format(time.RFC3339))
	}
	if tok.Subject == "" {
		return nil, invalidToken("token has no subject")
	}

	if v, err := a.partnerViewer(ctx, tok.Subject, now); err != nil || v != nil {
		return v, err
	}

	id := a.identityFromClaims(claims)
	if !id.hasEmail {
		if ui, ok := a.userInfoClaims(ctx, raw, tok, now); ok {
			id.mergeUserInfo(ui)
		}
	}
	id.Issuer, id.Subject = tok.Issuer, tok.Subject
	return a.Resolve(ctx, id.Identity)
}

// numericDate decodes an optional JWT NumericDate claim.
func numericDate(raw json.RawMessage) (time.Time, bool, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return time.Time{}, false, nil
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		return time.Time{}, false, errors.New("not a number")
	}
	f, err := n.Float64()
	if err != nil {
		return time.Time{}, false, errors.New("not a number")
	}
	return time.Unix(int64(f), 0), true, nil
}
