package notify

import (
	"context"
	"fmt"
	"time"

	"sitekeeper/ent"
	"sitekeeper/ent/contact"
	"sitekeeper/ent/review"
	"sitekeeper/ent/reviewitem"
	"sitekeeper/internal/audit"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/invariant"
	"sitekeeper/internal/rule"
)

// Escalation is how long after its due date an open review is put before the operators.
const Escalation = 30 * 24 * time.Hour

// ReviewURL is the dashboard's page of a Site's review.
func ReviewURL(publicURL, number string) string { return SiteURL(publicURL, number) + "/review" }

// ReviewOpened tells the Site's managers that a review started and what it asks of them.
func ReviewOpened(ctx context.Context, client *ent.Client, s *ent.Site, r *ent.Review) error {
	sys := rule.Unrestricted(ctx)
	managers, err := managersOf(sys, client, s.ID)
	if err != nil {
		return err
	}
	items, err := client.ReviewItem.Query().Where(reviewitem.ReviewID(r.ID)).Count(sys)
	if err != nil {
		return err
	}
	return Enqueue(ctx, client, Message{
		Kind: domain.NotifyReviewOpened, Recipients: emails(managers), SiteID: &s.ID,
		Data: map[string]any{"DueAt": r.DueAt, "Items": items, "ReviewURL": ReviewURL(PublicURL(ctx), s.Number)},
	})
}

// managersOf are those who decide a Site's review items: its PRIMARY and its ACTIVE contacts with
// manageAccess UPDATE.
func managersOf(ctx context.Context, client *ent.Client, siteID int) ([]*ent.Contact, error) {
	return client.Contact.Query().Where(contact.SiteID(siteID), contact.Or(
		contact.AccessRoleEQ(domain.RolePrimary),
		contact.And(contact.StatusEQ(domain.StatusActive), contact.ManageAccessEQ(domain.UpdateUpdate)),
	)).Order(ent.Asc(contact.FieldID)).All(ctx)
}

func emails(contacts []*ent.Contact) []string {
	out := make([]string, 0, len(contacts))
	for _, c := range contacts {
		out = append(out, c.Email)
	}
	return out
}

// RemindReviews runs the review stages that fell due, selected by the indexed reminder_due_at:
// 7 days before the due date, the managers hear of the pending decisions; at the due date, the
// PRIMARY; 30 days after it, the review is escalated to the operators' page of overdue Sites.
// Each stage is written once per review, whatever the number of instances.
func (w *Worker) RemindReviews(ctx context.Context) (int, error) {
	ctx = w.systemContext(ctx)
	now := w.now()
	due, err := w.Client.Review.Query().Where(review.ReminderDueAtLTE(now)).
		Order(ent.Asc(review.FieldReminderDueAt)).Limit(w.batchSize()).IDs(ctx)
	if err != nil {
		return 0, fmt.Errorf("notify: finding due review reminders: %w", err)
	}
	total := 0
	for _, id := range due {
		n, err := w.remindReview(ctx, id, now)
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

// remindReview runs one review's due stage and moves it to the next, in one transaction that
// holds the Site: another instance that found the same stage due finds it moved and does nothing.
func (w *Worker) remindReview(ctx context.Context, reviewID int, now time.Time) (n int, err error) {
	tx, err := w.Client.Tx(ctx)
	if err != nil {
		return 0, err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
			err = fmt.Errorf("notify: reminder of review %d: %w", reviewID, err)
			return
		}
		err = tx.Commit()
	}()
	client := tx.Client()
	r, err := client.Review.Get(ctx, reviewID)
	if err != nil {
		return 0, err
	}
	if err := invariant.LockSite(ctx, client, r.SiteID); err != nil {
		return 0, err
	}
	if r, err = client.Review.Get(ctx, reviewID); err != nil {
		return 0, err
	}
	if r.CompletedAt != nil || r.ReminderDueAt == nil || r.ReminderDueAt.After(now) {
		return 0, nil // completed, or moved on by another instance
	}
	s, err := client.Site.Get(ctx, r.SiteID)
	if err != nil {
		return 0, err
	}
	var total, pending int
	if total, err = client.ReviewItem.Query().Where(reviewitem.ReviewID(r.ID)).Count(ctx); err == nil {
		pending, err = client.ReviewItem.Query().Where(reviewitem.ReviewID(r.ID), reviewitem.DecisionEQ(domain.DecisionPending)).Count(ctx)
	}
	if err != nil {
		return 0, err
	}
	update := client.Review.UpdateOneID(r.ID)
	var m *Message
	data := map[string]any{"DueAt": r.DueAt, "Items": total, "Pending": pending, "StartedBy": r.StartedBy,
		"ReviewURL": ReviewURL(w.PublicURL, s.Number)}
	switch r.ReminderStage {
	case domain.StageDueSoon:
		update.SetReminderStage(domain.StageLate).SetReminderDueAt(r.DueAt.UTC())
		if pending > 0 {
			managers, err := managersOf(ctx, client, r.SiteID)
			if err != nil {
				return 0, err
			}
			m = &Message{Kind: domain.NotifyReviewDueSoon, Recipients: emails(managers), SiteID: &s.ID, Data: data}
		}
	case domain.StageLate:
		update.SetReminderStage(domain.StageEscalated).SetReminderDueAt(r.DueAt.Add(Escalation).UTC())
		primary, err := client.Contact.Query().Where(contact.SiteID(r.SiteID), contact.AccessRoleEQ(domain.RolePrimary)).All(ctx)
		if err != nil {
			return 0, err
		}
		m = &Message{Kind: domain.NotifyReviewLate, Recipients: emails(primary), SiteID: &s.ID, Data: data}
	default: // ESCALATED: on the operators' page from now on; nothing further is due
		update.SetReminderStage(domain.StageDone).ClearReminderDueAt().SetEscalatedAt(now)
	}
	if err := update.Exec(audit.WithAction(ctx, "remindReview")); err != nil {
		return 0, err
	}
	if m == nil || s.Status != domain.SiteActive {
		return 0, nil
	}
	if err := enqueue(ctx, client, *m, now); err != nil {
		return 0, err
	}
	return len(uniqueAddresses(m.Recipients)), nil
}
