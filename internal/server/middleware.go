package server

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"sitekeeper/internal/notify"
	"strings"
	"time"

	"sitekeeper/internal/audit"
)

// RequestIDHeader carries the request id in both directions.
const RequestIDHeader = "X-Request-Id"

// maxRequestIDLen bounds an accepted incoming request id.
const maxRequestIDLen = 128

type requestIDKey struct{}

// WithRequestID returns ctx carrying id.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestIDFrom returns the request id in ctx, or "".
func RequestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// saneRequestID accepts ids a proxy or client may send (UUIDs, trace ids): 1 to 128 characters
// of letters, digits and . _ : -. Anything else could forge or break log lines, so it is replaced.
func saneRequestID(id string) bool {
	if id == "" || len(id) > maxRequestIDLen {
		return false
	}
	for _, c := range []byte(id) {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '_', c == ':', c == '-':
		default:
			return false
		}
	}
	return true
}

// requestID gives every request an id: a sane incoming X-Request-Id, or a new random one. It
// is set on the response, in the context (for logs and audit events) and on the request header
// for handlers that read it from there.
func requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(RequestIDHeader)
		if !saneRequestID(id) || len(r.Header.Values(RequestIDHeader)) > 1 {
			id = rand.Text() // 26 characters, 128 bits
		}
		r.Header.Set(RequestIDHeader, id)
		w.Header().Set(RequestIDHeader, id)
		ctx := WithRequestID(r.Context(), id)
		ctx = audit.WithRequest(ctx, audit.Request{ID: id, ClientAddress: clientAddress(r)})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// clientAddress is the peer's IP. Forwarded headers are not trusted: no proxy is configured.
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// recorder remembers the status and size of a response.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *recorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer (Flush, deadlines).
func (w *recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// accessLog writes one line per request. It logs the path but never the query string, which
// can hold a GraphQL query and its variables.
func accessLog(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		status := rec.status
		if status == 0 {
			status = http.StatusOK
		}
		level := slog.LevelInfo
		switch {
		case status >= 500:
			level = slog.LevelError
		case r.URL.Path == "/healthz":
			level = slog.LevelDebug
		}
		logger.Log(r.Context(), level, "http request",
			"method", r.Method, "path", r.URL.Path, "status", status, "bytes", rec.bytes,
			"duration_ms", time.Since(start).Milliseconds(), "client", clientAddress(r))
	})
}

// internalErrorBody is the GraphQL-shaped answer to a panic.
const internalErrorBody = `{"errors":[{"message":"internal error; quote request %s when reporting it","extensions":{"code":"INTERNAL"}}]}`

// recoverPanics turns a panic into a logged 500 with code INTERNAL, without internals in the
// answer. http.ErrAbortHandler keeps its meaning (abort the response silently).
func recoverPanics(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &recorder{ResponseWriter: w}
		defer func() {
			p := recover()
			if p == nil {
				return
			}
			if p == http.ErrAbortHandler {
				panic(p)
			}
			logger.ErrorContext(r.Context(), "panic while serving a request",
				"panic", fmt.Sprint(p), "method", r.Method, "path", r.URL.Path, "stack", string(debug.Stack()))
			if rec.status != 0 {
				// The answer has begun; the client sees a truncated response.
				panic(http.ErrAbortHandler)
			}
			h := w.Header()
			for k := range h {
				if k != RequestIDHeader {
					h.Del(k)
				}
			}
			h.Set("Content-Type", "application/json")
			h.Set("Cache-Control", "no-store")
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = fmt.Fprintf(w, internalErrorBody, RequestIDFrom(r.Context()))
		}()
		next.ServeHTTP(rec, r)
	})
}

// withPublicURL lets what a request writes (notification links) point at the public URL.
func withPublicURL(publicURL string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(notify.WithPublicURL(r.Context(), publicURL)))
	})
}

// routeOf names a request's route for metrics: a fixed set, never the raw path.
func routeOf(r *http.Request) string {
	p := r.URL.Path
	switch {
	case p == "/graphql":
		return "graphql"
	case strings.HasPrefix(p, "/auth/"):
		return "auth"
	case strings.HasPrefix(p, DevIDPPath+"/"):
		return "dev-idp"
	case p == "/healthz", p == "/metrics":
		return p[1:]
	case strings.HasPrefix(p, "/assets/"):
		return "assets"
	case strings.HasSuffix(p, "/review.ics"):
		return "review.ics"
	}
	return "dashboard"
}
