package domain

import (
	"slices"
	"strings"
	"testing"
)

func TestPrivilegeComparison(t *testing.T) {
	granter := Privileges{SoftwareDownloads, ViewView, UpdateView, UpdateUpdate, UpdateNone, ViewNone}
	within := Privileges{SoftwareNone, ViewView, UpdateView, UpdateUpdate, UpdateNone, ViewNone}
	if !granter.Covers(within) || len(granter.ExceededBy(within)) != 0 {
		t.Fatal("equal or lower levels must be covered")
	}
	above := Privileges{SoftwareFull, ViewView, UpdateUpdate, UpdateNone, UpdateView, ViewView}
	if granter.Covers(above) {
		t.Fatal("higher levels must not be covered")
	}
	if got := granter.ExceededBy(above); !slices.Equal(got, []string{"softwareAccess", "entitlements", "contactUpdates", "accountDocuments"}) {
		t.Fatalf("ExceededBy = %v", got)
	}
	if !HighestPrivileges().Covers(above) || !HighestPrivileges().Covers(HighestPrivileges()) {
		t.Fatal("the highest levels cover everything")
	}
}

func TestPrivilegesPatch(t *testing.T) {
	full, none := SoftwareFull, ViewNone
	patched := PrivilegesPatch{SoftwareAccess: &full, Reporting: &none}.Apply(Privileges{SoftwareNone, ViewView, UpdateView, UpdateView, UpdateView, ViewView})
	if patched != (Privileges{SoftwareFull, ViewNone, UpdateView, UpdateView, UpdateView, ViewView}) {
		t.Fatalf("Apply = %+v", patched)
	}
	if !(PrivilegesPatch{}).IsEmpty() || (PrivilegesPatch{Reporting: &none}).IsEmpty() {
		t.Fatal("IsEmpty")
	}
}

func TestEnumUnmarshalRefusesUnknownValuesWithoutEchoingThem(t *testing.T) {
	var l UpdateLevel
	err := l.UnmarshalGQL("ADMIN<script>")
	if err == nil || l != "" {
		t.Fatal("unknown level accepted")
	}
	if got := err.Error(); got != "not a valid UpdateLevel" {
		t.Fatalf("message %q", got)
	}
	if err := l.UnmarshalGQL("VIEW"); err != nil || l != UpdateView {
		t.Fatalf("VIEW: %v %q", err, l)
	}
}

// Enums are written as JSON strings, whatever they hold.
func TestMarshalEnum(t *testing.T) {
	for v, want := range map[string]string{"DOWNLOADS_MEDIA": `"DOWNLOADS_MEDIA"`, "": `""`, `a"b\c`: `"a\"b\\c"`, "é": `"é"`} {
		var b strings.Builder
		marshalEnum(&b, v)
		if b.String() != want {
			t.Errorf("marshalEnum(%q) = %s, want %s", v, b.String(), want)
		}
	}
}
