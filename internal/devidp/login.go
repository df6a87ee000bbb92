package devidp

import (
	"crypto/sha256"
	"encoding/base64"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// Banner is the warning every sign-in page carries.
const Banner = "Dev mode: built-in sign-in provider for demo data — never use with real data"

const loginCSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1b1f24;background:#f6f7f9}
.banner{background:#b00020;color:#fff;padding:1rem 1.25rem;font-size:1.1rem;font-weight:700;text-align:center}
main{max-width:44rem;margin:0 auto;padding:1.5rem 1rem 3rem}
h1{font-size:1.5rem;margin:.5rem 0 1rem}
ul{list-style:none;padding:0;margin:0}
li{margin:0 0 .75rem}
button.person{display:block;width:100%;text-align:left;padding:.85rem 1rem;border:1px solid #c4c9d0;border-radius:.5rem;background:#fff;font:inherit;cursor:pointer}
button.person:hover{border-color:#0b57d0;background:#f0f5ff}
button:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
.name{display:block;font-weight:600;font-size:1.05rem}
.email{display:block;color:#3c4450}
.note{display:block;margin-top:.25rem;color:#5a2d82}
.groups{display:block;color:#3c4450;font-size:.9rem}
.cancel{margin-top:1rem;padding:.6rem 1rem;border:1px solid #c4c9d0;border-radius:.5rem;background:#fff;font:inherit;cursor:pointer}
.error{padding:1rem;border:1px solid #b00020;border-radius:.5rem;background:#fff}
`

var loginTmpl = template.Must(template.New("login").Funcs(template.FuncMap{
	"join": func(s []string) string { return strings.Join(s, ", ") },
}).Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Sign in · Sitekeeper dev mode</title>
<style>` + loginCSS + `</style>
</head>
<body>
<div class="banner" role="alert">{{.Banner}}</div>
<main>
{{if .Error}}
<h1>Sign-in failed</h1>
<p class="error" role="alert">{{.Error}}</p>
<p>Go back to the application and sign in again.</p>
{{else}}
<h1>Sign in to Sitekeeper</h1>
<p>Choose a demo person to sign in to <strong>{{.ClientID}}</strong>. There is no password: this provider only exists for trying Sitekeeper with its demo data.</p>
<form method="post" action="{{.Action}}">
<input type="hidden" name="authRequestID" value="{{.AuthRequestID}}">
<ul aria-label="Demo people">
{{range .People}}<li><button class="person" type="submit" name="subject" value="{{.Subject}}"><span class="name">{{.Name}}</span><span class="email">{{.Email}}</span>{{if .Note}}<span class="note">{{.Note}}</span>{{end}}{{if .Groups}}<span class="groups">Groups: {{join .Groups}}</span>{{end}}</button></li>
{{end}}</ul>
</form>
<form method="post" action="{{.Action}}">
<input type="hidden" name="authRequestID" value="{{.AuthRequestID}}">
<button class="cancel" type="submit" name="cancel" value="1">Cancel sign-in</button>
</form>
{{end}}
</main>
</body>
</html>
`))

// loginCSP allows nothing but the page's own stylesheet, and no framing (clickjacking).
var loginCSP = func() string {
	sum := sha256.Sum256([]byte(loginCSS))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) +
		"'; base-uri 'none'; frame-ancestors 'none'"
}()

type loginData struct {
	Banner        string
	Error         string
	Action        string
	AuthRequestID string
	ClientID      string
	People        []Person
}

// loginPage lists every person as a button. The form carries the auth request id, which is
// random (128 bits), expires after ten minutes and works once: a cross-site form cannot know it.
func (p *Provider) loginPage(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("authRequestID")
	ar, ok := p.store.pendingAuthRequest(id)
	if !ok {
		p.renderError(w, "This sign-in request is unknown, has expired or was already used.")
		return
	}
	p.render(w, http.StatusOK, loginData{
		Action:        p.prefix + "/login",
		AuthRequestID: ar.id,
		ClientID:      ar.clientID,
		People:        p.store.peopleList(),
	})
}

// loginSubmit completes the auth request as the chosen person (or cancels it) and sends the
// browser back through the library's callback, which answers the client with a code.
func (p *Provider) loginSubmit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		p.renderError(w, "The sign-in form could not be read.")
		return
	}
	if !p.sameOrigin(r) {
		p.log.WarnContext(r.Context(), "dev-idp: sign-in form posted from another origin", "origin", r.Header.Get("Origin"))
		p.renderError(w, "The sign-in form was posted from another site.")
		return
	}
	id := r.PostForm.Get("authRequestID")
	if r.PostForm.Get("cancel") != "" {
		ar, ok := p.store.takeAuthRequest(id)
		if !ok {
			p.renderError(w, "This sign-in request is unknown, has expired or was already used.")
			return
		}
		p.log.InfoContext(r.Context(), "dev-idp: sign-in cancelled", "client_id", ar.clientID)
		op.AuthRequestError(w, r, ar, oidc.ErrAccessDenied().WithDescription("sign-in cancelled"), p.provider)
		return
	}
	subject := r.PostForm.Get("subject")
	ar, err := p.store.completeAuthRequest(id, subject)
	if err != nil {
		p.log.InfoContext(r.Context(), "dev-idp: sign-in refused", "err", err)
		p.renderError(w, "This sign-in request is unknown, has expired or was already used, or the person is unknown.")
		return
	}
	p.log.InfoContext(r.Context(), "dev-idp: person chosen", "sub", subject, "client_id", ar.clientID)
	http.Redirect(w, r, p.server.AuthCallbackURL()(r.Context(), ar.id), http.StatusSeeOther)
}

// sameOrigin accepts a POST without an Origin header (older browsers, tests) or from the
// issuer's own origin.
func (p *Provider) sameOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(p.issuer)
	if err != nil {
		return false
	}
	return origin == u.Scheme+"://"+u.Host
}

func (p *Provider) renderError(w http.ResponseWriter, msg string) {
	p.render(w, http.StatusBadRequest, loginData{Error: msg})
}

func (p *Provider) render(w http.ResponseWriter, status int, data loginData) {
	data.Banner = Banner
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", loginCSP)
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	// same-origin, not no-referrer: with no-referrer, browsers send "Origin: null" on the form post.
	h.Set("Referrer-Policy", "same-origin")
	w.WriteHeader(status)
	if err := loginTmpl.Execute(w, data); err != nil {
		p.log.Error("dev-idp: render sign-in page", "err", err)
	}
}
