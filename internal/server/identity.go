package server

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"sitekeeper/ent"
	"sitekeeper/internal/auth"
	"sitekeeper/internal/config"
	"sitekeeper/internal/demo"
	"sitekeeper/internal/devidp"
	"sitekeeper/internal/session"
	"sitekeeper/internal/signin"
)

// Dev-mode clients and audience of the embedded provider.
const (
	// DevClientID is the browser sign-in client of dev mode; its secret is random per process.
	DevClientID = "sitekeeper-dev"
	// DevAPIAudience is the audience of dev-mode bearer tokens; it differs from every client id.
	DevAPIAudience = "sitekeeper-api"
)

// Identity is who-is-calling machinery of one server: bearer tokens, browser sign-in and
// sessions, and in dev mode the embedded OpenID Provider they all trust.
type Identity struct {
	Auth     *auth.Authenticator
	Sessions *session.Store
	SignIn   *signin.Handler
	// DevIDP is the embedded provider; nil outside dev mode.
	DevIDP *devidp.Provider
	// Issuer is the issuer that signs people in (the dev provider's in dev mode).
	Issuer string
	// Session and CSRF are the middlewares of Deps.
	Session func(http.Handler) http.Handler
	CSRF    func(http.Handler) http.Handler
}

// IdentityOptions are for tests.
type IdentityOptions struct {
	// Now is the clock of sessions and sign-ins in progress; time.Now when nil.
	Now func() time.Time
	// HTTPClient makes the requests to a configured (not dev-mode) issuer; nil: the default.
	HTTPClient *http.Client
}

// NewIdentity builds the sign-in machinery for cfg. With an issuer configured it discovers it
// (SITEKEEPER_OIDC_*). In dev mode it builds the embedded provider at PublicURL + DevIDPPath with
// the demo people and three clients (the browser client DevClientID with a secret random per
// process, the demo partner, and DevTokenClientID for `sitekeeper token`), and lets go-oidc reach it in-process, since the server is not
// listening yet while it starts.
func NewIdentity(ctx context.Context, cfg config.Config, client *ent.Client, logger *slog.Logger, opts IdentityOptions) (*Identity, error) {
	if logger == nil {
		logger = slog.Default()
	}
	id := &Identity{Issuer: cfg.OIDCIssuer}
	clientID, secret, audience := cfg.OIDCClientID, cfg.OIDCClientSecret, cfg.OIDCAudience
	httpClient := opts.HTTPClient
	if cfg.DevMode() {
		id.Issuer = cfg.PublicURL + DevIDPPath
		clientID, secret, audience = DevClientID, rand.Text(), DevAPIAudience
		p, err := devidp.New(devidp.Config{
			Issuer: id.Issuer,
			People: demo.People(cfg.OperatorGroup),
			Clients: []devidp.Client{
				{ID: DevClientID, Secret: secret, RedirectURIs: []string{cfg.PublicURL + signin.CallbackPath}},
				{ID: demo.PartnerClientID, Secret: demo.PartnerClientSecret, CredentialsOnly: true},
				// `sitekeeper token --as EMAIL` (DevToken): public, PKCE only.
				{ID: DevTokenClientID, RedirectURIs: []string{cfg.PublicURL + devTokenPath}},
			},
			APIAudience: DevAPIAudience,
			GroupsClaim: cfg.GroupsClaim,
			Logger:      logger,
		})
		if err != nil {
			return nil, err
		}
		id.DevIDP = p
		if httpClient, err = InProcessClient(id.Issuer, p.Handler(), nil); err != nil {
			return nil, err
		}
	}

	a, err := auth.New(ctx, client, auth.Config{
		Issuer:        id.Issuer,
		Audience:      audience,
		OperatorGroup: cfg.OperatorGroup,
		GroupsClaim:   cfg.GroupsClaim,
		Logger:        logger,
		HTTPClient:    httpClient,
	})
	if err != nil {
		return nil, err
	}
	id.Auth = a
	id.Sessions = session.New(client, session.Config{
		Secure: session.SecureFor(cfg.PublicURL),
		Now:    opts.Now,
		Logger: logger,
	})
	id.SignIn, err = signin.New(ctx, signin.Config{
		Issuer:       id.Issuer,
		ClientID:     clientID,
		ClientSecret: secret,
		PublicURL:    cfg.PublicURL,
		HTTPClient:   httpClient,
		Client:       client,
		Sessions:     id.Sessions,
		Auth:         a,
		Logger:       logger,
	})
	if err != nil {
		return nil, err
	}
	id.Session = signin.SessionMiddleware(id.Sessions, client, logger)
	id.CSRF, err = signin.CSRF(cfg.PublicURL, id.Sessions, logger, DevIDPPath+"/")
	if err != nil {
		return nil, fmt.Errorf("csrf: %w", err)
	}
	return id, nil
}

// Wire sets the identity's middlewares, routes and background jobs on deps.
func (id *Identity) Wire(deps *Deps) {
	deps.Authenticate = id.Auth.Middleware
	deps.Session = id.Session
	deps.CSRF = id.CSRF
	deps.SignIn = id.SignIn
	if id.DevIDP != nil {
		deps.DevIDP = id.DevIDP.Handler()
	}
	deps.Jobs = append(deps.Jobs, func(ctx context.Context) { id.Sessions.RunCleanup(ctx, 0) })
}
