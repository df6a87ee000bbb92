package notify_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"sitekeeper/ent"
	"sitekeeper/ent/notification"
	"sitekeeper/internal/db/dbtest"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/notify"
	"sitekeeper/internal/review"
	"sitekeeper/internal/testkit/sqlcount"
	"sitekeeper/internal/testkit/testclock"
	"sitekeeper/internal/viewer"
)

// The review roster: the managers (the PRIMARY, an ACTIVE SECONDARY with manageAccess UPDATE)
// hear of pending decisions; the others do not.
var reviewPeople = []person{
	{"primary@x.example", domain.RolePrimary, domain.StatusActive, domain.UpdateUpdate},
	{"manager@x.example", domain.RoleSecondary, domain.StatusActive, domain.UpdateUpdate},
	{"viewer@x.example", domain.RoleSecondary, domain.StatusActive, domain.UpdateView},
	{"gone-manager@x.example", domain.RoleSecondary, domain.StatusDeactivated, domain.UpdateUpdate},
	{"user@x.example", domain.RoleUser, domain.StatusActive, domain.UpdateNone},
}

// asPrimary is a request context of the Site's PRIMARY, as the handler would build it.
func asPrimary(f *fixture, siteID int, c *ent.Contact) context.Context {
	ctx := viewer.NewContext(context.Background(), &viewer.Viewer{
		UserID: 1, Email: c.Email, EmailVerified: true,
		Memberships: map[int]viewer.Membership{siteID: {SiteID: siteID, ContactID: c.ID, Role: c.AccessRole, Privileges: c.Privileges()}},
	})
	return notify.WithPublicURL(ent.NewContext(ctx, f.client), publicURL)
}

// startOn starts a review of the Site due in dueIn, as its PRIMARY.
func startOn(t *testing.T, f *fixture, siteID int, primary *ent.Contact, dueIn time.Duration) *ent.Review {
	t.Helper()
	due := time.Now().Add(dueIn)
	r, err := review.Start(asPrimary(f, siteID, primary), siteID, &due)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// reviewMail are the review notifications of kind, as "site recipient".
func reviewMail(t *testing.T, client *ent.Client, kind domain.NotificationKind) []string {
	t.Helper()
	all, err := client.Notification.Query().Where(notification.KindEQ(kind)).Order(ent.Asc(notification.FieldID)).All(dbtest.Sys())
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(all))
	for i, n := range all {
		out[i] = fmt.Sprintf("%d %s", *n.SiteID, n.Recipient)
	}
	return out
}

func TestReviewRemindersRunInStages(t *testing.T) {
	f := seed(t, reviewPeople...)
	ctx := context.Background()
	primary := f.contacts["primary@x.example"]
	r := startOn(t, f, f.site.ID, primary, 30*24*time.Hour)
	managers := []string{fmt.Sprintf("%d manager@x.example", f.site.ID), fmt.Sprintf("%d primary@x.example", f.site.ID)}
	if got := reviewMail(t, f.client, domain.NotifyReviewOpened); !slices.Equal(sorted(got), managers) {
		t.Errorf("review opened told %q, want the managers %q", got, managers)
	}
	if r.ReminderDueAt == nil || !r.ReminderDueAt.Equal(r.DueAt.Add(-7*24*time.Hour)) {
		t.Fatalf("first reminder due at %v, want 7 days before %v", r.ReminderDueAt, r.DueAt)
	}

	clock := testclock.New(r.StartedAt.Round(0))
	w := &notify.Worker{Logger: quiet, Client: f.client, Now: clock.Now}
	run := func(at time.Time) {
		t.Helper()
		// Wall times only: with both monotonic readings, Sub would measure the monotonic
		// clock, and the test clock could land a few nanoseconds short of a stored due time.
		clock.Advance(at.Round(0).Sub(clock.Now()))
		// Two runs at each moment: each stage is written once.
		for range 2 {
			if _, err := w.RemindReviews(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	stage := func() *ent.Review {
		t.Helper()
		return f.client.Review.GetX(dbtest.Sys(), r.ID)
	}

	run(r.DueAt.Add(-7*24*time.Hour - time.Minute))
	if got := reviewMail(t, f.client, domain.NotifyReviewDueSoon); len(got) != 0 {
		t.Fatalf("due-soon before its time: %q", got)
	}
	run(r.DueAt.Add(-7 * 24 * time.Hour))
	if got := reviewMail(t, f.client, domain.NotifyReviewDueSoon); !slices.Equal(sorted(got), managers) {
		t.Errorf("due-soon told %q, want the managers %q once each", got, managers)
	}
	if got := reviewMail(t, f.client, domain.NotifyReviewLate); len(got) != 0 {
		t.Errorf("overdue before the due date: %q", got)
	}
	run(r.DueAt.Add(-time.Minute))
	if got := reviewMail(t, f.client, domain.NotifyReviewLate); len(got) != 0 {
		t.Errorf("overdue before the due date: %q", got)
	}
	run(r.DueAt)
	if got, want := reviewMail(t, f.client, domain.NotifyReviewLate), []string{fmt.Sprintf("%d primary@x.example", f.site.ID)}; !slices.Equal(got, want) {
		t.Errorf("overdue told %q, want the PRIMARY once %q", got, want)
	}
	if s := stage(); s.EscalatedAt != nil {
		t.Errorf("escalated at the due date: %v", s.EscalatedAt)
	}
	run(r.DueAt.Add(notify.Escalation - time.Minute))
	if s := stage(); s.EscalatedAt != nil {
		t.Errorf("escalated a minute early: %v", s.EscalatedAt)
	}
	run(r.DueAt.Add(notify.Escalation))
	s := stage()
	if s.EscalatedAt == nil || s.EscalatedAt.Sub(clock.Now()).Abs() > time.Millisecond || s.ReminderDueAt != nil || s.CompletedAt != nil {
		t.Errorf("after 30 days overdue: escalated %v, next reminder %v, completed %v", s.EscalatedAt, s.ReminderDueAt, s.CompletedAt)
	}
	// Nothing further, ever.
	run(r.DueAt.Add(3 * notify.Escalation))
	if n := len(reviewMail(t, f.client, domain.NotifyReviewDueSoon)) + len(reviewMail(t, f.client, domain.NotifyReviewLate)); n != 3 {
		t.Errorf("%d review reminders in all, want 3", n)
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// RunOnce drives the stages; a review with nothing pending skips the due-soon reminder, and a
// completed review is reminded of nothing.
func TestReviewRemindersThroughRunOnce(t *testing.T) {
	f := seed(t, reviewPeople...)
	ctx := context.Background()
	sys := dbtest.Sys()
	primary := f.contacts["primary@x.example"]
	// Two more Sites, each with its PRIMARY.
	site := func(number string) (*ent.Site, *ent.Contact) {
		s := f.client.Site.Create().SetNumber(number).SetName("Site " + number).SetCustomerNumber("C-" + number).SaveX(sys)
		c := f.client.Contact.Create().SetSiteID(s.ID).SetEmail("p" + number + "@x.example").SetFirstName("P").SetLastName(number).
			SetPhone("+1 914 555 0100").SetCity("Armonk").SetStateProvince("NY").SetPostalCode("10504").
			SetBusinessJustification("test").SetAccessRole(domain.RolePrimary).SetStatus(domain.StatusActive).
			SetSoftwareAccess(domain.SoftwareFull).SetReporting(domain.ViewView).SetEntitlements(domain.UpdateUpdate).
			SetContactUpdates(domain.UpdateUpdate).SetAccountDocuments(domain.ViewView).SetManageAccess(domain.UpdateUpdate).SaveX(sys)
		return s, c
	}
	decidedSite, decidedPrimary := site("7000001")
	doneSite, donePrimary := site("7000002")

	pending := startOn(t, f, f.site.ID, primary, 20*24*time.Hour)
	decided := startOn(t, f, decidedSite.ID, decidedPrimary, 20*24*time.Hour)
	if _, err := review.KeepRemaining(asPrimary(f, decidedSite.ID, decidedPrimary), decided.ID); err != nil {
		t.Fatal(err)
	}
	done := startOn(t, f, doneSite.ID, donePrimary, 20*24*time.Hour)
	pctx := asPrimary(f, doneSite.ID, donePrimary)
	if _, err := review.KeepRemaining(pctx, done.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := review.Complete(pctx, done.ID); err != nil {
		t.Fatal(err)
	}
	if d := f.client.Review.GetX(sys, done.ID); d.ReminderDueAt != nil || d.ReminderStage != domain.StageDone {
		t.Fatalf("completed review: next reminder %v, stage %s", d.ReminderDueAt, d.ReminderStage)
	}

	clock := testclock.New(time.Now())
	w := &notify.Worker{Logger: quiet, Client: f.client, Now: clock.Now}
	step := func(to time.Time) {
		t.Helper()
		clock.Advance(to.Sub(clock.Now()))
		if _, err := w.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
	}
	step(pending.DueAt.Add(-7*24*time.Hour + time.Minute))
	soon := reviewMail(t, f.client, domain.NotifyReviewDueSoon)
	if want := []string{fmt.Sprintf("%d manager@x.example", f.site.ID), fmt.Sprintf("%d primary@x.example", f.site.ID)}; !slices.Equal(sorted(soon), want) {
		t.Errorf("due-soon told %q, want only the managers of the Site with pending items %q", soon, want)
	}
	if d := f.client.Review.GetX(sys, decided.ID); d.ReminderStage != domain.StageLate {
		t.Errorf("the decided review's stage %s: the due-soon stage passes without a message", d.ReminderStage)
	}
	step(pending.DueAt.Add(time.Hour))
	late := reviewMail(t, f.client, domain.NotifyReviewLate)
	want := []string{fmt.Sprintf("%d primary@x.example", f.site.ID), fmt.Sprintf("%d %s", decidedSite.ID, decidedPrimary.Email)}
	if !slices.Equal(sorted(late), sorted(want)) {
		t.Errorf("overdue told %q, want each open review's PRIMARY %q", late, want)
	}
	step(pending.DueAt.Add(notify.Escalation + time.Hour))
	for _, id := range []int{pending.ID, decided.ID} {
		if r := f.client.Review.GetX(sys, id); r.EscalatedAt == nil {
			t.Errorf("review %d not escalated 30 days after its due date", id)
		}
	}
	if d := f.client.Review.GetX(sys, done.ID); d.EscalatedAt != nil {
		t.Errorf("the completed review was escalated")
	}
	for _, n := range append(reviewMail(t, f.client, domain.NotifyReviewDueSoon), reviewMail(t, f.client, domain.NotifyReviewLate)...) {
		if strings.HasPrefix(n, fmt.Sprintf("%d ", doneSite.ID)) {
			t.Errorf("the completed review's Site was reminded: %s", n)
		}
	}
}

// Two workers (two instances on one database) at the same moment write each stage once.
func TestReviewRemindersOnceAcrossInstances(t *testing.T) {
	f := seed(t, reviewPeople...)
	sys := dbtest.Sys()
	var due time.Time
	var sites []int
	for i := range 12 {
		s := f.site
		c := f.contacts["primary@x.example"]
		if i > 0 {
			s = f.client.Site.Create().SetNumber(fmt.Sprintf("80000%02d", i)).SetName("S").SetCustomerNumber("C").SaveX(sys)
			c = f.client.Contact.Create().SetSiteID(s.ID).SetEmail(fmt.Sprintf("p%02d@x.example", i)).SetFirstName("P").SetLastName("Q").
				SetPhone("+1 914 555 0100").SetCity("Armonk").SetStateProvince("NY").SetPostalCode("10504").
				SetBusinessJustification("test").SetAccessRole(domain.RolePrimary).SetStatus(domain.StatusActive).
				SetManageAccess(domain.UpdateUpdate).SaveX(sys)
			f.client.Contact.Create().SetSiteID(s.ID).SetEmail(fmt.Sprintf("u%02d@x.example", i)).SetFirstName("U").SetLastName("V").
				SetPhone("+1 914 555 0100").SetCity("Armonk").SetStateProvince("NY").SetPostalCode("10504").
				SetBusinessJustification("test").SetAccessRole(domain.RoleUser).SetStatus(domain.StatusActive).SaveX(sys)
		}
		r := startOn(t, f, s.ID, c, 10*24*time.Hour)
		due = r.DueAt
		sites = append(sites, s.ID)
	}
	clock := testclock.New(due.Add(-7*24*time.Hour + time.Hour))
	race := func() {
		t.Helper()
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range 2 {
			wg.Go(func() {
				w := &notify.Worker{Logger: quiet, Client: f.client, Now: clock.Now}
				_, errs[i] = w.RemindReviews(context.Background())
			})
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	once := func(kind domain.NotificationKind, wantPerSite map[int]int) {
		t.Helper()
		got := reviewMail(t, f.client, kind)
		seen := map[string]bool{}
		perSite := map[int]int{}
		for _, n := range got {
			if seen[n] {
				t.Errorf("%s: %s told twice", kind, n)
			}
			seen[n] = true
			var id int
			fmt.Sscanf(n, "%d", &id)
			perSite[id]++
		}
		for _, id := range sites {
			if perSite[id] != wantPerSite[id] {
				t.Errorf("%s: Site %d told %d recipients, want %d", kind, id, perSite[id], wantPerSite[id])
			}
		}
	}
	race()
	soon := map[int]int{}
	late := map[int]int{}
	for i, id := range sites {
		soon[id], late[id] = 1, 1
		if i == 0 {
			soon[id] = 2 // the PRIMARY and the SECONDARY with manageAccess UPDATE
		}
	}
	once(domain.NotifyReviewDueSoon, soon)
	clock.Advance(7 * 24 * time.Hour)
	race()
	once(domain.NotifyReviewLate, late)
	clock.Advance(notify.Escalation)
	race()
	all, err := f.client.Review.Query().All(sys)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range all {
		if r.EscalatedAt == nil || r.ReminderStage != domain.StageDone {
			t.Errorf("review %d: escalated %v, stage %s", r.ID, r.EscalatedAt, r.ReminderStage)
		}
	}
	once(domain.NotifyReviewDueSoon, soon)
	once(domain.NotifyReviewLate, late)
}

// The scan selects by the indexed reminder time: with reviews open and nothing due it is one
// statement, whatever the number of reviews.
func TestReviewReminderScanCostsOneStatement(t *testing.T) {
	client, sqlDB, counter := sqlcount.Open(t)
	f := &fixture{client: client, contacts: map[string]*ent.Contact{}}
	sys := dbtest.Sys()
	for i := range 30 {
		s := client.Site.Create().SetNumber(fmt.Sprintf("90000%02d", i)).SetName("S").SetCustomerNumber("C").SaveX(sys)
		c := client.Contact.Create().SetSiteID(s.ID).SetEmail(fmt.Sprintf("p%02d@x.example", i)).SetFirstName("P").SetLastName("Q").
			SetPhone("+1 914 555 0100").SetCity("Armonk").SetStateProvince("NY").SetPostalCode("10504").
			SetBusinessJustification("test").SetAccessRole(domain.RolePrimary).SetStatus(domain.StatusActive).
			SetManageAccess(domain.UpdateUpdate).SaveX(sys)
		startOn(t, f, s.ID, c, 30*24*time.Hour)
	}
	clock := testclock.New(time.Now().Add(24 * time.Hour))
	w := &notify.Worker{Logger: quiet, Client: client, Now: clock.Now}
	counter.Reset()
	n, err := w.RemindReviews(context.Background())
	if err != nil || n != 0 {
		t.Fatalf("RemindReviews: %d, %v", n, err)
	}
	stmts := counter.Statements()
	if len(stmts) != 1 || !strings.Contains(stmts[0], "reminder_due_at") {
		t.Fatalf("a scan with nothing due took %d statements: %q", len(stmts), stmts)
	}
	if client.Dialect() == dialect.SQLite {
		// The plan reads the index, not the table.
		q := stmts[0]
		args := make([]any, strings.Count(q, "?"))
		for i := range args {
			args[i] = clock.Now()
		}
		rows, err := sqlDB.Query("EXPLAIN QUERY PLAN "+q, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		t.Logf("%s\n  plan: %q", q, plan)
		if joined := strings.Join(plan, "; "); !strings.Contains(joined, "USING") || !strings.Contains(joined, "reminder_due_at") {
			t.Errorf("the scan's plan does not use the reminder index: %s", joined)
		}
	}
}

// TestSiteReminderWaitsForAnOpenReview: a Site whose review date passes while a review is open
// gets no REVIEW_OVERDUE of its own (the review's stages remind its people); once no review is
// open, the Site's reminder goes out as before.
func TestSiteReminderWaitsForAnOpenReview(t *testing.T) {
	f := seed(t, reviewPeople...)
	ctx := context.Background()
	sys := dbtest.Sys()
	primary := f.contacts["primary@x.example"]
	startOn(t, f, f.site.ID, primary, 20*24*time.Hour)
	past := time.Now().Add(-time.Hour).UTC()
	overdue := func() {
		t.Helper()
		if _, err := f.client.ExecContext(sys, dbtest.Rebind("UPDATE sites SET review_reminder_due_at = ? WHERE id = ?"), past, f.site.ID); err != nil {
			t.Fatal(err)
		}
	}
	overdue()
	w := &notify.Worker{Logger: quiet, Client: f.client}
	if n, err := w.EnqueueOverdueReviews(ctx); n != 0 || err != nil {
		t.Fatalf("with a review open the Site's reminder told %d (%v), want nobody", n, err)
	}
	if got := reviewMail(t, f.client, domain.NotifyReviewOverdue); len(got) != 0 {
		t.Fatalf("REVIEW_OVERDUE written during an open review: %q", got)
	}
	f.client.Review.Update().SetCompletedAt(time.Now()).ExecX(sys) // no review open any more
	overdue()
	if n, err := w.EnqueueOverdueReviews(ctx); n == 0 || err != nil {
		t.Fatalf("without a review open the Site's reminder told %d (%v), want its managers", n, err)
	}
}
