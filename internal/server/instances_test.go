package server_test

// Two server instances on one database, as several machines share one PostgreSQL server behind
// a load balancer: each instance has its own connection pool, its own OIDC client state and its
// own in-memory caches; they share the database and the (external) OpenID Provider. The test
// runs on the dialect of the run (SQLite by default, PostgreSQL in the second pass of
// scripts/test), since two processes may also share one SQLite file on one machine.

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sitekeeper/internal/testkit/testclock"
	"strings"
	"sync"
	"testing"
	"time"

	"sitekeeper/ent/contact"
	"sitekeeper/ent/site"
	"sitekeeper/graph"
	"sitekeeper/internal/config"
	"sitekeeper/internal/db"
	"sitekeeper/internal/db/dbtest"
	"sitekeeper/internal/demo"
	"sitekeeper/internal/devidp"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/server"
	"sitekeeper/internal/session"
	"sitekeeper/internal/signin"
)

const (
	instanceClientID = "sitekeeper-web"
	instanceSecret   = "web-secret"
	instanceAudience = "https://api.sitekeeper.example"
)

// instanceWorld opens its own pool on url, as a second process would.
func instanceWorld(t *testing.T, url string) *world {
	t.Helper()
	client, sqlDB, err := db.Open(context.Background(), url, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = client.Close() })
	return &world{client: client, db: sqlDB, clock: testclock.New(time.Now())}
}

// startIDP serves the provider every instance trusts, on its own listener, with the browser
// client allowed to return to each instance's callback.
func startIDP(t *testing.T, instances ...*httptest.Server) string {
	t.Helper()
	hs := httptest.NewUnstartedServer(nil)
	idpURL := "http://" + hs.Listener.Addr().String()
	var redirects []string
	for _, s := range instances {
		redirects = append(redirects, "http://"+s.Listener.Addr().String()+"/auth/callback")
	}
	idp, err := devidp.New(devidp.Config{
		Issuer:      idpURL + "/dev-idp",
		People:      demo.People(""),
		Clients:     []devidp.Client{{ID: instanceClientID, Secret: instanceSecret, RedirectURIs: redirects}},
		APIAudience: instanceAudience,
		Logger:      slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/dev-idp/", idp.Handler())
	hs.Config.Handler = mux
	hs.Start()
	t.Cleanup(hs.Close)
	return idpURL
}

// instance assembles a server on hs as serve does outside dev mode, configured with the
// provider at idpURL.
func (w *world) instance(t *testing.T, hs *httptest.Server, idpURL string) *app {
	t.Helper()
	addr := hs.Listener.Addr().String()
	env := map[string]string{
		config.EnvAddr:             addr,
		config.EnvOIDCIssuer:       idpURL + "/dev-idp",
		config.EnvOIDCClientID:     instanceClientID,
		config.EnvOIDCClientSecret: instanceSecret,
		config.EnvOIDCAudience:     instanceAudience,
	}
	cfg, err := config.Load(nil, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	logs := &logBuffer{}
	logger := slog.New(server.ContextHandler(slog.NewTextHandler(logs, nil)))
	id, err := server.NewIdentity(context.Background(), cfg, w.client, logger, server.IdentityOptions{Now: w.clock.Now})
	if err != nil {
		t.Fatalf("NewIdentity: %v", err)
	}
	deps := server.Deps{DB: w.db, GraphQL: graph.NewHandler(w.client, graph.Options{Logger: logger}), Logger: logger}
	id.Wire(&deps)
	hs.Config.Handler = server.New(cfg, deps).Handler()
	hs.Start()
	t.Cleanup(hs.Close)
	return &app{t: t, w: w, url: "http://" + addr, id: id, hs: hs, logs: logs}
}

// signInVia signs a person in on the browser's instance through the external provider and
// returns the session id.
func (b *browser) signInVia(idpURL, email string) string {
	b.t.Helper()
	resp, _ := b.get("/auth/login?returnTo=/")
	next := location(b.t, resp)
	if !strings.HasPrefix(next, idpURL+"/dev-idp/authorize?") {
		b.t.Fatalf("login goes to %s", next)
	}
	for !strings.Contains(next, "/dev-idp/login") {
		resp, _ = b.get(next)
		next = location(b.t, resp)
	}
	form := url.Values{"authRequestID": {mustURL(next).Query().Get("authRequestID")}, "subject": {subjectOf(b.t, email)}}
	req, _ := http.NewRequest(http.MethodPost, idpURL+"/dev-idp/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, _ = b.do(req)
	next = location(b.t, resp)
	for !strings.HasPrefix(next, b.app.url+"/auth/callback?") {
		resp, _ = b.get(next)
		next = location(b.t, resp)
	}
	resp, body := b.get(next)
	if resp.StatusCode != http.StatusSeeOther {
		b.t.Fatalf("callback %d %s", resp.StatusCode, body)
	}
	return setCookie(b.t, resp, session.CookieName).Value
}

func TestTwoInstancesShareOneDatabase(t *testing.T) {
	url := dbtest.URL(t)
	w1, w2 := instanceWorld(t, url), instanceWorld(t, url)
	// Both start at once: the migrations race as they would when two machines boot.
	var wg sync.WaitGroup
	for _, w := range []*world{w1, w2} {
		wg.Go(func() {
			if err := db.Migrate(context.Background(), w.db, nil); err != nil {
				t.Errorf("Migrate: %v", err)
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	if seeded, err := demo.Seed(context.Background(), w1.client); err != nil || !seeded {
		t.Fatalf("demo.Seed = %v, %v", seeded, err)
	}
	if seeded, err := demo.Seed(context.Background(), w2.client); err != nil || seeded {
		t.Fatalf("the second instance seeded again: %v, %v", seeded, err)
	}
	hsA, hsB := httptest.NewUnstartedServer(nil), httptest.NewUnstartedServer(nil)
	idpURL := startIDP(t, hsA, hsB)
	a, b := w1.instance(t, hsA, idpURL), w2.instance(t, hsB, idpURL)

	t.Run("a session made on one instance works on the other", func(t *testing.T) {
		id := a.browser().signInVia(idpURL, demo.SecondaryAccessEmail)
		cookie := withOnlyCookie(session.CookieName, id)
		onB := b.browser()
		if got := viewerEmail(t, onB.graphql(viewerQuery, cookie)); got != demo.SecondaryAccessEmail {
			t.Fatalf("instance B sees the session as %q", got)
		}
		// Signing out on B ends the session on A too.
		req, _ := http.NewRequest(http.MethodPost, b.url+"/auth/logout", nil)
		req.Header.Set("Origin", b.url)
		req.Header.Set("Cookie", session.CookieName+"="+id)
		req.Header.Set(signin.CSRFHeader, "1")
		if resp, body := onB.do(req); resp.StatusCode != http.StatusNoContent {
			t.Fatalf("logout on B = %d %s", resp.StatusCode, body)
		}
		if got := viewerEmail(t, a.browser().graphql(viewerQuery, cookie)); got != "" {
			t.Fatalf("after signing out on B, A still sees the session as %q", got)
		}
	})

	t.Run("concurrent transfers through both keep one PRIMARY", func(t *testing.T) {
		acme := w1.client.Site.Query().Where(site.Number(demo.AcmeSiteNumber)).OnlyX(dbtest.Sys())
		// Everyone who may receive the role signs in once (a transfer needs a signed-in
		// target), alternately on each instance; each session works on both.
		people := []string{demo.PrimaryEmail, demo.SecondaryAccessEmail, demo.SecondaryContactEmail, demo.UserEmail}
		sessions := map[string]string{}
		contactID := map[string]int{}
		for i, email := range people {
			sessions[email] = []*app{a, b}[i%2].browser().signInVia(idpURL, email)
			contactID[email] = w2.client.Contact.Query().Where(contact.SiteID(acme.ID), contact.EmailKey(email)).OnlyX(dbtest.Sys()).ID
		}

		current := demo.PrimaryEmail
		for round := range 4 {
			var targets []string
			for _, email := range people {
				if email != current {
					targets = append(targets, email)
				}
			}
			// The PRIMARY sends 8 transfers to different people at once, half through each
			// instance: one wins, the others change nothing.
			const requests = 8
			results := make([]gqlResult, requests)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range requests {
				inst := []*app{a, b}[i%2]
				to := targets[i%len(targets)]
				// Its own client: app.browser() adjusts the test server's shared one.
				br := &browser{t: t, app: inst, c: &http.Client{Timeout: time.Minute}}
				wg.Go(func() {
					<-start
					q := fmt.Sprintf(`mutation { transferPrimary(siteId: "%d", toContactId: "%d") { primaryContact { email } } }`,
						acme.ID, contactID[to])
					results[i] = br.graphql(q, withOnlyCookie(session.CookieName, sessions[current]))
				})
			}
			close(start)
			wg.Wait()

			var won []string
			codes := map[string]int{}
			for i, r := range results {
				codes[r.code()]++
				switch {
				case r.Status == http.StatusOK && len(r.Errors) == 0:
					won = append(won, targets[i%len(targets)])
				case r.code() == "CONFLICT" || r.code() == "FORBIDDEN":
				default:
					t.Errorf("round %d, request %d: unexpected answer %d %s", round, i, r.Status, r.Raw)
				}
			}
			t.Logf("round %d: %s transfers; answers by error code (\"\" is success): %v", round, current, codes)
			primaries := w1.client.Contact.Query().
				Where(contact.SiteID(acme.ID), contact.AccessRoleEQ(domain.RolePrimary)).AllX(dbtest.Sys())
			if len(primaries) != 1 {
				t.Fatalf("round %d: %d PRIMARY contacts after concurrent transfers", round, len(primaries))
			}
			p := primaries[0]
			if p.Status != domain.StatusActive || p.EmailKey == current {
				t.Fatalf("round %d: PRIMARY is %s (%s); it was %s before", round, p.Email, p.Status, current)
			}
			if len(won) != 1 || !strings.EqualFold(won[0], p.Email) {
				t.Fatalf("round %d: transfers that answered success: %v; the PRIMARY is %s", round, won, p.Email)
			}
			if old := w2.client.Contact.GetX(dbtest.Sys(), contactID[current]); old.AccessRole != domain.RoleSecondary {
				t.Fatalf("round %d: the old PRIMARY %s is %s, want SECONDARY", round, current, old.AccessRole)
			}
			current = p.EmailKey
		}
	})
}
