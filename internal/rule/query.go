package rule

import (
	"context"
	"maps"
	"slices"

	"sitekeeper/ent"
	"sitekeeper/ent/accessrequest"
	"sitekeeper/ent/auditevent"
	"sitekeeper/ent/contact"
	"sitekeeper/ent/notification"
	"sitekeeper/ent/partner"
	"sitekeeper/ent/partnergrant"
	"sitekeeper/ent/predicate"
	"sitekeeper/ent/privacy"
	"sitekeeper/ent/site"
	"sitekeeper/ent/user"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/policy"
	"sitekeeper/internal/viewer"
)

// Read rules filter every query, so node(id:), nodes, nested edges and connections return only
// rows the policy lets the viewer see: what is filtered out answers as if it did not exist.

// sitesWhere lists the Sites the viewer has a relation to for which allowed holds.
func sitesWhere(v *viewer.Viewer, allowed func(*viewer.Viewer, int) bool) []int {
	candidates := slices.Collect(maps.Keys(v.Memberships))
	for id := range v.PartnerSites {
		candidates = append(candidates, id)
	}
	var ids []int
	for _, id := range candidates {
		if allowed(v, id) && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

func ownContactIDs(v *viewer.Viewer) []int {
	ids := make([]int, 0, len(v.Memberships))
	for _, m := range v.Memberships {
		ids = append(ids, m.ContactID)
	}
	return ids
}

// FilterSites keeps the Sites the viewer may see.
func FilterSites() privacy.QueryRule {
	return privacy.SiteQueryRuleFunc(func(ctx context.Context, q *ent.SiteQuery) error {
		v := viewer.FromContext(ctx)
		if policy.ReadsEverything(v) {
			return privacy.Allow
		}
		q.Where(site.IDIn(sitesWhere(v, policy.CanSeeSite)...))
		return privacy.Skip
	})
}

// FilterContacts keeps the viewer's own contacts and those of Sites whose roles they may read;
// for the administrator cards, also the ACTIVE PRIMARY and SECONDARY contacts of the Sites where
// the viewer may see who administers them.
func FilterContacts() privacy.QueryRule {
	return privacy.ContactQueryRuleFunc(func(ctx context.Context, q *ent.ContactQuery) error {
		v := viewer.FromContext(ctx)
		if policy.ReadsEverything(v) {
			return privacy.Allow
		}
		visible := []predicate.Contact{
			contact.SiteIDIn(sitesWhere(v, policy.CanReadContactRoles)...),
			contact.IDIn(ownContactIDs(v)...),
		}
		if administratorCards(ctx) {
			visible = append(visible, contact.And(
				contact.SiteIDIn(sitesWhere(v, policy.CanSeeAdministrators)...),
				contact.StatusEQ(domain.StatusActive),
				contact.AccessRoleIn(domain.RolePrimary, domain.RoleSecondary),
			))
		}
		q.Where(contact.Or(visible...))
		return privacy.Skip
	})
}

type cardsKey struct{}

// AdministratorCards returns ctx for reading administrator cards (name, email and role of the
// PRIMARY and SECONDARY contacts) with FilterContacts. Only roster.Administrators uses it, and
// keeps nothing of the rows but those columns.
func AdministratorCards(ctx context.Context) context.Context {
	return context.WithValue(ctx, cardsKey{}, true)
}

func administratorCards(ctx context.Context) bool {
	on, _ := ctx.Value(cardsKey{}).(bool)
	return on
}

// FilterAccessRequests keeps the requests of Sites the viewer manages, and the viewer's own.
func FilterAccessRequests() privacy.QueryRule {
	return privacy.AccessRequestQueryRuleFunc(func(ctx context.Context, q *ent.AccessRequestQuery) error {
		v := viewer.FromContext(ctx)
		if policy.ReadsEverything(v) {
			return privacy.Allow
		}
		q.Where(accessrequest.Or(
			accessrequest.SiteIDIn(sitesWhere(v, policy.IsManager)...),
			accessrequest.RequesterID(v.UserID),
		))
		return privacy.Skip
	})
}

// FilterPartnerGrants keeps the grants of Sites the viewer manages, and a partner's own grants.
func FilterPartnerGrants() privacy.QueryRule {
	return privacy.PartnerGrantQueryRuleFunc(func(ctx context.Context, q *ent.PartnerGrantQuery) error {
		v := viewer.FromContext(ctx)
		if policy.ReadsEverything(v) {
			return privacy.Allow
		}
		q.Where(partnergrant.Or(
			partnergrant.SiteIDIn(sitesWhere(v, policy.IsManager)...),
			partnergrant.PartnerID(v.PartnerID),
		))
		return privacy.Skip
	})
}

// FilterPartners: operators and managers (who grant access) see every partner; a partner itself.
func FilterPartners() privacy.QueryRule {
	return privacy.PartnerQueryRuleFunc(func(ctx context.Context, q *ent.PartnerQuery) error {
		v := viewer.FromContext(ctx)
		if policy.CanListPartners(v) {
			return privacy.Allow
		}
		q.Where(partner.ID(v.PartnerID))
		return privacy.Skip
	})
}

// FilterAuditEvents keeps the events of Sites whose audit log the viewer may read.
func FilterAuditEvents() privacy.QueryRule {
	return privacy.AuditEventQueryRuleFunc(func(ctx context.Context, q *ent.AuditEventQuery) error {
		v := viewer.FromContext(ctx)
		if policy.ReadsEverything(v) {
			return privacy.Allow
		}
		q.Where(auditevent.SiteIDIn(sitesWhere(v, policy.CanReadAudit)...))
		return privacy.Skip
	})
}

// FilterUsers: a person sees their own identity; operators see all.
func FilterUsers() privacy.QueryRule {
	return privacy.UserQueryRuleFunc(func(ctx context.Context, q *ent.UserQuery) error {
		v := viewer.FromContext(ctx)
		if policy.ReadsEverything(v) {
			return privacy.Allow
		}
		q.Where(user.ID(v.UserID))
		return privacy.Skip
	})
}

// RedactForPartners blanks the contact details a partner never reads (phone, address,
// justification) in every contact loaded for a partner, whichever path loaded it. The GraphQL
// @contactDetails directive refuses those fields first; this keeps them out of memory too.
func RedactForPartners() ent.Interceptor {
	return ent.InterceptFunc(func(next ent.Querier) ent.Querier {
		return ent.QuerierFunc(func(ctx context.Context, q ent.Query) (ent.Value, error) {
			value, err := next.Query(ctx, q)
			if err != nil || policy.CanReadContactDetails(viewer.FromContext(ctx)) {
				return value, err
			}
			switch v := value.(type) {
			case []*ent.Contact:
				for _, c := range v {
					redact(c)
				}
			case *ent.Contact:
				redact(v)
			}
			return value, nil
		})
	})
}

func redact(c *ent.Contact) {
	c.Phone, c.Street, c.City, c.StateProvince, c.PostalCode, c.Country = "", "", "", "", "", ""
	c.BusinessJustification = ""
}

// SystemOnlyQuery lets only Sitekeeper itself read (sessions, sign-ins in progress).
func SystemOnlyQuery() privacy.QueryRule {
	return privacy.QueryRuleFunc(func(ctx context.Context, _ ent.Query) error {
		if policy.IsSitekeeper(viewer.FromContext(ctx)) {
			return privacy.Allow
		}
		return privacy.Denyf("only Sitekeeper itself reads this")
	})
}

// FilterNotifications: a person reads the notifications addressed to them; operators all.
func FilterNotifications() privacy.QueryRule {
	return privacy.NotificationQueryRuleFunc(func(ctx context.Context, q *ent.NotificationQuery) error {
		v := viewer.FromContext(ctx)
		if policy.ReadsEverything(v) {
			return privacy.Allow
		}
		if v.Email == "" || !v.EmailVerified {
			q.Where(notification.ID(0))
			return privacy.Skip
		}
		q.Where(notification.RecipientEqualFold(v.Email))
		return privacy.Skip
	})
}
