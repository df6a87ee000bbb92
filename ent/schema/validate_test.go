package schema

import (
	"encoding/json"
	"os"
	"slices"
	"testing"
)

// The dashboard's pickers offer what the server accepts: the same countries, and languages the
// server takes as they are spelled there.
func TestPickersOfferWhatTheServerAccepts(t *testing.T) {
	read := func(path string) []string {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var list []string
		if err := json.Unmarshal(raw, &list); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return list
	}
	if countries := read("../../frontend/src/lib/countries.json"); !slices.Equal(countries, iso3166) {
		t.Errorf("frontend/src/lib/countries.json differs from the server's ISO 3166 list")
	}
	for _, tag := range read("../../frontend/src/lib/languages.json") {
		if err := validLanguage(tag); err != nil {
			t.Errorf("the picker offers %q, which the server refuses: %v", tag, err)
		}
	}
	for _, bad := range []string{"english", "EN-us", "xx", "en_US", ""} {
		if validLanguage(bad) == nil {
			t.Errorf("%q accepted as a language", bad)
		}
	}
}
