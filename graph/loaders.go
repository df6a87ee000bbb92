package graph

import (
	"context"
	"time"

	"github.com/vikstrous/dataloadgen"

	"sitekeeper/ent"
	"sitekeeper/ent/contact"
	"sitekeeper/internal/domain"
)

// loaders batch the per-object lookups that ent's eager loading cannot express, so a list of
// Sites with their primary contacts costs one query, not one per Site.
type loaders struct {
	primaryContact *dataloadgen.Loader[int, *ent.Contact]
}

type loadersKey struct{}

func withLoaders(ctx context.Context) context.Context {
	return context.WithValue(ctx, loadersKey{}, &loaders{
		primaryContact: dataloadgen.NewLoader(primaryContacts, dataloadgen.WithWait(2*time.Millisecond)),
	})
}

// primaryContact returns a Site's PRIMARY contact, or nil when the viewer may not see it.
func primaryContact(ctx context.Context, siteID int) (*ent.Contact, error) {
	if l, ok := ctx.Value(loadersKey{}).(*loaders); ok {
		return l.primaryContact.Load(ctx, siteID)
	}
	contacts, errs := primaryContacts(ctx, []int{siteID})
	return contacts[0], errs[0]
}

// primaryContacts loads the PRIMARY contacts of several Sites in one query, through the viewer's
// privacy rules (the batch runs in the first caller's context: one request, one viewer).
func primaryContacts(ctx context.Context, siteIDs []int) ([]*ent.Contact, []error) {
	found, err := ent.FromContext(ctx).Contact.Query().
		Where(contact.SiteIDIn(siteIDs...), contact.AccessRoleEQ(domain.RolePrimary)).
		All(ctx)
	out, errs := make([]*ent.Contact, len(siteIDs)), make([]error, len(siteIDs))
	bySite := make(map[int]*ent.Contact, len(found))
	for _, c := range found {
		bySite[c.SiteID] = c
	}
	for i, id := range siteIDs {
		out[i], errs[i] = bySite[id], err
	}
	return out, errs
}
