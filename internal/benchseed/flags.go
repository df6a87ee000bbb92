package benchseed

import (
	"fmt"
	"strconv"
	"strings"
)

// FlagUsage describes the flags TakeFlags understands, for the command's usage text.
const FlagUsage = "[-sites N] [-contacts-per-site N] [-large-sites N] [-large-site-contacts N] [-partner-sites N]"

// TakeFlags removes seed-bench's own flags (-sites N, --contacts-per-site=N, ...) from args and
// returns the options they set and the other arguments, which the caller parses as usual.
func TakeFlags(args []string) (Options, []string, error) {
	var o Options
	targets := map[string]*int{
		"sites": &o.Sites, "contacts-per-site": &o.ContactsPerSite, "large-sites": &o.LargeSites,
		"large-site-contacts": &o.LargeSiteContacts, "partner-sites": &o.PartnerSites,
	}
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		dst, ok := targets[name]
		if !ok || !strings.HasPrefix(a, "-") {
			rest = append(rest, a)
			continue
		}
		if !hasValue {
			if i+1 >= len(args) {
				return o, nil, fmt.Errorf("flag -%s needs a value", name)
			}
			i++
			value = args[i]
		}
		n, err := strconv.Atoi(value)
		if err != nil || n < 0 {
			return o, nil, fmt.Errorf("flag -%s: want a whole number, got %q", name, value)
		}
		*dst = n
	}
	return o, rest, nil
}
