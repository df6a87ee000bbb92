// Package notify tells people about changes that concern them: invitations, decisions on their
// access requests, a new primary contact, an overdue review.
//
// A notification is written to the outbox (the notifications table) by Enqueue, with the client
// of the change's own transaction, so it exists exactly when the change was committed. A Worker
// delivers the outbox over SMTP, retrying with backoff while the mail server is unreachable; in
// dev mode, without SMTP, it marks the notifications SHOWN and the dashboard lists them through
// the `notifications` GraphQL query instead.
//
// Mails are plain text rendered from the templates under templates/. They carry no secrets: an
// invitation asks the person to sign in with their own identity, it holds no token.
package notify

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"net/url"
	"strings"
	"text/template"
	"time"

	"sitekeeper/ent"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/rule"
	"sitekeeper/internal/viewer"
)

// DefaultPublicURL is the base URL links in mails use when the context carries none: the
// server's default listen address (SITEKEEPER_ADDR).
const DefaultPublicURL = "http://127.0.0.1:8080"

// Message is one notification to one or more people.
type Message struct {
	Kind domain.NotificationKind
	// Recipients are email addresses; each gets its own row (and mail). Blank and repeated
	// addresses (ignoring case) are dropped.
	Recipients []string
	// SiteID is the Site the message is about, if any; its name and number are rendered as
	// .Site.Name, .Site.Number, .Site.Label ("Name (1234567)") and .Site.URL.
	SiteID *int
	// Data are the fields the kind's template uses, on top of .PublicURL, .SignInURL, .Actor
	// (who made the change) and .Site, which Enqueue fills in (Data may override them).
	Data map[string]any
}

type publicURLKey struct{}

// WithPublicURL returns ctx carrying the external base URL (SITEKEEPER_PUBLIC_URL) that links
// in mails start with.
func WithPublicURL(ctx context.Context, publicURL string) context.Context {
	return context.WithValue(ctx, publicURLKey{}, strings.TrimRight(publicURL, "/"))
}

// PublicURL returns the base URL set by WithPublicURL, or DefaultPublicURL.
func PublicURL(ctx context.Context) string {
	if u, ok := ctx.Value(publicURLKey{}).(string); ok && u != "" {
		return u
	}
	return DefaultPublicURL
}

// SiteURL is the address of a Site's home page in the dashboard.
func SiteURL(publicURL, number string) string {
	return strings.TrimRight(publicURL, "/") + "/sites/" + url.PathEscape(number)
}

// SignInURL is the sign-in address that returns to returnTo (a path) afterwards.
func SignInURL(publicURL, returnTo string) string {
	return strings.TrimRight(publicURL, "/") + "/auth/login?returnTo=" + url.QueryEscape(returnTo)
}

// Enqueue renders m and writes one PENDING notification per recipient with client, which
// should be the change's transaction client (ent.FromContext in a resolver) so that the
// notification commits or rolls back with the change. It writes as Sitekeeper itself: the
// outbox is not writable by any viewer.
func Enqueue(ctx context.Context, client *ent.Client, m Message) error {
	return enqueue(ctx, client, m, time.Now())
}

func enqueue(ctx context.Context, client *ent.Client, m Message, now time.Time) error {
	recipients := uniqueAddresses(m.Recipients)
	if len(recipients) == 0 {
		return nil
	}
	sys := rule.Unrestricted(ctx)
	data, err := baseData(ctx, sys, client, m)
	if err != nil {
		return err
	}
	subject, body, err := render(m.Kind, data)
	if err != nil {
		return err
	}
	now = now.UTC()
	creates := make([]*ent.NotificationCreate, 0, len(recipients))
	for _, to := range recipients {
		creates = append(creates, client.Notification.Create().
			SetKind(m.Kind).SetRecipient(to).SetSubject(subject).SetBody(body).
			SetNillableSiteID(m.SiteID).SetStatus(domain.DeliveryPending).
			SetCreatedAt(now).SetNextAttemptAt(now))
	}
	if err := client.Notification.CreateBulk(creates...).Exec(sys); err != nil {
		return fmt.Errorf("notify: writing %s notification: %w", m.Kind, err)
	}
	wakeAfterCommit(ctx)
	return nil
}

// wakeups wakes the worker (Run) of this process; one pending wake-up is enough for any number
// of notifications, since a run delivers all that are due.
var wakeups = make(chan struct{}, 1)

// Wake asks the worker to look at the outbox now.
func Wake() {
	select {
	case wakeups <- struct{}{}:
	default:
	}
}

// wakeAfterCommit wakes the worker once the notifications just written are visible to it: when
// the request's transaction commits, or now outside one.
func wakeAfterCommit(ctx context.Context) {
	tx := ent.TxFromContext(ctx)
	if tx == nil {
		Wake()
		return
	}
	tx.OnCommit(func(next ent.Committer) ent.Committer {
		return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
			err := next.Commit(ctx, tx)
			if err == nil {
				Wake()
			}
			return err
		})
	})
}

// siteInfo is what templates know about the Site a message is about.
type siteInfo struct {
	Name, Number, Label, URL string
}

func newSiteInfo(publicURL, name, number string) siteInfo {
	label := number
	if name != "" {
		label = name + " (" + number + ")"
	}
	return siteInfo{Name: name, Number: number, Label: label, URL: SiteURL(publicURL, number)}
}

func baseData(ctx, sys context.Context, client *ent.Client, m Message) (map[string]any, error) {
	publicURL := PublicURL(ctx)
	data := map[string]any{
		"PublicURL": publicURL,
		"SignInURL": SignInURL(publicURL, "/"),
		"Actor":     actorName(viewer.FromContext(ctx)),
		"Site":      siteInfo{},
	}
	if m.SiteID != nil {
		s, err := client.Site.Get(sys, *m.SiteID)
		if err != nil {
			return nil, fmt.Errorf("notify: loading site %d: %w", *m.SiteID, err)
		}
		info := newSiteInfo(publicURL, s.Name, s.Number)
		data["Site"] = info
		data["SignInURL"] = SignInURL(publicURL, "/sites/"+s.Number)
	}
	for k, v := range m.Data {
		data[k] = v
	}
	return data, nil
}

// actorName names who made a change, as the recipients will read it.
func actorName(v *viewer.Viewer) string {
	switch {
	case v.System:
		return "Sitekeeper"
	case v.Name != "" && v.Email != "" && !strings.EqualFold(v.Name, v.Email):
		return v.Name + " (" + v.Email + ")"
	case v.Email != "":
		return v.Email
	case v.Name != "":
		return v.Name
	case v.IsPartner():
		return v.PartnerName
	}
	return "Sitekeeper"
}

func uniqueAddresses(in []string) []string {
	seen := map[string]bool{}
	out := make([]string, 0, len(in))
	for _, a := range in {
		a = strings.TrimSpace(a)
		key := strings.ToLower(a)
		if a == "" || seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, a)
	}
	return out
}

//go:embed templates/*.txt
var templateFS embed.FS

// templateFiles names each kind's template; every file defines "subject" and "body".
var templateFiles = map[domain.NotificationKind]string{
	domain.NotifyInvitation:         "invitation.txt",
	domain.NotifyAccessGranted:      "access_granted.txt",
	domain.NotifyAccessDenied:       "access_denied.txt",
	domain.NotifyPrimaryTransferred: "primary_transferred.txt",
	domain.NotifyReviewOverdue:      "review_overdue.txt",
	domain.NotifyReviewOpened:       "review_opened.txt",
	domain.NotifyReviewDueSoon:      "review_due_soon.txt",
	domain.NotifyReviewLate:         "review_late.txt",
}

var templates = parseTemplates()

var funcs = template.FuncMap{
	// datetime renders an instant for any reader: "Monday, 2 January 2006 at 15:04 UTC".
	"datetime": func(t time.Time) string { return t.UTC().Format("Monday, 2 January 2006 at 15:04 UTC") },
	// date renders the UTC calendar day: "Monday, 2 January 2006".
	"date": func(t time.Time) string { return t.UTC().Format("Monday, 2 January 2006") },
}

func parseTemplates() map[domain.NotificationKind]*template.Template {
	out := map[domain.NotificationKind]*template.Template{}
	for kind, file := range templateFiles {
		out[kind] = template.Must(template.New(file).Funcs(funcs).Option("missingkey=error").
			ParseFS(templateFS, "templates/footer.txt", "templates/"+file))
	}
	return out
}

// render produces the subject (one line) and the plain-text body of a notification.
func render(kind domain.NotificationKind, data map[string]any) (subject, body string, err error) {
	t, ok := templates[kind]
	if !ok {
		return "", "", fmt.Errorf("notify: no template for notification kind %q", kind)
	}
	var s, b bytes.Buffer
	if err := t.ExecuteTemplate(&s, "subject", data); err != nil {
		return "", "", fmt.Errorf("notify: rendering %s subject: %w", kind, err)
	}
	if err := t.ExecuteTemplate(&b, "body", data); err != nil {
		return "", "", fmt.Errorf("notify: rendering %s body: %w", kind, err)
	}
	return oneLine(s.String()), strings.TrimLeft(b.String(), "\n"), nil
}

// oneLine keeps a subject on one line whatever the data holds (no header injection).
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
