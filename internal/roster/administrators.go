package roster

import (
	"context"

	"sitekeeper/ent"
	"sitekeeper/ent/contact"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/rule"
)

// Administrator is someone to ask about a Site: its PRIMARY or a SECONDARY contact, by name,
// email and role only.
type Administrator struct {
	FirstName, LastName, Email string
	AccessRole                 domain.AccessRole
}

// Administrators lists the Site's ACTIVE PRIMARY and SECONDARY contacts, the PRIMARY first.
func Administrators(ctx context.Context, siteID int) ([]*Administrator, error) {
	bySite, err := AdministratorsOf(ctx, siteID)
	return bySite[siteID], err
}

// AdministratorsOf lists the administrators of several Sites in one query, by Site; every Site
// asked for has an entry, empty when the viewer may see none of its contacts. The rows come
// through the privacy rules, which let the Site's contacts read exactly these columns of exactly
// these rows (rule.AdministratorCards); nothing else of them is kept.
func AdministratorsOf(ctx context.Context, siteIDs ...int) (map[int][]*Administrator, error) {
	rows, err := ent.FromContext(ctx).Contact.Query().
		Where(contact.SiteIDIn(siteIDs...), contact.StatusEQ(domain.StatusActive),
			contact.AccessRoleIn(domain.RolePrimary, domain.RoleSecondary)).
		Order(contact.ByAccessRole(), contact.ByLastName(), contact.ByFirstName()).
		Select(contact.FieldSiteID, contact.FieldFirstName, contact.FieldLastName, contact.FieldEmail, contact.FieldAccessRole).
		All(rule.AdministratorCards(ctx))
	if err != nil {
		return nil, err
	}
	out := make(map[int][]*Administrator, len(siteIDs))
	for _, id := range siteIDs {
		out[id] = []*Administrator{}
	}
	for _, c := range rows {
		out[c.SiteID] = append(out[c.SiteID], &Administrator{FirstName: c.FirstName, LastName: c.LastName, Email: c.Email, AccessRole: c.AccessRole})
	}
	return out, nil
}
