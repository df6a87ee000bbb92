package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"sitekeeper/ent"
	"sitekeeper/graph/model"
	"sitekeeper/internal/apperr"
	"sitekeeper/internal/audit"
	"sitekeeper/internal/changefeed"
	"sitekeeper/internal/invariant"
	"sitekeeper/internal/metrics"
	"sitekeeper/internal/rule"
)

// Options configure the GraphQL handler.
type Options struct {
	// DevMode turns on field suggestions in validation errors.
	DevMode bool
	// MaxSecondary is how many SECONDARY contacts a Site may have.
	MaxSecondary int
	Logger       *slog.Logger
	// CostPerMinute and CostBurst set each principal's rate limit in cost units (an operation
	// costs its complexity, at least 1); DefaultCostPerMinute and DefaultCostBurst when 0.
	CostPerMinute int
	CostBurst     int
	// Timeout is the deadline of one request, database work included; RequestTimeout when 0.
	Timeout time.Duration
	// Metrics counts answered errors by code; nil counts nothing.
	Metrics *metrics.Metrics
	// FieldByField leaves every field to gqlgen's execution, without direct writing (see
	// direct.go): the reference direct writing is tested against.
	FieldByField bool
}

const (
	// MaxBody is the largest request body accepted; a larger one is answered 413.
	MaxBody = 1 << 20
	// RequestTimeout is the default deadline of one request.
	RequestTimeout = 10 * time.Second
	// MaxTokens is the parser's token limit: a longer document is refused before it is parsed.
	MaxTokens = 15_000
)

// NewHandler serves POST /graphql (JSON) and GET /graphql (queries only). The request's viewer
// must already be in its context (see internal/auth).
func NewHandler(client *ent.Client, opts Options) http.Handler {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	schema := NewExecutableSchema(Config{
		Resolvers:  &Resolver{instance: model.Instance{DevMode: opts.DevMode, MaxSecondary: maxSecondaryOr(opts.MaxSecondary)}},
		Directives: directives(),
		Complexity: complexity(),
	})
	srv := handler.New(schema)
	srv.AddTransport(transport.GET{})
	srv.AddTransport(postJSON{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.SetParserTokenLimit(MaxTokens)
	srv.SetDisableSuggestion(!opts.DevMode)
	// Before the document is validated: its size and shape, the variables, anonymous callers.
	srv.Use(newDocumentBounds(opts.DevMode))
	srv.Use(schemaReading{devMode: opts.DevMode})
	// Before anything runs, in this order: the page sizes, then the cost, then the rate limit,
	// which spends the cost. Each refusal is cheaper than the next check.
	srv.Use(pageLimit{})
	srv.Use(newCostLimit(maxCost))
	srv.Use(newCostRateLimit(opts.CostPerMinute, opts.CostBurst))
	// Every mutation runs in one transaction: any error rolls back all of its root fields.
	srv.Use(requestTx{entgql.Transactioner{TxOpener: client}, opts.Logger})
	if !opts.FieldByField {
		srv.Use(newDirectWriter(schema.Schema(), schema.(*executableSchema)))
	}
	srv.AroundOperations(auditPartnerReads(client, opts.Logger))
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		return next(changefeed.WithOutOfView(ctx))
	})
	srv.AroundRootFields(func(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
		answer := next(audit.WithAction(ctx, graphql.GetRootFieldContext(ctx).Field.Name))
		// gqlgen tells a failed non-null root field by these sentinels.
		if opts.FieldByField || answer == graphql.Null || answer == graphql.RequiredNull {
			return answer
		}
		return wholeAnswer{answer, answerLoanFrom(ctx)}
	})
	srv.SetErrorPresenter(hideRequestBody(presentError(opts.Logger, opts.Metrics)))
	srv.SetRecoverFunc(func(ctx context.Context, p any) error {
		opts.Logger.ErrorContext(ctx, "panic in resolver", "panic", p)
		return apperr.New(apperr.Internal, "internal error")
	})
	maxSecondary := maxSecondaryOr(opts.MaxSecondary)
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = RequestTimeout
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Answers are JSON; a browser must never sniff one into a page (names are free text).
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if r.ContentLength > MaxBody {
			writeRefusal(w, http.StatusRequestEntityTooLarge, "the request body is larger than 1 MiB")
			return
		}
		if r.Method == http.MethodPost {
			// Read here rather than in the transport: a chunked body over the limit is a 413 too,
			// and a JSON array (a batch of operations) is refused before it is decoded.
			body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
			var tooLarge *http.MaxBytesError
			switch {
			case errors.As(err, &tooLarge):
				writeRefusal(w, http.StatusRequestEntityTooLarge, "the request body is larger than 1 MiB")
				return
			case err != nil:
				writeRefusal(w, http.StatusBadRequest, "the request body could not be read")
				return
			case isJSONArray(body):
				writeRefusal(w, http.StatusBadRequest, "batches are not accepted: send one operation per request")
				return
			}
			// The body's object, then the variables object, hold the variables' values.
			if msg := jsonProblem(body, maxInputDepth+2); msg != "" {
				writeRefusal(w, http.StatusUnprocessableEntity, msg)
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
			r.ContentLength = int64(len(body))
		} else if msg := jsonProblem([]byte(r.URL.Query().Get("variables")), maxInputDepth+1); msg != "" {
			writeRefusal(w, http.StatusUnprocessableEntity, msg)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), timeout)
		defer cancel()
		ctx = ent.NewContext(ctx, client)
		ctx = withReviewLoaders(withLoaders(ctx))
		ctx = rule.WithKeptContacts(ctx)
		ctx = invariant.WithMaxSecondary(ctx, maxSecondary)
		if audit.RequestFrom(ctx).ClientAddress == "" { // mounted without internal/server's middleware
			ctx = audit.WithRequest(ctx, audit.Request{ID: r.Header.Get("X-Request-Id"), ClientAddress: clientAddress(r)})
		}
		ref := &refusal{}
		ctx = withRefusal(ctx, ref)
		srv.ServeHTTP(&refusalWriter{ResponseWriter: w, ref: ref}, r.WithContext(ctx))
	})
}

// writeRefusal answers a request refused before GraphQL sees it, in GraphQL's error shape.
func writeRefusal(w http.ResponseWriter, status int, message string) {
	body, _ := json.Marshal(map[string]any{"errors": []map[string]any{{
		"message": message, "extensions": map[string]any{"code": string(apperr.BadUserInput)},
	}}})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// isJSONArray reports whether body's first significant byte opens a JSON array.
func isJSONArray(body []byte) bool {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	return len(trimmed) > 0 && trimmed[0] == '['
}

// hideRequestBody replaces gqlgen's message for an undecodable body, which quotes the body
// back, with one that does not.
func hideRequestBody(next graphql.ErrorPresenterFunc) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		var gqlErr *gqlerror.Error
		if errors.As(err, &gqlErr) && gqlErr.Err == nil && strings.HasPrefix(gqlErr.Message, "json request body could not be decoded") {
			err = &gqlerror.Error{
				Message:    "the request body is not a GraphQL request: send a JSON object with a query string",
				Extensions: map[string]any{"code": string(apperr.BadUserInput)},
			}
		}
		return next(ctx, err)
	}
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

// requestTx is entgql.Transactioner for operations that run. gqlgen also passes the answer to a
// refused request (an undecodable body, invalid variables, a limit) through the response
// interceptors, where the Transactioner would take the write lock for a refused mutation, and
// panic for a body without any operation.
type requestTx struct {
	entgql.Transactioner
	logger *slog.Logger
}

type dispatchedKey struct{}

var _ interface {
	graphql.OperationInterceptor
	graphql.ResponseInterceptor
} = requestTx{}

// InterceptOperation marks the operations that gqlgen dispatches (those that passed every check).
func (requestTx) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	return next(context.WithValue(ctx, dispatchedKey{}, true))
}

func (t requestTx) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	if dispatched, _ := ctx.Value(dispatchedKey{}).(bool); !dispatched {
		return next(ctx)
	}
	resp := t.Transactioner.InterceptResponse(ctx, next)
	return hideTransactionErrors(ctx, resp, t.logger)
}

// hideTransactionErrors replaces what entgql's Transactioner answers when a transaction cannot
// begin or commit (the driver's text, SQL state included) with the pinned codes: a commit that
// lost a race is a CONFLICT, anything else INTERNAL. The error presenter never sees these.
func hideTransactionErrors(ctx context.Context, resp *graphql.Response, logger *slog.Logger) *graphql.Response {
	if resp == nil || resp.Data != nil || len(resp.Errors) != 1 {
		return resp
	}
	msg := resp.Errors[0].Message
	if !strings.HasPrefix(msg, "cannot commit transaction") && !strings.HasPrefix(msg, "cannot create transaction") {
		return resp
	}
	logger.ErrorContext(ctx, "transaction failed", "err", msg)
	e := &gqlerror.Error{Message: "internal error", Extensions: map[string]any{"code": string(apperr.Internal)}}
	if strings.Contains(msg, "40001") || strings.Contains(msg, "40P01") || strings.Contains(msg, "database is locked") {
		e.Message, e.Extensions["code"] = "a concurrent change won; try again", string(apperr.Conflict)
	}
	return &graphql.Response{Errors: gqlerror.List{e}}
}
