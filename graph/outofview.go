package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"sitekeeper/ent"
	"sitekeeper/internal/apperr"
	"sitekeeper/internal/changefeed"
)

// identityOnlySites serves only the identity of a Site the change feed names after it left the
// reader's view (a revocation): its id, number and name, which the partner held while granted.
// Anything else about it is refused, as the policy refuses it to a partner without a grant.
func identityOnlySites(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	if fc.Object != "Site" || fc.Parent == nil {
		return next(ctx)
	}
	switch fc.Field.Name {
	case "id", "number", "name", "__typename":
		return next(ctx)
	}
	if s, ok := fc.Parent.Result.(*ent.Site); ok && changefeed.IdentityOnly(ctx, s.ID) {
		return nil, apperr.New(apperr.Forbidden, "this Site has left your view: the feed gives its id, number and name only")
	}
	return next(ctx)
}
