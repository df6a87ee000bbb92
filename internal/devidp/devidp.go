// Package devidp is the OpenID Provider that Sitekeeper serves under /dev-idp in dev mode, when no
// external issuer is configured. It is built on github.com/zitadel/oidc/v3/pkg/op (a certified
// provider library) with an in-memory storage of exactly what dev mode needs:
//
//   - authorization code flow with PKCE (S256 only; plain or no PKCE is refused) for the browser
//     clients, with a sign-in page that lists the demo people instead of asking for a password;
//   - the client credentials grant for partner clients (tokens whose sub is the client id);
//   - JWT access tokens whose aud is the API audience, ID tokens whose aud is the client id, a
//     UserInfo endpoint, and AccessToken for the CLI (`sitekeeper token --as EMAIL`).
//
// Nothing is persisted: the signing key, auth requests and tokens live as long as the process.
package devidp

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// Person is someone on the dev sign-in page.
type Person struct {
	Subject string   // stable subject ("dev-primary")
	Email   string   // always reported as verified
	Name    string   // display name
	Groups  []string // e.g. the operator group
	Note    string   // shown on the sign-in page, e.g. "PRIMARY of Acme Manufacturing (1234567)"
}

// Client is a registered OAuth client.
type Client struct {
	ID, Secret string
	// RedirectURIs are the exact redirect URIs of an authorization code + PKCE (S256) client.
	RedirectURIs []string
	// CredentialsOnly makes a client_credentials-only client (a partner); its tokens' sub is ID.
	CredentialsOnly bool
}

// Config configures a Provider.
type Config struct {
	// Issuer is an absolute URL whose path is the mount point, e.g.
	// "http://127.0.0.1:8080/dev-idp". Plain http is accepted for loopback hosts only.
	Issuer  string
	People  []Person
	Clients []Client
	// APIAudience is the aud of access tokens (the API's bearer tokens); it must differ from
	// every client id, so that an ID token is never accepted as a bearer token.
	APIAudience string
	GroupsClaim string // claim name for groups, default "groups"
	Logger      *slog.Logger
	// Now is the clock for expiry times (tokens, auth requests); optional. The library stamps
	// iat/nbf with the real clock.
	Now func() time.Time
}

// DefaultGroupsClaim is the groups claim name when Config.GroupsClaim is empty.
const DefaultGroupsClaim = "groups"

const (
	accessTokenLifetime = time.Hour
	idTokenLifetime     = time.Hour
	authRequestLifetime = 10 * time.Minute
	// cliClientID is the client_id claim of tokens minted by AccessToken.
	cliClientID = "sitekeeper-cli"
)

// Provider is the dev-mode OpenID Provider.
type Provider struct {
	issuer   string
	prefix   string // the issuer URL's path, without a trailing slash ("" at the root)
	store    *storage
	provider *op.Provider
	server   *server
	log      *slog.Logger
	handler  http.Handler
}

// New checks cfg and builds a Provider with a fresh RS256 signing key.
func New(cfg Config) (*Provider, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.GroupsClaim == "" {
		cfg.GroupsClaim = DefaultGroupsClaim
	}
	issuer, prefix, insecure, err := parseIssuer(cfg.Issuer)
	if err != nil {
		return nil, err
	}
	if err := checkConfig(cfg); err != nil {
		return nil, err
	}

	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("devidp: signing key: %w", err)
	}
	store := newStorage(cfg, issuer, &signingKey{id: rand.Text(), key: key})

	opConfig := &op.Config{
		CodeMethodS256:  true,
		AuthMethodPost:  true,
		SupportedScopes: []string{oidc.ScopeOpenID, oidc.ScopeProfile, oidc.ScopeEmail},
		SupportedClaims: append(slices.Clone(op.DefaultSupportedClaims), cfg.GroupsClaim),
	}
	if _, err := rand.Read(opConfig.CryptoKey[:]); err != nil {
		return nil, fmt.Errorf("devidp: crypto key: %w", err)
	}
	var opts []op.Option
	if insecure {
		opts = append(opts, op.WithAllowInsecure())
	}
	provider, err := op.NewProvider(opConfig, store, op.StaticIssuer(issuer), opts...)
	if err != nil {
		return nil, fmt.Errorf("devidp: %w", err)
	}

	// Only what dev mode needs is routed (and advertised by discovery): no introspection,
	// revocation, end_session or device flow.
	endpoints := op.Endpoints{
		Authorization: op.NewEndpoint("authorize"),
		Token:         op.NewEndpoint("oauth/token"),
		Userinfo:      op.NewEndpoint("userinfo"),
		JwksURI:       op.NewEndpoint("keys"),
	}
	srv := &server{
		LegacyServer: op.NewLegacyServer(provider, endpoints),
		store:        store,
		apiAudience:  cfg.APIAudience,
	}
	p := &Provider{
		issuer:   issuer,
		prefix:   prefix,
		store:    store,
		provider: provider,
		server:   srv,
		log:      cfg.Logger,
	}
	// No CORS: the clients are server-side (backend-for-frontend) and partners' back ends.
	oidcHandler := op.RegisterLegacyServer(srv, op.AuthorizeCallbackHandler(provider), op.WithServerCORSOptions(nil))

	mux := http.NewServeMux()
	mux.HandleFunc("GET /login", p.loginPage)
	mux.HandleFunc("POST /login", p.loginSubmit)
	mux.Handle("/", oidcHandler)
	var h http.Handler = op.NewIssuerInterceptor(provider.IssuerFromRequest).Handler(mux)
	if prefix != "" {
		h = http.StripPrefix(prefix, h)
	}
	p.handler = h

	cfg.Logger.Warn("DEV MODE: built-in OpenID Provider for demo data; never use with real data",
		"issuer", issuer, "people", len(cfg.People), "clients", len(cfg.Clients))
	return p, nil
}

// Issuer is the issuer identifier (Config.Issuer without a trailing slash).
func (p *Provider) Issuer() string { return p.issuer }

// Handler serves the provider. Mount it at the issuer's path, e.g.
// mux.Handle("/dev-idp/", p.Handler()); it expects the full request path and strips the prefix.
func (p *Provider) Handler() http.Handler { return p.handler }

// AccessToken mints a signed JWT access token for the person with this email (for
// `sitekeeper token --as EMAIL` and tests): aud = APIAudience; sub, email, email_verified=true,
// name and groups. An unknown email is an error.
func (p *Provider) AccessToken(email string, ttl time.Duration) (string, error) {
	if ttl <= 0 {
		return "", errors.New("devidp: token lifetime must be positive")
	}
	person, ok := p.store.personByEmail(email)
	if !ok {
		return "", fmt.Errorf("devidp: no demo person with email %q", email)
	}
	req := &tokenRequest{subject: person.Subject, audience: []string{p.store.apiAudience}}
	id, exp := p.store.saveToken(person.Subject, cliClientID, p.store.now().Add(ttl))
	ctx := op.ContextWithIssuer(context.Background(), p.issuer)
	tok, err := op.CreateJWT(ctx, p.issuer, req, exp, id, cliClient{}, p.store)
	if err != nil {
		return "", fmt.Errorf("devidp: sign access token: %w", err)
	}
	p.log.Info("dev-idp: access token issued", "sub", person.Subject, "email", person.Email, "expires", exp)
	return tok, nil
}

// parseIssuer validates the issuer URL. Plain http is allowed for loopback hosts only.
func parseIssuer(raw string) (issuer, prefix string, insecure bool, err error) {
	u, err := url.Parse(strings.TrimSuffix(raw, "/"))
	if err != nil || u.Host == "" || !u.IsAbs() {
		return "", "", false, fmt.Errorf("devidp: issuer %q is not an absolute URL", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", "", false, fmt.Errorf("devidp: issuer %q must not have user info, a query or a fragment", raw)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return "", "", false, fmt.Errorf("devidp: issuer %q: plain http only on a loopback host", raw)
		}
		insecure = true
	default:
		return "", "", false, fmt.Errorf("devidp: issuer %q: scheme must be http or https", raw)
	}
	return u.String(), u.EscapedPath(), insecure, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func checkConfig(cfg Config) error {
	if cfg.APIAudience == "" {
		return errors.New("devidp: APIAudience is required")
	}
	ids := map[string]bool{}
	for _, c := range cfg.Clients {
		switch {
		case c.ID == "":
			return errors.New("devidp: a client has no ID")
		case ids[c.ID]:
			return fmt.Errorf("devidp: client %q registered twice", c.ID)
		case c.ID == cfg.APIAudience:
			return fmt.Errorf("devidp: client %q: the API audience must differ from every client id", c.ID)
		case c.CredentialsOnly && c.Secret == "":
			return fmt.Errorf("devidp: client %q: a client credentials client needs a secret", c.ID)
		case c.CredentialsOnly && len(c.RedirectURIs) > 0:
			return fmt.Errorf("devidp: client %q: a client credentials client has no redirect URIs", c.ID)
		case !c.CredentialsOnly && len(c.RedirectURIs) == 0:
			return fmt.Errorf("devidp: client %q: no redirect URIs", c.ID)
		}
		for _, uri := range c.RedirectURIs {
			if u, err := url.Parse(uri); err != nil || !u.IsAbs() || u.Host == "" || u.Fragment != "" {
				return fmt.Errorf("devidp: client %q: redirect URI %q is not an absolute URL", c.ID, uri)
			}
		}
		ids[c.ID] = true
	}
	subjects, emails := map[string]bool{}, map[string]bool{}
	for _, p := range cfg.People {
		email := strings.ToLower(p.Email)
		switch {
		case p.Subject == "" || p.Email == "":
			return fmt.Errorf("devidp: person %q needs a subject and an email", p.Name)
		case subjects[p.Subject]:
			return fmt.Errorf("devidp: subject %q used twice", p.Subject)
		case emails[email]:
			return fmt.Errorf("devidp: email %q used twice", p.Email)
		case ids[p.Subject] || p.Subject == cliClientID:
			// A client's tokens carry its id as sub; a person must not be mistaken for it.
			return fmt.Errorf("devidp: subject %q is also a client id", p.Subject)
		}
		subjects[p.Subject], emails[email] = true, true
	}
	return nil
}
