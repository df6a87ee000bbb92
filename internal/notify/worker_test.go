package notify_test

import (
	"context"
	"crypto/tls"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"sitekeeper/ent"
	"sitekeeper/ent/notification"
	_ "sitekeeper/ent/runtime" // privacy rules, hooks and defaults
	"sitekeeper/internal/db/dbtest"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/notify"
	"sitekeeper/internal/testkit/testclock"
	"sitekeeper/internal/viewer"
)

const publicURL = "https://sitekeeper.example.com"

var quiet = slog.New(slog.DiscardHandler)

// newClock starts a second ahead of the real time, after anything just enqueued.
func newClock() *testclock.Clock {
	return testclock.New(time.Now().UTC().Truncate(time.Second).Add(time.Second))
}

type fixture struct {
	client *ent.Client
	site   *ent.Site
	// contacts by email
	contacts map[string]*ent.Contact
}

type person struct {
	email  string
	role   domain.AccessRole
	status domain.ContactStatus
	manage domain.UpdateLevel
}

func seed(t *testing.T, people ...person) *fixture {
	t.Helper()
	client := dbtest.Open(t)
	s, err := client.Site.Create().SetNumber("1234567").SetName("Acme Corp").SetCustomerNumber("C-1").Save(dbtest.Sys())
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{client: client, site: s, contacts: map[string]*ent.Contact{}}
	for _, p := range people {
		create := client.Contact.Create().SetSiteID(s.ID).SetEmail(p.email).
			SetFirstName("Pat").SetLastName(strings.Split(p.email, "@")[0]).
			SetPhone("+1 914 555 0100").SetCity("Armonk").SetStateProvince("NY").SetPostalCode("10504").
			SetBusinessJustification("test").SetAccessRole(p.role).SetStatus(p.status).SetManageAccess(p.manage)
		if p.role == domain.RolePrimary {
			create.SetSoftwareAccess(domain.SoftwareFull).SetReporting(domain.ViewView).SetEntitlements(domain.UpdateUpdate).
				SetContactUpdates(domain.UpdateUpdate).SetAccountDocuments(domain.ViewView).SetManageAccess(domain.UpdateUpdate)
		}
		if p.status == domain.StatusInvited {
			create.SetInvitationExpiresAt(time.Date(2031, 3, 14, 15, 9, 0, 0, time.UTC))
		}
		c, err := create.Save(dbtest.Sys())
		if err != nil {
			t.Fatalf("seed %s: %v", p.email, err)
		}
		f.contacts[p.email] = c
	}
	return f
}

func (f *fixture) outbox(t *testing.T) []*ent.Notification {
	t.Helper()
	all, err := f.client.Notification.Query().Order(ent.Asc(notification.FieldID)).All(dbtest.Sys())
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// inviteAll enqueues an invitation for each INVITED contact, as Sitekeeper itself.
func (f *fixture) invite(t *testing.T, emails ...string) {
	t.Helper()
	ctx := notify.WithPublicURL(viewer.NewContext(context.Background(), &viewer.Viewer{
		UserID: 1, Email: "primary@x.example", EmailVerified: true, Name: "Pat Primary",
	}), publicURL)
	for _, e := range emails {
		if err := notify.Invitation(ctx, f.client, f.contacts[e]); err != nil {
			t.Fatal(err)
		}
	}
}

func smtpWorker(t *testing.T, f *fixture, c *testclock.Clock, rawURL string) *notify.Worker {
	t.Helper()
	sender, err := notify.NewSMTPSender(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	return &notify.Worker{Logger: quiet, Client: f.client, Sender: sender, Now: c.Now, Interval: time.Hour, PublicURL: publicURL}
}

func TestDeliversOverSMTP(t *testing.T) {
	f := seed(t,
		person{"primary@x.example", domain.RolePrimary, domain.StatusActive, domain.UpdateUpdate},
		person{"ivy@x.example", domain.RoleUser, domain.StatusInvited, domain.UpdateNone},
		person{"joe@x.example", domain.RoleSecondary, domain.StatusInvited, domain.UpdateNone},
	)
	srv := newMailServer(t, "127.0.0.1:0").Start()
	f.invite(t, "ivy@x.example", "joe@x.example")
	// The clock starts after the invitations are written (at the real time), so both are due
	// however long writing them took on a loaded machine.
	c := newClock()
	w := smtpWorker(t, f, c, "smtp://"+srv.Addr()+"?from=sitekeeper@vendor.example")

	sent, err := w.RunOnce(context.Background())
	if err != nil || sent != 2 {
		t.Fatalf("RunOnce: sent %d, err %v", sent, err)
	}
	mails := srv.Received()
	if len(mails) != 2 {
		t.Fatalf("server got %d mails, want 2", len(mails))
	}
	ivy := mails[0]
	if ivy.From != "sitekeeper@vendor.example" || !slices.Equal(ivy.To, []string{"ivy@x.example"}) {
		t.Fatalf("envelope: from %q to %v", ivy.From, ivy.To)
	}
	if got := ivy.Header.Get("From"); got != `"Sitekeeper" <sitekeeper@vendor.example>` {
		t.Errorf("From header %q", got)
	}
	if got := ivy.Header.Get("To"); got != "<ivy@x.example>" {
		t.Errorf("To header %q", got)
	}
	if ivy.Subject != "Invitation to Site Acme Corp (1234567) in Sitekeeper" {
		t.Errorf("subject %q", ivy.Subject)
	}
	if ivy.Header.Get("Auto-Submitted") != "auto-generated" || ivy.Header.Get("Message-Id") == "" {
		t.Errorf("headers %v", ivy.Header)
	}
	for _, want := range []string{
		"Hello Pat ivy,",
		"Pat Primary (primary@x.example) has added you as a user contact of Site Acme Corp (1234567)",
		"(ivy@x.example) before Friday, 14 March 2031 at 15:09 UTC",
		publicURL + "/auth/login?returnTo=%2Fsites%2F1234567",
	} {
		if !strings.Contains(ivy.Body, want) {
			t.Errorf("body lacks %q:\n%s", want, ivy.Body)
		}
	}
	if joe := mails[1]; !slices.Equal(joe.To, []string{"joe@x.example"}) || !strings.Contains(joe.Body, "as a secondary contact") {
		t.Errorf("second mail: %v\n%s", joe.To, joe.Body)
	}
	for _, n := range f.outbox(t) {
		if n.Status != domain.DeliverySent || n.SentAt == nil || !n.SentAt.Equal(c.Now()) || n.Attempts != 0 {
			t.Errorf("notification %d after delivery: %+v", n.ID, n)
		}
	}
	if sent, err := w.RunOnce(context.Background()); sent != 0 || err != nil || len(srv.Received()) != 2 {
		t.Fatalf("a second run sent again: %d, %v", sent, err)
	}
}

func TestMailsWaitWhileTheServerIsDown(t *testing.T) {
	f := seed(t,
		person{"primary@x.example", domain.RolePrimary, domain.StatusActive, domain.UpdateUpdate},
		person{"ivy@x.example", domain.RoleUser, domain.StatusInvited, domain.UpdateNone},
		person{"joe@x.example", domain.RoleUser, domain.StatusInvited, domain.UpdateNone},
	)
	addr := freePort(t) // nothing listens: the mail server is down
	const password = "s3cret-Pa55"
	f.invite(t, "ivy@x.example", "joe@x.example")
	c := newClock() // after the invitations: both are due, however long writing them took
	w := smtpWorker(t, f, c, "smtp://mailer:"+password+"@"+addr+"?from=sitekeeper@vendor.example&timeout=5s")

	t0 := c.Now()
	if sent, err := w.RunOnce(context.Background()); sent != 0 || err != nil {
		t.Fatalf("RunOnce with the server down: sent %d, err %v", sent, err)
	}
	check := func(attempts int, after time.Time, backoff time.Duration) {
		t.Helper()
		out := f.outbox(t)
		if len(out) != 2 {
			t.Fatalf("%d notifications in the outbox, want 2 (nothing lost)", len(out))
		}
		for _, n := range out {
			if n.Status != domain.DeliveryPending || n.Attempts != attempts || n.SentAt != nil {
				t.Fatalf("notification %d: status %s, attempts %d (want PENDING, %d)", n.ID, n.Status, n.Attempts, attempts)
			}
			if n.LastError == "" || strings.Contains(n.LastError, password) {
				t.Fatalf("last_error %q", n.LastError)
			}
			// Backoff with up to a tenth of jitter taken off.
			if lo, hi := after.Add(backoff-backoff/10), after.Add(backoff); n.NextAttemptAt.Before(lo) || n.NextAttemptAt.After(hi) {
				t.Fatalf("next attempt at %s, want within [%s, %s]", n.NextAttemptAt, lo, hi)
			}
		}
	}
	check(1, t0, 30*time.Second)

	// Not due yet: nothing is tried.
	c.Advance(20 * time.Second)
	if _, err := w.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	check(1, t0, 30*time.Second)

	// Due, still down: the second failure waits a minute.
	c.Advance(11 * time.Second)
	t1 := c.Now()
	if _, err := w.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	check(2, t1, time.Minute)

	// The server comes up on that address; once due, both go out.
	srv := newMailServer(t, addr, requireAuth("mailer", password)).Start()
	c.Advance(61 * time.Second)
	sent, err := w.RunOnce(context.Background())
	if err != nil || sent != 2 {
		t.Fatalf("RunOnce with the server up: sent %d, err %v", sent, err)
	}
	var to []string
	for _, m := range srv.Received() {
		if m.User != "mailer" {
			t.Errorf("mail to %v not authenticated", m.To)
		}
		to = append(to, m.To...)
	}
	slices.Sort(to)
	if !slices.Equal(to, []string{"ivy@x.example", "joe@x.example"}) {
		t.Fatalf("delivered to %v", to)
	}
	for _, n := range f.outbox(t) {
		if n.Status != domain.DeliverySent || n.Attempts != 2 {
			t.Fatalf("notification %d: %s after %d attempts", n.ID, n.Status, n.Attempts)
		}
	}
}

func TestBackoff(t *testing.T) {
	want := []time.Duration{
		30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute,
		16 * time.Minute, 32 * time.Minute, time.Hour, time.Hour,
	}
	for i, w := range want {
		if got := notify.Backoff(i + 1); got != w {
			t.Errorf("Backoff(%d) = %s, want %s", i+1, got, w)
		}
	}
	if got := notify.Backoff(1000); got != time.Hour {
		t.Errorf("Backoff(1000) = %s, want the 1 h cap", got)
	}
}

func TestSTARTTLSAndAuth(t *testing.T) {
	f := seed(t,
		person{"primary@x.example", domain.RolePrimary, domain.StatusActive, domain.UpdateUpdate},
		person{"ivy@x.example", domain.RoleUser, domain.StatusInvited, domain.UpdateNone},
	)
	// httptest's certificate is valid for 127.0.0.1; its client trusts it.
	certSrv := httptest.NewTLSServer(nil)
	defer certSrv.Close()
	serverTLS := &tls.Config{Certificates: certSrv.TLS.Certificates, MinVersion: tls.VersionTLS12}
	srv := newMailServer(t, "127.0.0.1:0", withTLS(serverTLS), requireAuth("mailer", "pw-123456")).Start()
	f.invite(t, "ivy@x.example")
	c := newClock() // after the invitation: it is due, however long writing it took
	w := smtpWorker(t, f, c, "smtp://mailer:pw-123456@"+srv.Addr()+"?from=Sitekeeper%20Notices%20%3Cnotices@vendor.example%3E")
	w.Sender.(*notify.SMTPSender).TLSConfig = certSrv.Client().Transport.(*http.Transport).TLSClientConfig
	if sent, err := w.RunOnce(context.Background()); sent != 1 || err != nil {
		t.Fatalf("RunOnce: %d, %v; outbox %+v", sent, err, f.outbox(t))
	}
	m := srv.Received()[0]
	if !m.TLS || m.User != "mailer" {
		t.Fatalf("delivery: TLS %v, user %q", m.TLS, m.User)
	}
	if got := m.Header.Get("From"); got != `"Sitekeeper Notices" <notices@vendor.example>` {
		t.Fatalf("From %q", got)
	}
}
