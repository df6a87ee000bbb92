// Package scalar reads and writes the API's ID, Time and Cursor scalars. It wraps gqlgen's and
// entgql's own so that a malformed value is what it is, the caller's mistake (BAD_USER_INPUT),
// rather than an error the presenter cannot place (INTERNAL). gqlgen.yml binds them.
package scalar

import (
	"encoding/base64"
	"encoding/binary"
	"io"
	"math"
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
	// In UTC, as Sitekeeper writes its own times: SQLite compares stored times as text, which
	// orders instants only when they share an offset (a grant's expiry, a filter's bound).
	return t.UTC(), nil
}

// MarshalCursor writes a connection cursor. A cursor of an id alone (the default order) is
// written here, byte for byte as entgql writes it (msgpack of {"i": id}, unpadded base64): a
// page writes one per edge, and entgql's msgpack encoder allocates several times for each.
func MarshalCursor(c entgql.Cursor[int]) graphql.Marshaler {
	if c.Value != nil {
		return c
	}
	return idCursor(c.ID)
}

type idCursor int

func (c idCursor) MarshalGQL(w io.Writer) {
	var out [2 + 16]byte
	_, _ = w.Write(appendIDCursor(out[:0], int(c)))
}

// AppendCursor appends c as MarshalCursor writes it; false for a cursor that carries an order
// field's value (entgql writes those).
func AppendCursor(b []byte, c entgql.Cursor[int]) ([]byte, bool) {
	if c.Value != nil {
		return b, false
	}
	return appendIDCursor(b, c.ID), true
}

func appendIDCursor(b []byte, id int) []byte {
	var raw [12]byte
	m := appendMsgpackInt(append(raw[:0], 0x81, 0xa1, 'i'), int64(id)) // a map of one entry "i"
	b = append(b, '"')
	b = base64.RawStdEncoding.AppendEncode(b, m)
	return append(b, '"')
}

// appendMsgpackInt appends n in msgpack's most compact form, as vmihailenco/msgpack's
// EncodeInt and EncodeUint choose it.
func appendMsgpackInt(b []byte, n int64) []byte {
	switch {
	case n >= 0 && n <= 0x7f:
		return append(b, byte(n))
	case n > 0 && n <= math.MaxUint8:
		return append(b, 0xcc, byte(n))
	case n > 0 && n <= math.MaxUint16:
		return binary.BigEndian.AppendUint16(append(b, 0xcd), uint16(n))
	case n > 0 && n <= math.MaxUint32:
		return binary.BigEndian.AppendUint32(append(b, 0xce), uint32(n))
	case n > 0:
		return binary.BigEndian.AppendUint64(append(b, 0xcf), uint64(n))
	case n >= -32:
		return append(b, byte(n))
	case n >= math.MinInt8:
		return append(b, 0xd0, byte(n))
	case n >= math.MinInt16:
		return binary.BigEndian.AppendUint16(append(b, 0xd1), uint16(n))
	case n >= math.MinInt32:
		return binary.BigEndian.AppendUint32(append(b, 0xd2), uint32(n))
	}
	return binary.BigEndian.AppendUint64(append(b, 0xd3), uint64(n))
}

// UnmarshalCursor reads a cursor as the API returned it (pageInfo, edges).
func UnmarshalCursor(v any) (entgql.Cursor[int], error) {
	var c entgql.Cursor[int]
	if err := c.UnmarshalGQL(v); err != nil {
		return c, apperr.InvalidInput("not a cursor: use the cursors this API returns in pageInfo and edges")
	}
	return c, nil
}
