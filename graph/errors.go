package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"sitekeeper/ent"
	"sitekeeper/ent/privacy"
	"sitekeeper/internal/apperr"
	"sitekeeper/internal/audit"
	"sitekeeper/internal/metrics"
)

// presentError is the one place where an error becomes what the client reads: a pinned code in
// extensions.code, a message safe to show, and never SQL, a stack trace or the caller's input.
func presentError(logger *slog.Logger, counter *metrics.Metrics) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		out := graphql.DefaultErrorPresenter(ctx, err)
		var gqlErr *gqlerror.Error
		if errors.As(err, &gqlErr) && gqlErr.Err == nil && gqlErr.Extensions["code"] != nil {
			counter.GraphQLError(fmt.Sprint(gqlErr.Extensions["code"]))
			return out // parse and validation errors: gqlgen already coded them
		}
		e := classify(err)
		if e.Code == apperr.Internal {
			id := audit.RequestFrom(ctx).ID
			logger.ErrorContext(ctx, "internal error", "err", err, "path", out.Path.String())
			e.Message = "internal error"
			// The database reports an interrupted statement, not the deadline that interrupted it.
			if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
				e.Message = "the request took too long"
			}
			if id != "" {
				e.Message += "; quote request " + id + " when reporting it"
			}
		}
		out.Message = e.Message
		out.Extensions = map[string]any{"code": string(e.Code)}
		if e.Code == apperr.BadUserInput && len(e.Fields) == 0 {
			e.Fields = argumentPath(ctx, out.Path)
		}
		if len(e.Fields) > 0 {
			out.Extensions["fields"] = e.Fields
		}
		if len(e.IDs) > 0 {
			ids := make([]string, len(e.IDs)) // GraphQL IDs travel as strings
			for i, id := range e.IDs {
				ids[i] = strconv.Itoa(id)
			}
			out.Extensions["ids"] = ids
		}
		counter.GraphQLError(string(e.Code))
		return out
	}
}

// argumentPath names the argument a malformed value sat in (id, where.createdAtGT): the part of
// the error's path below the field that took it.
func argumentPath(ctx context.Context, path ast.Path) []string {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil {
		return nil
	}
	field := fc.Path()
	if len(path) <= len(field) {
		return nil
	}
	var parts []string
	for _, el := range path[len(field):] {
		if name, ok := el.(ast.PathName); ok {
			parts = append(parts, string(name))
		}
	}
	if len(parts) == 0 {
		return nil
	}
	return []string{strings.Join(parts, ".")}
}

func classify(err error) *apperr.Error {
	if e, ok := apperr.As(err); ok {
		copied := *e
		copied.Fields = withPrefix(err, e.Fields)
		return &copied
	}
	var validation *ent.ValidationError
	var constraint *ent.ConstraintError
	var gqlErr *gqlerror.Error
	var pgErr *pgconn.PgError
	switch {
	case errors.As(err, &pgErr) && (pgErr.Code == "40P01" || pgErr.Code == "40001"):
		// PostgreSQL chose this transaction to undo a deadlock or a serialization failure (a
		// mutation that names two Sites, taking their locks in another order than a concurrent one).
		return apperr.New(apperr.Conflict, "a concurrent change won; try again")
	case errors.As(err, &validation):
		field := withPrefix(err, []string{graphqlName(validation.Name)})
		return apperr.InvalidInput(field[0]+" "+reasonOf(validation), field...)
	case errors.Is(err, privacy.Deny):
		return apperr.New(apperr.Forbidden, "not allowed")
	case ent.IsNotFound(err):
		return apperr.ErrNotFound
	case errors.As(err, &constraint):
		return apperr.New(apperr.Conflict, "conflicts with existing data, such as a contact with the same email on this Site")
	case strings.Contains(err.Error(), "ent: empty predicate "):
		// A nested where-input without a condition ({not: {}}, or a lone xIsNil: false):
		// ent's generated ErrEmpty<Type>WhereInput, wrapped with the field it sat in.
		return apperr.InvalidInput("a filter under not, and or or must set at least one condition", "where")
	case errors.Is(err, context.DeadlineExceeded):
		return apperr.New(apperr.Internal, "the request took too long")
	case errors.As(err, &gqlErr) && gqlErr.Err == nil:
		// Argument coercion: gqlgen's own message names the argument and the expected type.
		return apperr.InvalidInput(gqlErr.Message)
	}
	return apperr.New(apperr.Internal, "internal error")
}

// reasonOf phrases a validation failure without echoing the value.
func reasonOf(v *ent.ValidationError) string {
	msg := v.Unwrap().Error()
	// ent wraps a validator's message: `ent: validator failed for field "Contact.email": must ...`.
	if i := strings.Index(msg, ": must "); i >= 0 {
		msg = msg[i+2:]
	}
	switch {
	case strings.Contains(msg, "less than the required length"):
		return "is required"
	case strings.Contains(msg, "greater than"):
		return "is too long"
	case strings.Contains(msg, "does not match"):
		return "has the wrong format"
	case strings.HasPrefix(msg, "must"):
		return msg
	}
	return "is not valid"
}

// graphqlName turns an ent field name (state_province) into the GraphQL one (stateProvince).
func graphqlName(name string) string {
	parts := strings.Split(name, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

func withPrefix(err error, fields []string) []string {
	var prefixed *apperr.PrefixedError
	if !errors.As(err, &prefixed) || len(fields) == 0 {
		return fields
	}
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = prefixed.Prefix + f
	}
	return out
}
