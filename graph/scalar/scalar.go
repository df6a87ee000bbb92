// Package scalar reads and writes the API's ID, Time and Cursor scalars. It wraps gqlgen's and
// entgql's own so that a malformed value is what it is, the caller's mistake (BAD_USER_INPUT),
// rather than an error the presenter cannot place (INTERNAL). gqlgen.yml binds them.
package scalar

import (
	"time"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"

	"sitekeeper/internal/apperr"
)

// MarshalIntID writes a global ID.
func MarshalIntID(id int) graphql.Marshaler { return graphql.MarshalIntID(id) }

// UnmarshalIntID reads a global ID: a string or number holding an integer.
func UnmarshalIntID(v any) (int, error) {
	id, err := graphql.UnmarshalIntID(v)
	if err != nil {
		return 0, apperr.InvalidInput("not an ID: IDs are the id values this API returns")
	}
	return id, nil
}

// MarshalTime writes a time in RFC 3339.
func MarshalTime(t time.Time) graphql.Marshaler { return graphql.MarshalTime(t) }

// UnmarshalTime reads a time in RFC 3339, such as 2026-12-04T09:00:00Z.
func UnmarshalTime(v any) (time.Time, error) {
	t, err := graphql.UnmarshalTime(v)
	if err != nil {
		return time.Time{}, apperr.InvalidInput("not a time: give an RFC 3339 time such as 2026-12-04T09:00:00Z")
	}
	return t, nil
}

// MarshalCursor writes a connection cursor.
func MarshalCursor(c entgql.Cursor[int]) graphql.Marshaler { return c }

// UnmarshalCursor reads a cursor as the API returned it (pageInfo, edges).
func UnmarshalCursor(v any) (entgql.Cursor[int], error) {
	var c entgql.Cursor[int]
	if err := c.UnmarshalGQL(v); err != nil {
		return c, apperr.InvalidInput("not a cursor: use the cursors this API returns in pageInfo and edges")
	}
	return c, nil
}
