package devidp_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"sitekeeper/internal/devidp"
)

const (
	apiAudience   = "sitekeeper-api"
	webClientID   = "sitekeeper-web"
	webSecret     = "web-secret"
	partnerID     = "dev-partner"
	partnerSecret = "partner-secret"
	operatorGroup = "sitekeeper-operators"
)

var people = []devidp.Person{
	{Subject: "dev-primary", Email: "dana.whitfield@example.com", Name: "Dana Whitfield",
		Note: "PRIMARY of Acme Manufacturing (1234567)"},
	{Subject: "dev-operator", Email: "olivia.grant@example.com", Name: "Olivia Grant",
		Groups: []string{operatorGroup}, Note: "Operator"},
	{Subject: "dev-odd", Email: "odd@example.com", Name: `<script>alert("x")</script>`,
		Note: `"><img src=x onerror=alert(1)>`},
}

// idp is a provider mounted under /dev-idp/ on a 127.0.0.1 test server, next to a test
// redirect URI (/callback) that echoes its query.
type idp struct {
	*devidp.Provider
	srv         *httptest.Server
	issuer      string
	redirectURI string
}

func newIdP(t *testing.T) *idp {
	t.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux) // listens on 127.0.0.1
	t.Cleanup(srv.Close)
	issuer := srv.URL + "/dev-idp"
	redirectURI := srv.URL + "/callback"
	p, err := devidp.New(devidp.Config{
		Issuer: issuer,
		People: people,
		Clients: []devidp.Client{
			{ID: webClientID, Secret: webSecret, RedirectURIs: []string{redirectURI}},
			{ID: partnerID, Secret: partnerSecret, CredentialsOnly: true},
		},
		APIAudience: apiAudience,
		Logger:      slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	mux.Handle("/dev-idp/", p.Handler())
	mux.HandleFunc("/callback", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "callback "+r.URL.RawQuery)
	})
	return &idp{Provider: p, srv: srv, issuer: issuer, redirectURI: redirectURI}
}

func (i *idp) discover(t *testing.T) *oidc.Provider {
	t.Helper()
	p, err := oidc.NewProvider(context.Background(), i.issuer)
	if err != nil {
		t.Fatalf("go-oidc discovery: %v", err)
	}
	return p
}

func (i *idp) oauthConfig(t *testing.T) *oauth2.Config {
	ep := i.discover(t).Endpoint()
	// Explicit, so that a refused exchange is not retried with the secret in the body (the
	// retry would meet an already spent code and hide the first error).
	ep.AuthStyle = oauth2.AuthStyleInHeader
	return &oauth2.Config{
		ClientID: webClientID, ClientSecret: webSecret, RedirectURL: i.redirectURI,
		Endpoint: ep,
		Scopes:   []string{oidc.ScopeOpenID, "profile", "email"},
	}
}

func browser(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, Timeout: 10 * time.Second}
}

func readBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// openLoginPage follows the authorization URL to the sign-in page and returns its URL.
func openLoginPage(t *testing.T, c *http.Client, authURL string) (*url.URL, string) {
	t.Helper()
	resp, err := c.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	body := readBody(t, resp)
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/dev-idp/login" {
		t.Fatalf("expected the sign-in page, got %d at %s: %s", resp.StatusCode, resp.Request.URL, body)
	}
	return resp.Request.URL, body
}

// signIn posts the chosen person and follows the redirects to the client's redirect URI.
func signIn(t *testing.T, c *http.Client, loginURL *url.URL, subject string) url.Values {
	t.Helper()
	resp, err := c.PostForm(loginURL.String(), url.Values{
		"authRequestID": {loginURL.Query().Get("authRequestID")},
		"subject":       {subject},
	})
	if err != nil {
		t.Fatal(err)
	}
	body := readBody(t, resp)
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/callback" {
		t.Fatalf("expected the redirect URI, got %d at %s: %s", resp.StatusCode, resp.Request.URL, body)
	}
	return resp.Request.URL.Query()
}

// authorize runs the browser part of the code flow and returns the code.
func authorize(t *testing.T, i *idp, conf *oauth2.Config, verifier, nonce, subject string) string {
	t.Helper()
	c := browser(t)
	loginURL, _ := openLoginPage(t, c, conf.AuthCodeURL("state-1", oauth2.S256ChallengeOption(verifier), oidc.Nonce(nonce)))
	q := signIn(t, c, loginURL, subject)
	if q.Get("state") != "state-1" || q.Get("code") == "" {
		t.Fatalf("callback query %v", q)
	}
	return q.Get("code")
}

func jwtPayload(t *testing.T, raw string) map[string]any {
	t.Helper()
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", raw)
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func audience(m map[string]any) []string {
	switch v := m["aud"].(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, a := range v {
			s, _ := a.(string)
			out = append(out, s)
		}
		return out
	}
	return nil
}

// oauthError is the OAuth error code of a failed token request ("" for another failure).
func oauthError(err error) string {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		return re.ErrorCode
	}
	return ""
}

type personClaims struct {
	Email         string   `json:"email"`
	EmailVerified bool     `json:"email_verified"`
	Name          string   `json:"name"`
	Groups        []string `json:"groups"`
}

func TestDiscoveryUnderPrefix(t *testing.T) {
	i := newIdP(t)
	p := i.discover(t)
	var meta struct {
		Issuer          string   `json:"issuer"`
		Authorization   string   `json:"authorization_endpoint"`
		Token           string   `json:"token_endpoint"`
		UserInfo        string   `json:"userinfo_endpoint"`
		JWKS            string   `json:"jwks_uri"`
		GrantTypes      []string `json:"grant_types_supported"`
		CodeChallenge   []string `json:"code_challenge_methods_supported"`
		SigningAlgs     []string `json:"id_token_signing_alg_values_supported"`
		EndSession      string   `json:"end_session_endpoint"`
		IntrospectionEP string   `json:"introspection_endpoint"`
	}
	if err := p.Claims(&meta); err != nil {
		t.Fatal(err)
	}
	if meta.Issuer != i.issuer || i.Issuer() != i.issuer {
		t.Fatalf("issuer %q, want %q", meta.Issuer, i.issuer)
	}
	for _, ep := range []string{meta.Authorization, meta.Token, meta.UserInfo, meta.JWKS} {
		if !strings.HasPrefix(ep, i.issuer+"/") {
			t.Errorf("endpoint %q not under the issuer", ep)
		}
	}
	if meta.EndSession != "" || meta.IntrospectionEP != "" {
		t.Errorf("unsupported endpoints advertised: %+v", meta)
	}
	if !slices.Contains(meta.GrantTypes, "authorization_code") || !slices.Contains(meta.GrantTypes, "client_credentials") {
		t.Errorf("grant types %v", meta.GrantTypes)
	}
	if !slices.Contains(meta.CodeChallenge, "S256") || !slices.Equal(meta.SigningAlgs, []string{"RS256"}) {
		t.Errorf("PKCE %v, algs %v", meta.CodeChallenge, meta.SigningAlgs)
	}
	// The keys endpoint answers under the prefix; nothing answers outside it.
	resp, err := http.Get(meta.JWKS)
	if err != nil {
		t.Fatal(err)
	}
	if body := readBody(t, resp); resp.StatusCode != http.StatusOK || !strings.Contains(body, `"RS256"`) {
		t.Fatalf("jwks: %d %s", resp.StatusCode, body)
	}
	resp, err = http.Get(i.srv.URL + "/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	readBody(t, resp)
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("discovery outside the prefix: %d", resp.StatusCode)
	}
}

func TestAuthorizationCodeFlowWithPKCE(t *testing.T) {
	i := newIdP(t)
	ctx := context.Background()
	provider := i.discover(t)
	conf := i.oauthConfig(t)
	verifier, nonce := oauth2.GenerateVerifier(), "nonce-"+oauth2.GenerateVerifier()

	c := browser(t)
	loginURL, page := openLoginPage(t, c, conf.AuthCodeURL("state-1", oauth2.S256ChallengeOption(verifier), oidc.Nonce(nonce)))
	if !strings.Contains(page, devidp.Banner) {
		t.Error("the sign-in page lacks the dev mode banner")
	}
	for _, p := range people[:2] {
		if !strings.Contains(page, p.Email) || !strings.Contains(page, p.Note) || !strings.Contains(page, `value="`+p.Subject+`"`) {
			t.Errorf("the sign-in page lacks %s", p.Email)
		}
	}
	if strings.Contains(page, "<script>") || strings.Contains(page, "<img") {
		t.Error("the sign-in page does not escape a person's name or note")
	}
	if !strings.Contains(page, "&lt;script&gt;") {
		t.Error("the escaped name is missing")
	}

	q := signIn(t, c, loginURL, "dev-operator")
	if q.Get("state") != "state-1" || q.Get("code") == "" {
		t.Fatalf("callback query %v", q)
	}
	code := q.Get("code")

	tok, err := conf.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	rawID, _ := tok.Extra("id_token").(string)
	idt, err := provider.Verifier(&oidc.Config{ClientID: webClientID}).Verify(ctx, rawID)
	if err != nil {
		t.Fatalf("id token: %v", err)
	}
	if idt.Issuer != i.issuer || idt.Subject != "dev-operator" || idt.Nonce != nonce {
		t.Fatalf("id token iss %q sub %q nonce %q", idt.Issuer, idt.Subject, idt.Nonce)
	}
	if !slices.Equal(idt.Audience, []string{webClientID}) {
		t.Fatalf("id token aud %v, want just the client id", idt.Audience)
	}
	var claims personClaims
	if err := idt.Claims(&claims); err != nil {
		t.Fatal(err)
	}
	want := personClaims{Email: "olivia.grant@example.com", EmailVerified: true, Name: "Olivia Grant", Groups: []string{operatorGroup}}
	if claims.Email != want.Email || !claims.EmailVerified || claims.Name != want.Name || !slices.Equal(claims.Groups, want.Groups) {
		t.Fatalf("id token claims %+v, want %+v", claims, want)
	}

	// The access token is a JWT for the API, with the same identity claims.
	at, err := provider.Verifier(&oidc.Config{ClientID: apiAudience}).Verify(ctx, tok.AccessToken)
	if err != nil {
		t.Fatalf("access token for the API: %v", err)
	}
	if at.Subject != "dev-operator" || !slices.Equal(at.Audience, []string{apiAudience}) {
		t.Fatalf("access token sub %q aud %v", at.Subject, at.Audience)
	}
	claims = personClaims{}
	if err := at.Claims(&claims); err != nil {
		t.Fatal(err)
	}
	if claims.Email != want.Email || !claims.EmailVerified || !slices.Equal(claims.Groups, want.Groups) {
		t.Fatalf("access token claims %+v", claims)
	}
	// Neither token passes for the other.
	if _, err := provider.Verifier(&oidc.Config{ClientID: apiAudience}).Verify(ctx, rawID); err == nil {
		t.Fatal("the ID token is accepted as an API bearer token")
	}
	if _, err := provider.Verifier(&oidc.Config{ClientID: webClientID}).Verify(ctx, tok.AccessToken); err == nil {
		t.Fatal("the access token is accepted as an ID token")
	}

	// UserInfo answers the same claims.
	ui, err := provider.UserInfo(ctx, oauth2.StaticTokenSource(tok))
	if err != nil {
		t.Fatalf("userinfo: %v", err)
	}
	claims = personClaims{}
	if err := ui.Claims(&claims); err != nil {
		t.Fatal(err)
	}
	if ui.Subject != "dev-operator" || claims.Email != want.Email || !claims.EmailVerified || claims.Name != want.Name || !slices.Equal(claims.Groups, want.Groups) {
		t.Fatalf("userinfo sub %q claims %+v", ui.Subject, claims)
	}

	// A code works once.
	if _, err := conf.Exchange(ctx, code, oauth2.VerifierOption(verifier)); oauthError(err) != "invalid_grant" {
		t.Fatalf("a code exchanged twice: %v", err)
	}
	// The sign-in request works once too: neither the page nor the form accept it again.
	resp, err := c.Get(loginURL.String())
	if err != nil {
		t.Fatal(err)
	}
	if readBody(t, resp); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("used sign-in page: %d", resp.StatusCode)
	}
	resp, err = c.PostForm(loginURL.String(), url.Values{"authRequestID": {loginURL.Query().Get("authRequestID")}, "subject": {"dev-primary"}})
	if err != nil {
		t.Fatal(err)
	}
	if readBody(t, resp); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("replayed sign-in form: %d", resp.StatusCode)
	}
}

func TestWrongVerifierRefused(t *testing.T) {
	i := newIdP(t)
	ctx := context.Background()
	conf := i.oauthConfig(t)
	verifier := oauth2.GenerateVerifier()
	code := authorize(t, i, conf, verifier, "n", "dev-primary")
	if _, err := conf.Exchange(ctx, code, oauth2.VerifierOption(oauth2.GenerateVerifier())); oauthError(err) != "invalid_grant" {
		t.Fatalf("a wrong verifier: %v", err)
	}
	// The failed attempt spent the code.
	if _, err := conf.Exchange(ctx, code, oauth2.VerifierOption(verifier)); oauthError(err) != "invalid_grant" {
		t.Fatalf("the code after a failed exchange: %v", err)
	}
	// A missing verifier is refused as well, even for a confidential client.
	code = authorize(t, i, conf, verifier, "n", "dev-primary")
	if _, err := conf.Exchange(ctx, code); oauthError(err) != "invalid_request" {
		t.Fatalf("an exchange without a verifier: %v", err)
	}
}

func TestWrongClientSecretRefusedOnExchange(t *testing.T) {
	i := newIdP(t)
	conf := i.oauthConfig(t)
	verifier := oauth2.GenerateVerifier()
	code := authorize(t, i, conf, verifier, "n", "dev-primary")
	bad := *conf
	bad.ClientSecret = "wrong"
	if _, err := bad.Exchange(context.Background(), code, oauth2.VerifierOption(verifier)); oauthError(err) != "invalid_client" {
		t.Fatalf("a wrong client secret: %v", err)
	}
}

func TestAuthorizationWithoutS256Refused(t *testing.T) {
	i := newIdP(t)
	conf := i.oauthConfig(t)
	verifier := oauth2.GenerateVerifier()
	for name, opts := range map[string][]oauth2.AuthCodeOption{
		"no PKCE": nil,
		"plain": {
			oauth2.SetAuthURLParam("code_challenge", verifier),
			oauth2.SetAuthURLParam("code_challenge_method", "plain"),
		},
		"challenge without method": {oauth2.SetAuthURLParam("code_challenge", verifier)},
	} {
		t.Run(name, func(t *testing.T) {
			resp, err := browser(t).Get(conf.AuthCodeURL("state-2", opts...))
			if err != nil {
				t.Fatal(err)
			}
			body := readBody(t, resp)
			q := resp.Request.URL.Query()
			if resp.Request.URL.Path != "/callback" || q.Get("error") != "invalid_request" || q.Get("state") != "state-2" || q.Get("code") != "" {
				t.Fatalf("not refused to the client: %d at %s: %s", resp.StatusCode, resp.Request.URL, body)
			}
		})
	}
}

func TestAuthorizationRefusesUnregisteredRedirect(t *testing.T) {
	i := newIdP(t)
	conf := i.oauthConfig(t)
	conf.RedirectURL = "http://127.0.0.1:1/elsewhere"
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(conf.AuthCodeURL("s", oauth2.S256ChallengeOption(oauth2.GenerateVerifier())))
	if err != nil {
		t.Fatal(err)
	}
	readBody(t, resp)
	if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
		t.Fatalf("unregistered redirect URI: %d, Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestCancelSignIn(t *testing.T) {
	i := newIdP(t)
	conf := i.oauthConfig(t)
	c := browser(t)
	loginURL, _ := openLoginPage(t, c, conf.AuthCodeURL("state-3", oauth2.S256ChallengeOption(oauth2.GenerateVerifier())))
	resp, err := c.PostForm(loginURL.String(), url.Values{"authRequestID": {loginURL.Query().Get("authRequestID")}, "cancel": {"1"}})
	if err != nil {
		t.Fatal(err)
	}
	readBody(t, resp)
	q := resp.Request.URL.Query()
	if resp.Request.URL.Path != "/callback" || q.Get("error") != "access_denied" || q.Get("state") != "state-3" {
		t.Fatalf("cancel answered %s", resp.Request.URL)
	}
}

func TestLoginPageRefusals(t *testing.T) {
	i := newIdP(t)
	conf := i.oauthConfig(t)
	c := browser(t)

	resp, err := c.Get(i.issuer + "/login?authRequestID=guess")
	if err != nil {
		t.Fatal(err)
	}
	if body := readBody(t, resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, devidp.Banner) {
		t.Fatalf("unknown auth request: %d", resp.StatusCode)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Fatalf("CSP %q", csp)
	}

	loginURL, _ := openLoginPage(t, c, conf.AuthCodeURL("s", oauth2.S256ChallengeOption(oauth2.GenerateVerifier())))
	id := loginURL.Query().Get("authRequestID")
	post := func(form url.Values, origin string) int {
		req, _ := http.NewRequest(http.MethodPost, loginURL.String(), strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		readBody(t, resp)
		return resp.StatusCode
	}
	if code := post(url.Values{"authRequestID": {id}, "subject": {"nobody"}}, ""); code != http.StatusBadRequest {
		t.Fatalf("unknown person: %d", code)
	}
	if code := post(url.Values{"authRequestID": {id}, "subject": {"dev-primary"}}, "http://evil.example"); code != http.StatusBadRequest {
		t.Fatalf("cross-origin post: %d", code)
	}
	// The refusals did not spend the request: a same-origin post still signs in.
	if code := post(url.Values{"authRequestID": {id}, "subject": {"dev-primary"}}, i.srv.URL); code != http.StatusOK {
		t.Fatalf("same-origin post: %d", code)
	}
}

func TestClientCredentials(t *testing.T) {
	i := newIdP(t)
	ctx := context.Background()
	provider := i.discover(t)
	cc := clientcredentials.Config{ClientID: partnerID, ClientSecret: partnerSecret, TokenURL: provider.Endpoint().TokenURL}
	tok, err := cc.Token(ctx)
	if err != nil {
		t.Fatalf("client credentials: %v", err)
	}
	at, err := provider.Verifier(&oidc.Config{ClientID: apiAudience}).Verify(ctx, tok.AccessToken)
	if err != nil {
		t.Fatalf("partner token: %v", err)
	}
	if at.Subject != partnerID || !slices.Equal(at.Audience, []string{apiAudience}) {
		t.Fatalf("partner token sub %q aud %v", at.Subject, at.Audience)
	}
	m := jwtPayload(t, tok.AccessToken)
	for _, c := range []string{"email", "email_verified", "name", "groups"} {
		if _, ok := m[c]; ok {
			t.Errorf("partner token carries %q: %v", c, m)
		}
	}
	// The secret may also be sent in the form body.
	cc.AuthStyle = oauth2.AuthStyleInParams
	if _, err := cc.Token(ctx); err != nil {
		t.Fatalf("client credentials in params: %v", err)
	}

	cc.ClientSecret = "wrong"
	if _, err := cc.Token(ctx); oauthError(err) != "invalid_client" {
		t.Fatalf("a wrong partner secret: %v", err)
	}
	// A browser client may not use the client credentials grant, nor a partner the code grant.
	web := clientcredentials.Config{ClientID: webClientID, ClientSecret: webSecret, TokenURL: provider.Endpoint().TokenURL}
	if _, err := web.Token(ctx); oauthError(err) != "invalid_client" {
		t.Fatalf("a browser client with the client credentials grant: %v", err)
	}
	conf := i.oauthConfig(t)
	conf.ClientID, conf.ClientSecret = partnerID, partnerSecret
	resp, err := browser(t).Get(conf.AuthCodeURL("s", oauth2.S256ChallengeOption(oauth2.GenerateVerifier())))
	if err != nil {
		t.Fatal(err)
	}
	readBody(t, resp)
	if resp.Request.URL.Path == "/dev-idp/login" {
		t.Fatal("a partner client reached the sign-in page")
	}
}

func TestAccessToken(t *testing.T) {
	i := newIdP(t)
	ctx := context.Background()
	provider := i.discover(t)
	raw, err := i.AccessToken("Olivia.Grant@example.com", 10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	at, err := provider.Verifier(&oidc.Config{ClientID: apiAudience}).Verify(ctx, raw)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	var claims personClaims
	if err := at.Claims(&claims); err != nil {
		t.Fatal(err)
	}
	if at.Subject != "dev-operator" || claims.Email != "olivia.grant@example.com" || !claims.EmailVerified ||
		claims.Name != "Olivia Grant" || !slices.Equal(claims.Groups, []string{operatorGroup}) {
		t.Fatalf("sub %q claims %+v", at.Subject, claims)
	}
	if d := time.Until(at.Expiry); d > 10*time.Minute+time.Second || d < 9*time.Minute {
		t.Fatalf("expires in %v", d)
	}
	// A person without groups gets an empty list, not a missing claim.
	raw, err = i.AccessToken("dana.whitfield@example.com", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if g, ok := jwtPayload(t, raw)["groups"].([]any); !ok || len(g) != 0 {
		t.Fatalf("groups %v", jwtPayload(t, raw)["groups"])
	}
	// UserInfo accepts it too.
	ui, err := provider.UserInfo(ctx, oauth2.StaticTokenSource(&oauth2.Token{AccessToken: raw}))
	if err != nil || ui.Email != "dana.whitfield@example.com" || !ui.EmailVerified {
		t.Fatalf("userinfo: %+v %v", ui, err)
	}

	if _, err := i.AccessToken("nobody@example.com", time.Minute); err == nil {
		t.Fatal("a token for an unknown email")
	}
	if _, err := i.AccessToken("dana.whitfield@example.com", 0); err == nil {
		t.Fatal("a token without a lifetime")
	}
}

func TestNewValidatesConfig(t *testing.T) {
	base := func() devidp.Config {
		return devidp.Config{
			Issuer:      "http://127.0.0.1:8080/dev-idp",
			People:      []devidp.Person{{Subject: "a", Email: "a@example.com", Name: "A"}},
			Clients:     []devidp.Client{{ID: "web", Secret: "s", RedirectURIs: []string{"http://127.0.0.1:8080/auth/callback"}}},
			APIAudience: "api",
			Logger:      slog.New(slog.DiscardHandler),
		}
	}
	if _, err := devidp.New(base()); err != nil {
		t.Fatalf("valid config refused: %v", err)
	}
	for name, mutate := range map[string]func(*devidp.Config){
		"http on a public host": func(c *devidp.Config) { c.Issuer = "http://example.com/dev-idp" },
		"relative issuer":       func(c *devidp.Config) { c.Issuer = "/dev-idp" },
		"issuer with query":     func(c *devidp.Config) { c.Issuer = "http://127.0.0.1:8080/dev-idp?x=1" },
		"no API audience":       func(c *devidp.Config) { c.APIAudience = "" },
		"audience = client id":  func(c *devidp.Config) { c.APIAudience = "web" },
		"duplicate email": func(c *devidp.Config) {
			c.People = append(c.People, devidp.Person{Subject: "b", Email: "A@example.com"})
		},
		"duplicate subject": func(c *devidp.Config) {
			c.People = append(c.People, devidp.Person{Subject: "a", Email: "b@example.com"})
		},
		"subject = client id": func(c *devidp.Config) {
			c.People = append(c.People, devidp.Person{Subject: "web", Email: "b@example.com"})
		},
		"partner without secret": func(c *devidp.Config) {
			c.Clients = append(c.Clients, devidp.Client{ID: "p", CredentialsOnly: true})
		},
		"browser client without redirect": func(c *devidp.Config) {
			c.Clients = append(c.Clients, devidp.Client{ID: "p", Secret: "s"})
		},
	} {
		cfg := base()
		mutate(&cfg)
		if _, err := devidp.New(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	for _, issuer := range []string{"https://idp.example.com/dev-idp", "http://localhost:8080/dev-idp", "http://[::1]:8080/x/"} {
		cfg := base()
		cfg.Issuer = issuer
		if _, err := devidp.New(cfg); err != nil {
			t.Errorf("%s refused: %v", issuer, err)
		}
	}
}
