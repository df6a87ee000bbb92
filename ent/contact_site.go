package ent

import (
	"context"
	"slices"

	"entgo.io/ent"
)

// ContactSiteFromParent is an interceptor of Site queries. When a Site's contacts are loaded
// with it and each contact's Site is asked for too (the contacts page: site { contacts { site
// { ... } } }), that Site is the parent: rather than a query per page for the Site already in
// hand, the contacts get the parent, which also loads the columns their Site asks for. It steps
// aside when that Site asks for more than columns (edges, conditions).
func ContactSiteFromParent() Interceptor {
	return InterceptFunc(func(next Querier) Querier {
		return QuerierFunc(func(ctx context.Context, q Query) (Value, error) {
			sites, ok := q.(*SiteQuery)
			if !ok || !loadsNodes(ctx) {
				return next.Query(ctx, q)
			}
			var reused []*ContactQuery
			for _, contacts := range sites.contactQueries() {
				if contacts.withSite != nil && sites.absorb(contacts.withSite) {
					contacts.withSite = nil
					reused = append(reused, contacts)
				}
			}
			v, err := next.Query(ctx, q)
			if err != nil || len(reused) == 0 {
				return v, err
			}
			nodes, _ := v.([]*Site)
			if one, ok := v.(*Site); ok {
				nodes = []*Site{one}
			}
			for _, s := range nodes {
				for _, c := range s.Edges.Contacts {
					c.Edges.Site, c.Edges.loadedTypes[0] = s, true
				}
				for _, named := range s.Edges.namedContacts {
					for _, c := range named {
						c.Edges.Site, c.Edges.loadedTypes[0] = s, true
					}
				}
			}
			return v, nil
		})
	})
}

// loadsNodes reports a query that returns Sites (and loads their edges), not a count or ids.
func loadsNodes(ctx context.Context) bool {
	qc := ent.QueryFromContext(ctx)
	return qc != nil && slices.Contains([]string{ent.OpQueryAll, ent.OpQueryOnly, ent.OpQueryFirst}, qc.Op)
}

// contactQueries are the queries of the contacts eager-loaded with the Sites.
func (_q *SiteQuery) contactQueries() []*ContactQuery {
	var all []*ContactQuery
	if _q.withContacts != nil {
		all = append(all, _q.withContacts)
	}
	for _, named := range _q.withNamedContacts {
		all = append(all, named)
	}
	return all
}

// absorb makes the Sites _q loads stand in for those child would load, when child is a plain
// load of Sites (no conditions, edges, modifiers or paging of its own): _q then also selects the
// columns child selects, which are columns of the same rows.
func (_q *SiteQuery) absorb(child *SiteQuery) bool {
	bare := len(child.predicates) == 0 && len(child.order) == 0 && len(child.modifiers) == 0 &&
		len(child.loadTotal) == 0 && child.ctx.Limit == nil && child.ctx.Offset == nil &&
		child.sql == nil && child.path == nil &&
		child.withContacts == nil && child.withAccessRequests == nil && child.withPartnerGrants == nil &&
		child.withNotifications == nil && child.withAuditEvents == nil &&
		len(child.withNamedContacts) == 0 && len(child.withNamedAccessRequests) == 0 &&
		len(child.withNamedPartnerGrants) == 0 && len(child.withNamedNotifications) == 0 &&
		len(child.withNamedAuditEvents) == 0
	if !bare {
		return false
	}
	switch {
	case len(_q.ctx.Fields) == 0: // the parent loads every column already
	case len(child.ctx.Fields) == 0:
		_q.ctx.Fields = nil
	default:
		for _, f := range child.ctx.Fields {
			if !slices.Contains(_q.ctx.Fields, f) {
				_q.ctx.Fields = append(_q.ctx.Fields, f)
			}
		}
	}
	return true
}
