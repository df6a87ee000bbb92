package notify_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"sitekeeper/ent"
	"sitekeeper/ent/notification"
	"sitekeeper/ent/site"
	"sitekeeper/internal/benchseed"
	"sitekeeper/internal/db/dbtest"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/notify"
	sitesession "sitekeeper/internal/session"
	"sitekeeper/internal/testkit/sqlcount"
	"sitekeeper/internal/testkit/testclock"
)

// seeded is a database of n Sites from the benchmark's seed (10 contacts each, about half of the
// Sites overdue for review at start), behind a statement counter.
func seeded(t *testing.T, n int, start time.Time) (*ent.Client, *sqlcount.Driver) {
	t.Helper()
	client, sqlDB, counter := sqlcount.Open(t)
	opts := benchseed.Options{Sites: n, ContactsPerSite: 10, LargeSites: n / 100, PartnerSites: n / 100, Now: start}
	if _, err := benchseed.Seed(context.Background(), sqlDB, opts); err != nil {
		t.Fatal(err)
	}
	counter.Record(false)
	return client, counter
}

// reminders counts the REVIEW_OVERDUE notifications per Site and fails on a Site reminded twice
// (a recipient told twice).
func reminders(t *testing.T, client *ent.Client) map[int]int {
	t.Helper()
	all, err := client.Notification.Query().Where(notification.KindEQ(domain.NotifyReviewOverdue)).All(dbtest.Sys())
	if err != nil {
		t.Fatal(err)
	}
	perSite, seen := map[int]int{}, map[string]bool{}
	for _, n := range all {
		key := fmt.Sprintf("%d %s", *n.SiteID, n.Recipient)
		if seen[key] {
			t.Fatalf("site %d: %s reminded twice", *n.SiteID, n.Recipient)
		}
		seen[key] = true
		perSite[*n.SiteID]++
	}
	return perSite
}

func overdueBy(t *testing.T, client *ent.Client, at time.Time) int {
	t.Helper()
	n, err := client.Site.Query().Where(site.ReviewDueAtLTE(at)).Count(dbtest.Sys())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestIdleCostOnASeededDatabase: the background jobs cost what is due, not what exists. On 1,000
// Sites (10,000 contacts, about half overdue), the first run reminds each overdue Site once.
// Then an hour passes on a simulated clock, the worker running every minute (its unasked poll:
// nothing wakes it) and the session cleanup every 10 minutes, as `serve` runs them: the hour
// costs a look at the outbox, a scan for reminders and one for expired grants a minute, and the
// cleanup's two deletes, each an index lookup that finds nothing, plus the work of the few Sites
// that fall due during the hour; no Site is reminded twice.
func TestIdleCostOnASeededDatabase(t *testing.T) {
	ctx := context.Background()
	start := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	client, counter := seeded(t, 1000, start)
	clock := testclock.New(start)
	worker := &notify.Worker{Logger: quiet, Client: client, Now: clock.Now, DevMode: true}
	sessions := sitesession.New(client, sitesession.Config{Now: clock.Now, Logger: quiet})

	if _, err := worker.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if got, want := len(reminders(t, client)), overdueBy(t, client, start); got != want || want < 250 {
		t.Fatalf("the first run reminded %d Sites, want the %d overdue", got, want)
	}

	counter.Reset()
	counter.Record(true)
	const minutes = 60
	for tick := 1; tick <= minutes; tick++ {
		clock.Advance(notify.DefaultInterval)
		if _, err := worker.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		if tick%10 == 0 {
			if _, _, err := sessions.Cleanup(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	end := clock.Now()
	fellDue := overdueBy(t, client, end) - overdueBy(t, client, start)
	if got, want := len(reminders(t, client)), overdueBy(t, client, end); got != want {
		t.Fatalf("after the hour %d Sites were reminded, want the %d overdue", got, want)
	}
	// Idle: an outbox poll, a Site reminder scan, a grant scan, a review reminder scan and a
	// fifth of a cleanup a minute. A Site falling due costs its own reminder: its row, its
	// managers, the outbox rows and their delivery.
	idle := minutes * (1 + 1 + 1 + 1)
	budget := idle + 2*(minutes/10) + 12*fellDue
	t.Logf("%d statements in a simulated hour (%.1f a minute); %d Sites fell due in it", counter.Count(), float64(counter.Count())/minutes, fellDue)
	if counter.Count() > budget {
		stmts := counter.Statements()
		t.Fatalf("%d statements in an idle hour, want at most %d; the first:\n%s", len(stmts), budget, strings.Join(stmts[:min(20, len(stmts))], "\n"))
	}
}

// TestRemindersRunOnceAcrossInstances: two workers (two instances of the server on one
// database) scanning at the same moment remind each overdue Site once: the Site's lock and its
// cleared reminder make the second a no-op.
func TestRemindersRunOnceAcrossInstances(t *testing.T) {
	start := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	client, _ := seeded(t, 60, start)
	clock := testclock.New(start)
	var wg sync.WaitGroup
	written := make([]int, 2)
	errs := make([]error, 2)
	for i := range 2 {
		wg.Go(func() {
			w := &notify.Worker{Logger: quiet, Client: client, Now: clock.Now}
			written[i], errs[i] = w.EnqueueOverdueReviews(context.Background())
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	perSite := reminders(t, client)
	total := 0
	for _, n := range perSite {
		total += n
	}
	if len(perSite) != overdueBy(t, client, start) || written[0]+written[1] != total {
		t.Fatalf("%d Sites reminded of %d overdue; the workers wrote %v, the outbox holds %d",
			len(perSite), overdueBy(t, client, start), written, total)
	}
}

// TestReviewedSiteIsRemindedForItsNextDueDateOnly: marking a Site reviewed moves its reminder to
// the new due date; deactivating it drops the reminder unsent, and reactivating it brings it
// back.
func TestReviewedSiteIsRemindedForItsNextDueDateOnly(t *testing.T) {
	f := seed(t, person{"primary@x.example", domain.RolePrimary, domain.StatusActive, domain.UpdateUpdate})
	c := newClock()
	w := &notify.Worker{Logger: quiet, Client: f.client, Now: c.Now}
	reviewed := c.Now().AddDate(0, 0, -40)
	s, err := f.client.Site.UpdateOneID(f.site.ID).SetLastReviewedAt(reviewed).Save(dbtest.Sys())
	if err != nil {
		t.Fatal(err)
	}
	if s.ReviewReminderDueAt == nil || !s.ReviewReminderDueAt.Equal(reviewed.AddDate(0, 0, 30)) {
		t.Fatalf("reminder due at %v, want %v", s.ReviewReminderDueAt, reviewed.AddDate(0, 0, 30))
	}
	version := s.Version
	if n, err := w.EnqueueOverdueReviews(context.Background()); n != 1 || err != nil {
		t.Fatalf("first scan: %d, %v", n, err)
	}
	s = f.client.Site.GetX(dbtest.Sys(), f.site.ID)
	if s.ReviewReminderDueAt != nil || s.Version != version {
		t.Fatalf("after the reminder: due %v, version %d (was %d): bookkeeping must not touch the Site's version", s.ReviewReminderDueAt, s.Version, version)
	}

	// Inactive: the next due date's reminder is dropped unsent; active again, it is back.
	f.client.Site.UpdateOneID(f.site.ID).SetLastReviewedAt(reviewed.AddDate(0, 0, 5)).ExecX(dbtest.Sys())
	f.client.Site.UpdateOneID(f.site.ID).SetStatus(domain.SiteInactive).ExecX(dbtest.Sys())
	if n, err := w.EnqueueOverdueReviews(context.Background()); n != 0 || err != nil {
		t.Fatalf("inactive Site: %d, %v", n, err)
	}
	f.client.Site.UpdateOneID(f.site.ID).SetStatus(domain.SiteActive).ExecX(dbtest.Sys())
	if n, err := w.EnqueueOverdueReviews(context.Background()); n != 1 || err != nil {
		t.Fatalf("active again: %d, %v", n, err)
	}
	if n, err := w.EnqueueOverdueReviews(context.Background()); n != 0 || err != nil {
		t.Fatalf("reminded twice: %d, %v", n, err)
	}
}
