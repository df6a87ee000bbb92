// Package signin is the browser sign-in of SPEC section 5: the server is the OIDC client
// (backend-for-frontend), so that no token ever reaches the browser's JavaScript.
//
//	GET  /auth/login?returnTo=/path  starts the authorization code flow with PKCE, state and nonce
//	GET  /auth/callback              checks the answer, signs the person in, sets the session cookie
//	POST /auth/logout                ends the session (needs the CSRF header; answers 204)
//
// Middleware turns a session cookie into the request's viewer, and CSRF guards the requests such a
// cookie authenticates.
package signin

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"sitekeeper/ent"
	"sitekeeper/ent/loginstate"
	"sitekeeper/internal/auth"
	"sitekeeper/internal/rule"
	"sitekeeper/internal/session"
	"sitekeeper/internal/viewer"
)

const (
	// LoginStateTTL is how long a started sign-in may take at the provider.
	LoginStateTTL = 10 * time.Minute
	// CallbackPath is where the provider sends the browser back; the redirect URI is
	// PublicURL + CallbackPath.
	CallbackPath = "/auth/callback"
	// providerTimeout bounds each request to the provider (code exchange, UserInfo).
	providerTimeout = 10 * time.Second
)

// Login cookie names: the state of the sign-in in progress, which binds the callback to the
// browser that started it (without it, anyone could send a victim's browser to a callback URL
// with their own code and sign the victim in as themselves).
const (
	LoginCookieName       = "sitekeeper_login"
	SecureLoginCookieName = "__Host-sitekeeper-login"
)

// Scopes requested at sign-in.
var Scopes = []string{oidc.ScopeOpenID, "email", "profile"}

// Config configures the browser sign-in.
type Config struct {
	// Issuer is the OpenID Provider (SITEKEEPER_OIDC_ISSUER, or the dev-mode provider).
	Issuer string
	// ClientID and ClientSecret are the browser sign-in client's.
	ClientID     string
	ClientSecret string
	// PublicURL is the external base URL; the redirect URI is PublicURL + CallbackPath.
	PublicURL string
	// HTTPClient makes the requests to the provider (discovery, token, JWKS, UserInfo); in dev
	// mode it serves the embedded provider in-process. Nil: a client with a 10 s timeout.
	HTTPClient *http.Client

	// Client is the database; Sessions keeps the sessions; Auth resolves identities to users
	// and viewers exactly as for bearer tokens.
	Client   *ent.Client
	Sessions *session.Store
	Auth     *auth.Authenticator
	Logger   *slog.Logger
	// Now is the clock of ID token verification; time.Now when nil.
	Now func() time.Time
}

// Handler serves /auth/.
type Handler struct {
	cfg      Config
	log      *slog.Logger
	http     *http.Client
	provider *oidc.Provider
	verifier *oidc.IDTokenVerifier
	oauth    oauth2.Config
	mux      *http.ServeMux
}

// New discovers the provider and returns the sign-in handler.
func New(ctx context.Context, cfg Config) (*Handler, error) {
	switch {
	case cfg.Issuer == "":
		return nil, errors.New("signin: no issuer")
	case cfg.ClientID == "":
		return nil, errors.New("signin: no client id")
	case cfg.PublicURL == "":
		return nil, errors.New("signin: no public URL")
	case cfg.Client == nil || cfg.Sessions == nil || cfg.Auth == nil:
		return nil, errors.New("signin: missing database, session store or authenticator")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	httpClient := cfg.HTTPClient
	if httpClient == nil {
		httpClient = &http.Client{Timeout: providerTimeout}
	}
	provider, err := oidc.NewProvider(oidc.ClientContext(ctx, httpClient), cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("signin: oidc discovery for %s: %w", cfg.Issuer, err)
	}
	h := &Handler{
		cfg:      cfg,
		log:      cfg.Logger,
		http:     httpClient,
		provider: provider,
		verifier: provider.Verifier(&oidc.Config{
			ClientID:             cfg.ClientID,
			SupportedSigningAlgs: auth.SupportedSigningAlgs,
			Now:                  cfg.Now,
		}),
		oauth: oauth2.Config{
			ClientID:     cfg.ClientID,
			ClientSecret: cfg.ClientSecret,
			Endpoint:     provider.Endpoint(),
			RedirectURL:  strings.TrimRight(cfg.PublicURL, "/") + CallbackPath,
			Scopes:       Scopes,
		},
		mux: http.NewServeMux(),
	}
	h.mux.HandleFunc("GET /auth/login", h.login)
	h.mux.HandleFunc("GET "+CallbackPath, h.callback)
	h.mux.HandleFunc("POST /auth/logout", h.logout)
	return h, nil
}

// ServeHTTP serves /auth/login, /auth/callback and /auth/logout.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// LoginURL is the path that starts a sign-in returning to returnTo.
func LoginURL(returnTo string) string {
	return "/auth/login?returnTo=" + url.QueryEscape(SafeReturnTo(returnTo))
}

func (h *Handler) loginCookieName() string {
	if h.cfg.Sessions.Secure() {
		return SecureLoginCookieName
	}
	return LoginCookieName
}

func (h *Handler) loginCookie(value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name:     h.loginCookieName(),
		Value:    value,
		Path:     "/",
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   h.cfg.Sessions.Secure(),
		SameSite: http.SameSiteLaxMode,
	}
}

// login starts the authorization code flow: a LoginState row with a random state, nonce and PKCE
// verifier, the state in a short-lived cookie, and a redirect to the provider.
func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	returnTo := SafeReturnTo(r.URL.Query().Get("returnTo"))
	state, nonce, verifier := session.NewToken(), session.NewToken(), oauth2.GenerateVerifier()
	now := h.cfg.Sessions.Now()
	_, err := h.cfg.Client.LoginState.Create().
		SetState(state).
		SetNonce(nonce).
		SetCodeVerifier(verifier).
		SetReturnTo(returnTo).
		SetCreatedAt(now).
		SetExpiresAt(now.Add(LoginStateTTL)).
		Save(rule.AsSitekeeper(ctx))
	if err != nil {
		h.log.ErrorContext(ctx, "signin: saving the login state failed", "err", err)
		h.fail(w, r, http.StatusInternalServerError, page{
			Title:   "Sign-in is unavailable",
			Message: "Sitekeeper could not start the sign-in. Please try again in a moment.",
		})
		return
	}
	http.SetCookie(w, h.loginCookie(state, int(LoginStateTTL.Seconds())))
	target := h.oauth.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier), oidc.Nonce(nonce))
	pageHeaders(w.Header())
	http.Redirect(w, r, target, http.StatusFound)
}

// callback finishes the sign-in: the state must name a live LoginState (which is consumed) started
// by this browser; the code is exchanged with its PKCE verifier; the ID token must verify (issuer,
// audience, expiry, signature algorithm) and carry its nonce. Then the person is resolved like a
// bearer token's (user upserted, contacts linked by verified email), and a new session begins.
func (h *Handler) callback(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	// The login cookie is single-use whatever happens next.
	loginCookie, _ := r.Cookie(h.loginCookieName())
	http.SetCookie(w, h.loginCookie("", -1))

	ls, err := h.consumeState(ctx, q.Get("state"))
	if err != nil {
		h.log.ErrorContext(ctx, "signin: reading the login state failed", "err", err)
		h.fail(w, r, http.StatusInternalServerError, page{
			Title:   "Sign-in is unavailable",
			Message: "Sitekeeper could not finish the sign-in. Please try again in a moment.",
		})
		return
	}
	if ls == nil || !ls.ExpiresAt.After(h.cfg.Sessions.Now()) {
		h.log.InfoContext(ctx, "signin: callback refused: unknown, used or expired state", "found", ls != nil)
		h.fail(w, r, http.StatusBadRequest, page{
			Title: "This sign-in link is no longer valid",
			Message: "The sign-in you are returning from has expired, was already completed, or was " +
				"not started here. Each sign-in can be used once and must finish within 10 minutes.",
			Hint: "Start again: you may already be signed in at your identity provider, so it is usually one click.",
		})
		return
	}
	if loginCookie == nil || subtle.ConstantTimeCompare([]byte(loginCookie.Value), []byte(ls.State)) != 1 {
		h.log.WarnContext(ctx, "signin: callback refused: the sign-in was started in another browser")
		h.fail(w, r, http.StatusBadRequest, page{
			Title: "Sign-in was started elsewhere",
			Message: "This sign-in was not started in this browser, so Sitekeeper refused it. If you " +
				"followed a link to get here, someone may be trying to sign you in to their account.",
			Hint: "Start the sign-in from this browser. Cookies must be enabled for this site.",
		})
		return
	}
	if e := q.Get("error"); e != "" {
		h.log.InfoContext(ctx, "signin: the provider refused the sign-in", "error", truncate(e, 100))
		h.fail(w, r, http.StatusBadRequest, page{
			Title:   "Sign-in did not complete",
			Message: "Your identity provider did not sign you in (you may have cancelled, or your account may not be allowed to use Sitekeeper).",
		})
		return
	}

	id, err := h.identify(ctx, q.Get("code"), ls)
	if err != nil {
		var refused *refusal
		if errors.As(err, &refused) {
			h.log.WarnContext(ctx, "signin: callback refused", "reason", refused.reason, "err", truncate(fmt.Sprint(refused.err), 500))
			h.fail(w, r, http.StatusBadRequest, page{
				Title:   "Sign-in could not be verified",
				Message: "Sitekeeper could not verify the answer of your identity provider, so you are not signed in.",
				Hint:    "Start again. If this keeps happening, the clocks of the servers may disagree or the sign-in client may be misconfigured.",
			})
			return
		}
		h.log.ErrorContext(ctx, "signin: callback failed", "err", err)
		h.fail(w, r, http.StatusBadGateway, page{
			Title:   "Your identity provider did not answer",
			Message: "Sitekeeper could not reach your identity provider to finish the sign-in. Please try again in a moment.",
		})
		return
	}

	v, err := h.cfg.Auth.Resolve(ctx, id)
	if err != nil {
		h.log.ErrorContext(ctx, "signin: resolving the person failed", "sub", id.Subject, "err", err)
		h.fail(w, r, http.StatusInternalServerError, page{
			Title:   "Sign-in is unavailable",
			Message: "Sitekeeper could not finish the sign-in. Please try again in a moment.",
		})
		return
	}
	// A session the browser held before signing in ends now: its id is never reused, and a
	// new sign-in (perhaps as someone else) must not leave the old one alive.
	if old, ok := h.cfg.Sessions.Token(r); ok {
		if err := h.cfg.Sessions.Delete(ctx, old); err != nil {
			h.log.WarnContext(ctx, "signin: ending the previous session failed", "err", err)
		}
	}
	token, sess, err := h.cfg.Sessions.Create(ctx, v.UserID, v.Operator)
	if err != nil {
		h.log.ErrorContext(ctx, "signin: creating the session failed", "user", v.UserID, "err", err)
		h.fail(w, r, http.StatusInternalServerError, page{
			Title:   "Sign-in is unavailable",
			Message: "Sitekeeper could not finish the sign-in. Please try again in a moment.",
		})
		return
	}
	h.log.InfoContext(ctx, "signin: signed in", "user", v.UserID, "session", sess.ID, "operator", v.Operator,
		"contacts", len(v.Memberships))
	http.SetCookie(w, h.cfg.Sessions.Cookie(token, sess))
	pageHeaders(w.Header())
	w.Header().Set("Location", SafeReturnTo(ls.ReturnTo))
	w.WriteHeader(http.StatusSeeOther)
}

// consumeState finds and deletes the LoginState of state. Of concurrent callbacks with one state
// only one gets it. It returns nil when there is none.
func (h *Handler) consumeState(ctx context.Context, state string) (*ent.LoginState, error) {
	if state == "" || len(state) > 512 {
		return nil, nil
	}
	sys := rule.AsSitekeeper(ctx)
	ls, err := h.cfg.Client.LoginState.Query().Where(loginstate.State(state)).Only(sys)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	n, err := h.cfg.Client.LoginState.Delete().Where(loginstate.ID(ls.ID)).Exec(sys)
	if err != nil {
		return nil, err
	}
	if n != 1 { // a concurrent callback consumed it
		return nil, nil
	}
	return ls, nil
}

// refusal is an answer of the provider that does not prove who signed in (a 400 to the browser),
// as opposed to a failure to reach the provider or the database.
type refusal struct {
	reason string
	err    error
}

func (e *refusal) Error() string { return "signin: " + e.reason + ": " + fmt.Sprint(e.err) }

// identify exchanges the code and verifies the ID token; it returns the identity it proves.
func (h *Handler) identify(ctx context.Context, code string, ls *ent.LoginState) (auth.Identity, error) {
	if code == "" {
		return auth.Identity{}, &refusal{reason: "no code in the callback"}
	}
	ctx, cancel := context.WithTimeout(ctx, 2*providerTimeout)
	defer cancel()
	ctx = context.WithValue(oidc.ClientContext(ctx, h.http), oauth2.HTTPClient, h.http)

	tok, err := h.oauth.Exchange(ctx, code, oauth2.VerifierOption(ls.CodeVerifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode < 500 {
			// invalid_grant: a wrong PKCE verifier, a used or expired code.
			return auth.Identity{}, &refusal{reason: "code exchange refused", err: fmt.Errorf("%s %s", re.ErrorCode, re.ErrorDescription)}
		}
		return auth.Identity{}, fmt.Errorf("code exchange: %w", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return auth.Identity{}, &refusal{reason: "no id_token in the token response"}
	}
	idt, err := h.verifier.Verify(ctx, raw)
	if err != nil {
		return auth.Identity{}, &refusal{reason: "id token invalid", err: err}
	}
	// go-oidc leaves the nonce to the caller.
	if idt.Nonce == "" || subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(ls.Nonce)) != 1 {
		return auth.Identity{}, &refusal{reason: "id token nonce does not match the sign-in"}
	}
	if idt.AccessTokenHash != "" {
		if err := idt.VerifyAccessToken(tok.AccessToken); err != nil {
			return auth.Identity{}, &refusal{reason: "at_hash does not match the access token", err: err}
		}
	}
	if idt.Subject == "" {
		return auth.Identity{}, &refusal{reason: "id token has no subject"}
	}
	var claims map[string]json.RawMessage
	if err := idt.Claims(&claims); err != nil {
		return auth.Identity{}, &refusal{reason: "id token claims unreadable", err: err}
	}
	id := h.cfg.Auth.IdentityFromClaims(claims, nil)
	if id.Email == "" {
		if ui := h.userInfo(ctx, tok, idt.Subject); ui != nil {
			id = h.cfg.Auth.IdentityFromClaims(claims, ui)
		}
	}
	id.Issuer, id.Subject = idt.Issuer, idt.Subject
	return id, nil
}

// userInfo asks the provider's UserInfo endpoint for the claims the ID token lacks; nil when it
// does not answer for this subject.
func (h *Handler) userInfo(ctx context.Context, tok *oauth2.Token, sub string) map[string]json.RawMessage {
	ui, err := h.provider.UserInfo(ctx, oauth2.StaticTokenSource(tok))
	if err != nil {
		h.log.InfoContext(ctx, "signin: userinfo lookup failed; continuing with the id token's claims", "sub", sub, "err", truncate(err.Error(), 300))
		return nil
	}
	if ui.Subject != sub {
		h.log.WarnContext(ctx, "signin: userinfo answered for another subject; ignored", "sub", sub)
		return nil
	}
	var claims map[string]json.RawMessage
	if err := ui.Claims(&claims); err != nil {
		return nil
	}
	return claims
}

// logout ends the session and drops the cookie. It answers 204 No Content: only the SPA's and
// the playground's fetch calls can send the required CSRF header, and they navigate themselves.
func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if r.Header.Get(CSRFHeader) != CSRFHeaderValue {
		writeForbidden(w, "sign-out needs the "+CSRFHeader+": "+CSRFHeaderValue+" header (send it with fetch from this site's pages)")
		return
	}
	if token, ok := h.cfg.Sessions.Token(r); ok {
		if err := h.cfg.Sessions.Delete(ctx, token); err != nil {
			h.log.ErrorContext(ctx, "signin: ending the session failed", "err", err)
			writeJSON(w, http.StatusInternalServerError, internalBody)
			return
		}
	}
	v := viewer.FromContext(ctx)
	h.log.InfoContext(ctx, "signin: signed out", "user", v.UserID)
	http.SetCookie(w, h.cfg.Sessions.ClearCookie())
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) fail(w http.ResponseWriter, r *http.Request, status int, p page) {
	p.RequestID = r.Header.Get("X-Request-Id")
	writePage(w, status, p)
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
