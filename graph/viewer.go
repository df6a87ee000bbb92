package graph

import (
	"context"

	"sitekeeper/ent"
	"sitekeeper/ent/contact"
	"sitekeeper/graph/model"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/viewer"
)

// viewerOf answers the viewer query from the request's viewer and its own contacts.
func viewerOf(ctx context.Context) (*model.Viewer, error) {
	v := viewer.FromContext(ctx)
	client := ent.FromContext(ctx)
	out := &model.Viewer{IsOperator: v.Operator, Contacts: []*ent.Contact{}}
	if v.UserID != 0 {
		u, err := client.User.Get(ctx, v.UserID)
		if err != nil {
			return nil, err
		}
		out.User = u
		// Memberships only: a deactivated contact's Site is not the viewer's to see any more.
		own := client.Contact.Query().Where(contact.UserID(v.UserID), contact.StatusEQ(domain.StatusActive))
		if out.Contacts, err = own.Order(contact.BySiteID()).All(ctx); err != nil {
			return nil, err
		}
	}
	if v.IsPartner() {
		p, err := client.Partner.Get(ctx, v.PartnerID)
		if err != nil {
			return nil, err
		}
		out.Partner = p
	}
	return out, nil
}

// nilIfNotFound answers a lookup of something invisible or absent with null, not an error.
func nilIfNotFound[T any](v *T, err error) (*T, error) {
	if ent.IsNotFound(err) {
		return nil, nil
	}
	return v, err
}
