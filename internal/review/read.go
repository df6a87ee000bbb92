package review

import (
	"context"
	"time"

	entsql "entgo.io/ent/dialect/sql"

	"sitekeeper/ent"
	"sitekeeper/ent/auditevent"
	"sitekeeper/ent/contact"
	"sitekeeper/ent/review"
	"sitekeeper/ent/reviewitem"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/rule"
)

// Progress counts a review's items by decision.
type Progress struct {
	Total, Pending, Keep, Deactivate, Remove, SelfConfirmed int
}

// ProgressOf counts the items of several reviews in one query.
func ProgressOf(ctx context.Context, client *ent.Client, reviewIDs []int) (map[int]*Progress, error) {
	var rows []struct {
		ReviewID  int                   `json:"review_id"`
		Decision  domain.ReviewDecision `json:"decision"`
		Count     int                   `json:"count"`
		Confirmed int                   `json:"confirmed"`
	}
	err := client.ReviewItem.Query().Where(reviewitem.ReviewIDIn(reviewIDs...)).
		Modify(func(s *entsql.Selector) {
			s.Select(s.C(reviewitem.FieldReviewID), s.C(reviewitem.FieldDecision),
				entsql.As(entsql.Count("*"), "count"),
				entsql.As(entsql.Count(s.C(reviewitem.FieldSelfConfirmedAt)), "confirmed")).
				GroupBy(s.C(reviewitem.FieldReviewID), s.C(reviewitem.FieldDecision))
		}).
		Scan(ctx, &rows)
	if err != nil {
		return nil, err
	}
	out := make(map[int]*Progress, len(reviewIDs))
	for _, id := range reviewIDs {
		out[id] = &Progress{}
	}
	for _, r := range rows {
		p := out[r.ReviewID]
		p.Total += r.Count
		p.SelfConfirmed += r.Confirmed
		switch r.Decision {
		case domain.DecisionPending:
			p.Pending += r.Count
		case domain.DecisionKeep:
			p.Keep += r.Count
		case domain.DecisionDeactivate:
			p.Deactivate += r.Count
		case domain.DecisionRemove:
			p.Remove += r.Count
		}
	}
	return out, nil
}

// Window is the span of the audit log a review's items show as "changes since the previous
// review": after the Site's previous completed review, up to this one's completion (or now).
// A completed review's window is closed, so what it shows never changes.
func Window(ctx context.Context, client *ent.Client, r *ent.Review) (from, to time.Time, err error) {
	prev, err := client.Review.Query().
		Where(review.SiteID(r.SiteID), review.CompletedAtNotNil(), review.StartedAtLT(r.StartedAt)).
		Order(ent.Desc(review.FieldCompletedAt)).First(rule.Unrestricted(ctx))
	switch {
	case ent.IsNotFound(err):
	case err != nil:
		return from, to, err
	default:
		from = *prev.CompletedAt
	}
	to = time.Now()
	if r.CompletedAt != nil {
		to = *r.CompletedAt
	}
	return from, to, nil
}

// ChangesOf are the audit events of the contacts, within the window, by contact, in one query
// that the audit log's own read rule filters.
func ChangesOf(ctx context.Context, client *ent.Client, contactIDs []int, from, to time.Time) (map[int][]*ent.AuditEvent, error) {
	events, err := client.AuditEvent.Query().Where(
		auditevent.TargetType(ent.TypeContact), auditevent.TargetIDIn(contactIDs...),
		auditevent.CreatedAtGT(from), auditevent.CreatedAtLT(to),
	).Order(ent.Asc(auditevent.FieldID)).All(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[int][]*ent.AuditEvent, len(contactIDs))
	for _, e := range events {
		out[e.TargetID] = append(out[e.TargetID], e)
	}
	return out, nil
}

// ContactsOf are the items' contacts as they are now, read as the caller; one that is gone (the
// review removed it) is rebuilt from its snapshot, so an item always names its contact.
func ContactsOf(ctx context.Context, client *ent.Client, items []*ent.ReviewItem) (map[int]*ent.Contact, map[int]bool, error) {
	ids := make([]int, len(items))
	for i, it := range items {
		ids[i] = it.ContactID
	}
	rows, err := client.Contact.Query().Where(contact.IDIn(ids...)).All(ctx)
	if err != nil {
		return nil, nil, err
	}
	live := make(map[int]*ent.Contact, len(rows))
	for _, c := range rows {
		live[c.ID] = c
	}
	out, exists := make(map[int]*ent.Contact, len(items)), make(map[int]bool, len(items))
	for _, it := range items {
		if c := live[it.ContactID]; c != nil {
			out[it.ID], exists[it.ID] = c, true
			continue
		}
		out[it.ID] = fromSnapshot(it)
	}
	return out, exists, nil
}

// fromSnapshot is a removed contact as its review found it. It is not a row: node(id:) does not
// find it, and it carries only what the snapshot holds.
func fromSnapshot(it *ent.ReviewItem) *ent.Contact {
	s := it.Snapshot
	c := &ent.Contact{
		ID: it.ContactID, SiteID: it.SiteID, FirstName: s.FirstName, LastName: s.LastName, Email: s.Email,
		AccessRole: s.AccessRole, Status: domain.StatusDeactivated, LastSignInAt: s.LastSignInAt,
		InvitationExpiresAt: s.InvitationExpiresAt, CreatedAt: s.CreatedAt,
		SoftwareAccess: s.Privileges.SoftwareAccess, Reporting: s.Privileges.Reporting,
		Entitlements: s.Privileges.Entitlements, ManageAccess: s.Privileges.ManageAccess,
		ContactUpdates: s.Privileges.ContactUpdates, AccountDocuments: s.Privileges.AccountDocuments,
	}
	for _, t := range s.ContactTypes {
		if t != domain.TypePrimary {
			c.ContactTypes = append(c.ContactTypes, string(t))
		}
	}
	return c
}

// JoinOpenReview is the Contact hook that adds a contact created during an open review to it,
// PENDING, so the review covers everyone on the Site when it completes.
func JoinOpenReview() ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			value, err := next.Mutate(ctx, m)
			if err != nil || !m.Op().Is(ent.OpCreate) {
				return value, err
			}
			c, ok := value.(*ent.Contact)
			if !ok {
				return value, nil
			}
			client := m.(*ent.ContactMutation).Client()
			sys := rule.Unrestricted(ctx)
			r, err := Open(sys, client, c.SiteID)
			if err != nil || r == nil {
				return value, err
			}
			return value, newItem(client, r, c).Exec(sys)
		})
	}
}
