package ent

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
)

// CollectFieldOfOne is CollectFields for a query that returns one Site, such as
// site(number:): the edges it loads with the Site are paged with LIMIT, as for node(id:),
// rather than with a window over many Sites.
func (_q *SiteQuery) CollectFieldOfOne(ctx context.Context, satisfies ...string) (*SiteQuery, error) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil {
		return _q, nil
	}
	if err := _q.collectField(ctx, true, graphql.GetOperationContext(ctx), fc.Field, nil, satisfies...); err != nil {
		return nil, err
	}
	return _q, nil
}
