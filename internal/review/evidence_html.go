package review

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html/template"

	"sitekeeper/internal/domain"
)

// evidenceCSS is the page's only style, in its <style> element. The page loads nothing else (no
// scripts, fonts or images), so it prints and archives as one file. The response's
// Content-Security-Policy allows exactly this style by its hash (EvidenceCSP): no
// 'unsafe-inline', and no nonce, which would make every download differ.
const evidenceCSS = `
:root { color-scheme: light; }
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; margin: 24px; }
h1 { font-size: 1.5rem; margin: 0 0 4px; }
h2 { font-size: 1.1rem; margin: 20px 0 8px; }
p { margin: 6px 0; }
table { border-collapse: collapse; }
th, td { text-align: left; vertical-align: top; padding: 4px 8px; border: 1px solid #d0d7de; }
th { background: #f6f8fa; }
.facts th { width: 9em; }
.summary { display: flex; flex-wrap: wrap; gap: 24px; }
.counts td { text-align: right; }
.statement { max-width: 60em; padding: 8px 12px; border-left: 4px solid #0969da; background: #f6f8fa; }
.attested { border-left-color: #9a6700; background: #fff8c5; }
.items { width: 100%; margin-top: 8px; font-size: 13px; }
.items ul { margin: 0; padding: 0; list-style: none; }
.levels li, .email { white-space: nowrap; }
.flags { margin-top: 4px; color: #9a6700; }
.flags li::before { content: "\25B2  "; font-size: 9px; }
.activity { min-width: 12em; }
.suggested { min-width: 15em; }
.decided { min-width: 11em; }
.note { width: 16em; }
.muted { color: #59636e; }
.small { font-size: 12px; }
.code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.REMOVED td, .DEACTIVATED td { background: #fff5f5; }
.KEPT_BY_ATTESTATION td { background: #fffbe6; }
footer { margin-top: 16px; font-size: 12px; color: #59636e; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { margin: 0; font-size: 9pt; }
  .items { font-size: 8pt; }
  th { background: #eeeeee; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  .statement, .REMOVED td, .DEACTIVATED td, .KEPT_BY_ATTESTATION td { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
`

// EvidenceCSP is the Content-Security-Policy of the printable page: nothing but its own style.
var EvidenceCSP = func() string {
	sum := sha256.Sum256([]byte(evidenceCSS))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; " +
		"frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
}()

// outcomeText says in words what completing the review did to a contact.
var outcomeText = map[domain.ReviewOutcome]string{
	domain.OutcomeKept:              "kept, unchanged",
	domain.OutcomeKeptByAttestation: "kept by the bulk attestation, unchanged",
	domain.OutcomeDeactivated:       "deactivated",
	domain.OutcomeRemoved:           "deactivated and removed",
	domain.OutcomeGone:              "nothing to apply: the contact had been removed during the review",
}

var evidenceTemplate = template.Must(template.New("evidence").Funcs(template.FuncMap{
	"when":   readable,
	"deref":  deref,
	"types":  contactTypes,
	"plural": plural,
	"privileges": func(p domain.Privileges) [][2]string {
		var held [][2]string
		for _, c := range privilegeColumns(p) {
			if c[1] != "NONE" {
				held = append(held, c)
			}
		}
		return held
	},
	"outcome": func(o *domain.ReviewOutcome) string {
		if o == nil {
			return ""
		}
		return outcomeText[*o]
	},
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Access review evidence: Site {{.SiteNumber}} {{.SiteName}}</title>
<style>` + evidenceCSS + `</style>
</head>
<body>
{{- $r := .Review}}{{$c := .Counts}}
<header>
<h1>Access review evidence</h1>
<p>Site <strong>{{.SiteNumber}}</strong> {{.SiteName}} &middot; review {{$r.ID}}</p>
</header>
<div class="summary">
<table class="facts">
<tr><th scope="row">Started</th><td>{{when $r.StartedAt}} by {{$r.StartedBy}}</td></tr>
<tr><th scope="row">Due</th><td>{{when $r.DueAt}}</td></tr>
<tr><th scope="row">Completed</th><td>{{when $r.CompletedAt}} by {{deref $r.CompletedBy}}</td></tr>
<tr><th scope="row">Contacts</th><td>{{$c.Total}}</td></tr>
</table>
<table class="counts">
<thead><tr><th scope="col">Decision</th><th scope="col">Items</th></tr></thead>
<tbody>
<tr><th scope="row">KEEP</th><td>{{$c.Keep}}</td></tr>
{{- if .Attested}}
<tr><th scope="row">KEEP by bulk attestation</th><td>{{$c.KeptByAttestation}}</td></tr>
{{- end}}
<tr><th scope="row">DEACTIVATE</th><td>{{$c.Deactivate}}</td></tr>
<tr><th scope="row">REMOVE</th><td>{{$c.Remove}}</td></tr>
{{- if $c.Pending}}
<tr><th scope="row">PENDING</th><td>{{$c.Pending}}</td></tr>
{{- end}}
<tr><th scope="row">Self-confirmed details</th><td>{{$c.SelfConfirmed}}</td></tr>
</tbody>
</table>
<table class="counts">
<thead><tr><th scope="col">Changes applied</th><th scope="col">Contacts</th></tr></thead>
<tbody>
<tr><th scope="row">Deactivated</th><td>{{$c.Deactivated}}</td></tr>
<tr><th scope="row">Removed</th><td>{{$c.Removed}}</td></tr>
<tr><th scope="row">Already gone</th><td>{{$c.Gone}}</td></tr>
<tr><th scope="row">Kept</th><td>{{$c.Kept}}</td></tr>
{{- if .Attested}}
<tr><th scope="row">Kept by attestation</th><td>{{$c.KeptByAttestation}}</td></tr>
{{- end}}
</tbody>
</table>
</div>
{{if .Attested -}}
{{if $c.KeptByAttestation -}}
<p class="statement attested"><strong>Completed by attestation.</strong> {{deref $r.CompletedBy}} marked the Site reviewed on {{when $r.CompletedAt}}: the {{plural $c.KeptByAttestation "item" "items"}} still pending then {{if eq $c.KeptByAttestation 1}}was{{else}}were{{end}} kept by one bulk attestation by {{deref $r.CompletedBy}}, not decided one by one. {{if eq $c.KeptByAttestation 1}}It shows{{else}}They show{{end}} KEPT_BY_ATTESTATION below.</p>
{{- else -}}
<p class="statement attested"><strong>Completed by attestation.</strong> {{deref $r.CompletedBy}} marked the Site reviewed on {{when $r.CompletedAt}}; no item was still pending, so every decision below was taken one by one.</p>
{{- end}}
{{- else -}}
<p class="statement">{{deref $r.CompletedBy}} completed the review on {{when $r.CompletedAt}}, after a decision had been recorded on every item; the decisions below were applied together.</p>
{{- end}}
<h2>Contacts, decisions and changes applied</h2>
<p class="muted small">Each contact as the review found it. Privileges not listed are NONE. Times are in UTC.</p>
<table class="items">
<thead><tr><th scope="col">Contact</th><th scope="col">Role, status</th><th scope="col">Privileges</th><th scope="col">Contact types</th><th scope="col">Activity</th><th scope="col">Suggested</th><th scope="col">Decision</th><th scope="col">Note</th><th scope="col">Change applied</th></tr></thead>
<tbody>
{{- range .Items}}{{$s := .Snapshot}}
<tr class="{{deref .OutcomeCode}}">
<td><strong>{{$s.FirstName}} {{$s.LastName}}</strong><br><span class="email">{{$s.Email}}</span><br><span class="muted small">item {{.ID}}, contact {{.ContactID}}</span></td>
<td>{{$s.AccessRole}}<br>{{$s.Status}}</td>
<td><ul class="levels">{{range privileges $s.Privileges}}<li><span class="code">{{index . 0}}</span> {{index . 1}}</li>{{else}}<li class="muted">none</li>{{end}}</ul></td>
<td>{{types $s.ContactTypes}}</td>
<td class="activity small">Last sign-in: {{with $s.LastSignInAt}}{{when .}}{{else}}never{{end}}
{{- with $s.InvitationExpiresAt}}<br>Invitation expires: {{when .}}{{end}}
{{- with .SelfConfirmedAt}}<br>Confirmed own details: {{when .}}{{end}}</td>
<td class="suggested">{{with .Suggestion}}{{.Decision}}: {{.Reason}}{{else}}<span class="muted">none</span>{{end}}
{{- if .Flags}}<ul class="flags small">{{range .Flags}}<li>{{.}}</li>{{end}}</ul>{{end}}</td>
<td class="decided"><strong>{{.Decision}}</strong>
{{- if .ByAttestation}}<br>by the bulk attestation of {{deref .DecidedBy}}{{else}}{{with .DecidedBy}}<br>by {{.}}{{end}}{{end}}
{{- with .DecidedAt}}<br>{{when .}}{{end}}</td>
<td class="note">{{deref .Note}}</td>
<td>{{deref .OutcomeCode}}<br><span class="muted small">{{outcome .Outcome}}</span></td>
</tr>
{{- end}}
</tbody>
</table>
<footer>
<p>This record is built only from what the review stored: each contact as the review found it, the decisions and who took them, and what completing the review did. A completed review never changes, so this page is the same on every download. Suggestions and privilege flags are as the review showed them, computed as of its start.</p>
</footer>
</body>
</html>
`))

// OutcomeCode is the item's outcome as text, for the template.
func (it EvidenceItem) OutcomeCode() *string {
	if it.Outcome == nil {
		return nil
	}
	return new(string(*it.Outcome))
}

// HTML renders the evidence as one printable page. html/template escapes every value by its
// context: names, emails and notes are typed by people.
func (e *Evidence) HTML() ([]byte, error) {
	var buf bytes.Buffer
	if err := evidenceTemplate.Execute(&buf, e); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
