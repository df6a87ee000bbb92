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

// marshalEnum writes v as a JSON string. Enum values are plain identifiers, written between
// quotes as they are: a page writes thousands (every privilege of every contact), and quoting
// each allocated. Anything else is quoted.
func marshalEnum[T ~string](w io.Writer, v T) {
	if !plainIdentifier(string(v)) {
		_, _ = w.Write(AppendEnum(nil, v))
		return
	}
	_, _ = io.WriteString(w, `"`)
	_, _ = io.WriteString(w, string(v))
	_, _ = io.WriteString(w, `"`)
}

// AppendEnum appends v as its MarshalGQL writes it.
func AppendEnum[T ~string](b []byte, v T) []byte {
	if !plainIdentifier(string(v)) {
		return strconv.AppendQuote(b, string(v))
	}
	b = append(b, '"')
	b = append(b, v...)
	return append(b, '"')
}

func plainIdentifier(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

func unmarshalEnum[T ~string](src any, dst *T, values []string, typeName string) error {
	s, ok := src.(string)
	if !ok || !slices.Contains(values, s) {
		return fmt.Errorf("not a valid %s", typeName)
	}
	*dst = T(s)
	return nil
}
