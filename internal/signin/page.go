package signin

import (
	"bytes"
	"html/template"
	"net/http"
)

// page is a plain HTML answer of the sign-in endpoints: what went wrong, in words a person can
// act on, and a way forward. It never shows a token, a code or the provider's error text.
type page struct {
	Title   string
	Message string
	// Hint is a second paragraph, optional.
	Hint      string
	RequestID string
}

var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{.Title}} · Sitekeeper</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; padding: 0 1rem; line-height: 1.5; color: #1f2328; }
h1 { font-size: 1.4rem; }
a.button { display: inline-block; padding: .5rem 1rem; border-radius: .3rem; background: #0969da; color: #fff; text-decoration: none; }
.muted { color: #59636e; font-size: .9rem; }
</style>
</head>
<body>
<main>
<h1>{{.Title}}</h1>
<p>{{.Message}}</p>
{{if .Hint}}<p>{{.Hint}}</p>{{end}}
<p><a class="button" href="/auth/login">Sign in again</a> &nbsp; <a href="/">Back to Sitekeeper</a></p>
{{if .RequestID}}<p class="muted">If this keeps happening, tell your administrator request id <code>{{.RequestID}}</code>.</p>{{end}}
</main>
</body>
</html>
`))

// pageHeaders keep the answer out of caches, frames and Referer headers (the callback URL
// carries the authorization code).
func pageHeaders(h http.Header) {
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
}

func writePage(w http.ResponseWriter, status int, p page) {
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, p); err != nil {
		http.Error(w, p.Title, status)
		return
	}
	pageHeaders(w.Header())
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
