package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"sitekeeper/ent"
	"sitekeeper/internal/apperr"
	"sitekeeper/internal/changefeed"
	"sitekeeper/internal/policy"
	"sitekeeper/internal/viewer"
)

// directives implement graph/directives.graphqls. Each asks internal/policy; the ent privacy
// rules ask it again below, so a path the schema does not cover is refused all the same.
func directives() DirectiveRoot {
	return DirectiveRoot{
		SignedIn: func(ctx context.Context, _ any, next graphql.Resolver) (any, error) {
			if viewer.FromContext(ctx).IsAnonymous() {
				return nil, apperr.ErrUnauthenticated
			}
			return next(ctx)
		},
		Operator: func(ctx context.Context, _ any, next graphql.Resolver) (any, error) {
			if err := policy.Authorize(viewer.FromContext(ctx), policy.Request{Action: policy.Operate}); err != nil {
				return nil, err
			}
			return next(ctx)
		},
		Can: func(ctx context.Context, obj any, next graphql.Resolver, action policy.Action) (any, error) {
			v := viewer.FromContext(ctx)
			if v.IsAnonymous() {
				return nil, apperr.ErrUnauthenticated
			}
			requests, err := requestsFor(ctx, action, obj, graphql.GetFieldContext(ctx).Args)
			if err != nil {
				return nil, err
			}
			if err := authorizeAll(v, requests, action == policy.EditContacts); err != nil {
				return nil, err
			}
			return next(ctx)
		},
		SiteDetail: func(ctx context.Context, obj any, next graphql.Resolver) (any, error) {
			if s, ok := obj.(*ent.Site); ok && changefeed.IdentityOnly(ctx, s.ID) {
				return nil, apperr.New(apperr.Forbidden, "this Site has left your view: the feed gives its id, number and name only")
			}
			return next(ctx)
		},
		// Direct writing decides it once for a whole page (directGates): it depends on the
		// viewer alone.
		ContactDetails: func(ctx context.Context, _ any, next graphql.Resolver) (any, error) {
			if !policy.CanReadContactDetails(viewer.FromContext(ctx)) {
				return nil, apperr.New(apperr.Forbidden, "partners see contact roles only")
			}
			return next(ctx)
		},
	}
}

// authorizeAll asks the policy about every request; for a bulk change it names every refused
// record the caller may see, so the caller can fix the selection in one go. Records refused as
// NOT_FOUND stay unnamed: naming them would tell that they exist (all: true on another Site).
// One change that touches several records (a contact type moving) answers its first refusal.
func authorizeAll(v *viewer.Viewer, requests []policy.Request, bulk bool) error {
	var first *apperr.Error
	var refused []int
	hidden := false
	for _, r := range requests {
		err := policy.Authorize(v, r)
		if err == nil {
			continue
		}
		e, ok := apperr.As(err)
		if !ok || len(requests) == 1 || !bulk {
			return err
		}
		if e.Code == apperr.NotFound {
			hidden = true
			continue
		}
		if first == nil {
			first = e
		}
		refused = append(refused, r.Contact.ID)
	}
	switch {
	case first != nil:
		return &apperr.Error{Code: first.Code, Message: "refused for some contacts: " + first.Message, IDs: refused}
	case hidden:
		return apperr.ErrNotFound
	}
	return nil
}
