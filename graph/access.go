package graph

import (
	"context"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"

	"sitekeeper/ent"
	"sitekeeper/internal/audit"
	"sitekeeper/internal/viewer"
)

// auditPartnerReads records every Site whose data a partner's request returned, and writes one
// access event per Site once the response is complete.
func auditPartnerReads(client *ent.Client, logger *slog.Logger) (graphql.OperationMiddleware, graphql.FieldMiddleware) {
	operations := func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		if !viewer.FromContext(ctx).IsPartner() {
			return next(ctx)
		}
		ctx, reads := audit.WithReads(ctx)
		handler := next(ctx)
		done := false
		return func(ctx context.Context) *graphql.Response {
			resp := handler(ctx)
			if !done {
				done = true
				name := ""
				if op := graphql.GetOperationContext(ctx).Operation; op != nil {
					name = op.Name
				}
				if err := reads.RecordAccess(context.WithoutCancel(ctx), client, name); err != nil {
					logger.ErrorContext(ctx, "recording a partner's read", "err", err)
				}
			}
			return resp
		}
	}
	fields := func(ctx context.Context, next graphql.Resolver) (any, error) {
		res, err := next(ctx)
		switch v := res.(type) {
		case *ent.Site:
			if v != nil {
				audit.ReadSite(ctx, v.ID)
			}
		case *ent.Contact:
			if v != nil {
				audit.ReadSite(ctx, v.SiteID)
			}
		}
		return res, err
	}
	return operations, fields
}
