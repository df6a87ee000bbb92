// Package review runs access reviews: a campaign per Site in which every contact gets a decision
// (KEEP, DEACTIVATE, REMOVE), applied together when the review completes, and kept afterwards as
// evidence. Who may do what is internal/policy's (DECIDE_REVIEW_ITEM, CONFIRM_OWN_DETAILS,
// MANAGE_SITE); the ent privacy rules ask it again for every row written here.
package review

import (
	"context"
	"strings"
	"time"

	"sitekeeper/ent"
	"sitekeeper/ent/contact"
	"sitekeeper/ent/review"
	"sitekeeper/ent/reviewitem"
	"sitekeeper/internal/apperr"
	"sitekeeper/internal/audit"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/notify"
	"sitekeeper/internal/policy"
	"sitekeeper/internal/rule"
	"sitekeeper/internal/viewer"
)

const (
	// MinDuration is the least time a review gets: the due-soon reminder goes out 7 days before.
	MinDuration = 7 * 24 * time.Hour
	// MaxDuration bounds a due date given to startReview.
	MaxDuration = 90 * 24 * time.Hour
	// insertBatch keeps one INSERT of items within both dialects' limits on bound parameters.
	insertBatch = 500
)

var (
	errOpen     = apperr.New(apperr.Conflict, "a review of this Site is already open")
	errComplete = apperr.New(apperr.Conflict, "the review is completed: its record never changes")
)

// Start opens a review of the Site: an item, with a snapshot, for every contact the Site has.
// The caller's MANAGE_SITE was decided (and the Site locked) by the field's directive.
func Start(ctx context.Context, siteID int, dueAt *time.Time) (*ent.Review, error) {
	client := ent.FromContext(ctx)
	sys := rule.Unrestricted(ctx)
	s, err := client.Site.Get(ctx, siteID)
	if err != nil {
		return nil, notFound(err)
	}
	open, err := client.Review.Query().Where(review.SiteID(siteID), review.CompletedAtIsNil()).Exist(sys)
	if err != nil {
		return nil, err
	}
	if open {
		return nil, errOpen
	}
	now := time.Now()
	due, err := dueDate(now, s.ReviewDueAt, dueAt)
	if err != nil {
		return nil, err
	}
	// The due-soon reminder goes 7 days before the due date; for a review due within a week and
	// a day, the opening message says as much, and the next is the overdue one.
	stage, remindAt := domain.StageDueSoon, due.Add(-MinDuration)
	if remindAt.Before(now.Add(24 * time.Hour)) {
		stage, remindAt = domain.StageLate, due
	}
	r, err := client.Review.Create().
		SetSiteID(siteID).SetStartedBy(viewer.FromContext(ctx).Email).SetStartedAt(now).SetDueAt(due).
		SetReminderStage(stage).SetReminderDueAt(remindAt.UTC()).
		Save(audit.WithAction(ctx, "startReview"))
	if ent.IsConstraintError(err) {
		return nil, errOpen // another manager started one meanwhile
	}
	if err != nil {
		return nil, err
	}
	contacts, err := client.Contact.Query().Where(contact.SiteID(siteID)).Order(ent.Asc(contact.FieldID)).All(sys)
	if err != nil {
		return nil, err
	}
	for chunk := range chunks(contacts, insertBatch) {
		builders := make([]*ent.ReviewItemCreate, len(chunk))
		for i, c := range chunk {
			builders[i] = newItem(client, r, c)
		}
		if err := client.ReviewItem.CreateBulk(builders...).Exec(ctx); err != nil {
			return nil, err
		}
	}
	if err := notify.ReviewOpened(ctx, client, s, r); err != nil {
		return nil, err
	}
	return r, nil
}

// dueDate is the date asked for, within MinDuration..MaxDuration from now, or else the Site's
// review due date, at least MinDuration away.
func dueDate(now, siteDue time.Time, asked *time.Time) (time.Time, error) {
	if asked != nil {
		if asked.Before(now.Add(MinDuration-time.Minute)) || asked.After(now.Add(MaxDuration)) {
			return time.Time{}, apperr.InvalidInput("a review is due between 7 and 90 days from now", "dueAt")
		}
		return *asked, nil
	}
	if earliest := now.Add(MinDuration); siteDue.Before(earliest) {
		return earliest, nil
	}
	return siteDue, nil
}

func newItem(client *ent.Client, r *ent.Review, c *ent.Contact) *ent.ReviewItemCreate {
	return client.ReviewItem.Create().
		SetReviewID(r.ID).SetSiteID(r.SiteID).SetContactID(c.ID).SetSnapshot(Snapshot(c))
}

// Snapshot is the contact as a review finds it.
func Snapshot(c *ent.Contact) domain.ReviewSnapshot {
	return domain.ReviewSnapshot{
		FirstName: c.FirstName, LastName: c.LastName, Email: c.Email,
		AccessRole: c.AccessRole, Privileges: c.Privileges(), ContactTypes: c.AllContactTypes(),
		Status: c.Status, LastSignInAt: c.LastSignInAt, InvitationExpiresAt: c.InvitationExpiresAt,
		CreatedAt: c.CreatedAt,
	}
}

func chunks[T any](all []T, size int) func(func([]T) bool) {
	return func(yield func([]T) bool) {
		for start := 0; start < len(all); start += size {
			if !yield(all[start:min(start+size, len(all))]) {
				return
			}
		}
	}
}

// Decide records one decision. DECIDE_REVIEW_ITEM was decided by the directive and is decided
// again by the item's privacy rule; REMOVE needs a note saying why.
func Decide(ctx context.Context, itemID int, decision domain.ReviewDecision, note *string) (*ent.ReviewItem, error) {
	client := ent.FromContext(ctx)
	it, err := client.ReviewItem.Get(ctx, itemID)
	if err != nil {
		return nil, notFound(err)
	}
	if err := stillOpen(ctx, client, it.ReviewID); err != nil {
		return nil, err
	}
	if note != nil {
		note = new(strings.TrimSpace(*note))
		if *note == "" {
			note = nil
		}
	}
	if decision == domain.DecisionRemove && note == nil {
		return nil, apperr.InvalidInput("removing a contact needs a note saying why", "note")
	}
	update := client.ReviewItem.UpdateOneID(itemID).SetDecision(decision).SetNillableNote(note)
	if note == nil {
		update.ClearNote()
	}
	if decision == domain.DecisionPending {
		update.ClearDecidedBy().ClearDecidedAt()
	} else {
		update.SetDecidedBy(viewer.FromContext(ctx).Email).SetDecidedAt(time.Now())
	}
	return update.Save(audit.WithAction(ctx, "decideReviewItem"))
}

// KeepRemaining decides KEEP for every item still PENDING.
func KeepRemaining(ctx context.Context, reviewID int) (*ent.Review, error) {
	client := ent.FromContext(ctx)
	if err := stillOpen(ctx, client, reviewID); err != nil {
		return nil, err
	}
	err := client.ReviewItem.Update().
		Where(reviewitem.ReviewID(reviewID), reviewitem.DecisionEQ(domain.DecisionPending)).
		SetDecision(domain.DecisionKeep).SetDecidedBy(viewer.FromContext(ctx).Email).SetDecidedAt(time.Now()).
		Exec(audit.WithAction(ctx, "keepRemainingReviewItems"))
	if err != nil {
		return nil, err
	}
	return client.Review.Get(ctx, reviewID)
}

// stillOpen answers NOT_FOUND for a review the caller does not read and CONFLICT for a
// completed one.
func stillOpen(ctx context.Context, client *ent.Client, reviewID int) error {
	r, err := client.Review.Get(ctx, reviewID)
	switch {
	case err != nil:
		return notFound(err)
	case r.CompletedAt != nil:
		return errComplete
	}
	return nil
}

// Open is the Site's open review, or nil.
func Open(ctx context.Context, client *ent.Client, siteID int) (*ent.Review, error) {
	r, err := client.Review.Query().Where(review.SiteID(siteID), review.CompletedAtIsNil()).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	return r, err
}

// ConfirmOwnDetails records that the caller's own contact on the Site confirmed its details in
// the open review (CONFIRM_OWN_DETAILS, for the ACTIVE contact itself).
func ConfirmOwnDetails(ctx context.Context, siteID int) (*ent.Contact, error) {
	client := ent.FromContext(ctx)
	m, ok := viewer.FromContext(ctx).Membership(siteID)
	if !ok {
		return nil, apperr.ErrNotFound
	}
	sys := rule.Unrestricted(ctx)
	r, err := Open(sys, client, siteID)
	if err != nil {
		return nil, err
	}
	if r == nil {
		return nil, apperr.New(apperr.Conflict, "no review of this Site is open")
	}
	it, err := client.ReviewItem.Query().Where(reviewitem.ReviewID(r.ID), reviewitem.ContactID(m.ContactID)).Only(sys)
	if err != nil {
		return nil, err
	}
	if err := client.ReviewItem.UpdateOneID(it.ID).SetSelfConfirmedAt(time.Now()).
		Exec(audit.WithAction(ctx, "confirmOwnDetails")); err != nil {
		return nil, err
	}
	return client.Contact.Get(ctx, m.ContactID)
}

// ConfirmationRequested reports whether the contact is asked to confirm its details: the
// caller may confirm them (CONFIRM_OWN_DETAILS: its own ACTIVE contact) and has not yet in the
// open review of its Site.
func ConfirmationRequested(ctx context.Context, client *ent.Client, c *ent.Contact) (bool, error) {
	r := policy.Request{Action: policy.ConfirmOwnDetails, SiteID: c.SiteID, Contact: rule.ContactFacts(c)}
	if policy.Authorize(viewer.FromContext(ctx), r) != nil {
		return false, nil
	}
	return client.ReviewItem.Query().Where(
		reviewitem.ContactID(c.ID), reviewitem.SelfConfirmedAtIsNil(),
		reviewitem.HasReviewWith(review.CompletedAtIsNil()),
	).Exist(rule.Unrestricted(ctx))
}

// notFound answers NOT_FOUND for a row the caller does not see (or that does not exist), and
// passes any other error on, so a failing database is not mistaken for a missing row.
func notFound(err error) error {
	if ent.IsNotFound(err) {
		return apperr.ErrNotFound
	}
	return err
}
