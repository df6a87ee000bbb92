package graph

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"time"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"sitekeeper/ent"
	"sitekeeper/graph/model"
	"sitekeeper/internal/apperr"
	"sitekeeper/internal/audit"
	"sitekeeper/internal/invariant"
)

// Options configure the GraphQL handler.
type Options struct {
	// DevMode turns on field suggestions in validation errors.
	DevMode bool
	// MaxSecondary is how many SECONDARY contacts a Site may have.
	MaxSecondary int
	Logger       *slog.Logger
}

const (
	maxBody        = 1 << 20
	requestTimeout = 10 * time.Second
	maxTokens      = 15_000
)

// NewHandler serves POST /graphql (JSON) and GET /graphql (queries only). The request's viewer
// must already be in its context (see internal/auth).
func NewHandler(client *ent.Client, opts Options) http.Handler {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	srv := handler.New(NewExecutableSchema(Config{
		Resolvers:  &Resolver{instance: model.Instance{DevMode: opts.DevMode, MaxSecondary: maxSecondaryOr(opts.MaxSecondary)}},
		Directives: directives(),
		Complexity: complexity(),
	}))
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.SetParserTokenLimit(maxTokens)
	srv.SetDisableSuggestion(!opts.DevMode)
	srv.Use(extension.Introspection{})
	srv.Use(extension.FixedComplexityLimit(maxCost))
	// Every mutation runs in one transaction: any error rolls back all of its root fields.
	srv.Use(entgql.Transactioner{TxOpener: client})
	srv.AroundFields(requirePageSize)
	partnerOps, partnerFields := auditPartnerReads(client, opts.Logger)
	srv.AroundOperations(partnerOps)
	srv.AroundFields(partnerFields)
	srv.AroundRootFields(func(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
		return next(audit.WithAction(ctx, graphql.GetRootFieldContext(ctx).Field.Name))
	})
	srv.SetErrorPresenter(presentError(opts.Logger))
	srv.SetRecoverFunc(func(ctx context.Context, p any) error {
		opts.Logger.ErrorContext(ctx, "panic in resolver", "panic", p)
		return apperr.New(apperr.Internal, "internal error")
	})
	maxSecondary := maxSecondaryOr(opts.MaxSecondary)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > maxBody {
			http.Error(w, `{"errors":[{"message":"request body too large","extensions":{"code":"BAD_USER_INPUT"}}]}`, http.StatusRequestEntityTooLarge)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		ctx, cancel := context.WithTimeout(r.Context(), requestTimeout)
		defer cancel()
		ctx = ent.NewContext(ctx, client)
		ctx = invariant.WithMaxSecondary(ctx, maxSecondary)
		if audit.RequestFrom(ctx).ClientAddress == "" { // mounted without internal/server's middleware
			ctx = audit.WithRequest(ctx, audit.Request{ID: r.Header.Get("X-Request-Id"), ClientAddress: clientAddress(r)})
		}
		srv.ServeHTTP(w, r.WithContext(ctx))
	})
}

func maxSecondaryOr(n int) int {
	if n > 0 {
		return n
	}
	return invariant.DefaultMaxSecondary
}

func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
