package domain

import "testing"

func TestNormalizePhone(t *testing.T) {
	for _, tc := range []struct{ raw, region, want string }{
		{"+1 937 555 0142", "", "+19375550142"},
		{"(937) 555-0142", "US", "+19375550142"},
		{"+44 20 7946 0958", "US", "+442079460958"},
		{"030 901820", "DE", "+4930901820"},
		{" +19375550142 ", "", "+19375550142"},
	} {
		if got, err := NormalizePhone(tc.raw, tc.region); err != nil || got != tc.want {
			t.Errorf("NormalizePhone(%q, %q) = %q, %v; want %q", tc.raw, tc.region, got, err, tc.want)
		}
	}
	for _, tc := range []struct{ raw, region string }{
		{"call me", "US"}, {"abc", ""}, {"(937) 555-0142", ""}, {"+1 555 0100", ""}, {"", "US"}, {"12", "US"},
	} {
		if got, err := NormalizePhone(tc.raw, tc.region); err == nil {
			t.Errorf("NormalizePhone(%q, %q) = %q, want a refusal", tc.raw, tc.region, got)
		}
	}
}
