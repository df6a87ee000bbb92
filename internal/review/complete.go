package review

import (
	"context"
	"errors"
	"fmt"
	"time"

	entsql "entgo.io/ent/dialect/sql"

	"sitekeeper/ent"
	"sitekeeper/ent/contact"
	"sitekeeper/ent/privacy"
	"sitekeeper/ent/reviewitem"
	"sitekeeper/internal/apperr"
	"sitekeeper/internal/audit"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/rule"
	"sitekeeper/internal/viewer"
)

// Complete applies a review whose items are all decided: every DEACTIVATE and REMOVE, as the
// caller, in the operation's transaction (all or nothing), each audited with the review's id;
// then it records each item's outcome, completes the review and marks the Site reviewed.
func Complete(ctx context.Context, reviewID int) (*ent.Review, error) {
	client := ent.FromContext(ctx)
	if err := stillOpen(ctx, client, reviewID); err != nil {
		return nil, err
	}
	pending, err := client.ReviewItem.Query().
		Where(reviewitem.ReviewID(reviewID), reviewitem.DecisionEQ(domain.DecisionPending)).Count(rule.Unrestricted(ctx))
	if err != nil {
		return nil, err
	}
	if pending > 0 {
		return nil, apperr.New(apperr.Conflict, "%d items are still PENDING: decide them, or keep all remaining, first", pending)
	}
	return finish(ctx, client, reviewID, false)
}

// Attest completes the Site's open review for markSiteReviewed: the items still PENDING are
// kept by the caller's one bulk attestation, recorded as such, and the decisions taken are
// applied as Complete applies them. Without an open review it does nothing and reports false.
func Attest(ctx context.Context, siteID int) (bool, error) {
	client := ent.FromContext(ctx)
	r, err := Open(rule.Unrestricted(ctx), client, siteID)
	if err != nil || r == nil {
		return false, err
	}
	// Bookkeeping of the one attestation the review's completion records (attested: true), so
	// written past the item hooks: one statement, not an audit event per item.
	now := time.Now()
	query, args := entsql.Dialect(client.Dialect()).Update(reviewitem.Table).
		Set(reviewitem.FieldDecision, string(domain.DecisionKeep)).
		Set(reviewitem.FieldDecidedBy, viewer.FromContext(ctx).Email).
		Set(reviewitem.FieldDecidedAt, now).
		Set(reviewitem.FieldOutcome, string(domain.OutcomeKeptByAttestation)).
		Where(entsql.And(entsql.EQ(reviewitem.FieldReviewID, r.ID), entsql.EQ(reviewitem.FieldDecision, string(domain.DecisionPending)))).
		Query()
	if err := client.ExecStatement(ctx, query, args...); err != nil {
		return false, err
	}
	_, err = finish(ctx, client, r.ID, true)
	return err == nil, err
}

// finish applies the decisions and completes the review. Refusals are gathered, so the error
// names every item the caller may not apply.
func finish(ctx context.Context, client *ent.Client, reviewID int, attested bool) (*ent.Review, error) {
	sys := rule.Unrestricted(ctx)
	changes, err := client.ReviewItem.Query().Where(reviewitem.ReviewID(reviewID),
		reviewitem.DecisionIn(domain.DecisionDeactivate, domain.DecisionRemove)).
		Order(ent.Asc(reviewitem.FieldID)).All(sys)
	if err != nil {
		return nil, err
	}
	contacts, err := contactsOf(sys, client, changes)
	if err != nil {
		return nil, err
	}
	// Whatever their decision, KEEP included: an item whose contact was removed during the
	// review had nothing applied to it, and its evidence must not say "kept".
	gone, err := client.ReviewItem.Query().Where(reviewitem.ReviewID(reviewID), contactGone).IDs(sys)
	if err != nil {
		return nil, err
	}
	apply := audit.WithReview(audit.WithAction(ctx, "completeReview"), reviewID)
	var refused []int
	for _, it := range changes {
		c := contacts[it.ContactID]
		if c == nil {
			continue // gone
		}
		err := applyDecision(apply, client, it, c)
		var denied *apperr.Error
		switch {
		case errors.Is(err, privacy.Deny), errors.As(err, &denied) && denied.Code == apperr.Forbidden:
			refused = append(refused, it.ID)
		case err != nil:
			return nil, err
		}
	}
	if len(refused) > 0 {
		return nil, &apperr.Error{Code: apperr.Forbidden, IDs: refused,
			Message: fmt.Sprintf("you may not apply %d of the decisions (a SECONDARY's deactivation or removal is the PRIMARY's): ask the PRIMARY to complete the review", len(refused))}
	}
	if err := recordOutcomes(ctx, client, reviewID, gone); err != nil {
		return nil, err
	}
	now := time.Now()
	by := viewer.FromContext(ctx).Email
	r, err := client.Review.UpdateOneID(reviewID).
		SetCompletedAt(now).SetCompletedBy(by).SetAttested(attested).
		SetReminderStage(domain.StageDone).ClearReminderDueAt().
		Save(audit.WithAction(ctx, completeAction(attested)))
	if err != nil {
		return nil, err
	}
	err = client.Site.UpdateOneID(r.SiteID).SetLastReviewedAt(now).SetLastReviewedBy(by).
		Exec(audit.WithReview(audit.WithAction(ctx, completeAction(attested)), reviewID))
	return r, err
}

// contactGone: the item's contact no longer exists.
func contactGone(s *entsql.Selector) {
	t := entsql.Table(contact.Table)
	s.Where(entsql.NotExists(entsql.Select(t.C(contact.FieldID)).From(t).
		Where(entsql.ColumnsEQ(t.C(contact.FieldID), s.C(reviewitem.FieldContactID)))))
}

func completeAction(attested bool) string {
	if attested {
		return "markSiteReviewed"
	}
	return "completeReview"
}

// applyDecision deactivates, or deactivates and removes, one contact as the caller: the
// contact's privacy rule asks CHANGE_CONTACT_STATUS, as deactivateContact and removeContact do.
func applyDecision(ctx context.Context, client *ent.Client, it *ent.ReviewItem, c *ent.Contact) error {
	if c.AccessRole == domain.RolePrimary {
		return apperr.New(apperr.Conflict, "%s is the PRIMARY now: the decision on them can only be KEEP", c.Email)
	}
	if c.Status != domain.StatusDeactivated {
		if err := client.Contact.UpdateOneID(c.ID).SetStatus(domain.StatusDeactivated).Exec(ctx); err != nil {
			return err
		}
	}
	if it.Decision == domain.DecisionRemove {
		return client.Contact.DeleteOneID(c.ID).Exec(ctx)
	}
	return nil
}

func contactsOf(ctx context.Context, client *ent.Client, items []*ent.ReviewItem) (map[int]*ent.Contact, error) {
	ids := make([]int, len(items))
	for i, it := range items {
		ids[i] = it.ContactID
	}
	rows, err := client.Contact.Query().Where(contact.IDIn(ids...)).All(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[int]*ent.Contact, len(rows))
	for _, c := range rows {
		out[c.ID] = c
	}
	return out, nil
}

// recordOutcomes writes what completing did to each item: one statement per decision, and one
// for the contacts that were gone already. It is the review's own bookkeeping of changes that
// are audited one by one (the contacts') and as a whole (the review's completion), so it is
// written past the item hooks.
func recordOutcomes(ctx context.Context, client *ent.Client, reviewID int, gone []int) error {
	d := entsql.Dialect(client.Dialect())
	set := func(outcome domain.ReviewOutcome, where *entsql.Predicate) error {
		query, args := d.Update(reviewitem.Table).Set(reviewitem.FieldOutcome, string(outcome)).
			Where(entsql.And(entsql.EQ(reviewitem.FieldReviewID, reviewID), where)).Query()
		return client.ExecStatement(ctx, query, args...)
	}
	if len(gone) > 0 {
		ids := make([]any, len(gone))
		for i, id := range gone {
			ids[i] = id
		}
		// Also over KEPT_BY_ATTESTATION: an attestation keeps nobody who is gone.
		if err := set(domain.OutcomeGone, entsql.In(reviewitem.FieldID, ids...)); err != nil {
			return err
		}
	}
	for decision, outcome := range map[domain.ReviewDecision]domain.ReviewOutcome{
		domain.DecisionKeep: domain.OutcomeKept, domain.DecisionDeactivate: domain.OutcomeDeactivated, domain.DecisionRemove: domain.OutcomeRemoved,
	} {
		unrecorded := entsql.And(entsql.IsNull(reviewitem.FieldOutcome), entsql.EQ(reviewitem.FieldDecision, string(decision)))
		if err := set(outcome, unrecorded); err != nil {
			return err
		}
	}
	return nil
}
