package devidp

import (
	"context"
	"slices"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// server is zitadel's LegacyServer with two methods tightened, through the extension point the
// library provides for that (op.ExtendedLegacyServer):
//
//   - Authorize refuses a request without PKCE S256 (plain or none), and prompt=none, since
//     every sign-in here asks who you are. The refusal goes back to the client's registered
//     redirect URI, as the library does for every check after the redirect URI.
//   - CodeExchange always checks the PKCE verifier (LegacyServer skips it for confidential
//     clients that send none), redeems a code once even when the exchange fails, and issues the
//     access token for the API audience while the ID token keeps the client id as audience.
//
// Everything else (request parsing, client authentication, redirect URI and response type
// checks, token signing, discovery, keys, UserInfo, client credentials) is the library's.
type server struct {
	*op.LegacyServer
	store       *storage
	apiAudience string
}

var _ op.ExtendedLegacyServer = (*server)(nil)

func (s *server) Authorize(ctx context.Context, r *op.ClientRequest[oidc.AuthRequest]) (*op.Redirect, error) {
	if r.Data.CodeChallenge == "" || r.Data.CodeChallengeMethod != oidc.CodeChallengeMethodS256 {
		return nil, oidc.ErrInvalidRequest().WithDescription("PKCE with code_challenge_method=S256 is required")
	}
	if slices.Contains(r.Data.Prompt, oidc.PromptNone) {
		return nil, oidc.ErrLoginRequired().WithDescription("the dev sign-in always asks who you are")
	}
	return s.LegacyServer.Authorize(ctx, r)
}

func (s *server) CodeExchange(ctx context.Context, r *op.ClientRequest[oidc.AccessTokenRequest]) (*op.Response, error) {
	req, err := op.AuthRequestByCode(ctx, s.store, r.Data.Code) // the code is spent from here on
	if err != nil {
		return nil, err
	}
	authReq := req.(*authRequest)
	defer func() { _ = s.store.DeleteAuthRequest(ctx, authReq.GetID()) }()

	if authReq.GetCodeChallenge() == nil {
		return nil, oidc.ErrInvalidGrant().WithDescription("PKCE required")
	}
	if err := op.AuthorizeCodeChallenge(r.Data.CodeVerifier, authReq.GetCodeChallenge()); err != nil {
		return nil, err
	}
	if r.Client.GetID() != authReq.GetClientID() {
		return nil, oidc.ErrInvalidGrant()
	}
	if r.Data.RedirectURI != authReq.GetRedirectURI() {
		return nil, oidc.ErrInvalidGrant().WithDescription("redirect_uri does not correspond")
	}

	accessToken, _, validity, err := op.CreateAccessToken(ctx,
		apiTokenRequest{authRequest: authReq, audience: s.apiAudience},
		op.AccessTokenTypeJWT, s.Provider(), r.Client, "")
	if err != nil {
		return nil, err
	}
	idToken, err := op.CreateIDToken(ctx, op.IssuerFromContext(ctx), authReq, r.Client.IDTokenLifetime(),
		accessToken, r.Data.Code, s.store, r.Client)
	if err != nil {
		return nil, err
	}
	s.store.log.InfoContext(ctx, "dev-idp: signed in", "sub", authReq.GetSubject(), "client_id", authReq.GetClientID())
	return op.NewResponse(&oidc.AccessTokenResponse{
		AccessToken: accessToken,
		IDToken:     idToken,
		TokenType:   oidc.BearerToken,
		ExpiresIn:   uint64(max(validity.Seconds(), 0)),
		Scope:       authReq.GetScopes(),
	}), nil
}
