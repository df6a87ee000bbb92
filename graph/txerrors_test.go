package graph

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

func TestTransactionErrorsAreCoded(t *testing.T) {
	logger := slog.New(slog.DiscardHandler)
	answer := func(msg string) *gqlerror.Error {
		resp := &graphql.Response{Errors: gqlerror.List{{Message: msg}}}
		return hideTransactionErrors(context.Background(), resp, logger).Errors[0]
	}
	conflict := answer(`cannot commit transaction: ERROR: could not serialize access due to concurrent update (SQLSTATE 40001)`)
	if conflict.Extensions["code"] != "CONFLICT" || strings.Contains(conflict.Message, "SQLSTATE") {
		t.Fatalf("serialization failure answered %+v", conflict)
	}
	internal := answer(`cannot create transaction: dial tcp 10.0.0.1:5432: connection refused`)
	if internal.Extensions["code"] != "INTERNAL" || strings.Contains(internal.Message, "tcp") {
		t.Fatalf("open failure answered %+v", internal)
	}
	other := &gqlerror.Error{Message: "not found", Extensions: map[string]any{"code": "NOT_FOUND"}}
	if got := hideTransactionErrors(context.Background(), &graphql.Response{Errors: gqlerror.List{other}}, logger).Errors[0]; got != other {
		t.Fatalf("an ordinary error was rewritten: %+v", got)
	}
}
