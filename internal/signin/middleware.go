package signin

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"sitekeeper/ent"
	"sitekeeper/internal/auth"
	"sitekeeper/internal/session"
	"sitekeeper/internal/viewer"
)

// The CSRF header every cookie-authenticated POST must carry (the SPA and the playground send
// it). A cross-site form cannot set a custom header, and a cross-site fetch that sets one needs a
// CORS preflight that this server never grants.
const (
	CSRFHeader      = "X-Sitekeeper-CSRF"
	CSRFHeaderValue = "1"
)

const (
	internalBody = `{"errors":[{"message":"internal error","extensions":{"code":"INTERNAL"}}]}`
)

type sessionKey struct{}

// FromSession reports whether the request's viewer came from a browser session cookie.
func FromSession(ctx context.Context) bool {
	v, _ := ctx.Value(sessionKey{}).(bool)
	return v
}

// SessionMiddleware attaches the viewer of a valid session cookie to the request: the session's
// User with their memberships (computed as for a bearer token, auth.ViewerForUser) and the
// operator flag of the sign-in. A request with an Authorization header is left to the bearer
// middleware (a bearer token wins). An unknown or expired cookie makes the request anonymous and
// is cleared; the middleware never refuses a request.
func SessionMiddleware(store *session.Store, client *ent.Client, log *slog.Logger) func(http.Handler) http.Handler {
	if log == nil {
		log = slog.Default()
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if len(r.Header.Values("Authorization")) > 0 {
				next.ServeHTTP(w, r)
				return
			}
			token, ok := store.Token(r)
			if !ok {
				next.ServeHTTP(w, r)
				return
			}
			ctx := r.Context()
			sess, err := store.Lookup(ctx, token)
			if errors.Is(err, session.ErrNoSession) {
				http.SetCookie(w, store.ClearCookie())
				next.ServeHTTP(w, r)
				return
			}
			if err != nil {
				log.ErrorContext(ctx, "signin: loading the session failed", "err", err)
				writeJSON(w, http.StatusInternalServerError, internalBody)
				return
			}
			v, err := auth.ViewerForUser(ctx, client, sess.UserID, sess.Operator)
			if ent.IsNotFound(err) {
				log.WarnContext(ctx, "signin: the session's user is gone; session ended", "session", sess.ID)
				_ = store.DeleteID(ctx, sess.ID)
				http.SetCookie(w, store.ClearCookie())
				next.ServeHTTP(w, r)
				return
			}
			if err != nil {
				log.ErrorContext(ctx, "signin: loading the session's viewer failed", "err", err)
				writeJSON(w, http.StatusInternalServerError, internalBody)
				return
			}
			ctx = context.WithValue(viewer.NewContext(ctx, v), sessionKey{}, true)
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

// CSRF guards what a session cookie authenticates (SPEC section 5). Requests with an
// Authorization header are exempt: a browser never attaches one on its own. Every other request
// with an unsafe method (POST, PUT, PATCH, DELETE) must pass Go's http.CrossOriginProtection
// (Sec-Fetch-Site, else Origin against Host or the public URL's origin), and one that carries the
// session cookie, or signs out, must also send X-Sitekeeper-CSRF: 1. Paths under exemptPrefixes
// (the dev-mode provider's own forms) get the origin check only. Refusals are 403.
func CSRF(publicURL string, store *session.Store, log *slog.Logger, exemptPrefixes ...string) (func(http.Handler) http.Handler, error) {
	if log == nil {
		log = slog.Default()
	}
	cop := http.NewCrossOriginProtection()
	if u, err := url.Parse(publicURL); err == nil && u.Scheme != "" && u.Host != "" {
		if err := cop.AddTrustedOrigin(u.Scheme + "://" + u.Host); err != nil {
			return nil, err
		}
	}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.InfoContext(r.Context(), "csrf: cross-origin request refused", "method", r.Method, "path", r.URL.Path,
			"sec_fetch_site", truncate(r.Header.Get("Sec-Fetch-Site"), 40), "origin", truncate(r.Header.Get("Origin"), 200))
		writeForbidden(w, "cross-origin request refused: send it from this site's own pages")
	}))
	return func(next http.Handler) http.Handler {
		checked := cop.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if needsHeader(r, store, exemptPrefixes) && r.Header.Get(CSRFHeader) != CSRFHeaderValue {
				log.InfoContext(r.Context(), "csrf: request without the CSRF header refused", "method", r.Method, "path", r.URL.Path)
				writeForbidden(w, "a signed-in browser request must carry the "+CSRFHeader+": "+CSRFHeaderValue+" header")
				return
			}
			next.ServeHTTP(w, r)
		}))
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if len(r.Header.Values("Authorization")) > 0 || safeMethod(r.Method) {
				next.ServeHTTP(w, r)
				return
			}
			checked.ServeHTTP(w, r)
		})
	}, nil
}

func needsHeader(r *http.Request, store *session.Store, exempt []string) bool {
	for _, p := range exempt {
		if strings.HasPrefix(r.URL.Path, p) {
			return false
		}
	}
	if r.URL.Path == "/auth/logout" {
		return true
	}
	_, hasCookie := store.Token(r)
	return hasCookie || FromSession(r.Context())
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// forbiddenBody is GraphQL-shaped, so that the SPA shows the message like any API error.
func writeForbidden(w http.ResponseWriter, msg string) {
	b := `{"errors":[{"message":` + jsonString(msg) + `,"extensions":{"code":"FORBIDDEN"}}]}`
	writeJSON(w, http.StatusForbidden, b)
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
