// Package reminder serves a Site's contact review as an iCalendar file (RFC 5545), so that the
// people who review a Site can put the recurring review in their own calendar.
//
// The event is an all-day event on the Site's review due date (the UTC calendar day of
// review_due_at): a review is a task for a day, not a meeting, and an all-day event shows on
// the same date in every time zone. It repeats monthly when the review interval is 30 or 31
// days, otherwise every interval days, and has a display alarm at 09:00 the day before. Its UID
// is stable per Site (review-<number>@sitekeeper) and its SEQUENCE is the Site's version, so
// downloading the file again after a review updates the event instead of adding one.
package reminder

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"sitekeeper/ent"
	"sitekeeper/ent/site"
	"sitekeeper/internal/notify"
	"sitekeeper/internal/viewer"
)

// ProductID is the calendar's PRODID.
const ProductID = "-//Sitekeeper//Contact review reminder//EN"

var siteNumber = regexp.MustCompile(`^[0-9]{7}$`)

// Option configures the handler.
type Option func(*handler)

// WithPublicURL sets the external base URL for the link to the Site. Without it the handler
// uses the one in the request context (notify.WithPublicURL), else notify.DefaultPublicURL.
func WithPublicURL(u string) Option {
	return func(h *handler) { h.publicURL = strings.TrimRight(u, "/") }
}

type handler struct {
	client    *ent.Client
	publicURL string
	now       func() time.Time
}

// Handler serves GET /sites/{number}/review.ics. The request's viewer must already be in its
// context (the session or bearer middleware). An anonymous caller gets 401; a Site the viewer
// may not see answers 404 exactly like one that does not exist.
func Handler(client *ent.Client, opts ...Option) http.Handler {
	h := &handler{client: client, now: time.Now}
	for _, o := range opts {
		o(h)
	}
	return h
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if viewer.FromContext(ctx).IsAnonymous() {
		http.Error(w, "sign in to download the review reminder", http.StatusUnauthorized)
		return
	}
	number := r.PathValue("number")
	if !siteNumber.MatchString(number) {
		http.NotFound(w, r)
		return
	}
	// The privacy rules filter the query: a Site the viewer may not see is not found.
	s, err := h.client.Site.Query().Where(site.Number(number)).Only(ent.NewContext(ctx, h.client))
	if ent.IsNotFound(err) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	publicURL := h.publicURL
	if publicURL == "" {
		publicURL = notify.PublicURL(ctx)
	}
	// RFC 5545 §3.1: lines end with CRLF (the library's default is LF).
	body := Calendar(s, publicURL, h.now()).Serialize(ics.WithNewLine("\r\n"))
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="sitekeeper-review-%s.ics"`, s.Number))
	_, _ = w.Write([]byte(body))
}

// UID is the stable identifier of a Site's review event.
func UID(number string) string { return "review-" + number + "@sitekeeper" }

// RRule is the recurrence of a review every intervalDays starting on due: monthly for 30 or 31
// days (on the same day of the month; from the 29th on, on the last day of shorter months),
// otherwise every intervalDays days.
func RRule(intervalDays int, due time.Time) string {
	if intervalDays != 30 && intervalDays != 31 {
		return fmt.Sprintf("FREQ=DAILY;INTERVAL=%d", intervalDays)
	}
	if day := due.UTC().Day(); day > 28 {
		// RFC 5545 skips months without that day; take the earlier of it and the month's last.
		return fmt.Sprintf("FREQ=MONTHLY;BYMONTHDAY=%d,-1;BYSETPOS=1", day)
	}
	return "FREQ=MONTHLY"
}

// Calendar builds the VCALENDAR with the Site's review event.
func Calendar(s *ent.Site, publicURL string, now time.Time) *ics.Calendar {
	siteURL := notify.SiteURL(publicURL, s.Number)
	due := s.ReviewDueAt.UTC()
	day := time.Date(due.Year(), due.Month(), due.Day(), 0, 0, 0, 0, time.UTC)
	label := fmt.Sprintf("%s (%s)", s.Name, s.Number)

	cal := ics.NewCalendarFor("Sitekeeper")
	cal.SetProductId(ProductID)
	cal.SetMethod(ics.MethodPublish)
	cal.SetXWRCalName("Sitekeeper review " + label)

	ev := cal.AddEvent(UID(s.Number))
	ev.SetDtStampTime(now)
	ev.SetModifiedAt(s.UpdatedAt)
	ev.SetSequence(s.Version)
	ev.SetAllDayStartAt(day)
	ev.SetAllDayEndAt(day.AddDate(0, 0, 1))
	ev.AddRrule(RRule(s.ReviewIntervalDays, day))
	ev.SetSummary("Review Sitekeeper contacts for " + label)
	ev.SetDescription(fmt.Sprintf("Review the contacts and access of Site %s: remove people who have left, "+
		"check each person's privileges and contact types, answer pending access requests, "+
		"then mark the Site reviewed in Sitekeeper.\n\n%s", label, siteURL))
	ev.SetURL(siteURL)
	ev.SetTimeTransparency(ics.TransparencyTransparent)

	alarm := ev.AddAlarm()
	alarm.SetAction(ics.ActionDisplay)
	// Relative to an all-day start (midnight): 09:00 the day before.
	alarm.SetTrigger("-PT15H")
	alarm.SetProperty(ics.ComponentPropertyDescription, "Sitekeeper contact review for "+label+" is due tomorrow")
	return cal
}
