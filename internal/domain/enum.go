// Package domain holds the vocabulary of Sitekeeper (roles, statuses, privilege levels) shared by
// the ent schema, the policy and the GraphQL layer, so that none of them depends on another.
package domain

import (
	"fmt"
	"io"
	"slices"
	"strconv"
)

// rank is the position of v in an enum's values, which are listed from least to most.
func rank(values []string, v string) int { return slices.Index(values, v) }

func marshalEnum[T ~string](w io.Writer, v T) { _, _ = io.WriteString(w, strconv.Quote(string(v))) }

func unmarshalEnum[T ~string](src any, dst *T, values []string, typeName string) error {
	s, ok := src.(string)
	if !ok || !slices.Contains(values, s) {
		return fmt.Errorf("not a valid %s", typeName)
	}
	*dst = T(s)
	return nil
}
