package roster

import (
	"context"
	"fmt"
	"slices"
	"time"

	"sitekeeper/ent"
	"sitekeeper/ent/contact"
	"sitekeeper/ent/site"
	"sitekeeper/internal/apperr"
	"sitekeeper/internal/audit"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/invariant"
	"sitekeeper/internal/notify"
	"sitekeeper/internal/policy"
	"sitekeeper/internal/review"
	"sitekeeper/internal/rule"
	"sitekeeper/internal/viewer"
)

// CreateSite creates a Site and makes the given person its ACTIVE PRIMARY.
func CreateSite(ctx context.Context, in CreateSiteInput) (*ent.Site, error) {
	if err := RequireDetails(in.PrimaryContact); err != nil {
		return nil, apperr.WithFieldPrefix(err, "primaryContact.")
	}
	client := ent.FromContext(ctx)
	create := client.Site.Create().
		SetNumber(in.Number).SetName(in.Name).SetCustomerNumber(in.CustomerNumber).
		SetNillableProgram(in.Program).SetNillableReviewIntervalDays(in.ReviewIntervalDays)
	setOptional(create.Mutation().SetStreet, in.Street)
	setOptional(create.Mutation().SetCity, in.City)
	setOptional(create.Mutation().SetStateProvince, in.StateProvince)
	setOptional(create.Mutation().SetPostalCode, in.PostalCode)
	setOptional(create.Mutation().SetCountry, in.Country)
	s, err := create.Save(ctx)
	if err != nil {
		return nil, err
	}
	primary := client.Contact.Create().
		SetSiteID(s.ID).
		SetAccessRole(domain.RolePrimary).
		SetStatus(domain.StatusActive).
		SetInvitedBy(viewer.FromContext(ctx).Email).
		SetBusinessJustification(fmt.Sprintf("Primary contact named when Site %s was created.", s.Number))
	setDetails(primary.Mutation(), in.PrimaryContact)
	if err := primary.Exec(ctx); err != nil {
		return nil, apperr.WithFieldPrefix(err, "primaryContact.")
	}
	return s, nil
}

// TransferPrimary hands the primary role to an ACTIVE contact of the Site who has signed in;
// the old PRIMARY becomes SECONDARY. Under concurrent transfers exactly one wins.
func TransferPrimary(ctx context.Context, siteID, toContactID int) (*ent.Site, error) {
	v := viewer.FromContext(ctx)
	if err := policy.Authorize(v, policy.Request{Action: policy.TransferPrimary, SiteID: siteID}); err != nil {
		return nil, err
	}
	m, _ := v.Membership(siteID)
	return movePrimary(ctx, siteID, toContactID, "", func(old *ent.ContactUpdateOne) {
		old.Where(contact.ID(m.ContactID)).SetAccessRole(domain.RoleSecondary)
	})
}

// ReassignPrimary is the operators' break-glass for a PRIMARY who has left: the chosen contact
// becomes PRIMARY and the old one a deactivated USER without privileges. The reason is audited.
func ReassignPrimary(ctx context.Context, siteID, toContactID int, reason string) (*ent.Site, error) {
	if len(reason) < 10 {
		return nil, apperr.InvalidInput("say why the primary contact is reassigned (10 characters or more)", "reason")
	}
	ctx = audit.WithReason(ctx, reason)
	return movePrimary(ctx, siteID, toContactID, reason, func(old *ent.ContactUpdateOne) {
		old.SetAccessRole(domain.RoleUser).SetStatus(domain.StatusDeactivated)
		rule.SetPrivileges(old.Mutation(), domain.NoPrivileges())
	})
}

// movePrimary demotes the Site's current PRIMARY with demote, then promotes the target. The
// demotion is conditional on the row still being PRIMARY, so a concurrent transfer that already
// moved the role makes this one change nothing and answer CONFLICT. Both contacts are told; a
// break-glass reassignment's reason is in the mails.
func movePrimary(ctx context.Context, siteID, toContactID int, reason string, demote func(*ent.ContactUpdateOne)) (*ent.Site, error) {
	client := ent.FromContext(ctx)
	if err := invariant.LockSite(ctx, client, siteID); err != nil {
		return nil, err
	}
	target, err := rule.LoadContact(ctx, client, toContactID)
	if err != nil || target.SiteID != siteID {
		return nil, apperr.InvalidInput("the new primary contact must be a contact of this Site", "toContactId")
	}
	if target.AccessRole == domain.RolePrimary {
		return nil, apperr.New(apperr.Conflict, "this contact is already the PRIMARY")
	}
	if target.Status != domain.StatusActive || target.UserID == nil {
		return nil, apperr.InvalidInput("the new primary contact must be ACTIVE and have signed in", "toContactId")
	}
	current, err := client.Contact.Query().
		Where(contact.SiteID(siteID), contact.AccessRoleEQ(domain.RolePrimary)).
		Only(rule.Unrestricted(ctx))
	if err != nil {
		return nil, apperr.New(apperr.Conflict, "the Site has no PRIMARY to move the role from")
	}
	old := client.Contact.UpdateOneID(current.ID).Where(contact.AccessRoleEQ(domain.RolePrimary))
	demote(old)
	if err := old.Exec(ctx); err != nil {
		if ent.IsNotFound(err) {
			return nil, apperr.New(apperr.Conflict, "the primary role was moved meanwhile")
		}
		return nil, err
	}
	err = client.Contact.UpdateOneID(toContactID).
		Where(contact.StatusEQ(domain.StatusActive), contact.AccessRoleNEQ(domain.RolePrimary)).
		SetAccessRole(domain.RolePrimary).Exec(ctx)
	if ent.IsNotFound(err) {
		return nil, apperr.New(apperr.Conflict, "the new primary contact changed meanwhile")
	}
	if err != nil {
		return nil, err
	}
	if err := invariant.CheckSecondaryCap(ctx, client, siteID); err != nil {
		return nil, err
	}
	if err := notify.PrimaryTransferred(ctx, client, current, target, reason); err != nil {
		return nil, err
	}
	return client.Site.Get(ctx, siteID)
}

// MarkReviewed records that a manager reviewed the Site's contacts and access today. With a
// review open, it completes it: the items still PENDING are kept by the caller's bulk
// attestation, and the decisions taken are applied (refused if the caller may not apply them).
func MarkReviewed(ctx context.Context, siteID int) (*ent.Site, error) {
	client := ent.FromContext(ctx)
	attested, err := review.Attest(ctx, siteID)
	if err != nil {
		return nil, err
	}
	if attested {
		return client.Site.Get(ctx, siteID)
	}
	return client.Site.UpdateOneID(siteID).
		SetLastReviewedAt(time.Now()).
		SetLastReviewedBy(viewer.FromContext(ctx).Email).
		Save(ctx)
}

// AssignContactType gives a communication type to a contact, taking it from its previous holder.
func AssignContactType(ctx context.Context, siteID int, typ domain.ContactType, contactID int) (*ent.Site, error) {
	if typ == domain.TypePrimary {
		return nil, apperr.InvalidInput("the PRIMARY type follows the primary role", "type")
	}
	client := ent.FromContext(ctx)
	if err := invariant.LockSite(ctx, client, siteID); err != nil {
		return nil, err
	}
	target, err := rule.LoadContact(ctx, client, contactID)
	if err != nil || target.SiteID != siteID {
		return nil, apperr.InvalidInput("the contact must be a contact of this Site", "contactId")
	}
	holders, err := typeHolders(ctx, client, siteID, typ, contactID)
	if err != nil {
		return nil, err
	}
	for _, h := range holders {
		if err := client.Contact.UpdateOneID(h.ID).SetContactTypes(without(h.ContactTypes, string(typ))).Exec(ctx); err != nil {
			return nil, err
		}
	}
	if !slices.Contains(target.ContactTypes, string(typ)) {
		types := append(slices.Clone(target.ContactTypes), string(typ))
		if err := client.Contact.UpdateOneID(contactID).SetContactTypes(types).Exec(ctx); err != nil {
			return nil, err
		}
	}
	return client.Site.Query().Where(site.ID(siteID)).Only(ctx)
}

// ContactTypeChanges are the contacts an assignment of typ to contactID changes: the contact,
// unless it holds the type already, and the other holders, who lose it. Nothing when the
// contact is not one of the Site's.
func ContactTypeChanges(ctx context.Context, client *ent.Client, siteID int, typ domain.ContactType, contactID int) ([]*ent.Contact, error) {
	target, err := rule.LoadContact(ctx, client, contactID)
	if err != nil || target.SiteID != siteID || typ == domain.TypePrimary {
		return nil, nil
	}
	holders, err := typeHolders(ctx, client, siteID, typ, contactID)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(target.ContactTypes, string(typ)) {
		holders = append(holders, target)
	}
	return holders, nil
}

// typeHolders are the contacts of the Site other than contactID that hold typ.
func typeHolders(ctx context.Context, client *ent.Client, siteID int, typ domain.ContactType, contactID int) ([]*ent.Contact, error) {
	return client.Contact.Query().
		Where(contact.SiteID(siteID), contact.IDNEQ(contactID), HasContactType(typ)).
		All(rule.Unrestricted(ctx))
}

func without(list []string, v string) []string {
	return slices.DeleteFunc(slices.Clone(list), func(s string) bool { return s == v })
}
