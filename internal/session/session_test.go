package session_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"sitekeeper/ent"
	_ "sitekeeper/ent/runtime"
	entsession "sitekeeper/ent/session"
	"sitekeeper/internal/db/dbtest"
	"sitekeeper/internal/session"
	"sitekeeper/internal/testkit/testclock"
)

type env struct {
	client *ent.Client
	store  *session.Store
	clock  *testclock.Clock
	userID int
}

func newEnv(t *testing.T, secure bool) *env {
	t.Helper()
	client := dbtest.Open(t)
	c := testclock.New(time.Date(2030, 1, 2, 8, 0, 0, 0, time.UTC))
	u, err := client.User.Create().SetIssuer("https://issuer.example").SetSubject("alice").SetEmail("alice@example.com").Save(dbtest.Sys())
	if err != nil {
		t.Fatal(err)
	}
	return &env{client: client, store: session.New(client, session.Config{Secure: secure, Now: c.Now}), clock: c, userID: u.ID}
}

func (e *env) create(t *testing.T) (string, *session.Session) {
	t.Helper()
	token, s, err := e.store.Create(context.Background(), e.userID, true)
	if err != nil {
		t.Fatal(err)
	}
	return token, s
}

func (e *env) live(t *testing.T, token string) bool {
	t.Helper()
	_, err := e.store.Lookup(context.Background(), token)
	if err != nil && err != session.ErrNoSession {
		t.Fatal(err)
	}
	return err == nil
}

func TestCreateStoresOnlyTheHash(t *testing.T) {
	e := newEnv(t, false)
	token, s := e.create(t)
	if len(token) != 43 || strings.ContainsAny(token, "+/=") {
		t.Fatalf("token %q is not 32 bytes of unpadded base64url", token)
	}
	row := e.client.Session.GetX(dbtest.Sys(), s.ID)
	sum := sha256.Sum256([]byte(token))
	if row.TokenHash != hex.EncodeToString(sum[:]) || strings.Contains(row.TokenHash, token) {
		t.Fatalf("stored %q, want the SHA-256 of the token", row.TokenHash)
	}
	if !row.Operator || row.UserID != e.userID || !row.ExpiresAt.Equal(e.clock.Now().Add(10*time.Hour)) ||
		!row.LastSeenAt.Equal(e.clock.Now()) {
		t.Fatalf("row %+v", row)
	}
	got, err := e.store.Lookup(context.Background(), token)
	if err != nil || got.ID != s.ID || got.UserID != e.userID || !got.Operator {
		t.Fatalf("lookup = %+v, %v", got, err)
	}
	// Every session gets its own id.
	token2, _ := e.create(t)
	if token2 == token {
		t.Fatal("two sessions got the same id")
	}
}

func TestUnknownAndMalformedIDs(t *testing.T) {
	e := newEnv(t, false)
	token, _ := e.create(t)
	sum := sha256.Sum256([]byte(token))
	for _, bad := range []string{"", "x", session.NewToken(), token + "A", token[:42] + "!", hex.EncodeToString(sum[:]),
		strings.Repeat("A", 10000)} {
		if e.live(t, bad) {
			t.Errorf("id %q accepted", bad)
		}
	}
	if !e.live(t, token) {
		t.Fatal("the real id was refused")
	}
}

func TestIdleTimeout(t *testing.T) {
	e := newEnv(t, false)
	token, s := e.create(t)
	e.clock.Advance(29 * time.Minute)
	if !e.live(t, token) {
		t.Fatal("refused after 29 idle minutes")
	}
	// That request counted as activity: another 29 minutes are fine.
	e.clock.Advance(29 * time.Minute)
	if !e.live(t, token) {
		t.Fatal("refused 29 minutes after the last request")
	}
	e.clock.Advance(31 * time.Minute)
	if e.live(t, token) {
		t.Fatal("accepted after 31 idle minutes")
	}
	// The expired row is gone, and stays refused.
	if n := e.client.Session.Query().Where(entsession.ID(s.ID)).CountX(dbtest.Sys()); n != 0 {
		t.Fatalf("expired session still stored")
	}
	e.clock.Advance(-31 * time.Minute)
	if e.live(t, token) {
		t.Fatal("an expired session came back")
	}
}

func TestAbsoluteLifetime(t *testing.T) {
	e := newEnv(t, false)
	token, _ := e.create(t)
	for elapsed := 20 * time.Minute; elapsed < 10*time.Hour; elapsed += 20 * time.Minute {
		e.clock.Advance(20 * time.Minute)
		if !e.live(t, token) {
			t.Fatalf("refused after %v of activity every 20 minutes", elapsed)
		}
	}
	e.clock.Advance(20 * time.Minute) // 10 h after sign-in
	if e.live(t, token) {
		t.Fatal("accepted 10 h after sign-in")
	}
}

func TestLastSeenWrittenAtMostOnceAMinute(t *testing.T) {
	e := newEnv(t, false)
	token, s := e.create(t)
	start := e.clock.Now()
	for range 5 {
		e.clock.Advance(10 * time.Second)
		e.live(t, token)
	}
	if got := e.client.Session.GetX(dbtest.Sys(), s.ID).LastSeenAt; !got.Equal(start) {
		t.Fatalf("last_seen_at written within the first minute: %v", got)
	}
	e.clock.Advance(15 * time.Second) // 65 s
	e.live(t, token)
	if got := e.client.Session.GetX(dbtest.Sys(), s.ID).LastSeenAt; !got.Equal(e.clock.Now()) {
		t.Fatalf("last_seen_at = %v, want %v", got, e.clock.Now())
	}
}

func TestDelete(t *testing.T) {
	e := newEnv(t, false)
	token, _ := e.create(t)
	other, _ := e.create(t)
	if err := e.store.Delete(context.Background(), token); err != nil {
		t.Fatal(err)
	}
	if e.live(t, token) || !e.live(t, other) {
		t.Fatal("delete ended the wrong session")
	}
	if err := e.store.Delete(context.Background(), "garbage"); err != nil {
		t.Fatal(err)
	}
}

func TestCleanup(t *testing.T) {
	e := newEnv(t, false)
	ctx := context.Background()
	idle, _ := e.create(t)
	_ = idle
	e.clock.Advance(25 * time.Minute)
	fresh, _ := e.create(t)
	now := e.clock.Now()
	e.client.LoginState.Create().SetState("old").SetNonce("n").SetCodeVerifier("v").SetReturnTo("/").
		SetCreatedAt(now.Add(-11 * time.Minute)).SetExpiresAt(now.Add(-time.Minute)).SaveX(dbtest.Sys())
	e.client.LoginState.Create().SetState("new").SetNonce("n").SetCodeVerifier("v").SetReturnTo("/").
		SetCreatedAt(now).SetExpiresAt(now.Add(10 * time.Minute)).SaveX(dbtest.Sys())

	if n, m, err := e.store.Cleanup(ctx); err != nil || n != 0 || m != 1 {
		t.Fatalf("cleanup = %d sessions, %d login states, %v; want 0, 1", n, m, err)
	}
	e.clock.Advance(6 * time.Minute) // the first session is 31 min idle
	if n, _, err := e.store.Cleanup(ctx); err != nil || n != 1 {
		t.Fatalf("cleanup = %d sessions, %v; want 1", n, err)
	}
	if !e.live(t, fresh) {
		t.Fatal("cleanup removed a live session")
	}
	if n := e.client.LoginState.Query().CountX(dbtest.Sys()); n != 1 {
		t.Fatalf("%d login states left, want 1", n)
	}

	// RunCleanup runs at once and stops with its context.
	e.clock.Advance(11 * time.Hour)
	cctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { e.store.RunCleanup(cctx, time.Hour); close(done) }()
	deadline := time.Now().Add(5 * time.Second)
	for e.client.Session.Query().CountX(dbtest.Sys())+e.client.LoginState.Query().CountX(dbtest.Sys()) != 0 {
		if time.Now().After(deadline) {
			t.Fatal("RunCleanup did not clean up")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("RunCleanup did not stop with its context")
	}
}

func TestCookies(t *testing.T) {
	for _, tc := range []struct {
		publicURL string
		name      string
		secure    bool
	}{
		{"http://127.0.0.1:8080", "sitekeeper_session", false},
		{"https://sitekeeper.example.com", "__Host-sitekeeper", true},
		{"HTTPS://sitekeeper.example.com", "__Host-sitekeeper", true},
	} {
		e := newEnv(t, session.SecureFor(tc.publicURL))
		token, s := e.create(t)
		c := e.store.Cookie(token, s)
		if c.Name != tc.name || c.Value != token || c.Path != "/" || c.Domain != "" || !c.HttpOnly ||
			c.Secure != tc.secure || c.SameSite != http.SameSiteLaxMode || !c.Expires.Equal(s.ExpiresAt) {
			t.Fatalf("%s: cookie %+v", tc.publicURL, c)
		}
		line := c.String()
		for _, want := range []string{"HttpOnly", "SameSite=Lax", "Path=/"} {
			if !strings.Contains(line, want) {
				t.Fatalf("%s: Set-Cookie %q lacks %s", tc.publicURL, line, want)
			}
		}
		if strings.Contains(line, "Secure") != tc.secure {
			t.Fatalf("%s: Set-Cookie %q: Secure should be %v", tc.publicURL, line, tc.secure)
		}
		clear := e.store.ClearCookie()
		if clear.Name != tc.name || clear.MaxAge >= 0 || clear.Secure != tc.secure || !strings.Contains(clear.String(), "Max-Age=0") {
			t.Fatalf("%s: clear cookie %q", tc.publicURL, clear.String())
		}
		r := httptest.NewRequest("GET", "/", nil)
		r.AddCookie(c)
		if got, ok := e.store.Token(r); !ok || got != token {
			t.Fatalf("%s: Token = %q, %v", tc.publicURL, got, ok)
		}
		r = httptest.NewRequest("GET", "/", nil)
		r.AddCookie(&http.Cookie{Name: "other", Value: token})
		if _, ok := e.store.Token(r); ok {
			t.Fatalf("%s: a cookie of another name was taken", tc.publicURL)
		}
	}
}
