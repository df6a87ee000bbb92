package review_test

import (
	"testing"

	"sitekeeper/ent/reviewitem"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/testkit/apitest"
)

// TestCompletingKeepsNobodyWhoIsGone: a contact removed by hand while the review was open, then
// kept (one by one, with keepRemainingReviewItems, or by markSiteReviewed's attestation), had
// nothing applied: its outcome is GONE, never KEPT, so the evidence does not say it was kept.
func TestCompletingKeepsNobodyWhoIsGone(t *testing.T) {
	for _, how := range []string{"keepRemainingReviewItems", "markSiteReviewed"} {
		t.Run(how, func(t *testing.T) {
			e, ros := serveEvidence(t)
			primary := e.TokenFor(apitest.Primary)
			var started struct {
				StartReview struct{ ID string } `json:"startReview"`
			}
			e.Exec(primary, `mutation($s:ID!) { startReview(siteId:$s) { id } }`, map[string]any{"s": ros.A.ID}).OK().Decode(&started)
			gone := ros.A.ContactID(apitest.UserB)
			e.Exec(primary, `mutation($id:ID!) { deactivateContact(id:$id) { id } }`, map[string]any{"id": gone}).OK()
			e.Exec(primary, `mutation($id:ID!) { removeContact(id:$id) }`, map[string]any{"id": gone}).OK()
			if how == "keepRemainingReviewItems" {
				e.Exec(primary, `mutation($id:ID!) { keepRemainingReviewItems(reviewId:$id) { id } }`, map[string]any{"id": started.StartReview.ID}).OK()
				e.Exec(primary, `mutation($id:ID!) { completeReview(id:$id) { id } }`, map[string]any{"id": started.StartReview.ID}).OK()
			} else {
				e.Exec(primary, `mutation($s:ID!) { markSiteReviewed(siteId:$s) { id } }`, map[string]any{"s": ros.A.ID}).OK()
			}
			items, err := e.Client.ReviewItem.Query().Where(reviewitem.HasReview()).All(apitest.Sys())
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range items {
				want := domain.OutcomeKept
				if how == "markSiteReviewed" {
					want = domain.OutcomeKeptByAttestation
				}
				if it.ContactID == gone {
					want = domain.OutcomeGone
				}
				if got := deref(it.Outcome); it.Decision != domain.DecisionKeep || got != want {
					t.Errorf("%s: decision %s, outcome %q, want KEEP and %s", it.Snapshot.Email, it.Decision, got, want)
				}
			}
		})
	}
}

func deref[T any](p *T) (v T) {
	if p != nil {
		v = *p
	}
	return v
}
