package oidctest_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"sitekeeper/internal/testkit/oidctest"
)

func payload(t *testing.T, tok string) map[string]any {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("%d parts", len(parts))
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

func TestTokenDefaultsAndOverrides(t *testing.T) {
	iss := oidctest.New(t)
	if !strings.HasPrefix(iss.URL(), "http://127.0.0.1:") {
		t.Fatalf("issuer not on loopback: %s", iss.URL())
	}
	m := payload(t, iss.Token(t, map[string]any{"sub": "s", "exp": nil, "aud": "x"}))
	if m["iss"] != iss.URL() || m["aud"] != "x" || m["sub"] != "s" || m["iat"] == nil {
		t.Fatalf("claims %v", m)
	}
	if _, ok := m["exp"]; ok {
		t.Fatalf("exp not deleted: %v", m)
	}
	if _, ok := m["nbf"]; ok {
		t.Fatalf("nbf set by default: %v", m)
	}
}

func TestUserInfo(t *testing.T) {
	iss := oidctest.New(t)
	iss.SetUserInfo("known", map[string]any{"email": "k@example.com"})
	get := func(tok string) (int, map[string]any) {
		req, _ := http.NewRequest(http.MethodGet, iss.URL()+"/userinfo", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&m)
		return resp.StatusCode, m
	}
	if code, m := get(iss.Token(t, map[string]any{"sub": "known"})); code != 200 || m["email"] != "k@example.com" || m["sub"] != "known" {
		t.Fatalf("%d %v", code, m)
	}
	if code, _ := get(iss.Token(t, map[string]any{"sub": "unknown"})); code != http.StatusUnauthorized {
		t.Fatalf("unknown subject: %d", code)
	}
	if code, _ := get(iss.TokenSignedByStranger(t, map[string]any{"sub": "known"})); code != http.StatusUnauthorized {
		t.Fatalf("forged token: %d", code)
	}
	if n := iss.UserInfoRequests(); n != 3 {
		t.Fatalf("%d userinfo requests counted", n)
	}
}
