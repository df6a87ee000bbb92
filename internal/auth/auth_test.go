package auth_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"sitekeeper/ent"
	"sitekeeper/ent/contact"
	"sitekeeper/ent/user"
	"sitekeeper/internal/auth"
	"sitekeeper/internal/db/dbtest"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/testkit/oidctest"
	"sitekeeper/internal/viewer"
)

const wantUnauthorized = `{"errors":[{"message":"invalid or expired token","extensions":{"code":"UNAUTHENTICATED"}}]}`

func TestNoAuthorizationHeaderIsAnonymous(t *testing.T) {
	e := newEnv(t)
	resp, body := e.request("")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	if !strings.Contains(string(body), `"UserID":0`) || !strings.Contains(string(body), `"PartnerID":0`) {
		t.Fatalf("want an anonymous viewer, got %s", body)
	}
	if n, _ := e.client.User.Query().Count(dbtest.Sys()); n != 0 {
		t.Fatalf("%d users created for an anonymous request", n)
	}
}

func TestNoAuthorizationHeaderLeavesContextUntouched(t *testing.T) {
	e := newEnv(t)
	// An earlier middleware (the browser session) attached a viewer: the bearer middleware keeps it.
	var got *viewer.Viewer
	h := e.auth.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = viewer.FromContext(r.Context())
	}))
	session := &viewer.Viewer{UserID: 42, Email: "session@example.com"}
	req := httptest.NewRequest(http.MethodGet, "/", nil).WithContext(viewer.NewContext(context.Background(), session))
	h.ServeHTTP(httptest.NewRecorder(), req)
	if got != session {
		t.Fatalf("viewer replaced: %+v", got)
	}
}

func TestValidTokenMakesPersonViewer(t *testing.T) {
	e := newEnv(t)
	tok := e.iss.Token(t, map[string]any{
		"sub": "alice-sub", "email": "Alice@Example.com", "email_verified": true, "name": "Alice Liddell",
	})
	v := e.viewerFor(tok)
	if v.UserID == 0 || v.Email != "Alice@Example.com" || !v.EmailVerified || v.Name != "Alice Liddell" {
		t.Fatalf("viewer %+v", v)
	}
	if v.Operator || v.IsPartner() || len(v.Memberships) != 0 {
		t.Fatalf("viewer %+v", v)
	}
	u, err := e.client.User.Query().Where(user.Subject("alice-sub")).Only(dbtest.Sys())
	if err != nil {
		t.Fatal(err)
	}
	if u.ID != v.UserID || u.Issuer != e.iss.URL() || u.Email != "Alice@Example.com" || !u.EmailVerified ||
		u.Name != "Alice Liddell" || u.LastSignInAt == nil {
		t.Fatalf("user row %+v", u)
	}

	// A second request reuses the row and writes nothing.
	v2 := e.viewerFor(tok)
	if v2.UserID != v.UserID {
		t.Fatalf("second request got user %d, want %d", v2.UserID, v.UserID)
	}
	if n := e.client.User.Query().CountX(dbtest.Sys()); n != 1 {
		t.Fatalf("%d users, want 1", n)
	}
	u2 := e.client.User.GetX(dbtest.Sys(), u.ID)
	if !u2.UpdatedAt.Equal(u.UpdatedAt) || !u2.LastSignInAt.Equal(*u.LastSignInAt) {
		t.Fatalf("user row written again: %v -> %v", u.UpdatedAt, u2.UpdatedAt)
	}

	// Two minutes later last_sign_in_at moves; a new name and email are recorded.
	e.clock.Advance(2 * time.Minute)
	tok2 := e.iss.Token(t, map[string]any{
		"sub": "alice-sub", "email": "alice@new.example", "email_verified": true, "name": "Alice L.",
	})
	v3 := e.viewerFor(tok2)
	u3 := e.client.User.GetX(dbtest.Sys(), u.ID)
	if v3.UserID != u.ID || u3.Email != "alice@new.example" || u3.Name != "Alice L." ||
		!u3.LastSignInAt.After(*u.LastSignInAt) {
		t.Fatalf("after change: viewer %+v, row %+v", v3, u3)
	}
}

func TestConcurrentFirstRequestsCreateOneUser(t *testing.T) {
	e := newEnv(t)
	tok := e.iss.Token(t, map[string]any{"sub": "racer", "email": "racer@example.com", "email_verified": true})
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodGet, e.srv.URL, nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("status %d", resp.StatusCode)
			}
		}()
	}
	wg.Wait()
	if n := e.client.User.Query().CountX(dbtest.Sys()); n != 1 {
		t.Fatalf("%d users, want 1", n)
	}
}

func TestBadCredentialsAre401(t *testing.T) {
	e := newEnv(t)
	good := map[string]any{"sub": "mallory", "email": "mallory@example.com", "email_verified": true}
	with := func(extra map[string]any) map[string]any {
		c := map[string]any{}
		for k, v := range good {
			c[k] = v
		}
		for k, v := range extra {
			c[k] = v
		}
		return c
	}
	now := time.Now()
	other := oidctest.New(t) // a real issuer, but not the configured one
	cases := map[string]string{
		"wrong audience":        "Bearer " + e.iss.Token(t, with(map[string]any{"aud": "some-other-client"})),
		"wrong issuer claim":    "Bearer " + e.iss.Token(t, with(map[string]any{"iss": "https://evil.example"})),
		"other issuer":          "Bearer " + other.Token(t, good),
		"expired":               "Bearer " + e.iss.Token(t, with(map[string]any{"iat": now.Add(-2 * time.Hour).Unix(), "exp": now.Add(-time.Hour).Unix()})),
		"no exp":                "Bearer " + e.iss.Token(t, with(map[string]any{"exp": nil})),
		"nbf in an hour":        "Bearer " + e.iss.Token(t, with(map[string]any{"nbf": now.Add(time.Hour).Unix()})),
		"nbf in three minutes":  "Bearer " + e.iss.Token(t, with(map[string]any{"nbf": now.Add(3 * time.Minute).Unix()})),
		"stranger key":          "Bearer " + e.iss.TokenSignedByStranger(t, good),
		"alg none":              "Bearer " + e.iss.TokenAlgNone(t, good),
		"HS256 with public key": "Bearer " + e.iss.TokenHS256(t, good),
		"no subject":            "Bearer " + e.iss.Token(t, with(map[string]any{"sub": nil})),
		"malformed":             "Bearer not-a-jwt",
		"three garbage parts":   "Bearer aaa.bbb.ccc",
		"truncated signature":   "Bearer " + strings.TrimRight(e.iss.Token(t, good), "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")[:60],
		"basic scheme":          "Basic " + "bWFsbG9yeTpzZWNyZXQ=",
		"bearer without token":  "Bearer",
		"bearer blank token":    "Bearer    ",
		"token without scheme":  e.iss.Token(t, good),
		"two tokens":            "Bearer " + e.iss.Token(t, good) + " " + e.iss.Token(t, good),
	}
	for name, header := range cases {
		t.Run(name, func(t *testing.T) {
			resp, body := e.request(header)
			if resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("status %d, body %s", resp.StatusCode, body)
			}
			if string(body) != wantUnauthorized {
				t.Fatalf("body %s", body)
			}
			if got := resp.Header.Get("WWW-Authenticate"); got != `Bearer error="invalid_token"` {
				t.Fatalf("WWW-Authenticate %q", got)
			}
			if got := resp.Header.Get("Content-Type"); got != "application/json" {
				t.Fatalf("Content-Type %q", got)
			}
		})
	}
	if n := e.client.User.Query().CountX(dbtest.Sys()); n != 0 {
		t.Fatalf("%d users created by rejected tokens", n)
	}
	logs := e.logs.String()
	if !strings.Contains(logs, "bearer token rejected") {
		t.Fatalf("rejections not logged:\n%s", logs)
	}
	for name, header := range cases {
		_, tok, _ := strings.Cut(header, " ")
		if len(tok) > 20 && strings.Contains(logs, tok) {
			t.Fatalf("log contains the token of case %q", name)
		}
	}
}

func TestTwoAuthorizationHeadersAre401(t *testing.T) {
	e := newEnv(t)
	tok := e.iss.Token(t, map[string]any{"sub": "x"})
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL, nil)
	req.Header.Add("Authorization", "Bearer "+tok)
	req.Header.Add("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("status %d", resp.StatusCode)
	}
}

func TestSchemeIsCaseInsensitiveAndNbfInThePastIsFine(t *testing.T) {
	e := newEnv(t)
	tok := e.iss.Token(t, map[string]any{"sub": "casey", "nbf": time.Now().Add(-time.Minute).Unix()})
	resp, body := e.request("bearer " + tok)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
}

func TestClaimsFromUserInfoWhenTokenHasNoEmail(t *testing.T) {
	e := newEnv(t)
	e.iss.SetUserInfo("api-client-1", map[string]any{
		"email": "robot@example.com", "email_verified": true, "name": "Robot", "groups": []string{"sitekeeper-operators"},
	})
	tok := e.iss.Token(t, map[string]any{"sub": "api-client-1"})
	v := e.viewerFor(tok)
	if v.Email != "robot@example.com" || !v.EmailVerified || v.Name != "Robot" || !v.Operator || v.UserID == 0 {
		t.Fatalf("viewer %+v", v)
	}
	v2 := e.viewerFor(tok)
	if v2.Email != "robot@example.com" || v2.UserID != v.UserID {
		t.Fatalf("second viewer %+v", v2)
	}
	if n := e.iss.UserInfoRequests(); n != 1 {
		t.Fatalf("userinfo requested %d times for two requests with one token, want 1", n)
	}
	u := e.client.User.GetX(dbtest.Sys(), v.UserID)
	if u.Email != "robot@example.com" || !u.EmailVerified || u.Name != "Robot" {
		t.Fatalf("user row %+v", u)
	}

	// The token's own claims win over UserInfo's: its groups make no operator.
	tok2 := e.iss.Token(t, map[string]any{"sub": "api-client-1", "groups": []string{"staff"}, "name": "R2"})
	v3 := e.viewerFor(tok2)
	if v3.Operator || v3.Name != "R2" || v3.Email != "robot@example.com" {
		t.Fatalf("viewer %+v", v3)
	}
}

func TestUserInfoFailureKeepsTheTokenValid(t *testing.T) {
	e := newEnv(t)
	// No claims registered: the issuer's /userinfo answers 401.
	tok := e.iss.Token(t, map[string]any{"sub": "quiet"})
	v := e.viewerFor(tok)
	if v.UserID == 0 || v.Email != "" || v.EmailVerified {
		t.Fatalf("viewer %+v", v)
	}
	e.viewerFor(tok)
	if n := e.iss.UserInfoRequests(); n != 1 {
		t.Fatalf("failed userinfo asked %d times, want 1 (failure cached)", n)
	}
}

func TestOperatorGroup(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		groups any
		want   bool
	}{
		{[]string{"staff", "sitekeeper-operators"}, true},
		{"sitekeeper-operators", true},
		{[]string{"staff"}, false},
		{[]any{1, "sitekeeper-operators"}, true},
		{nil, false},
	}
	for i, c := range cases {
		claims := map[string]any{"sub": fmt.Sprintf("op-%d", i), "email": "op@example.com"}
		if c.groups != nil {
			claims["groups"] = c.groups
		}
		if v := e.viewerFor(e.iss.Token(t, claims)); v.Operator != c.want {
			t.Errorf("groups %v: operator %v, want %v", c.groups, v.Operator, c.want)
		}
	}
}

func TestCustomGroupsClaimAndOperatorGroup(t *testing.T) {
	e := newEnv(t, func(c *auth.Config) {
		c.GroupsClaim = "roles"
		c.OperatorGroup = "vendor-staff"
	})
	v := e.viewerFor(e.iss.Token(t, map[string]any{"sub": "o1", "email": "o1@example.com", "roles": []string{"vendor-staff"}}))
	if !v.Operator {
		t.Fatalf("custom claim not honoured: %+v", v)
	}
	v = e.viewerFor(e.iss.Token(t, map[string]any{"sub": "o2", "email": "o2@example.com", "groups": []string{"vendor-staff", "sitekeeper-operators"}}))
	if v.Operator {
		t.Fatalf("the default groups claim was used: %+v", v)
	}
}

func TestPartnerToken(t *testing.T) {
	e := newEnv(t)
	active, expired, revoked := e.site("Active"), e.site("Expired"), e.site("Revoked")
	for _, s := range []*ent.Site{active, expired, revoked} {
		e.primary(s.ID)
	}
	p, err := e.client.Partner.Create().SetName("Resell Co").SetClientID("partner-client-7").Save(dbtest.Sys())
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	grant := func(siteID int, expires time.Time) *ent.PartnerGrantCreate {
		return e.client.PartnerGrant.Create().SetSiteID(siteID).SetPartnerID(p.ID).
			SetGrantedBy("primary").SetExpiresAt(expires)
	}
	if _, err := grant(active.ID, now.Add(30*24*time.Hour)).Save(dbtest.Sys()); err != nil {
		t.Fatal(err)
	}
	if _, err := grant(expired.ID, now.Add(-time.Hour)).Save(dbtest.Sys()); err != nil {
		t.Fatal(err)
	}
	if _, err := grant(revoked.ID, now.Add(30*24*time.Hour)).SetRevokedAt(now.Add(-time.Minute)).SetRevokedBy("primary").Save(dbtest.Sys()); err != nil {
		t.Fatal(err)
	}

	s := e.seenFor(e.iss.Token(t, map[string]any{"sub": "partner-client-7", "groups": []string{"sitekeeper-operators"}}))
	v := s.Viewer
	if v.PartnerID != p.ID || v.PartnerName != "Resell Co" || v.UserID != 0 || v.Operator {
		t.Fatalf("viewer %+v", v)
	}
	if len(s.Granted) != 1 || s.Granted[0] != active.ID {
		t.Fatalf("partner sites %v, want only %d", s.Granted, active.ID)
	}
	if n := e.client.User.Query().CountX(dbtest.Sys()); n != 0 {
		t.Fatalf("partner token created %d users", n)
	}

	// An unknown client is a person, not a partner.
	v = e.viewerFor(e.iss.Token(t, map[string]any{"sub": "partner-client-8"}))
	if v.IsPartner() || v.UserID == 0 {
		t.Fatalf("viewer %+v", v)
	}
}

func TestLinkingVerifiedEmail(t *testing.T) {
	e := newEnv(t)
	s1, s2, s3 := e.site("One"), e.site("Two"), e.site("Three")
	for _, s := range []*ent.Site{s1, s2, s3} {
		e.primary(s.ID)
	}
	now := time.Now()
	invited := e.contact(s1.ID, "Bob.Smith@Example.com", domain.RoleUser, domain.StatusInvited, func(c *ent.ContactCreate) {
		c.SetInvitationExpiresAt(now.Add(7 * 24 * time.Hour)).
			SetSoftwareAccess(domain.SoftwareDownloads).SetReporting(domain.ViewView).SetManageAccess(domain.UpdateView)
	})
	expiredInvite := e.contact(s2.ID, "bob.smith@example.com", domain.RoleUser, domain.StatusInvited, func(c *ent.ContactCreate) {
		c.SetInvitationExpiresAt(now.Add(-time.Hour))
	})
	activeUnlinked := e.contact(s3.ID, "BOB.SMITH@EXAMPLE.COM", domain.RoleSecondary, domain.StatusActive)

	// An unverified email links nothing.
	unverified := e.viewerFor(e.iss.Token(t, map[string]any{
		"sub": "impostor", "email": "bob.smith@example.com", "email_verified": false,
	}))
	if len(unverified.Memberships) != 0 {
		t.Fatalf("unverified email got memberships %v", unverified.Memberships)
	}
	if n := e.client.Contact.Query().Where(contact.UserIDNotNil()).CountX(dbtest.Sys()); n != 0 {
		t.Fatalf("%d contacts linked to an unverified email", n)
	}

	// The verified email, in another case, links and activates the invitation and the active contact.
	v := e.viewerFor(e.iss.Token(t, map[string]any{
		"sub": "bob-sub", "email": "bob.SMITH@example.COM", "email_verified": true, "name": "Bob",
	}))
	if len(v.Memberships) != 2 {
		t.Fatalf("memberships %+v", v.Memberships)
	}
	m, ok := v.Membership(s1.ID)
	wantPriv := domain.NoPrivileges()
	wantPriv.SoftwareAccess, wantPriv.Reporting, wantPriv.ManageAccess = domain.SoftwareDownloads, domain.ViewView, domain.UpdateView
	if !ok || m.ContactID != invited.ID || m.SiteID != s1.ID || m.Role != domain.RoleUser || m.Privileges != wantPriv {
		t.Fatalf("membership on site 1: %+v", m)
	}
	if m3, ok := v.Membership(s3.ID); !ok || m3.ContactID != activeUnlinked.ID || m3.Role != domain.RoleSecondary {
		t.Fatalf("membership on site 3: %+v", m3)
	}
	if _, ok := v.Membership(s2.ID); ok {
		t.Fatalf("expired invitation became a membership")
	}
	c := e.client.Contact.GetX(dbtest.Sys(), invited.ID)
	if c.UserID == nil || *c.UserID != v.UserID || c.Status != domain.StatusActive || c.LastSignInAt == nil {
		t.Fatalf("invited contact after sign-in: %+v", c)
	}
	c2 := e.client.Contact.GetX(dbtest.Sys(), expiredInvite.ID)
	if c2.UserID != nil || c2.Status != domain.StatusInvited {
		t.Fatalf("expired invitation changed: %+v", c2)
	}

	// From now on the subject identifies Bob, whatever email his token carries.
	v2 := e.viewerFor(e.iss.Token(t, map[string]any{
		"sub": "bob-sub", "email": "robert@elsewhere.example", "email_verified": true,
	}))
	if v2.UserID != v.UserID {
		t.Fatalf("same subject, different user: %d vs %d", v2.UserID, v.UserID)
	}
	if m, ok := v2.Membership(s1.ID); !ok || m.ContactID != invited.ID {
		t.Fatalf("membership lost after the email changed: %+v", v2.Memberships)
	}

	// Another identity with the same verified email cannot take linked contacts over.
	v3 := e.viewerFor(e.iss.Token(t, map[string]any{
		"sub": "bob-twin", "email": "bob.smith@example.com", "email_verified": true,
	}))
	if len(v3.Memberships) != 0 {
		t.Fatalf("second identity got memberships %+v", v3.Memberships)
	}
}

func TestDeactivatedContactIsNoMembership(t *testing.T) {
	e := newEnv(t)
	s := e.site("Site")
	e.primary(s.ID)
	c := e.contact(s.ID, "dee@example.com", domain.RoleUser, domain.StatusInvited)
	tok := e.iss.Token(t, map[string]any{"sub": "dee", "email": "dee@example.com", "email_verified": true})
	v := e.viewerFor(tok)
	if _, ok := v.Membership(s.ID); !ok {
		t.Fatalf("not linked: %+v", v)
	}
	if _, err := e.client.Contact.UpdateOneID(c.ID).SetStatus(domain.StatusDeactivated).Save(dbtest.Sys()); err != nil {
		t.Fatal(err)
	}
	if v := e.viewerFor(tok); len(v.Memberships) != 0 {
		t.Fatalf("deactivated contact still a membership: %+v", v.Memberships)
	}
}

func TestNothingToLinkIsCachedForAMinute(t *testing.T) {
	e := newEnv(t)
	s := e.site("Later")
	e.primary(s.ID)
	tok := e.iss.Token(t, map[string]any{"sub": "carol", "email": "carol@example.com", "email_verified": true})
	if v := e.viewerFor(tok); len(v.Memberships) != 0 {
		t.Fatalf("memberships %+v", v.Memberships)
	}
	// Carol is invited after her first request.
	c := e.contact(s.ID, "carol@example.com", domain.RoleUser, domain.StatusInvited)
	if v := e.viewerFor(tok); len(v.Memberships) != 0 {
		t.Fatalf("the cached 'nothing to link' was not used: %+v", v.Memberships)
	}
	e.clock.Advance(61 * time.Second)
	v := e.viewerFor(tok)
	if m, ok := v.Membership(s.ID); !ok || m.ContactID != c.ID {
		t.Fatalf("not linked after the cache expired: %+v", v.Memberships)
	}
}

func TestUnknownKidFloodFetchesKeysBoundedly(t *testing.T) {
	e := newEnv(t)
	good := e.iss.Token(t, map[string]any{"sub": "flood-ok"})
	e.viewerFor(good)
	if n := e.iss.JWKSFetches(); n != 1 {
		t.Fatalf("%d JWKS fetches for the first token, want 1", n)
	}

	var wg sync.WaitGroup
	sem := make(chan struct{}, 16)
	for i := range 200 {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			tok := e.iss.TokenWithKid(t, fmt.Sprintf("unknown-%d", i), map[string]any{"sub": "flood"})
			req, _ := http.NewRequest(http.MethodGet, e.srv.URL, nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("unknown kid: status %d", resp.StatusCode)
			}
		}()
	}
	wg.Wait()
	if n := e.iss.JWKSFetches(); n > 3 {
		t.Fatalf("200 unknown-kid tokens caused %d JWKS fetches, want at most 3", n)
	}
	// The cached key still verifies good tokens.
	before := e.iss.JWKSFetches()
	e.viewerFor(good)
	e.viewerFor(e.iss.Token(t, map[string]any{"sub": "flood-ok-2"}))
	if n := e.iss.JWKSFetches(); n != before {
		t.Fatalf("good tokens fetched keys (%d -> %d)", before, n)
	}
}

func TestStrangerFloodFetchesKeysBoundedly(t *testing.T) {
	e := newEnv(t)
	forged := e.iss.TokenSignedByStranger(t, map[string]any{"sub": "s"})
	for range 50 {
		resp, _ := e.request("Bearer " + forged)
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("status %d", resp.StatusCode)
		}
	}
	if n := e.iss.JWKSFetches(); n > 3 {
		t.Fatalf("%d JWKS fetches, want at most 3", n)
	}
}

func TestNewRequiresIssuerAndAudience(t *testing.T) {
	iss := oidctest.New(t)
	client := dbtest.Open(t)
	if _, err := auth.New(context.Background(), client, auth.Config{Audience: "a"}); err == nil {
		t.Fatal("no issuer accepted")
	}
	if _, err := auth.New(context.Background(), client, auth.Config{Issuer: iss.URL()}); err == nil {
		t.Fatal("no audience accepted")
	}
	if _, err := auth.New(context.Background(), client, auth.Config{Issuer: iss.URL() + "/other", Audience: "a"}); err == nil {
		t.Fatal("unreachable discovery accepted")
	}
}

// "No Partner has this client id" is remembered for a minute (it saves a query per request);
// a Partner registered meanwhile is a person without contacts until then, and a partner after.
func TestPartnerRegisteredLaterIsRecognizedWithinAMinute(t *testing.T) {
	e := newEnv(t)
	token := e.iss.Token(t, map[string]any{"sub": "late-partner"})
	if v := e.viewerFor(token); v.IsPartner() || len(v.Memberships) != 0 {
		t.Fatalf("before registration: %+v", v)
	}
	p, err := e.client.Partner.Create().SetName("Late Co").SetClientID("late-partner").Save(dbtest.Sys())
	if err != nil {
		t.Fatal(err)
	}
	if v := e.viewerFor(token); v.IsPartner() || len(v.Memberships) != 0 {
		t.Fatalf("within the minute: %+v, want a person who sees nothing", v)
	}
	e.clock.Advance(61 * time.Second)
	if v := e.viewerFor(token); v.PartnerID != p.ID {
		t.Fatalf("after the minute: %+v, want partner %d", v, p.ID)
	}
}
