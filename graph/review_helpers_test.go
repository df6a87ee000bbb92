package graph_test

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"sitekeeper/ent"
	"sitekeeper/ent/review"
	"sitekeeper/ent/reviewitem"
	"sitekeeper/internal/testkit/apitest"
)

// Helpers of the access-review tests (review_test.go, review_scale_test.go).

const (
	startReviewQ = `mutation($s:ID!, $due:Time) { startReview(siteId:$s, dueAt:$due) { id dueAt startedBy completedAt } }`
	decideQ      = `mutation($id:ID!, $d:ReviewDecision!, $note:String) { decideReviewItem(id:$id, decision:$d, note:$note) { id decision note decidedBy } }`
	keepRestQ    = `mutation($id:ID!) { keepRemainingReviewItems(reviewId:$id) { id progress { total pending keep } } }`
	completeQ    = `mutation($id:ID!) { completeReview(id:$id) { id completedAt completedBy attested } }`
	markQ        = `mutation($s:ID!) { markSiteReviewed(siteId:$s) { id lastReviewedAt reviewDueAt } }`
	confirmQ     = `mutation($s:ID!) { confirmOwnDetails(siteId:$s) { id confirmationRequested } }`
)

// startReview starts a review of the Site as token and returns its id.
func startReview(t *testing.T, e *apitest.Env, token string, siteID int) int {
	t.Helper()
	var out struct {
		StartReview struct{ ID string }
	}
	e.Exec(token, startReviewQ, map[string]any{"s": siteID}).OK().Decode(&out)
	return idOf(t, out.StartReview.ID)
}

func idOf(t testing.TB, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("id %q: %v", s, err)
	}
	return n
}

// itemsOf are a review's items by their contact's email (as the snapshot names it).
func itemsOf(t testing.TB, e *apitest.Env, reviewID int) map[string]*ent.ReviewItem {
	t.Helper()
	all, err := e.Client.ReviewItem.Query().Where(reviewitem.ReviewID(reviewID)).All(apitest.Sys())
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string]*ent.ReviewItem, len(all))
	for _, it := range all {
		out[it.Snapshot.Email] = it
	}
	return out
}

func reviewRow(t testing.TB, e *apitest.Env, id int) *ent.Review {
	t.Helper()
	r, err := e.Client.Review.Query().Where(review.ID(id)).Only(apitest.Sys())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func decide(e *apitest.Env, token string, itemID int, decision string, note ...string) *apitest.Result {
	vars := map[string]any{"id": itemID, "d": decision}
	if len(note) > 0 {
		vars["note"] = note[0]
	}
	return e.Exec(token, decideQ, vars)
}

// reviewDump is apitest.Dump with the review tables and the outbox, for checking that a refused
// review mutation changed nothing.
func reviewDump(t testing.TB, e *apitest.Env) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(e.Dump())
	for _, table := range []string{"reviews", "review_items", "notifications"} {
		rows, err := e.DB.Query("SELECT * FROM " + table + " ORDER BY id")
		if err != nil {
			t.Fatalf("dump %s: %v", table, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatalf("dump %s: %v", table, err)
			}
			fmt.Fprintf(&b, "%s %v\n", table, vals)
		}
		rows.Close()
	}
	return b.String()
}

// refusedBy runs a request as each actor named in want (actor -> expected code) and checks the
// code; for a mutation, that the database is exactly as it was.
func refusedBy(t *testing.T, e *apitest.Env, query string, vars map[string]any, mutation bool, want map[string]string) {
	t.Helper()
	actorsInOrder := make([]string, 0, len(want))
	for actor := range want {
		actorsInOrder = append(actorsInOrder, actor)
	}
	slices.Sort(actorsInOrder)
	for _, actor := range actorsInOrder {
		before := ""
		if mutation {
			before = reviewDump(t, e)
		}
		res := e.Exec(tokenOf(e, actor), query, vars)
		if res.Code() != want[actor] {
			t.Errorf("%s: code %q (%+v, data %s), want %s", actor, res.Code(), res.Errors, res.Data, want[actor])
		}
		if mutation && reviewDump(t, e) != before {
			t.Errorf("%s: a refused mutation changed the database", actor)
		}
	}
}

// managersOnly is who is refused what only the Site's managers may do, and how.
var managersOnly = map[string]string{
	anonymous: "UNAUTHENTICATED",
	outsider:  "NOT_FOUND", otherPrimary: "NOT_FOUND", otherPartner: "NOT_FOUND",
	user: "FORBIDDEN", secEditor: "FORBIDDEN", secViewer: "FORBIDDEN", secNone: "FORBIDDEN",
	partner: "FORBIDDEN", operator: "FORBIDDEN",
}

func days(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }
