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
	// written past the item hooks: a statement, not an audit event per item. Contacts removed
	// meanwhile are kept too, and recordOutcomes finds them gone.
	d := entsql.Dialect(client.Dialect())
	pending := entsql.And(entsql.EQ(reviewitem.FieldReviewID, r.ID), entsql.EQ(reviewitem.FieldDecision, string(domain.DecisionPending)))
	query, args := d.Update(reviewitem.Table).
		Set(reviewitem.FieldOutcome, string(domain.OutcomeKeptByAttestation)).
		Where(entsql.And(pending, entsql.In(reviewitem.FieldContactID, d.Select(contact.FieldID).From(d.Table(contact.Table))))).
		Query()
	if err := client.ExecStatement(ctx, query, args...); err != nil {
		return false, err
	}
	query, args = d.Update(reviewitem.Table).
		Set(reviewitem.FieldDecision, string(domain.DecisionKeep)).
		Set(reviewitem.FieldDecidedBy, viewer.FromContext(ctx).Email).
		Set(reviewitem.FieldDecidedAt, time.Now()).
		Where(pending).Query()
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
	contacts, exists, err := ContactsOf(sys, client, changes)
	if err != nil {
		return nil, err
	}
	apply := audit.WithReview(audit.WithAction(ctx, "completeReview"), reviewID)
	var refused []int
	var gone []int
	for _, it := range changes {
		if !exists[it.ID] {
			gone = append(gone, it.ID)
			continue
		}
		err := applyDecision(apply, client, it, contacts[it.ID])
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

func completeAction(attested bool) string {
	if attested {
		return "markSiteReviewed"
	}
	return "completeReview"
}

// applyDecision deactivates, or deactivates and removes, one contact as the caller: the
// contact's privacy rule asks CHANGE_CONTACT_STATUS, as deactivateContact and removeContact do.
// A contact that became the PRIMARY meanwhile is refused there too (CONFLICT: the role moves first).
func applyDecision(ctx context.Context, client *ent.Client, it *ent.ReviewItem, c *ent.Contact) error {
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

// recordOutcomes writes what completing did to each item: the contacts that were gone already
// first, then one statement per decision. It is the review's own bookkeeping of changes that are
// audited one by one (the contacts') and as a whole (the review's completion), so it is written
// past the item hooks.
func recordOutcomes(ctx context.Context, client *ent.Client, reviewID int, gone []int) error {
	d := entsql.Dialect(client.Dialect())
	set := func(outcome domain.ReviewOutcome, where *entsql.Predicate) error {
		query, args := d.Update(reviewitem.Table).Set(reviewitem.FieldOutcome, string(outcome)).
			Where(entsql.And(entsql.EQ(reviewitem.FieldReviewID, reviewID), entsql.IsNull(reviewitem.FieldOutcome), where)).Query()
		return client.ExecStatement(ctx, query, args...)
	}
	if len(gone) > 0 {
		ids := make([]any, len(gone))
		for i, id := range gone {
			ids[i] = id
		}
		if err := set(domain.OutcomeGone, entsql.In(reviewitem.FieldID, ids...)); err != nil {
			return err
		}
	}
	if err := set(domain.OutcomeDeactivated, entsql.EQ(reviewitem.FieldDecision, string(domain.DecisionDeactivate))); err != nil {
		return err
	}
	if err := set(domain.OutcomeRemoved, entsql.EQ(reviewitem.FieldDecision, string(domain.DecisionRemove))); err != nil {
		return err
	}
	// A kept contact that someone removed during the review is gone, not kept.
	keptGone := entsql.And(entsql.EQ(reviewitem.FieldDecision, string(domain.DecisionKeep)),
		entsql.NotIn(reviewitem.FieldContactID, d.Select(contact.FieldID).From(d.Table(contact.Table))))
	if err := set(domain.OutcomeGone, keptGone); err != nil {
		return err
	}
	return set(domain.OutcomeKept, entsql.EQ(reviewitem.FieldDecision, string(domain.DecisionKeep)))
}
