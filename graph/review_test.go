package graph_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"sitekeeper/ent"
	"sitekeeper/ent/auditevent"
	"sitekeeper/ent/contact"
	"sitekeeper/ent/privacy"
	"sitekeeper/ent/reviewitem"
	"sitekeeper/internal/apperr"
	"sitekeeper/internal/domain"
	reviews "sitekeeper/internal/review"
	"sitekeeper/internal/testkit/apitest"
	"sitekeeper/internal/viewer"
)

// Access reviews (issue 13), through the real handler over a real database.

func TestStartReviewIsForManagers(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	refusedBy(t, e, startReviewQ, map[string]any{"s": r.A.ID}, true, managersOnly)
	if n := e.Client.Review.Query().CountX(apitest.Sys()); n != 0 {
		t.Fatalf("%d reviews after the refusals", n)
	}
	// Each manager may start one (on a database of their own, as the start sticks).
	for _, actor := range []string{primary, secManager} {
		e := apitest.New(t)
		r := e.SeedRoster()
		startReview(t, e, tokenOf(e, actor), r.A.ID)
	}
}

func TestStartReviewSnapshotsEveryContact(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	primaryT := tokenOf(e, primary)
	// A DEACTIVATED contact is still on the Site: the review covers it.
	deactivate(apitest.UserB)(e, r)
	id := startReview(t, e, primaryT, r.A.ID)

	items := itemsOf(t, e, id)
	if len(items) != len(r.A.Contacts) {
		t.Fatalf("%d items, want one per contact of Site A (%d)", len(items), len(r.A.Contacts))
	}
	for email, c := range r.A.Contacts {
		it := items[email]
		if it == nil {
			t.Fatalf("no item for %s", email)
		}
		s := it.Snapshot
		if it.ContactID != c.ID || it.SiteID != r.A.ID || it.Decision != domain.DecisionPending || it.Outcome != nil {
			t.Errorf("%s: item %+v", email, it)
		}
		if s.AccessRole != c.AccessRole || s.Privileges != c.Privileges() || s.FirstName != c.FirstName || s.LastName != c.LastName {
			t.Errorf("%s: snapshot %+v of contact %+v", email, s, c)
		}
		if (s.LastSignInAt == nil) != (c.LastSignInAt == nil) || (s.LastSignInAt != nil && !s.LastSignInAt.Equal(*c.LastSignInAt)) {
			t.Errorf("%s: snapshot last sign-in %v, contact %v", email, s.LastSignInAt, c.LastSignInAt)
		}
	}
	if s := items[apitest.UserB].Snapshot; s.Status != domain.StatusDeactivated {
		t.Errorf("UserB's snapshot status %s, want DEACTIVATED", s.Status)
	}
	if s := items[apitest.Primary].Snapshot; !slices.Contains(s.ContactTypes, domain.TypePrimary) {
		t.Errorf("the PRIMARY's snapshot types %v lack PRIMARY", s.ContactTypes)
	}
	if s := items[apitest.SecManager].Snapshot; s.Privileges.ManageAccess != domain.UpdateUpdate || s.AccessRole != domain.RoleSecondary || s.Status != domain.StatusActive {
		t.Errorf("SecManager's snapshot %+v", s)
	}
	// Nothing of Site B.
	if n := e.Client.ReviewItem.Query().Where(reviewitem.SiteID(r.B.ID)).CountX(apitest.Sys()); n != 0 {
		t.Errorf("%d items on Site B", n)
	}
	// The review is due when the Site is, at least 7 days away.
	rv := reviewRow(t, e, id)
	if rv.DueAt.Before(time.Now().Add(days(7)-time.Minute)) || rv.StartedBy != apitest.Primary || rv.CompletedAt != nil {
		t.Errorf("review %+v", rv)
	}

	// The GraphQL view of the same.
	var out struct {
		Site struct {
			CurrentReview struct {
				ID       string
				Progress struct{ Total, Pending int }
				Items    struct {
					TotalCount int
					Edges      []struct {
						Node struct {
							Decision string
							Snapshot struct {
								Email, AccessRole, Status string
								ContactTypes              []string
								Privileges                struct{ ManageAccess string }
								LastSignInAt              *time.Time
							}
							Contact struct{ Email string }
						}
					}
				}
			}
		}
	}
	e.Exec(primaryT, `query($n:String!) { site(number:$n) { currentReview { id progress { total pending }
		items(first:50) { totalCount edges { node { decision contact { email }
		snapshot { email accessRole status contactTypes privileges { manageAccess } lastSignInAt } } } } } } }`,
		map[string]any{"n": r.A.Number}).OK().Decode(&out)
	cr := out.Site.CurrentReview
	if idOf(t, cr.ID) != id || cr.Progress.Total != 7 || cr.Progress.Pending != 7 || cr.Items.TotalCount != 7 {
		t.Fatalf("currentReview %+v", cr)
	}
	for _, edge := range cr.Items.Edges {
		if edge.Node.Snapshot.Email != edge.Node.Contact.Email || edge.Node.Decision != "PENDING" {
			t.Errorf("item %+v", edge.Node)
		}
	}
}

func TestOneOpenReviewPerSite(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	startReview(t, e, tokenOf(e, primary), r.A.ID)
	before := reviewDump(t, e)
	if res := e.Exec(tokenOf(e, secManager), startReviewQ, map[string]any{"s": r.A.ID}); res.Code() != "CONFLICT" {
		t.Fatalf("second start: %+v", res.Errors)
	}
	if reviewDump(t, e) != before {
		t.Errorf("the refused second start changed the database")
	}
	// Another Site's review is its own.
	startReview(t, e, tokenOf(e, otherPrimary), r.B.ID)

	// The database holds the rule itself: a second open review of a Site does not insert, a
	// completed one does.
	ctx := apitest.Sys()
	now := time.Now()
	err := e.Client.Review.Create().SetSiteID(r.A.ID).SetStartedBy("sys").SetDueAt(now.Add(days(10))).Exec(ctx)
	if !ent.IsConstraintError(err) {
		t.Fatalf("a second open review inserted: %v", err)
	}
	if err := e.Client.Review.Create().SetSiteID(r.A.ID).SetStartedBy("sys").SetDueAt(now.Add(days(10))).
		SetCompletedAt(now).Exec(ctx); err != nil {
		t.Fatalf("a completed review beside the open one: %v", err)
	}
}

func TestStartReviewConcurrently(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	for round := range 3 {
		if round > 0 {
			// Close the last round's review so the next has a Site to race on.
			for _, rv := range e.Client.Review.Query().AllX(apitest.Sys()) {
				if rv.CompletedAt == nil {
					e.ExecSQL(`UPDATE reviews SET completed_at = ? WHERE id = ?`, time.Now(), rv.ID)
				}
			}
		}
		vars := map[string]any{"s": r.A.ID}
		out, _ := burst(e, []call{
			{token: tokenOf(e, primary), query: startReviewQ, vars: vars},
			{token: tokenOf(e, secManager), query: startReviewQ, vars: vars},
		})
		ok, conflict := 0, 0
		for _, o := range out {
			switch {
			case o.ok():
				ok++
			case o.code() == "CONFLICT":
				conflict++
			default:
				t.Errorf("round %d: unexpected answer %+v %v", round, o.Errors, o.err)
			}
		}
		if ok != 1 || conflict != 1 {
			t.Fatalf("round %d: %d started, %d refused; want exactly one of each", round, ok, conflict)
		}
	}
	open := 0
	for _, rv := range e.Client.Review.Query().AllX(apitest.Sys()) {
		if rv.CompletedAt == nil {
			open++
		}
		if n := e.Client.ReviewItem.Query().Where(reviewitem.ReviewID(rv.ID)).CountX(apitest.Sys()); n != len(r.A.Contacts) {
			t.Errorf("review %d has %d items, want %d", rv.ID, n, len(r.A.Contacts))
		}
	}
	if open != 1 {
		t.Errorf("%d open reviews", open)
	}
}

func TestStartReviewDueAtBounds(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	token := tokenOf(e, primary)
	for _, tc := range []struct {
		name string
		due  time.Time
	}{
		{"in the past", time.Now().Add(-time.Hour)},
		{"tomorrow", time.Now().Add(days(1))},
		{"in 6 days", time.Now().Add(days(6))},
		{"in 91 days", time.Now().Add(days(91))},
	} {
		before := reviewDump(t, e)
		res := e.Exec(token, startReviewQ, map[string]any{"s": r.A.ID, "due": tc.due.Format(time.RFC3339)})
		if res.Code() != "BAD_USER_INPUT" || !slices.Equal(res.Errors[0].Extensions.Fields, []string{"dueAt"}) {
			t.Errorf("due %s: %+v", tc.name, res.Errors)
		}
		if reviewDump(t, e) != before {
			t.Errorf("due %s: the refused start changed the database", tc.name)
		}
	}
	due := time.Now().Add(days(8)).Truncate(time.Second)
	var out struct{ StartReview struct{ DueAt time.Time } }
	e.Exec(token, startReviewQ, map[string]any{"s": r.A.ID, "due": due.Format(time.RFC3339)}).OK().Decode(&out)
	if !out.StartReview.DueAt.Equal(due) {
		t.Errorf("dueAt %v, want %v", out.StartReview.DueAt, due)
	}
}

func TestContactsAddedDuringAReviewJoinIt(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	primaryT := tokenOf(e, primary)
	id := startReview(t, e, primaryT, r.A.ID)

	e.Exec(primaryT, `mutation($s:ID!) { addContact(input:{siteId:$s, accessRole:USER, businessJustification:"needs downloads", details:`+details+`}) { id } }`,
		map[string]any{"s": r.A.ID}).OK()
	e.Exec(tokenOf(e, outsider), `mutation($n:String!){ requestAccess(siteNumber:$n, justification:"new buyer") { id } }`,
		map[string]any{"n": r.A.Number}).OK()
	reqID, err := e.Client.AccessRequest.Query().OnlyID(apitest.Sys())
	if err != nil {
		t.Fatal(err)
	}
	e.Exec(primaryT, `mutation($id:ID!) { decideAccessRequest(id:$id, grant:true) { id } }`, map[string]any{"id": reqID}).OK()

	items := itemsOf(t, e, id)
	for _, email := range []string{"new.person@x.example", apitest.Outsider} {
		it := items[email]
		if it == nil {
			t.Fatalf("%s did not join the open review (items %v)", email, slices.Collect(func(yield func(string) bool) {
				for k := range items {
					if !yield(k) {
						return
					}
				}
			}))
		}
		c := e.Client.Contact.GetX(apitest.Sys(), it.ContactID)
		if it.Decision != domain.DecisionPending || c.Email != email || it.Snapshot.Status != c.Status {
			t.Errorf("%s joined as %+v", email, it)
		}
	}
	if len(items) != len(r.A.Contacts)+2 {
		t.Errorf("%d items, want %d", len(items), len(r.A.Contacts)+2)
	}
	// Not before all are decided.
	if res := e.Exec(primaryT, completeQ, map[string]any{"id": id}); res.Code() != "CONFLICT" {
		t.Errorf("completing with PENDING items: %+v", res.Errors)
	}
}

func TestDecideReviewItemRules(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	primaryT, managerT := tokenOf(e, primary), tokenOf(e, secManager)
	id := startReview(t, e, primaryT, r.A.ID)
	items := itemsOf(t, e, id)
	item := func(email string) int { return items[email].ID }

	expect := func(res *apitest.Result, code string, what string) {
		t.Helper()
		if res.Code() != code {
			t.Errorf("%s: code %q (%+v), want %q", what, res.Code(), res.Errors, code)
		}
	}
	unchanged := func(email string, what string, f func() *apitest.Result, code string) {
		t.Helper()
		before := reviewDump(t, e)
		expect(f(), code, what)
		if reviewDump(t, e) != before {
			t.Errorf("%s: the refused decision changed the database", what)
		}
	}

	// A SECONDARY's deactivation and removal are the PRIMARY's.
	unchanged(apitest.SecEditor, "SecManager deactivating SecEditor", func() *apitest.Result {
		return decide(e, managerT, item(apitest.SecEditor), "DEACTIVATE")
	}, "FORBIDDEN")
	unchanged(apitest.SecEditor, "SecManager removing SecEditor", func() *apitest.Result {
		return decide(e, managerT, item(apitest.SecEditor), "REMOVE", "left the company")
	}, "FORBIDDEN")
	expect(decide(e, primaryT, item(apitest.SecEditor), "REMOVE", "left the company"), "", "the PRIMARY removing SecEditor")
	expect(decide(e, primaryT, item(apitest.SecNone), "DEACTIVATE"), "", "the PRIMARY deactivating SecNone")
	// KEEP of a SECONDARY is any manager's.
	expect(decide(e, managerT, item(apitest.SecViewer), "KEEP"), "", "SecManager keeping SecViewer")

	// Nobody decides their own item except KEEP.
	unchanged(apitest.SecManager, "SecManager deactivating itself", func() *apitest.Result {
		return decide(e, managerT, item(apitest.SecManager), "DEACTIVATE")
	}, "FORBIDDEN")
	unchanged(apitest.SecManager, "SecManager removing itself", func() *apitest.Result {
		return decide(e, managerT, item(apitest.SecManager), "REMOVE", "bye")
	}, "FORBIDDEN")
	expect(decide(e, managerT, item(apitest.SecManager), "KEEP"), "", "SecManager keeping itself")

	// The PRIMARY's item is KEEP only, whoever decides.
	for _, tok := range []string{primaryT, managerT} {
		unchanged(apitest.Primary, "deactivating the PRIMARY", func() *apitest.Result {
			return decide(e, tok, item(apitest.Primary), "DEACTIVATE")
		}, "FORBIDDEN")
		unchanged(apitest.Primary, "removing the PRIMARY", func() *apitest.Result {
			return decide(e, tok, item(apitest.Primary), "REMOVE", "gone")
		}, "FORBIDDEN")
	}
	expect(decide(e, primaryT, item(apitest.Primary), "KEEP"), "", "the PRIMARY keeping itself")

	// REMOVE needs a note.
	for _, note := range [][]string{nil, {""}, {"   "}} {
		before := reviewDump(t, e)
		res := decide(e, managerT, item(apitest.UserA), "REMOVE", note...)
		if res.Code() != "BAD_USER_INPUT" || !slices.Equal(res.Errors[0].Extensions.Fields, []string{"note"}) {
			t.Errorf("REMOVE with note %q: %+v", note, res.Errors)
		}
		if reviewDump(t, e) != before {
			t.Errorf("REMOVE with note %q changed the database", note)
		}
	}
	// USERs are any manager's.
	var decided struct {
		DecideReviewItem struct {
			Decision, DecidedBy string
			Note                *string
		}
	}
	decide(e, managerT, item(apitest.UserA), "REMOVE", "  not ours  ").OK().Decode(&decided)
	if d := decided.DecideReviewItem; d.Decision != "REMOVE" || d.Note == nil || *d.Note != "not ours" || d.DecidedBy != apitest.SecManager {
		t.Errorf("decided %+v", d)
	}
	expect(decide(e, managerT, item(apitest.UserB), "DEACTIVATE"), "", "SecManager deactivating UserB")
	// Undoing a decision clears it.
	expect(decide(e, managerT, item(apitest.UserB), "PENDING"), "", "SecManager undoing UserB")
	if it := e.Client.ReviewItem.GetX(apitest.Sys(), item(apitest.UserB)); it.Decision != domain.DecisionPending || it.DecidedBy != nil || it.DecidedAt != nil {
		t.Errorf("undone item %+v", it)
	}
	// Each decision is audited.
	n := e.Client.AuditEvent.Query().Where(auditevent.Action("decideReviewItem"), auditevent.TargetType(ent.TypeReviewItem)).CountX(apitest.Sys())
	if n < 8 {
		t.Errorf("%d decideReviewItem audit events, want one per decision taken (8)", n)
	}

	// Who else is refused, and how: KEEP on UserB's item.
	refusedBy(t, e, decideQ, map[string]any{"id": item(apitest.UserB), "d": "KEEP"}, true, managersOnly)
	// An item that does not exist.
	expect(decide(e, primaryT, 1_000_000, "KEEP"), "NOT_FOUND", "an unknown item")
}

// The privacy rule of ReviewItem asks the policy again below the directive: internal/review.Decide
// called with a viewer's context, past GraphQL, is refused all the same.
func TestDecideIsRefusedBelowTheDirective(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	id := startReview(t, e, tokenOf(e, primary), r.A.ID)
	items := itemsOf(t, e, id)
	as := func(email string) context.Context {
		c := r.A.Contacts[email]
		return ent.NewContext(viewer.NewContext(context.Background(), &viewer.Viewer{
			UserID: 1000 + c.ID, Email: email, EmailVerified: true,
			Memberships: map[int]viewer.Membership{r.A.ID: {SiteID: r.A.ID, ContactID: c.ID, Role: c.AccessRole, Privileges: c.Privileges()}},
		}), e.Client)
	}
	refused := func(err error) bool {
		var ae *apperr.Error
		return errors.Is(err, privacy.Deny) || (errors.As(err, &ae) && (ae.Code == apperr.Forbidden || ae.Code == apperr.NotFound))
	}
	before := reviewDump(t, e)
	for _, tc := range []struct {
		who, item string
		decision  domain.ReviewDecision
	}{
		{apitest.SecViewer, apitest.UserB, domain.DecisionKeep},            // reads the review, decides nothing
		{apitest.SecEditor, apitest.UserB, domain.DecisionKeep},            // reads nothing of it
		{apitest.UserA, apitest.UserA, domain.DecisionKeep},                // a USER, its own item
		{apitest.SecManager, apitest.SecEditor, domain.DecisionDeactivate}, // a SECONDARY's is the PRIMARY's
		{apitest.SecManager, apitest.SecManager, domain.DecisionDeactivate},
		{apitest.Primary, apitest.Primary, domain.DecisionDeactivate},
	} {
		_, err := reviews.Decide(as(tc.who), items[tc.item].ID, tc.decision, nil)
		if !refused(err) {
			t.Errorf("%s deciding %s on %s below the directive: %v, want a refusal", tc.who, tc.decision, tc.item, err)
		}
	}
	if reviewDump(t, e) != before {
		t.Errorf("the refused decisions changed the database")
	}
	// The same path allows what the policy allows.
	if _, err := reviews.Decide(as(apitest.SecManager), items[apitest.UserB].ID, domain.DecisionDeactivate, nil); err != nil {
		t.Errorf("SecManager deactivating UserB below the directive: %v", err)
	}
	// A bulk update of items, past the review package, asks the rule for every row.
	err := e.Client.ReviewItem.Update().Where(reviewitem.ReviewID(id)).SetDecision(domain.DecisionDeactivate).Exec(as(apitest.SecManager))
	if !refused(err) {
		t.Errorf("SecManager deactivating every item (the PRIMARY's too) in one update: %v", err)
	}
}

// completeFixture starts a review of Site A as the PRIMARY; decisions are the test's.
func completeFixture(t *testing.T) (*apitest.Env, *apitest.Roster, int, map[string]*ent.ReviewItem) {
	t.Helper()
	e := apitest.New(t)
	r := e.SeedRoster()
	id := startReview(t, e, tokenOf(e, primary), r.A.ID)
	return e, r, id, itemsOf(t, e, id)
}

func TestCompleteReviewIsForManagers(t *testing.T) {
	e, r, id, _ := completeFixture(t)
	e.Exec(tokenOf(e, primary), keepRestQ, map[string]any{"id": id}).OK()
	refusedBy(t, e, completeQ, map[string]any{"id": id}, true, managersOnly)
	refusedBy(t, e, keepRestQ, map[string]any{"id": id}, true, managersOnly)
	_ = r
	e.Exec(tokenOf(e, secManager), completeQ, map[string]any{"id": id}).OK()
}

func TestCompleteReviewAppliesTheDecisions(t *testing.T) {
	e, r, id, items := completeFixture(t)
	primaryT, managerT := tokenOf(e, primary), tokenOf(e, secManager)
	// Some other change before completion: the Site's due date moves with the completion.
	siteBefore := e.Client.Site.GetX(apitest.Sys(), r.A.ID)

	decide(e, primaryT, items[apitest.SecNone].ID, "DEACTIVATE").OK()
	decide(e, primaryT, items[apitest.SecEditor].ID, "REMOVE", "left the company").OK()
	decide(e, managerT, items[apitest.UserA].ID, "DEACTIVATE").OK()
	decide(e, managerT, items[apitest.UserB].ID, "REMOVE", "never used it").OK()
	if res := e.Exec(managerT, completeQ, map[string]any{"id": id}); res.Code() != "CONFLICT" {
		t.Fatalf("completing with PENDING items: %+v", res.Errors)
	}
	var kept struct {
		KeepRemainingReviewItems struct {
			Progress struct{ Total, Pending, Keep int }
		}
	}
	e.Exec(managerT, keepRestQ, map[string]any{"id": id}).OK().Decode(&kept)
	if p := kept.KeepRemainingReviewItems.Progress; p.Total != 7 || p.Pending != 0 || p.Keep != 3 {
		t.Fatalf("progress after keeping the rest %+v", p)
	}
	var done struct {
		CompleteReview struct {
			CompletedAt *time.Time
			CompletedBy string
			Attested    bool
		}
	}
	e.Exec(primaryT, completeQ, map[string]any{"id": id}).OK().Decode(&done)
	if c := done.CompleteReview; c.CompletedAt == nil || c.CompletedBy != apitest.Primary || c.Attested {
		t.Fatalf("completed %+v", c)
	}

	sys := apitest.Sys()
	for email, want := range map[string]domain.ContactStatus{apitest.SecNone: domain.StatusDeactivated, apitest.UserA: domain.StatusDeactivated,
		apitest.Primary: domain.StatusActive, apitest.SecManager: domain.StatusActive, apitest.SecViewer: domain.StatusActive} {
		if c := e.Client.Contact.GetX(sys, r.A.ContactID(email)); c.Status != want {
			t.Errorf("%s is %s, want %s", email, c.Status, want)
		}
	}
	for _, email := range []string{apitest.SecEditor, apitest.UserB} {
		if e.Client.Contact.Query().Where(contact.ID(r.A.ContactID(email))).ExistX(sys) {
			t.Errorf("%s was not removed", email)
		}
	}
	// Outcomes.
	wantOutcome := map[string]domain.ReviewOutcome{
		apitest.Primary: domain.OutcomeKept, apitest.SecManager: domain.OutcomeKept, apitest.SecViewer: domain.OutcomeKept,
		apitest.SecNone: domain.OutcomeDeactivated, apitest.UserA: domain.OutcomeDeactivated,
		apitest.SecEditor: domain.OutcomeRemoved, apitest.UserB: domain.OutcomeRemoved,
	}
	for email, it := range itemsOf(t, e, id) {
		if it.Outcome == nil || *it.Outcome != wantOutcome[email] {
			t.Errorf("%s: outcome %v, want %s", email, it.Outcome, wantOutcome[email])
		}
	}
	// Each applied change is audited as completeReview with the review's id.
	events := e.Client.AuditEvent.Query().Where(auditevent.TargetType(ent.TypeContact), auditevent.Action("completeReview")).AllX(sys)
	touched := map[int]int{}
	for _, ev := range events {
		if rid, _ := ev.After["review"].(float64); int(rid) != id {
			t.Errorf("audit event %d (%s %s %d) has review %v, want %d", ev.ID, ev.Action, ev.TargetType, ev.TargetID, ev.After["review"], id)
		}
		touched[ev.TargetID]++
	}
	for _, email := range []string{apitest.SecNone, apitest.UserA, apitest.SecEditor, apitest.UserB} {
		if touched[r.A.ContactID(email)] == 0 {
			t.Errorf("no completeReview audit event for %s (events %v)", email, touched)
		}
	}
	for _, email := range []string{apitest.Primary, apitest.SecManager, apitest.SecViewer} {
		if touched[r.A.ContactID(email)] != 0 {
			t.Errorf("a kept contact %s has completeReview audit events", email)
		}
	}
	// The Site is reviewed: now, by the completer, and due again an interval later.
	s := e.Client.Site.GetX(sys, r.A.ID)
	if s.LastReviewedAt == nil || time.Since(*s.LastReviewedAt) > time.Minute || s.LastReviewedBy != apitest.Primary {
		t.Errorf("Site reviewed at %v by %q", s.LastReviewedAt, s.LastReviewedBy)
	}
	if want := s.LastReviewedAt.AddDate(0, 0, s.ReviewIntervalDays); !s.ReviewDueAt.Equal(want) || !s.ReviewDueAt.After(siteBefore.ReviewDueAt) {
		t.Errorf("next review due %v, want %v (was %v)", s.ReviewDueAt, want, siteBefore.ReviewDueAt)
	}
	// Completed: every change refused, by the API...
	before := reviewDump(t, e)
	for _, res := range []*apitest.Result{
		decide(e, primaryT, items[apitest.UserA].ID, "KEEP"),
		e.Exec(primaryT, keepRestQ, map[string]any{"id": id}),
		e.Exec(primaryT, completeQ, map[string]any{"id": id}),
	} {
		if res.Code() != "CONFLICT" {
			t.Errorf("a change to the completed review: %+v", res.Errors)
		}
	}
	if reviewDump(t, e) != before {
		t.Errorf("a refused change to the completed review changed the database")
	}
	// ...and by Sitekeeper itself, below it (the ent hooks).
	for what, err := range map[string]error{
		"review due date": e.Client.Review.UpdateOneID(id).SetDueAt(time.Now().Add(days(30))).Exec(sys),
		"review deletion": e.Client.Review.DeleteOneID(id).Exec(sys),
		"item decision":   e.Client.ReviewItem.UpdateOneID(items[apitest.UserA].ID).SetDecision(domain.DecisionKeep).Exec(sys),
		"items in bulk":   e.Client.ReviewItem.Update().Where(reviewitem.ReviewID(id)).SetNote("x").Exec(sys),
		"item deletion":   e.Client.ReviewItem.DeleteOneID(items[apitest.UserA].ID).Exec(sys),
	} {
		if ae, ok := apperr.As(err); !ok || ae.Code != apperr.Conflict {
			t.Errorf("Sitekeeper changing the completed %s: %v, want CONFLICT", what, err)
		}
	}
	if reviewDump(t, e) != before {
		t.Errorf("Sitekeeper changed the completed review")
	}
	// A new review may start.
	startReview(t, e, managerT, r.A.ID)
}

// completeReview is all or nothing: a decision the completer may not apply refuses the whole
// completion, naming the items, and nothing changes.
func TestCompleteReviewIsAllOrNothing(t *testing.T) {
	e, r, id, items := completeFixture(t)
	primaryT, managerT := tokenOf(e, primary), tokenOf(e, secManager)
	decide(e, managerT, items[apitest.UserA].ID, "DEACTIVATE").OK() // SecManager may apply this one
	decide(e, primaryT, items[apitest.SecNone].ID, "REMOVE", "left").OK()
	decide(e, primaryT, items[apitest.SecEditor].ID, "DEACTIVATE").OK()
	e.Exec(managerT, keepRestQ, map[string]any{"id": id}).OK()

	before := reviewDump(t, e)
	res := e.Exec(managerT, completeQ, map[string]any{"id": id})
	if res.Code() != "FORBIDDEN" {
		t.Fatalf("SecManager completing with the PRIMARY's decisions on SECONDARYs: %+v", res.Errors)
	}
	ids := res.Errors[0].Extensions.IDs
	slices.Sort(ids)
	want := []string{strconv.Itoa(items[apitest.SecNone].ID), strconv.Itoa(items[apitest.SecEditor].ID)}
	slices.Sort(want)
	if !slices.Equal(ids, want) {
		t.Errorf("refused items %v, want %v", ids, want)
	}
	if reviewDump(t, e) != before {
		t.Errorf("the refused completion changed the database")
	}
	if c := e.Client.Contact.GetX(apitest.Sys(), r.A.ContactID(apitest.UserA)); c.Status != domain.StatusActive {
		t.Errorf("UserA is %s after the refused completion", c.Status)
	}
	if rv := reviewRow(t, e, id); rv.CompletedAt != nil {
		t.Errorf("the review completed")
	}
	// markSiteReviewed refuses for the same reason, and changes nothing either.
	res = e.Exec(managerT, markQ, map[string]any{"s": r.A.ID})
	if res.Code() != "FORBIDDEN" {
		t.Errorf("SecManager marking reviewed: %+v", res.Errors)
	}
	if reviewDump(t, e) != before {
		t.Errorf("the refused markSiteReviewed changed the database")
	}
	// The PRIMARY completes it.
	e.Exec(primaryT, completeQ, map[string]any{"id": id}).OK()
	if e.Client.Contact.Query().Where(contact.ID(r.A.ContactID(apitest.SecNone))).ExistX(apitest.Sys()) {
		t.Errorf("SecNone was not removed")
	}
}

func TestMarkSiteReviewedCompletesTheOpenReview(t *testing.T) {
	e, r, id, items := completeFixture(t)
	primaryT, managerT := tokenOf(e, primary), tokenOf(e, secManager)
	decide(e, managerT, items[apitest.UserA].ID, "DEACTIVATE").OK()
	decide(e, managerT, items[apitest.UserB].ID, "KEEP").OK()
	refusedBy(t, e, markQ, map[string]any{"s": r.A.ID}, true, managersOnly)

	var out struct {
		MarkSiteReviewed struct {
			LastReviewedAt *time.Time
			ReviewDueAt    time.Time
		}
	}
	e.Exec(managerT, markQ, map[string]any{"s": r.A.ID}).OK().Decode(&out)
	rv := reviewRow(t, e, id)
	if rv.CompletedAt == nil || !rv.Attested || rv.CompletedBy == nil || *rv.CompletedBy != apitest.SecManager {
		t.Fatalf("review after markSiteReviewed %+v", rv)
	}
	for email, it := range itemsOf(t, e, id) {
		want := domain.OutcomeKeptByAttestation
		switch email {
		case apitest.UserA:
			want = domain.OutcomeDeactivated
		case apitest.UserB:
			want = domain.OutcomeKept
		}
		if it.Outcome == nil || *it.Outcome != want {
			t.Errorf("%s: outcome %v, want %s", email, it.Outcome, want)
		}
		if email != apitest.UserA && it.Decision != domain.DecisionKeep {
			t.Errorf("%s: decision %s", email, it.Decision)
		}
	}
	if c := e.Client.Contact.GetX(apitest.Sys(), r.A.ContactID(apitest.UserA)); c.Status != domain.StatusDeactivated {
		t.Errorf("UserA is %s: the decision taken was not applied", c.Status)
	}
	s := e.Client.Site.GetX(apitest.Sys(), r.A.ID)
	if s.LastReviewedAt == nil || out.MarkSiteReviewed.LastReviewedAt == nil || !s.LastReviewedAt.Equal(*out.MarkSiteReviewed.LastReviewedAt) {
		t.Errorf("Site reviewed at %v, answer %v", s.LastReviewedAt, out.MarkSiteReviewed.LastReviewedAt)
	}
	// Without a review open it marks the Site reviewed as before.
	time.Sleep(10 * time.Millisecond)
	e.Exec(primaryT, markQ, map[string]any{"s": r.A.ID}).OK()
	s2 := e.Client.Site.GetX(apitest.Sys(), r.A.ID)
	if !s2.LastReviewedAt.After(*s.LastReviewedAt) || s2.LastReviewedBy != apitest.Primary {
		t.Errorf("markSiteReviewed without a review: %v by %s", s2.LastReviewedAt, s2.LastReviewedBy)
	}
	if n := e.Client.Review.Query().CountX(apitest.Sys()); n != 1 {
		t.Errorf("%d reviews: markSiteReviewed without an open review made one", n)
	}
}

func TestConfirmOwnDetails(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	userT := tokenOf(e, user)
	const q = `query($id:ID!) { node(id:$id) { ... on Contact { confirmationRequested } } }`
	requested := func(token string, contactID int) bool {
		t.Helper()
		var out struct {
			Node struct{ ConfirmationRequested bool }
		}
		e.Exec(token, q, map[string]any{"id": contactID}).OK().Decode(&out)
		return out.Node.ConfirmationRequested
	}
	// No review open: nothing to confirm.
	before := reviewDump(t, e)
	if res := e.Exec(userT, confirmQ, map[string]any{"s": r.A.ID}); res.Code() != "CONFLICT" {
		t.Errorf("confirming without an open review: %+v", res.Errors)
	}
	if reviewDump(t, e) != before {
		t.Errorf("the refused confirmation changed the database")
	}
	if requested(userT, r.A.ContactID(apitest.UserA)) {
		t.Errorf("confirmation requested without an open review")
	}

	id := startReview(t, e, tokenOf(e, primary), r.A.ID)
	if !requested(userT, r.A.ContactID(apitest.UserA)) {
		t.Errorf("UserA is not asked to confirm during the review")
	}
	// Never for someone else's record.
	for _, tc := range []struct {
		actor string
		of    string
	}{{primary, apitest.UserA}, {secManager, apitest.UserA}, {secViewer, apitest.UserA}, {operator, apitest.UserA}} {
		if requested(tokenOf(e, tc.actor), r.A.ContactID(tc.of)) {
			t.Errorf("%s sees confirmationRequested on %s's record", tc.actor, tc.of)
		}
	}
	refusedBy(t, e, confirmQ, map[string]any{"s": r.A.ID}, true, map[string]string{
		anonymous: "UNAUTHENTICATED", outsider: "NOT_FOUND", otherPrimary: "NOT_FOUND", otherPartner: "NOT_FOUND",
		operator: "FORBIDDEN", partner: "FORBIDDEN",
	})

	var out struct {
		ConfirmOwnDetails struct {
			ID                    string
			ConfirmationRequested bool
		}
	}
	e.Exec(userT, confirmQ, map[string]any{"s": r.A.ID}).OK().Decode(&out)
	if idOf(t, out.ConfirmOwnDetails.ID) != r.A.ContactID(apitest.UserA) || out.ConfirmOwnDetails.ConfirmationRequested {
		t.Errorf("confirmed %+v", out.ConfirmOwnDetails)
	}
	it := itemsOf(t, e, id)[apitest.UserA]
	if it.SelfConfirmedAt == nil || time.Since(*it.SelfConfirmedAt) > time.Minute || it.Decision != domain.DecisionPending {
		t.Errorf("item after confirming %+v", it)
	}
	if requested(userT, r.A.ContactID(apitest.UserA)) {
		t.Errorf("still asked to confirm after confirming")
	}
	// Any ACTIVE contact, whatever its privileges.
	e.Exec(tokenOf(e, secNone), confirmQ, map[string]any{"s": r.A.ID}).OK()
	e.Exec(tokenOf(e, primary), confirmQ, map[string]any{"s": r.A.ID}).OK()
	var progress struct {
		Site struct {
			CurrentReview struct{ Progress struct{ SelfConfirmed int } }
		}
	}
	e.Exec(tokenOf(e, primary), `query($n:String!) { site(number:$n) { currentReview { progress { selfConfirmed } } } }`,
		map[string]any{"n": r.A.Number}).OK().Decode(&progress)
	if n := progress.Site.CurrentReview.Progress.SelfConfirmed; n != 3 {
		t.Errorf("selfConfirmed %d, want 3", n)
	}
	// A DEACTIVATED contact is no longer the Site's member: it cannot confirm.
	deactivate(apitest.UserB)(e, r)
	if res := e.Exec(e.TokenFor(apitest.UserB), confirmQ, map[string]any{"s": r.A.ID}); res.Code() == "" {
		t.Errorf("a DEACTIVATED contact confirmed")
	}
}

func TestReadingReviews(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	id := startReview(t, e, tokenOf(e, primary), r.A.ID)
	itemID := itemsOf(t, e, id)[apitest.UserB].ID
	readers := []string{primary, secManager, secViewer, operator}
	const siteQ = `query($n:String!) { site(number:$n) { currentReview { id items(first:10) { totalCount edges { node { id decision contact { email } } } } }
		reviews(first:5) { totalCount edges { node { id } } } } }`
	for _, actor := range actors {
		token := tokenOf(e, actor)
		allowed := slices.Contains(readers, actor)
		res := e.Exec(token, siteQ, map[string]any{"n": r.A.Number})
		var site struct {
			Site *struct {
				CurrentReview *struct {
					ID    string
					Items struct{ TotalCount int }
				}
				Reviews *struct{ TotalCount int }
			}
		}
		res.Decode(&site)
		if allowed {
			res.OK()
			if s := site.Site; s == nil || s.CurrentReview == nil || idOf(t, s.CurrentReview.ID) != id || s.CurrentReview.Items.TotalCount != 7 || s.Reviews.TotalCount != 1 {
				t.Errorf("%s reads %s", actor, res.Data)
			}
		} else if s := site.Site; s != nil && (s.CurrentReview != nil || s.Reviews != nil) {
			t.Errorf("%s read the Site's reviews: %s", actor, res.Data)
		} else if res.Code() == "" && s != nil {
			t.Errorf("%s: the Site's reviews refused without an error: %s", actor, res.Data)
		}
		// node(id:) of the review and of an item: the review's readers, null for anyone else.
		for _, q := range []struct {
			id    int
			query string
		}{
			{id, `query($id:ID!) { node(id:$id) { ... on Review { id startedBy } } }`},
			{itemID, `query($id:ID!) { node(id:$id) { ... on ReviewItem { id decision snapshot { email } } } }`},
		} {
			res := e.Exec(token, q.query, map[string]any{"id": q.id})
			var out struct{ Node *struct{ ID string } }
			res.Decode(&out)
			switch {
			case allowed && (out.Node == nil || idOf(t, out.Node.ID) != q.id):
				t.Errorf("%s: node(%d) %s %+v", actor, q.id, res.Data, res.Errors)
			case !allowed && out.Node != nil:
				t.Errorf("%s read node(%d): %s", actor, q.id, res.Data)
			case !allowed && res.Code() != "" && res.Code() != "NOT_FOUND" && res.Code() != "UNAUTHENTICATED":
				t.Errorf("%s: node(%d) refused with %q", actor, q.id, res.Code())
			}
		}
		// The root list is filtered.
		if actor == anonymous {
			continue
		}
		var root struct{ Reviews struct{ TotalCount int } }
		e.Exec(token, `{ reviews(first:5) { totalCount } }`, nil).OK().Decode(&root)
		if want := map[bool]int{true: 1, false: 0}[allowed]; root.Reviews.TotalCount != want {
			t.Errorf("%s: reviews() counts %d, want %d", actor, root.Reviews.TotalCount, want)
		}
	}
}

func TestReviewSuggestions(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	sys := apitest.Sys()
	now := time.Now()
	ids := map[string]int{}
	add := func(email string, status domain.ContactStatus, software domain.SoftwareAccessLevel) int {
		c, err := e.Client.Contact.Create().SetSiteID(r.A.ID).SetEmail(email).SetFirstName("S").SetLastName(email[:4]).
			SetPhone("+1 914 555 0100").SetCity("Armonk").SetStateProvince("NY").SetPostalCode("10504").
			SetBusinessJustification("suggestions").SetAccessRole(domain.RoleUser).SetStatus(status).
			SetSoftwareAccess(software).SetInvitationExpiresAt(now.Add(days(7))).Save(sys)
		if err != nil {
			t.Fatal(err)
		}
		ids[email] = c.ID
		return c.ID
	}
	expired := add("expired@x.example", domain.StatusInvited, domain.SoftwareNone)
	e.ExecSQL(`UPDATE contacts SET invitation_expires_at = ? WHERE id = ?`, now.Add(-days(2)), expired)
	idle := add("idle@x.example", domain.StatusActive, domain.SoftwareFull)
	e.ExecSQL(`UPDATE contacts SET last_sign_in_at = ? WHERE id = ?`, now.Add(-days(100)), idle)
	never := add("never@x.example", domain.StatusActive, domain.SoftwareFull)
	e.ExecSQL(`UPDATE contacts SET last_sign_in_at = NULL, created_at = ? WHERE id = ?`, now.Add(-days(120)), never)
	recent := add("recent@x.example", domain.StatusActive, domain.SoftwareFull)
	e.ExecSQL(`UPDATE contacts SET last_sign_in_at = ? WHERE id = ?`, now.Add(-days(10)), recent)
	// The PRIMARY has not signed in for long either: its item is KEEP only, nothing is suggested.
	e.ExecSQL(`UPDATE contacts SET last_sign_in_at = ? WHERE id = ?`, now.Add(-days(200)), r.A.ContactID(apitest.Primary))

	token := tokenOf(e, secViewer) // a reader, not a manager
	startReview(t, e, tokenOf(e, primary), r.A.ID)
	var out struct {
		Site struct {
			CurrentReview struct {
				Items struct {
					Edges []struct {
						Node struct {
							Contact    struct{ ID string }
							Suggestion *struct {
								Decision, Reason string
							}
							PrivilegeFlags []string
						}
					}
				}
			}
		}
	}
	e.Exec(token, `query($n:String!) { site(number:$n) { currentReview { items(first:50) { edges { node {
		contact { id } suggestion { decision reason } privilegeFlags } } } } } }`, map[string]any{"n": r.A.Number}).OK().Decode(&out)
	type got struct {
		decision string
		flags    []string
	}
	byContact := map[int]got{}
	for _, edge := range out.Site.CurrentReview.Items.Edges {
		n := edge.Node
		g := got{flags: n.PrivilegeFlags}
		if n.Suggestion != nil {
			g.decision = n.Suggestion.Decision
			if n.Suggestion.Reason == "" {
				t.Errorf("suggestion without a reason for %s", n.Contact.ID)
			}
		}
		byContact[idOf(t, n.Contact.ID)] = g
	}
	check := func(name string, id int, decision string, flag string) {
		t.Helper()
		g, ok := byContact[id]
		if !ok {
			t.Fatalf("%s: no item", name)
		}
		if g.decision != decision {
			t.Errorf("%s: suggested %q, want %q", name, g.decision, decision)
		}
		if (flag == "") != (len(g.flags) == 0) || (flag != "" && !slices.ContainsFunc(g.flags, func(f string) bool { return f == flag })) {
			t.Errorf("%s: privilegeFlags %q, want %q", name, g.flags, flag)
		}
	}
	check("an expired invitation", expired, "REMOVE", "")
	check("no sign-in in 100 days", idle, "DEACTIVATE", "softwareAccess FULL but no sign-in in 90 days")
	check("never signed in, added 120 days ago", never, "DEACTIVATE", "softwareAccess FULL but never signed in")
	check("signed in 10 days ago", recent, "", "")
	check("the PRIMARY", r.A.ContactID(apitest.Primary), "", "")
}

func TestChangesSincePreviousReview(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	primaryT := tokenOf(e, primary)
	userA := r.A.ContactID(apitest.UserA)
	edit := func(input string) {
		t.Helper()
		c := e.Client.Contact.GetX(apitest.Sys(), userA)
		e.Exec(primaryT, `mutation($id:ID!, $v:Int!) { updateContact(id:$id, expectedVersion:$v, input:`+input+`) { id } }`,
			map[string]any{"id": userA, "v": c.Version}).OK()
	}
	changes := func(reviewID int) []string {
		t.Helper()
		var out struct {
			Node struct {
				Items struct {
					Edges []struct {
						Node struct {
							Contact                    struct{ ID string }
							ChangesSincePreviousReview []struct {
								Action string
								After  map[string]any
							}
						}
					}
				}
			}
		}
		e.Exec(primaryT, `query($id:ID!) { node(id:$id) { ... on Review { items(first:50) { edges { node {
			contact { id } changesSincePreviousReview { action after } } } } } } }`, map[string]any{"id": reviewID}).OK().Decode(&out)
		for _, edge := range out.Node.Items.Edges {
			if idOf(t, edge.Node.Contact.ID) != userA {
				continue
			}
			var got []string
			for _, ch := range edge.Node.ChangesSincePreviousReview {
				got = append(got, ch.Action)
			}
			return got
		}
		t.Fatalf("no item of UserA in review %d", reviewID)
		return nil
	}

	edit(`{jobTitle:"Buyer"}`)
	first := startReview(t, e, primaryT, r.A.ID)
	edit(`{jobTitle:"Chief Buyer"}`)
	during := changes(first)
	if n := strings.Count(strings.Join(during, ","), "updateContact"); n != 2 {
		t.Errorf("the first review lists UserA's changes %q, want both edits", during)
	}
	e.Exec(primaryT, keepRestQ, map[string]any{"id": first}).OK()
	e.Exec(primaryT, completeQ, map[string]any{"id": first}).OK()
	completed := changes(first)

	// Later edits are the next review's, not the completed one's.
	edit(`{jobTitle:"Head of Buying"}`)
	if again := changes(first); !slices.Equal(again, completed) {
		t.Errorf("the completed review's list grew: %q, then %q", completed, again)
	}
	second := startReview(t, e, primaryT, r.A.ID)
	if got := changes(second); !slices.Equal(got, []string{"updateContact"}) {
		t.Errorf("the second review lists %q, want the one edit since the first completed", got)
	}
}
