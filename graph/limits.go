package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"entgo.io/contrib/entgql"
	gqlcomplexity "github.com/99designs/gqlgen/complexity"
	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"sitekeeper/ent"
	"sitekeeper/internal/apperr"
)

const (
	// maxPage is the largest first/last on a connection (the bar GitHub sets), and the most ids
	// one nodes(ids:) call may ask for.
	maxPage = 100
	// maxCost bounds the nodes one query could touch: child cost is multiplied by the page size.
	maxCost = 50_000
	// maxDepth bounds how deeply fields nest (top-level fields are at depth 1). Introspection
	// (__schema, __type) is bounded by gqlparser's MaxIntrospectionDepth rule instead, since the
	// standard introspection query nests its ofType chain deeper than any data query needs.
	maxDepth = 10
	// maxAliases bounds the aliased fields of one operation, counted through fragments.
	maxAliases = 30
	// maxSelections bounds the fields documentBounds walks with fragments expanded; a document
	// whose fragments multiply beyond it is refused without walking further.
	maxSelections = 5_000
)

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

// costOptions price what a query could touch in nodes, as the cost budget promises: an object
// field costs 1 plus its children (a list or connection multiplied by its page, by complexity),
// and a scalar or enum field nothing beyond the node it is read from. A partner's sync page (100
// Sites of up to 100 contacts, a dozen fields each) is then the 20,000 nodes it reads, not the
// 160,000 fields it returns.
var costOptions = []gqlcomplexity.Option{gqlcomplexity.WithFixedScalarValue(0)}

// complexity prices every list field by the most items it can return. A connection added to
// the schema needs its line here; TestEveryListFieldHasAComplexity in adversarial/ fails until
// it has one.
func complexity() ComplexityRoot {
	var c ComplexityRoot
	c.Query.Sites = func(child int, _ cursor, first *int, _ cursor, last *int, _ *ent.SiteOrder, _ *ent.SiteWhereInput) int {
		return pageCost(child, first, last)
	}
	c.Query.Partners = func(child int, _ cursor, first *int, _ cursor, last *int, _ *ent.PartnerOrder, _ *ent.PartnerWhereInput) int {
		return pageCost(child, first, last)
	}
	c.Query.Notifications = func(child int, _ cursor, first *int, _ cursor, last *int, _ *ent.NotificationOrder, _ *ent.NotificationWhereInput) int {
		return pageCost(child, first, last)
	}
	c.Query.Reviews = func(child int, _ cursor, first *int, _ cursor, last *int, _ *ent.ReviewOrder, _ *ent.ReviewWhereInput) int {
		return pageCost(child, first, last)
	}
	c.Site.Reviews = func(child int, _ cursor, first *int, _ cursor, last *int, _ *ent.ReviewOrder, _ *ent.ReviewWhereInput) int {
		return pageCost(child, first, last)
	}
	c.Review.Items = func(child int, _ cursor, first *int, _ cursor, last *int, _ *ent.ReviewItemWhereInput) int {
		return pageCost(child, first, last)
	}
	c.Query.ContactRoleChanges = func(child int, _ cursor, first int) int { return pageCost(child, &first, nil) }
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

// Complexity is the complexity configuration NewHandler uses, for tests that check that every
// list field has a price.
func Complexity() ComplexityRoot { return complexity() }

// refuse answers a query refused before it ran: BAD_USER_INPUT (the presenter keeps the code),
// with HTTP 422 like the validation errors it resembles.
func refuse(ctx context.Context, format string, args ...any) *gqlerror.Error {
	refusalFrom(ctx).set(http.StatusUnprocessableEntity, 0)
	return &gqlerror.Error{
		Message:    fmt.Sprintf(format, args...),
		Extensions: map[string]any{"code": string(apperr.BadUserInput)},
	}
}

// pageLimit refuses, once the document is validated and its variables coerced, a connection
// asked for without a page size or with one outside 1..maxPage, and nodes(ids:) with more than
// maxPage ids (documentBounds bounded the rest before validation). It walks the operation once
// with fragment spreads expanded and stops at the first problem. A request that spent its
// deadline on getting here is refused too: the deadline covers validation and coercion.
type pageLimit struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = pageLimit{}

func (pageLimit) ExtensionName() string                   { return "SitekeeperPageLimit" }
func (pageLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (pageLimit) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	if ctx.Err() != nil {
		return &gqlerror.Error{Message: "the request took too long", Extensions: map[string]any{"code": string(apperr.Internal)}}
	}
	if opCtx.Operation == nil {
		return nil
	}
	if problem := pagesProblem(opCtx.Doc, opCtx.Operation.SelectionSet, opCtx.Variables, nil); problem != nil {
		err := refuse(ctx, "%s", problem.Message)
		err.Extensions["fields"] = problem.Fields
		return err
	}
	return nil
}

// pagesProblem is the first page-size problem in set, fragments expanded (spreading lists the
// fragments being expanded; validation has refused cycles, this only must not loop).
func pagesProblem(doc *ast.QueryDocument, set ast.SelectionSet, vars map[string]any, spreading []string) *apperr.Error {
	for _, sel := range set {
		var inner ast.SelectionSet
		switch s := sel.(type) {
		case *ast.Field:
			if p := pageSizeProblem(s, vars); p != nil {
				return p
			}
			inner = s.SelectionSet
		case *ast.InlineFragment:
			inner = s.SelectionSet
		case *ast.FragmentSpread:
			def := s.Definition
			if def == nil && doc != nil {
				def = doc.Fragments.ForName(s.Name)
			}
			if def == nil || slices.Contains(spreading, s.Name) {
				continue
			}
			spreading, inner = append(spreading, s.Name), def.SelectionSet
		}
		if p := pagesProblem(doc, inner, vars, spreading); p != nil {
			return p
		}
	}
	return nil
}

// pageSizeProblem refuses a connection field without first or last, or with either outside
// 1..maxPage, and a nodes(ids:) call with more than maxPage ids. Checked on the document before
// anything runs: field collection would otherwise reach the database with the page sizes first.
func pageSizeProblem(f *ast.Field, vars map[string]any) *apperr.Error {
	if f.Definition == nil {
		return nil
	}
	if f.Name == "nodes" && f.ObjectDefinition != nil && f.ObjectDefinition.Name == "Query" {
		if ids, ok := f.ArgumentMap(vars)["ids"].([]any); ok && len(ids) > maxPage {
			return apperr.InvalidInput(fmt.Sprintf("nodes takes at most %d ids", maxPage), "ids")
		}
		return nil
	}
	if !strings.HasSuffix(f.Definition.Type.Name(), "Connection") {
		return nil
	}
	args := f.ArgumentMap(vars)
	first, hasFirst := intArg(args["first"])
	last, hasLast := intArg(args["last"])
	switch {
	case !hasFirst && !hasLast:
		return apperr.InvalidInput("give first or last (1 to 100) on "+f.Name, "first", "last")
	case hasFirst && (first < 1 || first > maxPage):
		return apperr.InvalidInput("first must be 1 to 100", "first")
	case hasLast && (last < 1 || last > maxPage):
		return apperr.InvalidInput("last must be 1 to 100", "last")
	}
	return nil
}

// intArg reads an Int argument as gqlparser hands it over: a literal or a coerced variable.
func intArg(v any) (int64, bool) {
	switch n := v.(type) {
	case int:
		return int64(n), true
	case int64:
		return n, true
	case int32:
		return int64(n), true
	case float64:
		return int64(n), true
	case json.Number:
		i, err := n.Int64()
		return i, err == nil
	}
	return 0, false
}

// costLimit is gqlgen's complexity limit with the refusal the API promises: BAD_USER_INPUT and
// HTTP 422 instead of gqlgen's own code, and a message that says what to do. The complexity it
// records stays readable through extension.GetComplexityStats (the rate limit spends it).
type costLimit struct {
	inner *extension.ComplexityLimit
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = costLimit{}

func newCostLimit(limit int) costLimit {
	return costLimit{inner: extension.FixedComplexityLimit(limit, costOptions...)}
}

func (costLimit) ExtensionName() string { return "SitekeeperCostLimit" }

func (c costLimit) Validate(schema graphql.ExecutableSchema) error { return c.inner.Validate(schema) }

func (c costLimit) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	if err := c.inner.MutateOperationContext(ctx, opCtx); err != nil {
		stats := extension.GetComplexityStats(graphql.WithOperationContext(ctx, opCtx))
		cost, limit := 0, maxCost
		if stats != nil {
			cost, limit = stats.Complexity, stats.ComplexityLimit
		}
		return refuse(ctx, "the query could touch up to %d records, more than the limit of %d: ask for smaller pages or fewer nested lists", cost, limit)
	}
	return nil
}
