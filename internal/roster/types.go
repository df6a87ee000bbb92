package roster

import (
	"slices"
	"strings"
	"time"

	"entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/sqljson"

	"sitekeeper/ent"
	"sitekeeper/ent/contact"
	"sitekeeper/ent/predicate"
	"sitekeeper/internal/domain"
)

// ContactTypes are the types a contact holds: PRIMARY with the primary role, then the assigned ones.
func ContactTypes(c *ent.Contact) []domain.ContactType {
	types := make([]domain.ContactType, 0, len(c.ContactTypes)+1)
	if c.AccessRole == domain.RolePrimary {
		types = append(types, domain.TypePrimary)
	}
	for _, t := range c.ContactTypes {
		if !slices.Contains(types, domain.ContactType(t)) {
			types = append(types, domain.ContactType(t))
		}
	}
	return types
}

// HasContactType matches contacts holding typ.
func HasContactType(typ domain.ContactType) predicate.Contact {
	if typ == domain.TypePrimary {
		return contact.AccessRoleEQ(domain.RolePrimary)
	}
	return predicate.Contact(func(s *sql.Selector) {
		s.Where(sqljson.ValueContains(s.C(contact.FieldContactTypes), string(typ)))
	})
}

// Search matches first name, last name or email, ignoring case.
func Search(term string) predicate.Contact {
	return contact.Or(
		contact.FirstNameContainsFold(term),
		contact.LastNameContainsFold(term),
		contact.EmailContainsFold(term),
	)
}

// MissingDetails names the required details a contact still lacks, as GraphQL fields.
func MissingDetails(c *ent.Contact) []string {
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

// InvitationExpired reports an INVITED contact whose invitation ran out.
func InvitationExpired(c *ent.Contact, now time.Time) bool {
	return c.Status == domain.StatusInvited && c.InvitationExpiresAt != nil && now.After(*c.InvitationExpiresAt)
}

// RequestExpired reports a PENDING access request past its expiry.
func RequestExpired(r *ent.AccessRequest, now time.Time) bool {
	return r.Status == domain.RequestPending && now.After(r.ExpiresAt)
}
