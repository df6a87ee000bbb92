package devidp

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// storage is the in-memory op.Storage (and op.ClientCredentialsStorage) of the dev provider.
type storage struct {
	now         func() time.Time
	log         *slog.Logger
	apiAudience string
	groupsClaim string
	key         *signingKey

	people  map[string]Person // by subject
	order   []string          // subjects in configuration order, for the sign-in page
	byEmail map[string]string // lower-cased email -> subject
	clients map[string]*client

	mu           sync.Mutex
	authRequests map[string]*authRequest
	codes        map[string]string // code -> auth request id
	tokens       map[string]token  // access token id -> token
}

var (
	_ op.Storage                   = (*storage)(nil)
	_ op.ClientCredentialsStorage  = (*storage)(nil)
	_ op.CanSetUserinfoFromRequest = (*storage)(nil)
)

var (
	errNotFound        = errors.New("not found")
	errUnsupported     = errors.New("not supported by the dev provider")
	errBadClientSecret = errors.New("unknown client or wrong secret")
)

type token struct {
	subject  string
	clientID string
	expires  time.Time
}

func newStorage(cfg Config, issuer string, key *signingKey) *storage {
	s := &storage{
		now:          cfg.Now,
		log:          cfg.Logger,
		apiAudience:  cfg.APIAudience,
		groupsClaim:  cfg.GroupsClaim,
		key:          key,
		people:       map[string]Person{},
		byEmail:      map[string]string{},
		clients:      map[string]*client{},
		authRequests: map[string]*authRequest{},
		codes:        map[string]string{},
		tokens:       map[string]token{},
	}
	for _, p := range cfg.People {
		p.Groups = slices.Clone(p.Groups)
		s.people[p.Subject] = p
		s.order = append(s.order, p.Subject)
		s.byEmail[strings.ToLower(p.Email)] = p.Subject
	}
	for _, c := range cfg.Clients {
		c.RedirectURIs = slices.Clone(c.RedirectURIs)
		s.clients[c.ID] = &client{Client: c, loginURL: issuer + "/login"}
	}
	return s
}

func (s *storage) personByEmail(email string) (Person, bool) {
	sub, ok := s.byEmail[strings.ToLower(strings.TrimSpace(email))]
	if !ok {
		return Person{}, false
	}
	return s.people[sub], true
}

// peopleList is the sign-in page's list, in configuration order.
func (s *storage) peopleList() []Person {
	out := make([]Person, 0, len(s.order))
	for _, sub := range s.order {
		out = append(out, s.people[sub])
	}
	return out
}

// ---- auth requests and codes ----

// CreateAuthRequest stores a validated authorization request. PKCE with S256 is required (the
// server refuses anything else before it gets here; this is the second line).
func (s *storage) CreateAuthRequest(_ context.Context, req *oidc.AuthRequest, _ string) (op.AuthRequest, error) {
	if req.CodeChallenge == "" || req.CodeChallengeMethod != oidc.CodeChallengeMethodS256 {
		return nil, oidc.ErrInvalidRequest().WithDescription("PKCE with code_challenge_method=S256 is required")
	}
	now := s.now()
	ar := &authRequest{
		id:           rand.Text(),
		created:      now,
		clientID:     req.ClientID,
		redirectURI:  req.RedirectURI,
		state:        req.State,
		nonce:        req.Nonce,
		scopes:       slices.Clone([]string(req.Scopes)),
		responseType: req.ResponseType,
		responseMode: req.ResponseMode,
		challenge:    &oidc.CodeChallenge{Challenge: req.CodeChallenge, Method: req.CodeChallengeMethod},
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pruneLocked(now)
	s.authRequests[ar.id] = ar
	return ar.clone(), nil
}

func (s *storage) AuthRequestByID(_ context.Context, id string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ar, ok := s.liveAuthRequestLocked(id)
	if !ok {
		return nil, fmt.Errorf("auth request %w", errNotFound)
	}
	return ar.clone(), nil
}

// AuthRequestByCode redeems a code: it is removed whatever happens next, so it works once.
func (s *storage) AuthRequestByCode(_ context.Context, code string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.codes[code]
	if !ok {
		return nil, fmt.Errorf("code %w", errNotFound)
	}
	delete(s.codes, code)
	ar, ok := s.liveAuthRequestLocked(id)
	if !ok || !ar.done {
		return nil, fmt.Errorf("auth request %w", errNotFound)
	}
	return ar.clone(), nil
}

// SaveAuthCode attaches the code to a completed auth request; only one code is ever issued
// for a request, so a replayed callback gets nothing.
func (s *storage) SaveAuthCode(_ context.Context, id, code string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ar, ok := s.liveAuthRequestLocked(id)
	if !ok || !ar.done {
		return oidc.ErrInvalidRequest().WithDescription("unknown or unfinished sign-in")
	}
	if ar.codeIssued {
		return oidc.ErrInvalidRequest().WithDescription("this sign-in was already answered")
	}
	ar.codeIssued = true
	s.codes[code] = id
	return nil
}

func (s *storage) DeleteAuthRequest(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.authRequests, id)
	for code, reqID := range s.codes {
		if reqID == id {
			delete(s.codes, code)
		}
	}
	return nil
}

// completeAuthRequest records who signed in. It works once per auth request.
func (s *storage) completeAuthRequest(id, subject string) (*authRequest, error) {
	if _, ok := s.people[subject]; !ok {
		return nil, errors.New("unknown person")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ar, ok := s.liveAuthRequestLocked(id)
	if !ok || ar.done {
		return nil, errors.New("unknown, expired or already used sign-in request")
	}
	ar.done, ar.subject, ar.authTime = true, subject, s.now()
	return ar.clone(), nil
}

// pendingAuthRequest returns an auth request that still waits for someone to sign in.
func (s *storage) pendingAuthRequest(id string) (*authRequest, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ar, ok := s.liveAuthRequestLocked(id)
	if !ok || ar.done {
		return nil, false
	}
	return ar.clone(), true
}

// takeAuthRequest removes a pending auth request (a cancelled sign-in) and returns it.
func (s *storage) takeAuthRequest(id string) (*authRequest, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ar, ok := s.liveAuthRequestLocked(id)
	if !ok || ar.done {
		return nil, false
	}
	delete(s.authRequests, id)
	return ar, true
}

func (s *storage) liveAuthRequestLocked(id string) (*authRequest, bool) {
	ar, ok := s.authRequests[id]
	if !ok {
		return nil, false
	}
	if s.now().Sub(ar.created) > authRequestLifetime {
		delete(s.authRequests, id)
		return nil, false
	}
	return ar, true
}

// pruneLocked forgets expired auth requests, codes and tokens, so memory stays bounded.
func (s *storage) pruneLocked(now time.Time) {
	for id, ar := range s.authRequests {
		if now.Sub(ar.created) > authRequestLifetime {
			delete(s.authRequests, id)
		}
	}
	for code, id := range s.codes {
		if _, ok := s.authRequests[id]; !ok {
			delete(s.codes, code)
		}
	}
	for id, t := range s.tokens {
		if now.After(t.expires) {
			delete(s.tokens, id)
		}
	}
}

// ---- tokens ----

func (s *storage) saveToken(subject, clientID string, expires time.Time) (string, time.Time) {
	id := rand.Text()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pruneLocked(s.now())
	s.tokens[id] = token{subject: subject, clientID: clientID, expires: expires}
	return id, expires
}

func (s *storage) CreateAccessToken(_ context.Context, req op.TokenRequest) (string, time.Time, error) {
	clientID := req.GetSubject() // client credentials: the client is the subject
	if r, ok := req.(interface{ GetClientID() string }); ok {
		clientID = r.GetClientID()
	}
	id, exp := s.saveToken(req.GetSubject(), clientID, s.now().Add(accessTokenLifetime))
	s.log.Info("dev-idp: access token issued", "sub", req.GetSubject(), "client_id", clientID)
	return id, exp, nil
}

func (s *storage) CreateAccessAndRefreshTokens(context.Context, op.TokenRequest, string) (string, string, time.Time, error) {
	return "", "", time.Time{}, oidc.ErrUnsupportedGrantType().WithDescription("refresh tokens are not supported")
}

func (s *storage) TokenRequestByRefreshToken(context.Context, string) (op.RefreshTokenRequest, error) {
	return nil, op.ErrInvalidRefreshToken
}

func (s *storage) GetRefreshTokenInfo(context.Context, string, string) (string, string, error) {
	return "", "", op.ErrInvalidRefreshToken
}

func (s *storage) TerminateSession(context.Context, string, string) error { return nil }

func (s *storage) RevokeToken(_ context.Context, tokenID, _, _ string) *oidc.Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.tokens, tokenID)
	return nil
}

// ---- keys ----

type signingKey struct {
	id  string
	key *rsa.PrivateKey
}

func (k *signingKey) SignatureAlgorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (k *signingKey) Key() any                                    { return k.key }
func (k *signingKey) ID() string                                  { return k.id }

type publicKey struct{ k *signingKey }

func (p publicKey) ID() string                         { return p.k.id }
func (p publicKey) Algorithm() jose.SignatureAlgorithm { return jose.RS256 }
func (p publicKey) Use() string                        { return "sig" }
func (p publicKey) Key() any                           { return &p.k.key.PublicKey }

func (s *storage) SigningKey(context.Context) (op.SigningKey, error) { return s.key, nil }

func (s *storage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.RS256}, nil
}

func (s *storage) KeySet(context.Context) ([]op.Key, error) {
	return []op.Key{publicKey{s.key}}, nil
}

// ---- clients ----

func (s *storage) GetClientByClientID(_ context.Context, id string) (op.Client, error) {
	c, ok := s.clients[id]
	if !ok {
		return nil, fmt.Errorf("client %w", errNotFound)
	}
	return c, nil
}

func (s *storage) AuthorizeClientIDSecret(_ context.Context, id, secret string) error {
	c, ok := s.clients[id]
	if !ok || c.Secret == "" || subtle.ConstantTimeCompare([]byte(c.Secret), []byte(secret)) != 1 {
		return errBadClientSecret
	}
	return nil
}

// ClientCredentials authenticates a client_credentials (partner) client. The refusal is an
// invalid_client error already: LegacyServer hands it to the client as it is.
func (s *storage) ClientCredentials(ctx context.Context, id, secret string) (op.Client, error) {
	c, ok := s.clients[id]
	if !ok || !c.CredentialsOnly || s.AuthorizeClientIDSecret(ctx, id, secret) != nil {
		return nil, oidc.ErrInvalidClient().WithParent(errBadClientSecret).WithDescription("unknown client or wrong secret")
	}
	return c, nil
}

// ClientCredentialsTokenRequest: the token's subject is the client id, its audience the API.
func (s *storage) ClientCredentialsTokenRequest(_ context.Context, id string, scopes []string) (op.TokenRequest, error) {
	return &tokenRequest{subject: id, audience: []string{s.apiAudience}, scopes: scopes}, nil
}

// ---- claims ----

// userinfo fills the claims of a person; ok is false for a subject that is not a person.
func (s *storage) userinfo(info *oidc.UserInfo, subject string) bool {
	p, ok := s.people[subject]
	if !ok {
		return false
	}
	info.Subject = p.Subject
	info.Name = p.Name
	info.Email = p.Email
	info.EmailVerified = true
	info.AppendClaims(s.groupsClaim, groupsOf(p))
	return true
}

// personClaims are the identity claims of a person's access tokens; nil for a client.
func (s *storage) personClaims(subject string) map[string]any {
	p, ok := s.people[subject]
	if !ok {
		return nil
	}
	return map[string]any{
		"email":          p.Email,
		"email_verified": true,
		"name":           p.Name,
		s.groupsClaim:    groupsOf(p),
	}
}

func groupsOf(p Person) []string {
	if p.Groups == nil {
		return []string{}
	}
	return slices.Clone(p.Groups)
}

// SetUserinfoFromScopes is deprecated in op; SetUserinfoFromRequest does the work.
func (s *storage) SetUserinfoFromScopes(context.Context, *oidc.UserInfo, string, string, []string) error {
	return nil
}

// SetUserinfoFromRequest puts the person's claims into the ID token: dev mode always answers
// sub, email, email_verified, name and groups, whatever scopes were asked for.
func (s *storage) SetUserinfoFromRequest(_ context.Context, info *oidc.UserInfo, req op.IDTokenRequest, _ []string) error {
	if !s.userinfo(info, req.GetSubject()) {
		return fmt.Errorf("person %w", errNotFound)
	}
	return nil
}

// SetUserinfoFromToken answers the UserInfo endpoint for a live access token of a person.
func (s *storage) SetUserinfoFromToken(_ context.Context, info *oidc.UserInfo, tokenID, subject, _ string) error {
	s.mu.Lock()
	t, ok := s.tokens[tokenID]
	s.mu.Unlock()
	if !ok || t.subject != subject || s.now().After(t.expires) {
		return oidc.ErrAccessDenied().WithDescription("access token invalid or expired")
	}
	if !s.userinfo(info, subject) {
		return oidc.ErrAccessDenied().WithDescription("the token does not belong to a person")
	}
	return nil
}

func (s *storage) SetIntrospectionFromToken(context.Context, *oidc.IntrospectionResponse, string, string, string) error {
	return errUnsupported
}

func (s *storage) GetPrivateClaimsFromScopes(_ context.Context, userID, _ string, _ []string) (map[string]any, error) {
	return s.personClaims(userID), nil
}

func (s *storage) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, errUnsupported
}

func (s *storage) ValidateJWTProfileScopes(context.Context, string, []string) ([]string, error) {
	return nil, errUnsupported
}

func (s *storage) Health(context.Context) error { return nil }

// ---- request types ----

// authRequest is one authorization request, from /authorize to the code exchange.
type authRequest struct {
	id           string
	created      time.Time
	clientID     string
	redirectURI  string
	state        string
	nonce        string
	scopes       []string
	responseType oidc.ResponseType
	responseMode oidc.ResponseMode
	challenge    *oidc.CodeChallenge

	done       bool // someone signed in
	subject    string
	authTime   time.Time
	codeIssued bool
}

// clone is handed to the library, so that it never reads what another request is changing.
func (a *authRequest) clone() *authRequest {
	c := *a
	c.scopes = slices.Clone(a.scopes)
	if a.challenge != nil {
		ch := *a.challenge
		c.challenge = &ch
	}
	return &c
}

func (a *authRequest) GetID() string                         { return a.id }
func (a *authRequest) GetACR() string                        { return "" }
func (a *authRequest) GetAMR() []string                      { return nil }
func (a *authRequest) GetAudience() []string                 { return []string{a.clientID} }
func (a *authRequest) GetAuthTime() time.Time                { return a.authTime }
func (a *authRequest) GetClientID() string                   { return a.clientID }
func (a *authRequest) GetCodeChallenge() *oidc.CodeChallenge { return a.challenge }
func (a *authRequest) GetNonce() string                      { return a.nonce }
func (a *authRequest) GetRedirectURI() string                { return a.redirectURI }
func (a *authRequest) GetResponseType() oidc.ResponseType    { return a.responseType }
func (a *authRequest) GetResponseMode() oidc.ResponseMode    { return a.responseMode }
func (a *authRequest) GetScopes() []string                   { return a.scopes }
func (a *authRequest) GetState() string                      { return a.state }
func (a *authRequest) GetSubject() string                    { return a.subject }
func (a *authRequest) Done() bool                            { return a.done }

// tokenRequest is an access token request: client credentials, or AccessToken for the CLI.
type tokenRequest struct {
	subject  string
	audience []string
	scopes   []string
}

func (t *tokenRequest) GetSubject() string    { return t.subject }
func (t *tokenRequest) GetAudience() []string { return t.audience }
func (t *tokenRequest) GetScopes() []string   { return t.scopes }

// apiTokenRequest is the access token side of a code exchange: the auth request's subject and
// client, with the API as audience (the ID token keeps the client id as audience).
type apiTokenRequest struct {
	*authRequest
	audience string
}

func (a apiTokenRequest) GetAudience() []string { return []string{a.audience} }

// ---- clients ----

// client adapts a Client to op.Client.
type client struct {
	Client
	loginURL string // the sign-in page
}

func (c *client) GetID() string                    { return c.ID }
func (c *client) RedirectURIs() []string           { return c.Client.RedirectURIs }
func (c *client) PostLogoutRedirectURIs() []string { return nil }
func (c *client) ApplicationType() op.ApplicationType {
	return op.ApplicationTypeWeb
}

func (c *client) AuthMethod() oidc.AuthMethod {
	if c.Secret == "" {
		return oidc.AuthMethodNone // a public client: PKCE is its only proof
	}
	return oidc.AuthMethodBasic
}

func (c *client) ResponseTypes() []oidc.ResponseType {
	if c.CredentialsOnly {
		return nil
	}
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}

func (c *client) GrantTypes() []oidc.GrantType {
	if c.CredentialsOnly {
		return []oidc.GrantType{oidc.GrantTypeClientCredentials}
	}
	return []oidc.GrantType{oidc.GrantTypeCode}
}

func (c *client) LoginURL(id string) string {
	return c.loginURL + "?authRequestID=" + url.QueryEscape(id)
}
func (c *client) AccessTokenType() op.AccessTokenType  { return op.AccessTokenTypeJWT }
func (c *client) IDTokenLifetime() time.Duration       { return idTokenLifetime }
func (c *client) DevMode() bool                        { return true } // http redirect URIs (loopback dev)
func (c *client) IsScopeAllowed(string) bool           { return false }
func (c *client) IDTokenUserinfoClaimsAssertion() bool { return true }
func (c *client) ClockSkew() time.Duration             { return 0 }
func (c *client) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c *client) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}

// cliClient is the client of the tokens AccessToken mints.
type cliClient struct{}

func (cliClient) GetID() string            { return cliClientID }
func (cliClient) ClockSkew() time.Duration { return 0 }
func (cliClient) GrantTypes() []oidc.GrantType {
	return nil
}
func (cliClient) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
