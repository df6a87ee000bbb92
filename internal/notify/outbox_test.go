package notify_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"sitekeeper/ent"
	"sitekeeper/internal/db/dbtest"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/notify"
	"sitekeeper/internal/viewer"
)

func TestDevModeMarksShown(t *testing.T) {
	f := seed(t,
		person{"primary@x.example", domain.RolePrimary, domain.StatusActive, domain.UpdateUpdate},
		person{"ivy@x.example", domain.RoleUser, domain.StatusInvited, domain.UpdateNone},
	)
	f.invite(t, "ivy@x.example")
	c := newClock()

	// Without SMTP and outside dev mode, notifications wait for a mail server.
	held := &notify.Worker{Logger: quiet, Client: f.client, Now: c.Now}
	if sent, err := held.RunOnce(context.Background()); sent != 0 || err != nil {
		t.Fatalf("no sender: %d, %v", sent, err)
	}
	if n := f.outbox(t)[0]; n.Status != domain.DeliveryPending || n.Attempts != 0 {
		t.Fatalf("held notification: %+v", n)
	}

	dev := &notify.Worker{Logger: quiet, Client: f.client, Now: c.Now, DevMode: true}
	if sent, err := dev.RunOnce(context.Background()); sent != 1 || err != nil {
		t.Fatalf("dev mode: %d, %v", sent, err)
	}
	if n := f.outbox(t)[0]; n.Status != domain.DeliveryShown || n.SentAt != nil {
		t.Fatalf("dev-mode notification: %+v", n)
	}
}

func TestNewWorker(t *testing.T) {
	client := seed(t).client
	if _, err := notify.NewWorker(client, "smtp://mailer:hunter2secret@mail.example.com", false, quiet); err == nil ||
		strings.Contains(err.Error(), "hunter2secret") {
		t.Fatalf("a URL without from: %v", err)
	}
	w, err := notify.NewWorker(client, "", true, quiet)
	if err != nil || w.Sender != nil || !w.DevMode {
		t.Fatalf("dev mode worker: %+v, %v", w, err)
	}
	w, err = notify.NewWorker(client, "smtps://mail.example.com?from=a@b.example", false, quiet)
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := w.Sender.(*notify.SMTPSender); !ok || s.Config.Port != 465 || !s.Config.ImplicitTLS {
		t.Fatalf("smtps sender: %+v", w.Sender)
	}
}

// failingSender fails every delivery.
type failingSender struct{ calls int }

func (s *failingSender) Send(context.Context, *ent.Notification) error {
	s.calls++
	return errors.New("451 4.3.0 mailbox temporarily unavailable\r\nsecond line")
}

func TestFailedDeliveryIsRecordedNotDropped(t *testing.T) {
	f := seed(t, person{"ivy@x.example", domain.RoleUser, domain.StatusInvited, domain.UpdateNone})
	f.invite(t, "ivy@x.example")
	c := newClock()
	sender := &failingSender{}
	w := &notify.Worker{Logger: quiet, Client: f.client, Sender: sender, Now: c.Now}
	for i := 1; i <= 10; i++ {
		if _, err := w.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		c.Advance(notify.Backoff(i))
	}
	out := f.outbox(t)
	if len(out) != 1 || sender.calls != 10 || out[0].Attempts != 10 || out[0].Status != domain.DeliveryPending {
		t.Fatalf("after 10 failures: %d calls, outbox %+v", sender.calls, out)
	}
	if out[0].LastError != "451 4.3.0 mailbox temporarily unavailable second line" {
		t.Fatalf("last_error %q", out[0].LastError)
	}
}

func TestReviewOverdueIsEnqueuedOnce(t *testing.T) {
	f := seed(t,
		person{"primary@x.example", domain.RolePrimary, domain.StatusActive, domain.UpdateUpdate},
		person{"manager@x.example", domain.RoleSecondary, domain.StatusActive, domain.UpdateUpdate},
		person{"viewer@x.example", domain.RoleSecondary, domain.StatusActive, domain.UpdateView},
		person{"gone@x.example", domain.RoleSecondary, domain.StatusDeactivated, domain.UpdateUpdate},
		person{"new@x.example", domain.RoleUser, domain.StatusInvited, domain.UpdateUpdate},
		person{"user@x.example", domain.RoleUser, domain.StatusActive, domain.UpdateNone},
	)
	// Another Site, not due: never reminded.
	if _, err := f.client.Site.Create().SetNumber("7654321").SetName("Not Due").SetCustomerNumber("C-2").Save(dbtest.Sys()); err != nil {
		t.Fatal(err)
	}
	c := newClock()
	w := &notify.Worker{Logger: quiet, Client: f.client, Now: c.Now, Interval: time.Hour, PublicURL: publicURL}
	due := c.Now().Add(-48 * time.Hour)
	if err := f.client.Site.UpdateOneID(f.site.ID).SetReviewDueAt(due).Exec(dbtest.Sys()); err != nil {
		t.Fatal(err)
	}
	recipients := func() []string {
		var out []string
		for _, n := range f.outbox(t) {
			if n.Kind == domain.NotifyReviewOverdue {
				out = append(out, n.Recipient)
			}
		}
		return out
	}

	if n, err := w.EnqueueOverdueReviews(context.Background()); n != 2 || err != nil {
		t.Fatalf("first scan: %d, %v", n, err)
	}
	if got := strings.Join(recipients(), ","); got != "primary@x.example,manager@x.example" {
		t.Fatalf("reminded %s", got)
	}
	n := f.outbox(t)[0]
	if n.Subject != "Contact review overdue for Site Acme Corp (1234567)" || n.SiteID == nil || *n.SiteID != f.site.ID {
		t.Fatalf("reminder: %+v", n)
	}
	for _, want := range []string{"was due on " + due.Format("Monday, 2 January 2006"), "It has not been reviewed yet.", publicURL + "/sites/1234567"} {
		if !strings.Contains(n.Body, want) {
			t.Errorf("body lacks %q:\n%s", want, n.Body)
		}
	}

	// Idempotent: scanning again (even days later) writes nothing while the due date stands.
	c.Advance(72 * time.Hour)
	if n, err := w.EnqueueOverdueReviews(context.Background()); n != 0 || err != nil {
		t.Fatalf("second scan: %d, %v", n, err)
	}
	// Reviewed: due in 30 days; nothing until then, then a new reminder.
	if err := f.client.Site.UpdateOneID(f.site.ID).SetLastReviewedAt(c.Now()).SetLastReviewedBy("manager@x.example").Exec(dbtest.Sys()); err != nil {
		t.Fatal(err)
	}
	if n, _ := w.EnqueueOverdueReviews(context.Background()); n != 0 {
		t.Fatalf("reminded right after a review: %d", n)
	}
	c.Advance(31 * 24 * time.Hour)
	if n, err := w.EnqueueOverdueReviews(context.Background()); n != 2 || err != nil {
		t.Fatalf("scan after the next due date: %d, %v", n, err)
	}
	if last := f.outbox(t)[3]; !strings.Contains(last.Body, "by manager@x.example") {
		t.Fatalf("second reminder:\n%s", last.Body)
	}
	if len(recipients()) != 4 {
		t.Fatalf("reminders: %v", recipients())
	}
}

func TestReviewScanAtMostOncePerInterval(t *testing.T) {
	f := seed(t, person{"primary@x.example", domain.RolePrimary, domain.StatusActive, domain.UpdateUpdate})
	c := newClock()
	w := &notify.Worker{Logger: quiet, Client: f.client, Now: c.Now, Interval: time.Hour}
	if _, err := w.RunOnce(context.Background()); err != nil { // scans: nothing due
		t.Fatal(err)
	}
	if err := f.client.Site.UpdateOneID(f.site.ID).SetReviewDueAt(c.Now().Add(-time.Minute)).Exec(dbtest.Sys()); err != nil {
		t.Fatal(err)
	}
	c.Advance(30 * time.Minute)
	if _, err := w.RunOnce(context.Background()); err != nil || len(f.outbox(t)) != 0 {
		t.Fatalf("scanned twice within the interval: %d notifications", len(f.outbox(t)))
	}
	c.Advance(30 * time.Minute)
	if _, err := w.RunOnce(context.Background()); err != nil || len(f.outbox(t)) != 1 {
		t.Fatalf("no scan after the interval: %d notifications", len(f.outbox(t)))
	}
}

func TestEnqueueRendersEveryKind(t *testing.T) {
	f := seed(t,
		person{"primary@x.example", domain.RolePrimary, domain.StatusActive, domain.UpdateUpdate},
		person{"next@x.example", domain.RoleSecondary, domain.StatusActive, domain.UpdateUpdate},
	)
	operator := notify.WithPublicURL(viewer.NewContext(context.Background(), &viewer.Viewer{
		UserID: 9, Email: "ops@vendor.example", EmailVerified: true, Name: "Olga Ops", Operator: true,
	}), publicURL+"/")
	from, to := f.contacts["primary@x.example"], f.contacts["next@x.example"]
	if err := notify.PrimaryTransferred(operator, f.client, from, to, "The primary contact left the company."); err != nil {
		t.Fatal(err)
	}
	denied := &ent.AccessRequest{SiteID: f.site.ID, SiteNumber: "1234567", Email: "nia@x.example", Name: "Nia Newcomer",
		Status: domain.RequestDenied, Reason: "Only the purchasing team has access."}
	if err := notify.AccessDecided(operator, f.client, denied); err != nil {
		t.Fatal(err)
	}
	granted := &ent.AccessRequest{SiteID: f.site.ID, SiteNumber: "1234567", Email: "nia@x.example", Status: domain.RequestGranted}
	if err := notify.AccessDecided(context.Background(), f.client, granted); err != nil {
		t.Fatal(err)
	}
	out := f.outbox(t)
	if len(out) != 4 {
		t.Fatalf("%d notifications, want 4", len(out))
	}
	old, new, deny, grant := out[0], out[1], out[2], out[3]
	for _, c := range []struct {
		n        *ent.Notification
		kind     domain.NotificationKind
		to       string
		subject  string
		contains []string
	}{
		{old, domain.NotifyPrimaryTransferred, "primary@x.example", "Primary contact of Site Acme Corp (1234567) changed", []string{
			"Olga Ops (ops@vendor.example), Sitekeeper operations, reassigned the primary contact role of Site Acme Corp (1234567).",
			"Previous primary contact: Pat primary <primary@x.example>",
			"New primary contact:      Pat next <next@x.example>",
			"The primary contact left the company.",
			"If you did not expect this change",
		}},
		{new, domain.NotifyPrimaryTransferred, "next@x.example", "Primary contact of Site Acme Corp (1234567) changed", []string{
			"Hello Pat next,", "As the primary contact you now own", publicURL + "/sites/1234567",
		}},
		{deny, domain.NotifyAccessDenied, "nia@x.example", "Request for access to Site Acme Corp (1234567) denied", []string{
			"Hello Nia Newcomer,", "Olga Ops (ops@vendor.example) has denied", "Only the purchasing team has access.",
		}},
		{grant, domain.NotifyAccessGranted, "nia@x.example", "Access to Site Acme Corp (1234567) granted", []string{
			"Hello nia@x.example,", "Sitekeeper has granted", notify.DefaultPublicURL + "/auth/login?returnTo=%2Fsites%2F1234567",
		}},
	} {
		if c.n.Kind != c.kind || c.n.Recipient != c.to || c.n.Subject != c.subject || c.n.Status != domain.DeliveryPending {
			t.Errorf("notification %d: %s to %s, %q", c.n.ID, c.n.Kind, c.n.Recipient, c.n.Subject)
		}
		for _, want := range c.contains {
			if !strings.Contains(c.n.Body, want) {
				t.Errorf("%s to %s lacks %q:\n%s", c.kind, c.to, want, c.n.Body)
			}
		}
		if strings.Contains(c.n.Body, "<no value>") || strings.Contains(c.n.Body, "//sites") {
			t.Errorf("%s renders badly:\n%s", c.kind, c.n.Body)
		}
	}

	// A plain transfer by the PRIMARY says so, without a reason.
	if err := notify.PrimaryTransferred(context.Background(), f.client, from, to, ""); err != nil {
		t.Fatal(err)
	}
	plain := f.outbox(t)[4]
	if !strings.Contains(plain.Body, "Sitekeeper transferred the primary contact role") ||
		!strings.Contains(plain.Body, "is now a secondary contact") || strings.Contains(plain.Body, "Reason") {
		t.Errorf("plain transfer:\n%s", plain.Body)
	}
}

func TestEnqueueRecipientsAndTransactions(t *testing.T) {
	f := seed(t)
	ctx := context.Background() // an ordinary caller: the outbox is written as Sitekeeper all the same
	m := notify.Message{
		Kind: domain.NotifyAccessDenied, SiteID: &f.site.ID,
		Recipients: []string{"a@x.example", " A@X.example ", "", "b@x.example"},
		Data:       map[string]any{"Name": "A", "Reason": "no\r\nSubject: injected"},
	}
	if err := notify.Enqueue(ctx, f.client, m); err != nil {
		t.Fatal(err)
	}
	if out := f.outbox(t); len(out) != 2 || out[0].Recipient != "a@x.example" || out[1].Recipient != "b@x.example" {
		t.Fatalf("recipients: %+v", out)
	}
	// A rendering error (a kind's data missing) writes nothing.
	if err := notify.Enqueue(ctx, f.client, notify.Message{Kind: domain.NotifyInvitation, Recipients: []string{"c@x.example"}}); err == nil {
		t.Fatal("an invitation without its data rendered")
	}
	// Written with a transaction's client, the notification goes with the transaction.
	tx, err := f.client.Tx(dbtest.Sys())
	if err != nil {
		t.Fatal(err)
	}
	if err := notify.Enqueue(ctx, tx.Client(), m); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if out := f.outbox(t); len(out) != 2 {
		t.Fatalf("a rolled-back enqueue left %d notifications", len(out)-2)
	}
	// Nobody but Sitekeeper writes the outbox directly.
	person := viewer.NewContext(ctx, &viewer.Viewer{UserID: 1, Email: "a@x.example", EmailVerified: true})
	if _, err := f.client.Notification.Create().SetKind(domain.NotifyInvitation).SetRecipient("x@x.example").
		SetSubject("s").SetBody("b").Save(person); err == nil {
		t.Fatal("a person wrote to the outbox")
	}
}

func TestSubjectStaysOnOneLine(t *testing.T) {
	f := seed(t)
	err := notify.Enqueue(context.Background(), f.client, notify.Message{
		Kind: domain.NotifyAccessGranted, Recipients: []string{"a@x.example"},
		Data: map[string]any{"Name": "A", "Reason": "", "Site": struct{ Name, Number, Label, URL string }{
			Label: "Evil\r\nBcc: victim@x.example", URL: "u"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if s := f.outbox(t)[0].Subject; strings.ContainsAny(s, "\r\n") || s != "Access to Site Evil Bcc: victim@x.example granted" {
		t.Fatalf("subject %q", s)
	}
}
