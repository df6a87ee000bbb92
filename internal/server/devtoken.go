package server

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"sitekeeper/internal/config"
	"sitekeeper/internal/demo"
	"sitekeeper/internal/signin"
)

// The dev-mode client of `sitekeeper token --as EMAIL`: a public client (no secret; PKCE is its
// proof) whose redirect URI is never served: the command reads the code from the redirect.
const (
	DevTokenClientID = "sitekeeper-token"
	devTokenPath     = "/auth/token-cli"
)

// DevToken mints a bearer token for the demo person with email, for the playground and curl, by
// signing in through the running dev-mode server's provider the way a browser does (authorization
// code flow with PKCE as the public client DevTokenClientID). The token is signed by the key of
// the server that is running, so the server accepts it; it lasts an hour. Nothing is persisted:
// the provider's key lives and dies with the server process, and so do its tokens' validity.
func DevToken(ctx context.Context, cfg config.Config, email string, httpClient *http.Client) (string, error) {
	if !cfg.DevMode() {
		return "", fmt.Errorf("token --as works in dev mode only (%s is set): get tokens from your identity provider", config.EnvOIDCIssuer)
	}
	subject := ""
	var known []string
	for _, p := range demo.People(cfg.OperatorGroup) {
		known = append(known, p.Email)
		if strings.EqualFold(p.Email, strings.TrimSpace(email)) {
			subject = p.Subject
		}
	}
	if subject == "" {
		sort.Strings(known)
		return "", fmt.Errorf("no demo person has the email %q; choose one of: %s", email, strings.Join(known, ", "))
	}
	if httpClient == nil {
		httpClient = &http.Client{Timeout: 10 * time.Second}
	}
	// A copy that keeps cookies and lets the flow read each redirect itself.
	jar, _ := cookiejar.New(nil)
	c := *httpClient
	c.Jar = jar
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	ctx = context.WithValue(oidc.ClientContext(ctx, &c), oauth2.HTTPClient, &c)

	issuer := cfg.PublicURL + DevIDPPath
	provider, err := oidc.NewProvider(ctx, issuer)
	if err != nil {
		return "", fmt.Errorf("the dev-mode server does not answer at %s (start it first, e.g. ./scripts/run): %w", cfg.PublicURL, err)
	}
	oc := oauth2.Config{
		ClientID:    DevTokenClientID,
		Endpoint:    provider.Endpoint(),
		RedirectURL: cfg.PublicURL + devTokenPath,
		Scopes:      signin.Scopes,
	}
	oc.Endpoint.AuthStyle = oauth2.AuthStyleInParams
	state, verifier := rand.Text(), oauth2.GenerateVerifier()
	next := oc.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier), oidc.Nonce(rand.Text()))

	step := func(req *http.Request) (string, error) {
		resp, err := c.Do(req.WithContext(ctx))
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
		if resp.StatusCode < 300 || resp.StatusCode > 399 {
			return "", fmt.Errorf("%s %s answered %d: %s", req.Method, req.URL.Path, resp.StatusCode, strings.TrimSpace(string(body)))
		}
		loc, err := req.URL.Parse(resp.Header.Get("Location"))
		if err != nil {
			return "", err
		}
		return loc.String(), nil
	}
	get := func(u string) (string, error) {
		req, err := http.NewRequest(http.MethodGet, u, nil)
		if err != nil {
			return "", err
		}
		return step(req)
	}
	// authorize -> the provider's sign-in page
	for i := 0; !strings.Contains(next, DevIDPPath+"/login?"); i++ {
		if i > 5 {
			return "", errors.New("the provider did not show its sign-in page")
		}
		if next, err = get(next); err != nil {
			return "", fmt.Errorf("authorize: %w", err)
		}
	}
	u, err := url.Parse(next)
	if err != nil {
		return "", err
	}
	// Choose the person, as the sign-in page's button does.
	form := url.Values{"authRequestID": {u.Query().Get("authRequestID")}, "subject": {subject}}
	req, err := http.NewRequest(http.MethodPost, issuer+"/login", strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if next, err = step(req); err != nil {
		return "", fmt.Errorf("sign-in as %s: %w", email, err)
	}
	// -> the redirect URI with the code
	for i := 0; !strings.HasPrefix(next, oc.RedirectURL+"?"); i++ {
		if i > 5 {
			return "", errors.New("the provider did not answer with a code")
		}
		if next, err = get(next); err != nil {
			return "", fmt.Errorf("sign-in as %s: %w", email, err)
		}
	}
	cb, err := url.Parse(next)
	if err != nil {
		return "", err
	}
	if cb.Query().Get("state") != state || cb.Query().Get("code") == "" {
		return "", fmt.Errorf("the provider answered without a code for this request (error %q)", cb.Query().Get("error"))
	}
	tok, err := oc.Exchange(ctx, cb.Query().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		return "", fmt.Errorf("code exchange: %w", err)
	}
	return tok.AccessToken, nil
}
