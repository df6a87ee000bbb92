package auth

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// Identity is what a sign-in tells about a person.
type Identity struct {
	Issuer  string
	Subject string
	// Email is empty when neither the token nor UserInfo gave one; the stored User keeps its email.
	Email         string
	EmailVerified bool
	Name          string
	Groups        []string
}

// claimSet is an Identity with a note of which claims were present, so that UserInfo fills only
// what the token lacks.
type claimSet struct {
	Identity
	hasEmail, hasName, hasGroups bool
}

// identityFromClaims reads email, email_verified, name and the groups claim.
func (a *Authenticator) identityFromClaims(claims map[string]json.RawMessage) claimSet {
	var c claimSet
	c.Email, c.hasEmail = stringClaim(claims["email"])
	c.hasEmail = c.hasEmail && c.Email != ""
	c.EmailVerified = boolClaim(claims["email_verified"])
	c.Name, c.hasName = stringClaim(claims["name"])
	c.hasName = c.hasName && c.Name != ""
	c.Groups, c.hasGroups = stringsClaim(claims[a.cfg.GroupsClaim])
	return c
}

// IdentityFromClaims reads a person's identity claims (email, email_verified, name and the
// configured groups claim) from an ID token's claims, as the bearer middleware reads an access
// token's. fallback, the issuer's UserInfo answer or nil, fills the claims the token lacks. The
// caller sets Issuer and Subject from the verified token.
func (a *Authenticator) IdentityFromClaims(claims, fallback map[string]json.RawMessage) Identity {
	id := a.identityFromClaims(claims)
	if fallback != nil {
		id.mergeUserInfo(a.identityFromClaims(fallback))
	}
	return id.Identity
}

// mergeUserInfo fills the claims the token lacked from the issuer's UserInfo answer.
func (c *claimSet) mergeUserInfo(ui claimSet) {
	if ui.hasEmail {
		c.Email, c.EmailVerified, c.hasEmail = ui.Email, ui.EmailVerified, true
	}
	if !c.hasName && ui.hasName {
		c.Name, c.hasName = ui.Name, true
	}
	if !c.hasGroups && ui.hasGroups {
		c.Groups, c.hasGroups = ui.Groups, true
	}
}

func stringClaim(raw json.RawMessage) (string, bool) {
	var s string
	if len(raw) == 0 || json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return strings.TrimSpace(s), true
}

// boolClaim accepts true and "true" (some issuers send email_verified as a string).
func boolClaim(raw json.RawMessage) bool {
	var b bool
	if json.Unmarshal(raw, &b) == nil {
		return b
	}
	var s string
	return json.Unmarshal(raw, &s) == nil && strings.EqualFold(s, "true")
}

// stringsClaim accepts an array of strings (non-strings are skipped) or a single string.
func stringsClaim(raw json.RawMessage) ([]string, bool) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, false
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}, true
	}
	var many []json.RawMessage
	if json.Unmarshal(raw, &many) != nil {
		return nil, false
	}
	out := make([]string, 0, len(many))
	for _, m := range many {
		if json.Unmarshal(m, &one) == nil {
			out = append(out, one)
		}
	}
	return out, true
}

// isOperator reports whether groups hold the operator group.
func (a *Authenticator) isOperator(groups []string) bool {
	return slices.Contains(groups, a.cfg.OperatorGroup)
}

// userInfoResult is a cached UserInfo answer; ok is false for a remembered failure.
type userInfoResult struct {
	claims claimSet
	ok     bool
}

// userInfoClaims asks the issuer's UserInfo endpoint about the token's subject, once per token:
// the answer is cached until the token expires, a failure for a minute.
func (a *Authenticator) userInfoClaims(ctx context.Context, raw string, tok *oidc.IDToken, now time.Time) (claimSet, bool) {
	key := sha256.Sum256([]byte(raw))
	if r, ok := a.userInfo.get(key, now); ok {
		return r.claims, r.ok
	}
	r := a.fetchUserInfo(ctx, raw, tok)
	expires := tok.Expiry
	if max := now.Add(userInfoMaxAge); expires.After(max) {
		expires = max
	}
	if !r.ok {
		if f := now.Add(userInfoFailureFor); expires.After(f) {
			expires = f
		}
	}
	a.userInfo.set(key, r, expires, now)
	return r.claims, r.ok
}

func (a *Authenticator) fetchUserInfo(ctx context.Context, raw string, tok *oidc.IDToken) userInfoResult {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	ctx = oidc.ClientContext(ctx, a.httpClient)
	ui, err := a.provider.UserInfo(ctx, oauth2.StaticTokenSource(&oauth2.Token{AccessToken: raw, TokenType: "Bearer"}))
	if err != nil {
		a.log.InfoContext(ctx, "auth: userinfo lookup failed; continuing with the token's claims",
			"sub", tok.Subject, "err", truncate(err.Error(), 300))
		return userInfoResult{}
	}
	// OIDC Core 5.3.2: the UserInfo sub must match the token's, or the answer is not about them.
	if ui.Subject != tok.Subject {
		a.log.WarnContext(ctx, "auth: userinfo answered for another subject; ignored", "sub", tok.Subject)
		return userInfoResult{}
	}
	var claims map[string]json.RawMessage
	if err := ui.Claims(&claims); err != nil {
		a.log.InfoContext(ctx, "auth: userinfo claims unreadable", "sub", tok.Subject, "err", err)
		return userInfoResult{}
	}
	return userInfoResult{claims: a.identityFromClaims(claims), ok: true}
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
