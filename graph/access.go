package graph

import (
	"context"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"sitekeeper/ent"
	"sitekeeper/internal/audit"
	"sitekeeper/internal/viewer"
)

// auditPartnerReads records the Sites whose data a partner's request loads (audit.RecordReads,
// on the Site and Contact queries), and writes one access event per Site once the response is
// complete.
func auditPartnerReads(client *ent.Client, logger *slog.Logger) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		// Partners may only read: what a refused mutation of theirs loaded to decide is no read.
		op := graphql.GetOperationContext(ctx).Operation
		if !viewer.FromContext(ctx).IsPartner() || op == nil || op.Operation != ast.Query {
			return next(ctx)
		}
		ctx, reads := audit.WithReads(ctx)
		handler := next(ctx)
		done := false
		return func(ctx context.Context) *graphql.Response {
			resp := handler(ctx)
			if !done {
				done = true
				if err := reads.RecordAccess(context.WithoutCancel(ctx), client, op.Name); err != nil {
					logger.ErrorContext(ctx, "recording a partner's read", "err", err)
				}
			}
			return resp
		}
	}
}
