package scalar

import (
	"bytes"
	"math"
	"testing"

	"entgo.io/contrib/entgql"
)

// The hand-written cursor is entgql's, byte for byte, for every width of id, and reads back.
func TestIDCursorIsEntgqlCursor(t *testing.T) {
	ids := []int{0, 1, 127, 128, 255, 256, 65535, 65536, math.MaxUint32, math.MaxUint32 + 1, 8589934593, math.MaxInt64,
		-1, -32, -33, -128, -129, -32768, -32769, math.MinInt32, math.MinInt32 - 1, math.MinInt64}
	for _, id := range ids {
		var want, got bytes.Buffer
		entgql.Cursor[int]{ID: id}.MarshalGQL(&want)
		MarshalCursor(entgql.Cursor[int]{ID: id}).MarshalGQL(&got)
		if got.String() != want.String() {
			t.Errorf("id %d: cursor %s, entgql writes %s", id, got.String(), want.String())
			continue
		}
		back, err := UnmarshalCursor(string(bytes.Trim(got.Bytes(), `"`)))
		if err != nil || back.ID != id || back.Value != nil {
			t.Errorf("id %d: read back %+v, %v", id, back, err)
		}
	}
	// A cursor with an order value is entgql's own.
	var want, got bytes.Buffer
	c := entgql.Cursor[int]{ID: 7, Value: "Smith"}
	c.MarshalGQL(&want)
	MarshalCursor(c).MarshalGQL(&got)
	if got.String() != want.String() {
		t.Errorf("ordered cursor %s, entgql writes %s", got.String(), want.String())
	}
}
