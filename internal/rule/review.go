package rule

import (
	"context"
	"fmt"

	"sitekeeper/ent"
	"sitekeeper/ent/contact"
	"sitekeeper/ent/privacy"
	"sitekeeper/ent/review"
	"sitekeeper/ent/reviewitem"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/policy"
	"sitekeeper/internal/viewer"
)

// FilterReviews: a Site's reviews are read by the readers of its audit log (READ_REVIEWS).
func FilterReviews() privacy.QueryRule {
	return privacy.ReviewQueryRuleFunc(func(ctx context.Context, q *ent.ReviewQuery) error {
		v := viewer.FromContext(ctx)
		if policy.ReadsEverything(v) {
			return privacy.Allow
		}
		q.Where(review.SiteIDIn(sitesWhere(v, policy.CanReadReviews)...))
		return privacy.Skip
	})
}

// FilterReviewItems: the items of the reviews the viewer reads.
func FilterReviewItems() privacy.QueryRule {
	return privacy.ReviewItemQueryRuleFunc(func(ctx context.Context, q *ent.ReviewItemQuery) error {
		v := viewer.FromContext(ctx)
		if policy.ReadsEverything(v) {
			return privacy.Allow
		}
		q.Where(reviewitem.SiteIDIn(sitesWhere(v, policy.CanReadReviews)...))
		return privacy.Skip
	})
}

// SiteOfReview finds the Site a review mutation belongs to.
func SiteOfReview(ctx context.Context, m ent.Mutation) (int, error) {
	rm := m.(*ent.ReviewMutation)
	if id, ok := rm.SiteID(); ok {
		return id, nil
	}
	ids, err := rm.IDs(Unrestricted(ctx))
	if err != nil || len(ids) != 1 {
		return 0, fmt.Errorf("a review mutation names one review: %v", err)
	}
	r, err := rm.Client().Review.Get(Unrestricted(ctx), ids[0])
	if err != nil {
		return 0, err
	}
	return r.SiteID, nil
}

// ReviewItemMutations: the review's managers create items (starting the review) and mark what
// completing it did; each decision passes DECIDE_REVIEW_ITEM for its contact, a self-confirmation
// CONFIRM_OWN_DETAILS; nothing deletes an item.
func ReviewItemMutations() privacy.MutationRule {
	return privacy.ReviewItemMutationRuleFunc(func(ctx context.Context, m *ent.ReviewItemMutation) error {
		v := viewer.FromContext(ctx)
		if policy.IsSitekeeper(v) {
			return privacy.Allow
		}
		switch {
		case m.Op().Is(ent.OpDelete | ent.OpDeleteOne):
			return privacy.Denyf("review items are evidence and are never deleted")
		case m.Op().Is(ent.OpCreate):
			siteID, _ := m.SiteID()
			return authorize(ctx, policy.Request{Action: policy.ManageSite, SiteID: siteID})
		}
		items, err := itemsTouched(ctx, m)
		if err != nil {
			return err
		}
		requests, err := itemRequests(ctx, m, items)
		if err != nil {
			return err
		}
		for _, r := range requests {
			if err := policy.Authorize(v, r); err != nil {
				return err
			}
		}
		return privacy.Skip
	})
}

func itemsTouched(ctx context.Context, m *ent.ReviewItemMutation) ([]*ent.ReviewItem, error) {
	sys := Unrestricted(ctx)
	ids, err := m.IDs(sys)
	if err != nil {
		return nil, err
	}
	return m.Client().ReviewItem.Query().Where(reviewitem.IDIn(ids...)).All(sys)
}

// itemRequests asks, for each item an update touches, what the change is: a decision (judged on
// the contact as it is now, or as the review found it when it is gone), a self-confirmation, or
// the outcome completion records (the Site's managers).
func itemRequests(ctx context.Context, m *ent.ReviewItemMutation, items []*ent.ReviewItem) ([]policy.Request, error) {
	decision, decides := m.Decision()
	_, confirms := m.SelfConfirmedAt()
	facts, err := itemContacts(ctx, m.Client(), items)
	if err != nil {
		return nil, err
	}
	var requests []policy.Request
	for _, it := range items {
		c := facts[it.ID]
		switch {
		case decides:
			requests = append(requests, policy.Request{Action: policy.DecideReviewItem, SiteID: it.SiteID, Contact: c, Decision: decision})
		case confirms:
			requests = append(requests, policy.Request{Action: policy.ConfirmOwnDetails, SiteID: it.SiteID, Contact: c})
		default:
			requests = append(requests, policy.Request{Action: policy.ManageSite, SiteID: it.SiteID})
		}
	}
	return requests, nil
}

// itemContacts are the policy's facts about each item's contact, in one query.
func itemContacts(ctx context.Context, client *ent.Client, items []*ent.ReviewItem) (map[int]*policy.Contact, error) {
	ids := make([]int, len(items))
	for i, it := range items {
		ids[i] = it.ContactID
	}
	live, err := client.Contact.Query().Where(contact.IDIn(ids...)).All(Unrestricted(ctx))
	if err != nil {
		return nil, err
	}
	byID := make(map[int]*ent.Contact, len(live))
	for _, c := range live {
		byID[c.ID] = c
	}
	out := make(map[int]*policy.Contact, len(items))
	for _, it := range items {
		if c := byID[it.ContactID]; c != nil {
			out[it.ID] = ContactFacts(c)
			continue
		}
		out[it.ID] = SnapshotFacts(it)
	}
	return out, nil
}

// SnapshotFacts are the policy's facts about a contact that is gone, as the review found it.
func SnapshotFacts(it *ent.ReviewItem) *policy.Contact {
	s := it.Snapshot
	return &policy.Contact{ID: it.ContactID, SiteID: it.SiteID, Role: s.AccessRole, Status: domain.StatusDeactivated, Privileges: s.Privileges}
}
