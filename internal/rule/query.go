package rule

import (
	"context"
	"slices"

	"entgo.io/ent/dialect/sql"

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

// sitesWhere lists the Sites the viewer is a contact of for which allowed holds. A partner's
// grants are not listed (a partner may hold tens of thousands): see grantedSites.
func sitesWhere(v *viewer.Viewer, allowed func(*viewer.Viewer, int) bool) []int {
	var ids []int
	for id := range v.Memberships {
		if allowed(v, id) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids) // the same statement for the same viewer: PostgreSQL's statement cache
	return ids
}

// byGrant reports whether an active grant on a Site is enough for allowed there. The policy
// answers for a probe: the same partner holding a grant on one Site and nothing else.
func byGrant(v *viewer.Viewer, allowed func(*viewer.Viewer, int) bool) bool {
	const probe = 1
	return v.IsPartner() && allowed(&viewer.Viewer{PartnerID: v.PartnerID, PartnerGrants: viewer.GrantsOf(probe)}, probe)
}

// grantedSites selects the rows whose Site (the column siteID names) the partner holds an
// active grant on, with a correlated EXISTS on the grants table (its partner_id, site_id index),
// so a page costs the same whether the partner holds ten grants or ten thousand. A complete set
// of grants known up front (tests, tools) is matched as a list.
func grantedSites(v *viewer.Viewer, siteID string) func(*sql.Selector) {
	return func(s *sql.Selector) {
		g := v.PartnerGrants
		if g == nil {
			s.Where(sql.False())
			return
		}
		if ids, ok := g.Known(); ok {
			s.Where(sql.InInts(s.C(siteID), ids...))
			return
		}
		t := sql.Table(partnergrant.Table).As("granted")
		s.Where(sql.Exists(sql.Dialect(s.Dialect()).Select(t.C(partnergrant.FieldID)).From(t).Where(sql.And(
			sql.ColumnsEQ(t.C(partnergrant.FieldSiteID), s.C(siteID)),
			sql.EQ(t.C(partnergrant.FieldPartnerID), v.PartnerID),
			sql.GT(t.C(partnergrant.FieldExpiresAt), g.At),
			sql.IsNull(t.C(partnergrant.FieldRevokedAt)),
		))))
	}
}

// NoteGrantedSites is an interceptor of Site queries: the Sites a partner loads under the privacy
// rules passed FilterSites, so their grants are active and the decisions about them (the
// directives on their fields) need no lookup of their own.
func NoteGrantedSites() ent.Interceptor {
	return ent.InterceptFunc(func(next ent.Querier) ent.Querier {
		return ent.QuerierFunc(func(ctx context.Context, q ent.Query) (ent.Value, error) {
			value, err := next.Query(ctx, q)
			v := viewer.FromContext(ctx)
			if err != nil || !v.IsPartner() || v.PartnerGrants == nil {
				return value, err
			}
			// DecisionFromContext answers a nil decision for Allow.
			if decision, fixed := privacy.DecisionFromContext(ctx); fixed && decision == nil {
				return value, err
			}
			switch sites := value.(type) {
			case []*ent.Site:
				for _, s := range sites {
					v.PartnerGrants.Granted(s.ID)
				}
			case *ent.Site:
				v.PartnerGrants.Granted(sites.ID)
			}
			return value, nil
		})
	})
}

// ownContactIDsOutside are the viewer's own contacts but those on the Sites in except.
func ownContactIDsOutside(v *viewer.Viewer, except []int) []int {
	ids := make([]int, 0, len(v.Memberships))
	for siteID, m := range v.Memberships {
		if !slices.Contains(except, siteID) {
			ids = append(ids, m.ContactID)
		}
	}
	slices.Sort(ids)
	return ids
}

// FilterSites keeps the Sites the viewer may see.
func FilterSites() privacy.QueryRule {
	return privacy.SiteQueryRuleFunc(func(ctx context.Context, q *ent.SiteQuery) error {
		v := viewer.FromContext(ctx)
		if policy.ReadsEverything(v) {
			return privacy.Allow
		}
		visible := []predicate.Site{site.IDIn(sitesWhere(v, policy.CanSeeSite)...)}
		if byGrant(v, policy.CanSeeSite) {
			visible = append(visible, grantedSites(v, site.FieldID))
		}
		q.Where(site.Or(visible...))
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
		readable := sitesWhere(v, policy.CanReadContactRoles)
		visible := []predicate.Contact{contact.SiteIDIn(readable...)}
		// One's own contact on the Sites whose roster one may not read; on the others the
		// Site's predicate holds it already, and an OR of both costs PostgreSQL a bitmap scan.
		if own := ownContactIDsOutside(v, readable); len(own) > 0 {
			visible = append(visible, contact.IDIn(own...))
		}
		if byGrant(v, policy.CanReadContactRoles) {
			visible = append(visible, grantedSites(v, contact.FieldSiteID))
		}
		if administratorCards(ctx) {
			cards := []predicate.Contact{contact.SiteIDIn(sitesWhere(v, policy.CanSeeAdministrators)...)}
			if byGrant(v, policy.CanSeeAdministrators) {
				cards = append(cards, grantedSites(v, contact.FieldSiteID))
			}
			visible = append(visible, contact.And(
				contact.Or(cards...),
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

// FeedFollowedBy selects the entries of the partner change feed (audit events marked feed) that
// the viewer may follow: every one for those who read everything; for a partner, its own grant
// events and the changes made on a Site while it held a grant there (the latest of its grant
// events on that Site before the change is a grant); nothing for anyone else. Revoking one of two
// grants that are both active is not a revocation: the audit hook leaves it out of the feed.
func FeedFollowedBy(v *viewer.Viewer) func(*sql.Selector) {
	switch {
	case policy.ReadsEverything(v):
		return func(*sql.Selector) {}
	case v.IsPartner():
		return func(s *sql.Selector) { s.Where(grantedAtTheTime(s, v.PartnerID)) }
	}
	return func(s *sql.Selector) { s.Where(sql.False()) }
}

func grantedAtTheTime(s *sql.Selector, partnerID int) *sql.Predicate {
	d := sql.Dialect(s.Dialect())
	g := d.Table(auditevent.Table).As("g")
	latest := d.Select(g.C(auditevent.FieldFeed)).From(g).
		Where(sql.And(
			sql.ColumnsEQ(g.C(auditevent.FieldSiteID), s.C(auditevent.FieldSiteID)),
			sql.EQ(g.C(auditevent.FieldFeedPartnerID), partnerID),
			sql.Or(
				sql.ColumnsLT(g.C(auditevent.FieldXact), s.C(auditevent.FieldXact)),
				sql.And(
					sql.ColumnsEQ(g.C(auditevent.FieldXact), s.C(auditevent.FieldXact)),
					sql.ColumnsLT(g.C(auditevent.FieldID), s.C(auditevent.FieldID)),
				),
			),
		)).
		OrderBy(sql.Desc(g.C(auditevent.FieldXact)), sql.Desc(g.C(auditevent.FieldID))).
		Limit(1)
	return sql.Or(
		sql.EQ(s.C(auditevent.FieldFeedPartnerID), partnerID),
		sql.And(
			sql.IsNull(s.C(auditevent.FieldFeedPartnerID)),
			sql.P(func(b *sql.Builder) {
				b.Wrap(func(b *sql.Builder) { b.Join(latest) }).WriteString(" = ").Arg(string(domain.FeedAccessGranted))
			}),
		),
	)
}
