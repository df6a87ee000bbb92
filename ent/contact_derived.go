package ent

import (
	"slices"
	"strings"
	"time"

	"sitekeeper/ent/contact"
	"sitekeeper/internal/domain"
)

// Values derived from a contact's own columns. GraphQL serves them as methods, not resolvers:
// gqlgen runs each resolver of each node in a goroutine of its own, which for a page of 100
// contacts meant hundreds of goroutines for fields that only read the row.

// Privileges are the contact's six privilege columns.
func (c *Contact) Privileges() domain.Privileges {
	return domain.Privileges{
		SoftwareAccess:   c.SoftwareAccess,
		Reporting:        c.Reporting,
		Entitlements:     c.Entitlements,
		ManageAccess:     c.ManageAccess,
		ContactUpdates:   c.ContactUpdates,
		AccountDocuments: c.AccountDocuments,
	}
}

// AllContactTypes are the types a contact holds: PRIMARY with the primary role, then the
// assigned ones (the contact_types column holds only the assigned ones).
func (c *Contact) AllContactTypes() []domain.ContactType {
	return c.AppendContactTypes(make([]domain.ContactType, 0, len(c.ContactTypes)+1))
}

// AppendContactTypes appends AllContactTypes to types (a writer's buffer on its stack).
func (c *Contact) AppendContactTypes(types []domain.ContactType) []domain.ContactType {
	start := len(types)
	if c.AccessRole == domain.RolePrimary {
		types = append(types, domain.TypePrimary)
	}
	for _, t := range c.ContactTypes {
		if !slices.Contains(types[start:], domain.ContactType(t)) {
			types = append(types, domain.ContactType(t))
		}
	}
	return types
}

// MissingDetails names the required details a contact still lacks, as GraphQL fields.
func (c *Contact) MissingDetails() []string {
	var missing []string
	for _, f := range []struct{ name, value string }{
		{"phone", c.Phone}, {"city", c.City}, {"stateProvince", c.StateProvince}, {"postalCode", c.PostalCode},
	} {
		if strings.TrimSpace(f.value) == "" {
			missing = append(missing, f.name)
		}
	}
	return missing
}

// SignedIn reports a contact linked to its identity at a sign-in.
func (c *Contact) SignedIn() bool { return c.UserID != nil }

// InvitationExpired reports an INVITED contact whose invitation ran out.
func (c *Contact) InvitationExpired() bool {
	return c.Status == domain.StatusInvited && c.InvitationExpiresAt != nil && time.Now().After(*c.InvitationExpiresAt)
}

// Expired reports a PENDING access request past its expiry.
func (r *AccessRequest) Expired() bool {
	return r.Status == domain.RequestPending && time.Now().After(r.ExpiresAt)
}

// contactDerivedColumns are the columns each GraphQL field derived from a contact's row reads
// (the methods above): entgql's collection selects them (see collectDerivedFields in entc.go).
var contactDerivedColumns = map[string][]string{
	"privileges": {contact.FieldSoftwareAccess, contact.FieldReporting, contact.FieldEntitlements,
		contact.FieldManageAccess, contact.FieldContactUpdates, contact.FieldAccountDocuments},
	"contactTypes":      {contact.FieldAccessRole, contact.FieldContactTypes},
	"missingDetails":    {contact.FieldPhone, contact.FieldCity, contact.FieldStateProvince, contact.FieldPostalCode},
	"invitationExpired": {contact.FieldStatus, contact.FieldInvitationExpiresAt},
	"signedIn":          {contact.FieldUserID},
}

// collectDerivedContactField adds the columns of a derived field to a collection's selection;
// false for a field it does not know.
func collectDerivedContactField(name string, seen map[string]struct{}, selected *[]string) bool {
	columns, ok := contactDerivedColumns[name]
	for _, c := range columns {
		if _, dup := seen[c]; !dup {
			seen[c] = struct{}{}
			*selected = append(*selected, c)
		}
	}
	return ok
}
