package schema

import (
	"errors"
	"net/mail"
	"regexp"
	"strings"

	"golang.org/x/text/language"
)

var siteNumberPattern = regexp.MustCompile(`^[0-9]{7}$`)

// iso3166 lists the officially assigned ISO 3166-1 alpha-2 codes.
var iso3166 = strings.Fields(`AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ
BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK
DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW
GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB
LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC
NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC
SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ
UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW`)

func validCountry(s string) error {
	for _, c := range iso3166 {
		if c == s {
			return nil
		}
	}
	return errors.New("must be an ISO 3166-1 alpha-2 code such as US or DE")
}

func validEmail(s string) error {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndexByte(s, '@'):], ".") {
		return errors.New("must be an email address such as name@example.com")
	}
	return nil
}

// validLanguage takes a known language in its canonical spelling (en, en-US, de-CH, pt-BR), as
// the dashboard's picker offers them.
func validLanguage(s string) error {
	tag, err := language.Parse(s)
	if _, conf := tag.Base(); err != nil || conf != language.Exact || tag.String() != s {
		return errors.New("must be a language such as en, en-US or de-CH")
	}
	return nil
}

// plainText refuses control characters, which no name or address needs.
func plainText(s string) error {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return errors.New("must not contain control characters")
		}
	}
	return nil
}
