package signin

import (
	"net/url"
	"strings"
)

// maxReturnTo bounds the length of an accepted returnTo.
const maxReturnTo = 2048

// SafeReturnTo returns raw when it is a path on this site that a sign-in may return to, and "/"
// otherwise, so that /auth/login can never be turned into an open redirect. Accepted: a path that
// starts with a single "/" (not "//", which browsers read as another host), without a backslash
// (browsers treat "/\" as "//"), without a scheme or host, made only of printable ASCII (no
// control characters, spaces or tabs that browsers strip before they parse), and not under /auth/
// (which would loop).
func SafeReturnTo(raw string) string {
	if raw == "" || len(raw) > maxReturnTo || raw[0] != '/' || strings.HasPrefix(raw, "//") ||
		strings.Contains(raw, `\`) {
		return "/"
	}
	for i := 0; i < len(raw); i++ {
		if c := raw[i]; c <= 0x20 || c >= 0x7f {
			return "/"
		}
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		!strings.HasPrefix(u.Path, "/") {
		return "/"
	}
	// The decoded path must not smuggle what the raw text avoided (/%2F%2Fevil, /%5Cevil).
	if strings.HasPrefix(u.Path, "//") || strings.Contains(u.Path, `\`) {
		return "/"
	}
	if u.Path == "/auth" || strings.HasPrefix(u.Path, "/auth/") {
		return "/"
	}
	return raw
}
