package roster

import (
	"context"
	"fmt"
	"strings"
	"time"

	"sitekeeper/ent"
	"sitekeeper/ent/contact"
	"sitekeeper/internal/apperr"
	"sitekeeper/internal/audit"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/notify"
	"sitekeeper/internal/rule"
	"sitekeeper/internal/viewer"
)

const (
	defaultInvitationDays = 7
	maxInvitationDays     = 30
)

// AddContact invites a person: the contact is INVITED until they sign in with the verified email.
func AddContact(ctx context.Context, in AddContactInput) (*ent.Contact, error) {
	if in.AccessRole == domain.RolePrimary {
		return nil, apperr.InvalidInput("a Site has one PRIMARY; add the person, then transfer the primary role", "accessRole")
	}
	days := defaultInvitationDays
	if in.InvitationDays != nil {
		days = *in.InvitationDays
	}
	if days < 1 || days > maxInvitationDays {
		return nil, apperr.InvalidInput(fmt.Sprintf("an invitation lasts 1 to %d days", maxInvitationDays), "invitationDays")
	}
	if err := RequireDetails(in.Details); err != nil {
		return nil, apperr.WithFieldPrefix(err, "details.")
	}
	client := ent.FromContext(ctx)
	c, err := newContact(ctx, client, in, days).Save(ctx)
	if err != nil {
		return nil, err
	}
	if err := notify.Invitation(ctx, client, c); err != nil {
		return nil, err
	}
	return c, nil
}

// newContact builds an INVITED contact whose invitation lasts days.
func newContact(ctx context.Context, client *ent.Client, in AddContactInput, days int) *ent.ContactCreate {
	privileges := domain.NoPrivileges()
	if in.Privileges != nil {
		privileges = in.Privileges.Apply(privileges)
	}
	create := client.Contact.Create().
		SetSiteID(in.SiteID).
		SetAccessRole(in.AccessRole).
		SetStatus(domain.StatusInvited).
		SetInvitedBy(viewer.FromContext(ctx).Email).
		SetInvitationExpiresAt(time.Now().AddDate(0, 0, days)).
		SetBusinessJustification(in.BusinessJustification)
	setDetails(create.Mutation(), in.Details)
	rule.SetPrivileges(create.Mutation(), privileges)
	return create
}

// RequireDetails names every required detail left empty, all at once.
func RequireDetails(d domain.ContactDetails) error {
	return requireNonEmpty([]namedValue{
		{"email", &d.Email}, {"firstName", &d.FirstName}, {"lastName", &d.LastName}, {"phone", &d.Phone},
		{"city", &d.City}, {"stateProvince", &d.StateProvince}, {"postalCode", &d.PostalCode},
	})
}

// UpdateContact applies a patch of details if the contact is still at expectedVersion.
func UpdateContact(ctx context.Context, id int, in ent.UpdateContactInput, expectedVersion int) (*ent.Contact, error) {
	if err := refuseEmptyRequired(in); err != nil {
		return nil, err
	}
	client := ent.FromContext(ctx)
	before, err := rule.TakeContact(ctx, client, id)
	if err != nil {
		return nil, notFound(err)
	}
	update := client.Contact.UpdateOne(before).Where(contact.Version(expectedVersion)).SetInput(in)
	reinvite := in.Email != nil && before.UserID == nil && rule.Readdresses(before, *in.Email)
	if reinvite {
		// An invitation belongs to the address it went to: another address is a new invitation,
		// from the editor, with a new expiry (the policy checked ADD_CONTACT for it).
		ctx = audit.WithAction(ctx, ReissueInvitationAction)
		update.SetInvitedBy(viewer.FromContext(ctx).Email)
		if before.Status != domain.StatusDeactivated && before.AccessRole != domain.RolePrimary {
			update.SetStatus(domain.StatusInvited).SetInvitationExpiresAt(time.Now().AddDate(0, 0, defaultInvitationDays))
		}
	}
	c, err := update.Save(ctx)
	if err != nil {
		return nil, versionConflict(ctx, id, err)
	}
	if reinvite && c.Status == domain.StatusInvited {
		if err := notify.Invitation(ctx, client, c); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// ReissueInvitationAction is the audited action of a new email for a contact who has not signed
// in yet: the invitation now belongs to another address.
const ReissueInvitationAction = "reissueInvitation"

// SetPrivileges changes some privileges if the contact is still at expectedVersion.
func SetPrivileges(ctx context.Context, id int, patch domain.PrivilegesPatch, expectedVersion int) (*ent.Contact, error) {
	client := ent.FromContext(ctx)
	before, err := rule.TakeContact(ctx, client, id)
	if err != nil {
		return nil, notFound(err)
	}
	update := client.Contact.UpdateOne(before).Where(contact.Version(expectedVersion))
	rule.SetPrivileges(update.Mutation(), patch.Apply(before.Privileges()))
	c, err := update.Save(ctx)
	return c, versionConflict(ctx, id, err)
}

// SetAccessRole promotes a USER to SECONDARY or demotes a SECONDARY to USER.
func SetAccessRole(ctx context.Context, id int, role domain.AccessRole) (*ent.Contact, error) {
	client := ent.FromContext(ctx)
	before, err := rule.TakeContact(ctx, client, id)
	if err != nil {
		return nil, notFound(err)
	}
	if role == domain.RolePrimary || before.AccessRole == domain.RolePrimary {
		return nil, apperr.InvalidInput("the primary role moves only with transferPrimary", "accessRole")
	}
	return client.Contact.UpdateOne(before).SetAccessRole(role).Save(ctx)
}

// Deactivate keeps the contact's data but ends its access.
func Deactivate(ctx context.Context, id int) (*ent.Contact, error) {
	return ent.FromContext(ctx).Contact.UpdateOneID(id).SetStatus(domain.StatusDeactivated).Save(ctx)
}

// Reactivate restores access: ACTIVE when the person has signed in before, else a new invitation.
func Reactivate(ctx context.Context, id int) (*ent.Contact, error) {
	client := ent.FromContext(ctx)
	before, err := rule.LoadContact(ctx, client, id)
	if err != nil {
		return nil, notFound(err)
	}
	if before.Status != domain.StatusDeactivated {
		return nil, apperr.New(apperr.Conflict, "the contact is not deactivated")
	}
	update := client.Contact.UpdateOneID(id)
	if before.UserID != nil {
		return update.SetStatus(domain.StatusActive).Save(ctx)
	}
	c, err := update.SetStatus(domain.StatusInvited).SetInvitationExpiresAt(time.Now().AddDate(0, 0, defaultInvitationDays)).Save(ctx)
	if err != nil {
		return nil, err
	}
	if err := notify.Invitation(ctx, client, c); err != nil {
		return nil, err
	}
	return c, nil
}

// Remove deletes a deactivated contact.
func Remove(ctx context.Context, id int) (int, error) {
	client := ent.FromContext(ctx)
	before, err := rule.LoadContact(ctx, client, id)
	if err != nil {
		return 0, notFound(err)
	}
	if before.AccessRole == domain.RolePrimary {
		return 0, apperr.New(apperr.Conflict, "the PRIMARY must transfer the primary role first")
	}
	if before.Status != domain.StatusDeactivated {
		return 0, apperr.New(apperr.Conflict, "deactivate the contact before removing it")
	}
	return id, client.Contact.DeleteOneID(id).Exec(ctx)
}

func setDetails(m *ent.ContactMutation, d domain.ContactDetails) {
	m.SetEmail(d.Email)
	m.SetFirstName(d.FirstName)
	m.SetLastName(d.LastName)
	m.SetPhone(d.Phone)
	m.SetCity(d.City)
	m.SetStateProvince(d.StateProvince)
	m.SetPostalCode(d.PostalCode)
	setOptional(m.SetStreet, d.Street)
	setOptional(m.SetCountry, d.Country)
	setOptional(m.SetJobTitle, d.JobTitle)
	setOptional(m.SetLanguage, d.Language)
}

func setOptional(set func(string), v *string) {
	if v != nil && *v != "" {
		set(*v)
	}
}

type namedValue struct {
	name  string
	value *string
}

// refuseEmptyRequired names every required field a patch would blank, all at once.
func refuseEmptyRequired(in ent.UpdateContactInput) error {
	return requireNonEmpty([]namedValue{
		{"email", in.Email}, {"firstName", in.FirstName}, {"lastName", in.LastName},
		{"phone", in.Phone}, {"city", in.City}, {"stateProvince", in.StateProvince},
		{"postalCode", in.PostalCode}, {"businessJustification", in.BusinessJustification},
	})
}

// requireNonEmpty refuses the given values that are set but blank.
func requireNonEmpty(fields []namedValue) error {
	var missing []string
	for _, f := range fields {
		if f.value != nil && strings.TrimSpace(*f.value) == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return apperr.InvalidInput("required fields cannot be empty: "+strings.Join(missing, ", "), missing...)
	}
	return nil
}

// versionConflict tells a stale expectedVersion (CONFLICT) from a contact that is not there.
func versionConflict(ctx context.Context, id int, err error) error {
	if !ent.IsNotFound(err) {
		return err
	}
	current, loadErr := rule.LoadContact(ctx, ent.FromContext(ctx), id)
	if loadErr != nil {
		return apperr.ErrNotFound
	}
	return apperr.New(apperr.Conflict, "the contact was changed by someone else (now at version %d); reload and try again", current.Version)
}

func notFound(err error) error {
	if ent.IsNotFound(err) {
		return apperr.ErrNotFound
	}
	return err
}
