package domain

import (
	"errors"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// ErrPhone is the refusal of a phone number libphonenumber cannot read as a valid number.
var ErrPhone = errors.New("must be a phone number with its country code, such as +1 937 555 0142")

// NormalizePhone reads a phone number as people write it ("(937) 555-0142", "+49 30 901820")
// and returns it in E.164 (+19375550142), the form it is stored in; the dashboard shows it
// formatted. region is the ISO 3166 country to read a number without its country code in; ""
// when unknown, and such a number must then start with +.
func NormalizePhone(raw, region string) (string, error) {
	raw = strings.TrimSpace(raw)
	if region == "" {
		region = "ZZ" // libphonenumber's "unknown region": only +CC numbers parse
	}
	n, err := phonenumbers.Parse(raw, region)
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return "", ErrPhone
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
}
