package rule

import (
	"context"
	"slices"
	"strings"

	"sitekeeper/ent"
	"sitekeeper/ent/contact"
	"sitekeeper/ent/privacy"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/policy"
	"sitekeeper/internal/viewer"
)

// Column groups of a contact, each changed under its own rule.
var (
	detailColumns = []string{
		contact.FieldEmail, contact.FieldFirstName, contact.FieldLastName, contact.FieldPhone,
		contact.FieldCity, contact.FieldStateProvince, contact.FieldPostalCode, contact.FieldStreet,
		contact.FieldCountry, contact.FieldJobTitle, contact.FieldLanguage, contact.FieldBusinessJustification,
	}
	privilegeColumns = []string{
		contact.FieldSoftwareAccess, contact.FieldReporting, contact.FieldEntitlements,
		contact.FieldManageAccess, contact.FieldContactUpdates, contact.FieldAccountDocuments,
	}
	statusColumns = []string{contact.FieldStatus, contact.FieldInvitationExpiresAt}
	// identityColumns change only at sign-in, by Sitekeeper itself.
	identityColumns = []string{contact.FieldUserID, contact.FieldLastSignInAt}
)

// Readdresses reports whether email gives c another address: for a contact nobody signed in as
// yet, another person (the case of the letters does not matter, as at sign-in); for a signed-in
// one, any change of the identity's email.
func Readdresses(c *ent.Contact, email string) bool {
	if c.UserID != nil {
		return email != c.Email
	}
	return !strings.EqualFold(strings.TrimSpace(email), strings.TrimSpace(c.Email))
}

func touches(m ent.Mutation, columns []string) bool {
	for _, f := range append(m.Fields(), m.ClearedFields()...) {
		if slices.Contains(columns, f) {
			return true
		}
	}
	return false
}

// ContactMutations asks the policy about every group of columns a contact mutation changes.
func ContactMutations() privacy.MutationRule {
	return privacy.ContactMutationRuleFunc(func(ctx context.Context, m *ent.ContactMutation) error {
		v := viewer.FromContext(ctx)
		switch {
		case policy.IsSitekeeper(v):
			return privacy.Allow
		case m.Op().Is(ent.OpCreate):
			return authorizeCreate(ctx, m)
		case m.Op().Is(ent.OpUpdateOne), m.Op().Is(ent.OpDeleteOne):
			// The row the mutation starts from, read once and shared with the hooks' Old getters
			// and the audit record.
			before, err := m.OldNode(Unrestricted(ctx))
			if err != nil {
				return err
			}
			return authorizeChange(ctx, m, before)
		}
		// Bulk statements would decide for rows nobody looked at: every change goes one by one.
		return privacy.Denyf("contacts change one at a time")
	})
}

func authorizeCreate(ctx context.Context, m *ent.ContactMutation) error {
	siteID, _ := m.SiteID()
	role, _ := m.AccessRole()
	privileges := privilegesAfter(m, domain.NoPrivileges())
	return authorize(ctx, policy.Request{Action: policy.AddContact, SiteID: siteID, Role: role, Privileges: &privileges})
}

func authorizeChange(ctx context.Context, m *ent.ContactMutation, before *ent.Contact) error {
	c := ContactFacts(before)
	if m.Op().Is(ent.OpDeleteOne) {
		return authorize(ctx, policy.Request{Action: policy.ChangeContactStatus, SiteID: c.SiteID, Contact: c})
	}
	var requests []policy.Request
	if touches(m, detailColumns) {
		email, set := m.Email()
		requests = append(requests, policy.Request{Action: policy.EditContact, SiteID: c.SiteID, Contact: c,
			Readdress: set && Readdresses(before, email)})
	}
	if touches(m, identityColumns) {
		return privacy.Denyf("a contact is linked to an identity only by signing in")
	}
	if role, ok := m.AccessRole(); ok && role != c.Role {
		// Moving the primary role decides the whole new state of both records (status and
		// privileges included): that is a transfer, or an operator's reassignment.
		requests = append(requests, policy.Request{Action: policy.SetAccessRole, SiteID: c.SiteID, Contact: c, Role: role})
		if role == domain.RolePrimary || c.Role == domain.RolePrimary {
			return authorizeAll(ctx, requests)
		}
	}
	if touches(m, privilegeColumns) {
		after := privilegesAfter(m, c.Privileges)
		requests = append(requests, policy.Request{Action: policy.SetPrivileges, SiteID: c.SiteID, Contact: c, Privileges: &after})
	}
	if touches(m, statusColumns) {
		requests = append(requests, policy.Request{Action: policy.ChangeContactStatus, SiteID: c.SiteID, Contact: c})
	}
	if touches(m, []string{contact.FieldContactTypes}) {
		requests = append(requests, policy.Request{Action: policy.AssignContactType, SiteID: c.SiteID, Contact: c})
	}
	return authorizeAll(ctx, requests)
}

func authorizeAll(ctx context.Context, requests []policy.Request) error {
	for _, r := range requests {
		if err := authorize(ctx, r); err != privacy.Skip {
			return err
		}
	}
	return privacy.Skip
}
