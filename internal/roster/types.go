package roster

import (
	"entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/sqljson"

	"sitekeeper/ent/contact"
	"sitekeeper/ent/predicate"
	"sitekeeper/internal/domain"
)

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
