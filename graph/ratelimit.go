package graph

import (
	"context"
	"net/http"
	"strconv"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"sitekeeper/internal/audit"
	"sitekeeper/internal/ratelimit"
	"sitekeeper/internal/viewer"
)

// Rate limit defaults: a principal spends up to DefaultCostBurst cost units at once and regains
// DefaultCostPerMinute a minute. A dashboard page costs a few hundred units (a page of 50 contacts
// with their fields), so people never meet the limit; a script walking every Site at the
// largest page size does.
const (
	DefaultCostPerMinute = 200_000
	DefaultCostBurst     = 100_000
)

// RateLimitedCode is extensions.code of a request refused by the rate limit (HTTP 429).
const RateLimitedCode = "RATE_LIMITED"

// costRateLimit spends each operation's complexity (at least 1) from its principal's token
// bucket, after the cost limit has computed it and before anything runs. A refused operation
// is answered 429 with Retry-After and does not run.
type costRateLimit struct {
	buckets *ratelimit.Limiter
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = costRateLimit{}

func newCostRateLimit(perMinute, burst int) costRateLimit {
	if perMinute <= 0 {
		perMinute = DefaultCostPerMinute
	}
	if burst <= 0 {
		burst = DefaultCostBurst
	}
	return costRateLimit{buckets: ratelimit.New(ratelimit.Config{PerMinute: perMinute, Burst: burst})}
}

func (costRateLimit) ExtensionName() string                   { return "SitekeeperRateLimit" }
func (costRateLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (l costRateLimit) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	cost := 1
	if stats := extension.GetComplexityStats(graphql.WithOperationContext(ctx, opCtx)); stats != nil {
		cost = max(cost, stats.Complexity)
	}
	wait, ok := l.buckets.Take(principalKey(ctx), cost)
	if ok {
		return nil
	}
	refusalFrom(ctx).set(http.StatusTooManyRequests, ratelimit.RetryAfterSeconds(wait))
	return &gqlerror.Error{Message: "rate limit exceeded", Extensions: map[string]any{"code": RateLimitedCode}}
}

// principalKey names whose bucket a request spends: the signed-in person (operators included),
// the partner, or for anonymous callers the client address.
func principalKey(ctx context.Context) string {
	v := viewer.FromContext(ctx)
	switch {
	case v.UserID != 0:
		return "user:" + strconv.Itoa(v.UserID)
	case v.PartnerID != 0:
		return "partner:" + strconv.Itoa(v.PartnerID)
	case v.System:
		return "system"
	}
	return "ip:" + audit.RequestFrom(ctx).ClientAddress
}

// refusal is how an extension that refuses an operation before it runs sets the HTTP status
// (and Retry-After) of the answer that gqlgen's transport then writes.
type refusal struct {
	mu         sync.Mutex
	status     int
	retryAfter int
}

type refusalKey struct{}

func withRefusal(ctx context.Context, r *refusal) context.Context {
	return context.WithValue(ctx, refusalKey{}, r)
}

// refusalFrom returns the request's refusal; outside NewHandler's wrapper a throwaway one.
func refusalFrom(ctx context.Context) *refusal {
	if r, ok := ctx.Value(refusalKey{}).(*refusal); ok {
		return r
	}
	return &refusal{}
}

func (r *refusal) set(status, retryAfter int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.status, r.retryAfter = status, retryAfter
}

func (r *refusal) get() (status, retryAfter int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.status, r.retryAfter
}

// refusalWriter replaces the status gqlgen's transport writes for an operation refused by one of
// the extensions above.
type refusalWriter struct {
	http.ResponseWriter
	ref   *refusal
	wrote bool
}

func (w *refusalWriter) WriteHeader(code int) {
	if w.wrote {
		return
	}
	w.wrote = true
	if status, retryAfter := w.ref.get(); status != 0 {
		code = status
		if retryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
		}
		w.Header().Set("Cache-Control", "no-store")
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *refusalWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *refusalWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
