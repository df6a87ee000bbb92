package graph

import (
	"context"
	"strings"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"

	"sitekeeper/ent"
	"sitekeeper/internal/apperr"
)

const (
	// maxPage is the largest first/last on a connection (the bar GitHub sets).
	maxPage = 100
	// maxCost bounds the nodes one query could touch: child cost is multiplied by the page size.
	maxCost = 50_000
)

// requirePageSize refuses a connection field without first or last, or with more than maxPage.
func requirePageSize(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Definition == nil || !strings.HasSuffix(fc.Field.Definition.Type.Name(), "Connection") {
		return next(ctx)
	}
	first, hasFirst := fc.Args["first"].(*int)
	last, hasLast := fc.Args["last"].(*int)
	hasFirst, hasLast = hasFirst && first != nil, hasLast && last != nil
	switch {
	case !hasFirst && !hasLast:
		return nil, apperr.InvalidInput("give first or last (1 to 100) on "+fc.Field.Name, "first", "last")
	case hasFirst && (*first < 1 || *first > maxPage):
		return nil, apperr.InvalidInput("first must be 1 to 100", "first")
	case hasLast && (*last < 1 || *last > maxPage):
		return nil, apperr.InvalidInput("last must be 1 to 100", "last")
	}
	return next(ctx)
}

// pageCost multiplies a connection's child cost by its page size, capped so that a missing or
// oversized page still counts as the most it could fetch.
func pageCost(child int, first, last *int) int {
	n := maxPage
	if first != nil && *first >= 0 && *first < n {
		n = *first
	}
	if last != nil && *last >= 0 && *last < n {
		n = *last
	}
	return 1 + max(n, 1)*child
}

type cursor = *entgql.Cursor[int]

func complexity() ComplexityRoot {
	var c ComplexityRoot
	c.Query.Sites = func(child int, _ cursor, first *int, _ cursor, last *int, _ *ent.SiteOrder, _ *ent.SiteWhereInput) int {
		return pageCost(child, first, last)
	}
	c.Query.Partners = func(child int, _ cursor, first *int, _ cursor, last *int, _ *ent.PartnerOrder, _ *ent.PartnerWhereInput) int {
		return pageCost(child, first, last)
	}
	c.Query.Nodes = func(child int, ids []int) int { return 1 + len(ids)*child }
	c.Site.Contacts = func(child int, _ cursor, first *int, _ cursor, last *int, _ *ent.ContactOrder, _ *ent.ContactWhereInput) int {
		return pageCost(child, first, last)
	}
	c.Site.AuditEvents = func(child int, _ cursor, first *int, _ cursor, last *int, _ *ent.AuditEventOrder, _ *ent.AuditEventWhereInput) int {
		return pageCost(child, first, last)
	}
	c.Site.AccessRequests = func(child int, _ cursor, first *int, _ cursor, last *int, _ *ent.AccessRequestOrder, _ *ent.AccessRequestWhereInput) int {
		return pageCost(child, first, last)
	}
	c.Site.PartnerGrants = func(child int, _ cursor, first *int, _ cursor, last *int, _ *ent.PartnerGrantWhereInput) int {
		return pageCost(child, first, last)
	}
	return c
}
