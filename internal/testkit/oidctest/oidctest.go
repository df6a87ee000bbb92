// Package oidctest runs a real, minimal OpenID Connect issuer on the loopback interface for tests:
// discovery, a JWKS with one RSA-2048 key, a UserInfo endpoint, and helpers that mint good and
// deliberately bad bearer tokens.
package oidctest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// DefaultAudience is the `aud` that Token puts on a token unless the claims override it.
const DefaultAudience = "sitekeeper-api"

// DefaultKeyID is the `kid` of the issuer's published signing key.
const DefaultKeyID = "oidctest-key-1"

// Issuer is an OIDC issuer listening on 127.0.0.1 for the lifetime of one test.
type Issuer struct {
	srv *httptest.Server
	key *rsa.PrivateKey
	kid string

	mu       sync.Mutex
	userInfo map[string]map[string]any

	jwksFetches      atomic.Int64
	userInfoRequests atomic.Int64
}

// New starts an issuer; t.Cleanup closes it.
func New(t testing.TB) *Issuer {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatalf("oidctest: generate key: %v", err)
	}
	iss := &Issuer{key: key, kid: DefaultKeyID, userInfo: map[string]map[string]any{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", iss.discovery)
	mux.HandleFunc("GET /jwks", iss.jwks)
	mux.HandleFunc("GET /userinfo", iss.userinfo)
	mux.HandleFunc("POST /userinfo", iss.userinfo)
	// httptest listens on 127.0.0.1:0. The server is assigned before it starts serving, since
	// the handlers read its URL.
	iss.srv = httptest.NewUnstartedServer(mux)
	iss.srv.Start()
	t.Cleanup(iss.srv.Close)
	return iss
}

// URL is the issuer identifier (the server's base URL, no trailing slash).
func (i *Issuer) URL() string { return i.srv.URL }

// JWKSFetches counts the requests made to the JWKS endpoint so far.
func (i *Issuer) JWKSFetches() int { return int(i.jwksFetches.Load()) }

// UserInfoRequests counts the requests made to the UserInfo endpoint so far.
func (i *Issuer) UserInfoRequests() int { return int(i.userInfoRequests.Load()) }

// SetUserInfo registers the claims that /userinfo returns for a bearer token whose subject is sub.
// The response always carries "sub": sub.
func (i *Issuer) SetUserInfo(sub string, claims map[string]any) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.userInfo[sub] = maps.Clone(claims)
}

// Token mints an RS256 JWT signed with the published key. Defaults: iss=URL, aud=DefaultAudience,
// iat=now, exp=now+1h; claims override or extend them, and a nil value deletes a default.
func (i *Issuer) Token(t testing.TB, claims map[string]any) string {
	t.Helper()
	return sign(t, i.key, jose.RS256, i.kid, i.claims(claims))
}

// TokenSignedByStranger mints a token that looks like Token's (same kid, same claims) but is signed
// by a key the issuer never published.
func (i *Issuer) TokenSignedByStranger(t testing.TB, claims map[string]any) string {
	t.Helper()
	stranger, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatalf("oidctest: generate key: %v", err)
	}
	return sign(t, stranger, jose.RS256, i.kid, i.claims(claims))
}

// TokenWithKid mints a token signed with the published key but naming key id kid in its header.
func (i *Issuer) TokenWithKid(t testing.TB, kid string, claims map[string]any) string {
	t.Helper()
	return sign(t, i.key, jose.RS256, kid, i.claims(claims))
}

// TokenAlgNone mints an unsecured JWT: header alg "none" and an empty signature.
func (i *Issuer) TokenAlgNone(t testing.TB, claims map[string]any) string {
	t.Helper()
	header := map[string]any{"alg": "none", "typ": "JWT", "kid": i.kid}
	return encodeSegment(t, header) + "." + encodeSegment(t, i.claims(claims)) + "."
}

// TokenHS256 mints an HS256 token whose HMAC secret is the issuer's public key (DER), the classic
// algorithm-confusion attack on verifiers that accept any algorithm.
func (i *Issuer) TokenHS256(t testing.TB, claims map[string]any) string {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(&i.key.PublicKey)
	if err != nil {
		t.Fatalf("oidctest: marshal public key: %v", err)
	}
	return sign(t, der, jose.HS256, i.kid, i.claims(claims))
}

// claims merges overrides into the default claim set.
func (i *Issuer) claims(overrides map[string]any) map[string]any {
	now := time.Now()
	c := map[string]any{
		"iss": i.URL(),
		"aud": DefaultAudience,
		"iat": now.Unix(),
		"exp": now.Add(time.Hour).Unix(),
	}
	for k, v := range overrides {
		if v == nil {
			delete(c, k)
			continue
		}
		c[k] = v
	}
	return c
}

func sign(t testing.TB, key any, alg jose.SignatureAlgorithm, kid string, claims map[string]any) string {
	t.Helper()
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatalf("oidctest: marshal claims: %v", err)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: jose.JSONWebKey{Key: key, KeyID: kid}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		t.Fatalf("oidctest: signer: %v", err)
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		t.Fatalf("oidctest: sign: %v", err)
	}
	s, err := jws.CompactSerialize()
	if err != nil {
		t.Fatalf("oidctest: serialize: %v", err)
	}
	return s
}

func encodeSegment(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("oidctest: marshal: %v", err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func (i *Issuer) discovery(w http.ResponseWriter, _ *http.Request) {
	u := i.URL()
	writeJSON(w, map[string]any{
		"issuer":                                u,
		"jwks_uri":                              u + "/jwks",
		"userinfo_endpoint":                     u + "/userinfo",
		"authorization_endpoint":                u + "/authorize",
		"token_endpoint":                        u + "/token",
		"response_types_supported":              []string{"code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
	})
}

func (i *Issuer) jwks(w http.ResponseWriter, _ *http.Request) {
	i.jwksFetches.Add(1)
	writeJSON(w, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{
		Key: &i.key.PublicKey, KeyID: i.kid, Algorithm: string(jose.RS256), Use: "sig",
	}}})
}

// userinfo answers for a bearer token this issuer signed whose subject has registered claims.
func (i *Issuer) userinfo(w http.ResponseWriter, r *http.Request) {
	i.userInfoRequests.Add(1)
	unauthorized := func() {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		http.Error(w, `{"error":"invalid_token"}`, http.StatusUnauthorized)
	}
	scheme, raw, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		unauthorized()
		return
	}
	jws, err := jose.ParseSigned(raw, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		unauthorized()
		return
	}
	payload, err := jws.Verify(&i.key.PublicKey)
	if err != nil {
		unauthorized()
		return
	}
	var tok struct {
		Sub string `json:"sub"`
		Exp int64  `json:"exp"`
	}
	if json.Unmarshal(payload, &tok) != nil || tok.Sub == "" || (tok.Exp != 0 && time.Now().Unix() > tok.Exp) {
		unauthorized()
		return
	}
	i.mu.Lock()
	claims, ok := i.userInfo[tok.Sub]
	claims = maps.Clone(claims)
	i.mu.Unlock()
	if !ok {
		unauthorized()
		return
	}
	claims["sub"] = tok.Sub
	writeJSON(w, claims)
}
