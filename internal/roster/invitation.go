package roster

import (
	"context"
	"fmt"
	"time"

	"sitekeeper/ent"
	"sitekeeper/ent/contact"
	"sitekeeper/ent/predicate"
	"sitekeeper/internal/apperr"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/notify"
	"sitekeeper/internal/rule"
)

// staleAfter is how long without a sign-in makes a contact stale.
const staleAfter = 90 * 24 * time.Hour

// ResendInvitation gives an INVITED contact a new invitation expiry.
func ResendInvitation(ctx context.Context, id int, days *int) (*ent.Contact, error) {
	n := defaultInvitationDays
	if days != nil {
		n = *days
	}
	if n < 1 || n > maxInvitationDays {
		return nil, apperr.InvalidInput(fmt.Sprintf("an invitation lasts 1 to %d days", maxInvitationDays), "days")
	}
	client := ent.FromContext(ctx)
	if err := mustBeInvited(ctx, client, id); err != nil {
		return nil, err
	}
	c, err := client.Contact.UpdateOneID(id).SetInvitationExpiresAt(time.Now().AddDate(0, 0, n)).Save(ctx)
	if err != nil {
		return nil, err
	}
	if err := notify.Invitation(ctx, client, c); err != nil {
		return nil, err
	}
	return c, nil
}

// RevokeInvitation removes an INVITED contact: it never had access, so nothing is kept.
func RevokeInvitation(ctx context.Context, id int) (int, error) {
	client := ent.FromContext(ctx)
	if err := mustBeInvited(ctx, client, id); err != nil {
		return 0, err
	}
	return id, client.Contact.DeleteOneID(id).Exec(ctx)
}

func mustBeInvited(ctx context.Context, client *ent.Client, id int) error {
	c, err := rule.LoadContact(ctx, client, id)
	if err != nil {
		return notFound(err)
	}
	if c.Status != domain.StatusInvited {
		return apperr.New(apperr.Conflict, "the contact is not INVITED: the invitation was accepted or withdrawn")
	}
	return nil
}

// Stale matches contacts nobody has seen for 90 days: no sign-in since (or never, for a contact
// that old), or an invitation that ran out.
func Stale(now time.Time) predicate.Contact {
	cutoff := now.Add(-staleAfter)
	return contact.Or(
		contact.And(contact.StatusEQ(domain.StatusInvited), contact.InvitationExpiresAtLT(now)),
		contact.And(contact.StatusEQ(domain.StatusActive), contact.Or(
			contact.LastSignInAtLT(cutoff),
			contact.And(contact.LastSignInAtIsNil(), contact.CreatedAtLT(cutoff)),
		)),
	)
}
