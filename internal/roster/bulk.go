package roster

import (
	"context"

	"sitekeeper/ent"
	"sitekeeper/ent/contact"
	"sitekeeper/internal/apperr"
	"sitekeeper/internal/rule"
)

// maxBulk bounds one bulk update; a Site with more contacts is updated in several calls.
const maxBulk = 1000

// UpdateContacts applies one patch of details and/or privileges to the chosen contacts of a Site,
// all or nothing: every record passes the same rules as a single update, in one transaction.
func UpdateContacts(ctx context.Context, in UpdateContactsInput) ([]*ent.Contact, error) {
	if (in.Details == nil || isEmptyPatch(*in.Details)) && (in.Privileges == nil || in.Privileges.IsEmpty()) {
		return nil, apperr.InvalidInput("give details or privileges to change", "details", "privileges")
	}
	if in.Details != nil {
		if err := refuseEmptyRequired(*in.Details); err != nil {
			return nil, apperr.WithFieldPrefix(err, "details.")
		}
		if in.Details.Email != nil {
			return nil, apperr.InvalidInput("an email belongs to one person: change it contact by contact", "details.email")
		}
	}
	client := ent.FromContext(ctx)
	targets, err := BulkTargets(ctx, client, in)
	if err != nil {
		return nil, err
	}
	updated := make([]*ent.Contact, 0, len(targets))
	for _, c := range targets {
		update := client.Contact.UpdateOneID(c.ID)
		if in.Details != nil {
			update.SetInput(*in.Details)
		}
		if in.Privileges != nil && !in.Privileges.IsEmpty() {
			rule.SetPrivileges(update.Mutation(), in.Privileges.Apply(c.Privileges()))
		}
		saved, err := update.Save(ctx)
		if err != nil {
			return nil, err
		}
		updated = append(updated, saved)
	}
	return updated, nil
}

// BulkTargets loads the contacts a bulk update names: the given ids, which must all belong to
// the Site, or every contact of the Site.
func BulkTargets(ctx context.Context, client *ent.Client, in UpdateContactsInput) ([]*ent.Contact, error) {
	all := in.All != nil && *in.All
	if all == (len(in.IDs) > 0) {
		return nil, apperr.InvalidInput("give either ids or all: true", "ids", "all")
	}
	if len(in.IDs) > maxBulk {
		return nil, apperr.InvalidInput("at most 1000 contacts in one update", "ids")
	}
	q := client.Contact.Query().Where(contact.SiteID(in.SiteID)).Order(contact.ByID())
	if !all {
		q.Where(contact.IDIn(in.IDs...))
	}
	targets, err := q.Limit(maxBulk + 1).All(rule.Unrestricted(ctx))
	if err != nil {
		return nil, err
	}
	if len(targets) > maxBulk {
		return nil, apperr.InvalidInput("the Site has more than 1000 contacts: update them by ids", "all")
	}
	if !all && len(targets) != len(uniq(in.IDs)) {
		return nil, &apperr.Error{Code: apperr.NotFound, Message: "some contacts are not contacts of this Site", IDs: missing(in.IDs, targets)}
	}
	return targets, nil
}

func isEmptyPatch(in ent.UpdateContactInput) bool { return in == ent.UpdateContactInput{} }

func uniq(ids []int) map[int]bool {
	set := make(map[int]bool, len(ids))
	for _, id := range ids {
		set[id] = true
	}
	return set
}

func missing(ids []int, found []*ent.Contact) []int {
	set := uniq(ids)
	for _, c := range found {
		delete(set, c.ID)
	}
	var out []int
	for id := range set {
		out = append(out, id)
	}
	return out
}
