package graph

import (
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"sitekeeper/internal/apperr"
)

// PostgreSQL undoes one of two transactions that deadlock (a mutation naming two Sites, whose
// locks a concurrent one took in the other order) or fail to serialize: a retry can succeed, so
// the caller hears CONFLICT, not INTERNAL.
func TestDeadlocksAndSerializationFailuresAreConflicts(t *testing.T) {
	for _, code := range []string{"40P01", "40001"} {
		err := fmt.Errorf("roster: %w", &pgconn.PgError{Code: code, Message: "deadlock detected"})
		if e := classify(err); e.Code != apperr.Conflict {
			t.Errorf("SQLSTATE %s: %s %q, want CONFLICT", code, e.Code, e.Message)
		}
	}
	if e := classify(&pgconn.PgError{Code: "23502", Message: "null value"}); e.Code != apperr.Internal {
		t.Errorf("SQLSTATE 23502: %s, want INTERNAL", e.Code)
	}
}
