package auth_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"sitekeeper/ent"
	"sitekeeper/ent/privacy"
	_ "sitekeeper/ent/runtime"
	"sitekeeper/internal/auth"
	"sitekeeper/internal/db/dbtest"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/testkit/oidctest"
	"sitekeeper/internal/testkit/testclock"
	"sitekeeper/internal/viewer"
)

// syncBuffer collects log output from concurrent handlers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type env struct {
	t      *testing.T
	iss    *oidctest.Issuer
	client *ent.Client
	auth   *auth.Authenticator
	srv    *httptest.Server
	clock  *testclock.Clock
	logs   *syncBuffer
}

// seen is what the test handler reports about the request it received.
type seen struct {
	Viewer viewer.Viewer
	// Privileged reports whether the request's own context carried a privacy decision: it never may.
	Privileged bool
	// Granted are the Sites the viewer holds an active partner grant on, asked Site by Site.
	Granted []int
}

func newEnv(t *testing.T, configure ...func(*auth.Config)) *env {
	t.Helper()
	iss := oidctest.New(t)
	client := dbtest.Open(t)
	logs := &syncBuffer{}
	clk := testclock.New(time.Now())
	cfg := auth.Config{
		Issuer:   iss.URL(),
		Audience: oidctest.DefaultAudience,
		Logger:   slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Now:      clk.Now,
	}
	for _, f := range configure {
		f(&cfg)
	}
	a, err := auth.New(context.Background(), client, cfg)
	if err != nil {
		t.Fatalf("auth.New: %v", err)
	}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, privileged := privacy.DecisionFromContext(r.Context())
		v := viewer.FromContext(r.Context())
		var granted []int
		for _, id := range client.Site.Query().IDsX(dbtest.Sys()) {
			if v.HasGrant(id) {
				granted = append(granted, id)
			}
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(seen{Viewer: *v, Privileged: privileged, Granted: granted})
	})
	srv := httptest.NewServer(a.Middleware(handler))
	t.Cleanup(srv.Close)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("auth logs:\n%s", logs.String())
		}
	})
	return &env{t: t, iss: iss, client: client, auth: a, srv: srv, clock: clk, logs: logs}
}

// request sends GET / with the given Authorization header value ("" sends none).
func (e *env) request(authorization string) (*http.Response, []byte) {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.srv.URL+"/", nil)
	if err != nil {
		e.t.Fatal(err)
	}
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp, body
}

// viewerFor sends a bearer token and returns the viewer the handler saw; it fails unless 200.
func (e *env) viewerFor(token string) viewer.Viewer {
	e.t.Helper()
	return e.seenFor(token).Viewer
}

func (e *env) seenFor(token string) seen {
	e.t.Helper()
	resp, body := e.request("Bearer " + token)
	if resp.StatusCode != http.StatusOK {
		e.t.Fatalf("status %d, body %s", resp.StatusCode, body)
	}
	var s seen
	if err := json.Unmarshal(body, &s); err != nil {
		e.t.Fatalf("decode %s: %v", body, err)
	}
	if s.Privileged {
		e.t.Fatalf("the request context carries a privacy decision")
	}
	if s.Viewer.System {
		e.t.Fatalf("the request's viewer is the system")
	}
	return s
}

var siteSeq int

func (e *env) site(name string) *ent.Site {
	e.t.Helper()
	siteSeq++
	s, err := e.client.Site.Create().
		SetNumber(fmt.Sprintf("%07d", 1000000+siteSeq)).
		SetName(name).
		SetCustomerNumber(fmt.Sprintf("C-%d", siteSeq)).
		SetReviewDueAt(time.Now().Add(30 * 24 * time.Hour)).
		Save(dbtest.Sys())
	if err != nil {
		e.t.Fatalf("create site: %v", err)
	}
	return s
}

type contactOpt func(*ent.ContactCreate)

func (e *env) contact(siteID int, email string, role domain.AccessRole, status domain.ContactStatus, opts ...contactOpt) *ent.Contact {
	e.t.Helper()
	c := e.client.Contact.Create().
		SetSiteID(siteID).
		SetEmail(email).
		SetEmailKey(toLower(email)).
		SetFirstName("Pat").
		SetLastName("Doe").
		SetPhone("+1 914 555 0100").
		SetCity("Springfield").
		SetStateProvince("IL").
		SetPostalCode("62701").
		SetBusinessJustification("runs the site's licensing").
		SetAccessRole(role).
		SetStatus(status)
	for _, o := range opts {
		o(c)
	}
	saved, err := c.Save(dbtest.Sys())
	if err != nil {
		e.t.Fatalf("create contact %s: %v", email, err)
	}
	return saved
}

// primary gives a Site the PRIMARY contact that the roster invariants expect.
func (e *env) primary(siteID int) *ent.Contact {
	e.t.Helper()
	return e.contact(siteID, fmt.Sprintf("primary%d@example.com", siteID), domain.RolePrimary, domain.StatusActive,
		func(c *ent.ContactCreate) {
			p := domain.HighestPrivileges()
			c.SetSoftwareAccess(p.SoftwareAccess).SetReporting(p.Reporting).SetEntitlements(p.Entitlements).
				SetManageAccess(p.ManageAccess).SetContactUpdates(p.ContactUpdates).SetAccountDocuments(p.AccountDocuments)
		})
}

func toLower(s string) string { return strings.ToLower(s) }
