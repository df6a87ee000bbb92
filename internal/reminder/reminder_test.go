package reminder_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"sitekeeper/ent"
	_ "sitekeeper/ent/runtime" // privacy rules, hooks and defaults
	"sitekeeper/internal/db/dbtest"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/notify"
	"sitekeeper/internal/reminder"
	"sitekeeper/internal/viewer"
)

type env struct {
	client *ent.Client
	// viewer for the next request; nil is anonymous
	as  *viewer.Viewer
	url string
}

// newEnv serves the handler the way the server mounts it, with the viewer injected the way
// the session and bearer middleware do.
func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{client: dbtest.Open(t)}
	mux := http.NewServeMux()
	mux.Handle("GET /sites/{number}/review.ics", reminder.Handler(e.client, reminder.WithPublicURL("https://sitekeeper.example.com/")))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if e.as != nil {
			r = r.WithContext(viewer.NewContext(r.Context(), e.as))
		}
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	e.url = srv.URL
	return e
}

func (e *env) site(t *testing.T, number string, intervalDays int, due time.Time) *ent.Site {
	t.Helper()
	s, err := e.client.Site.Create().SetNumber(number).SetName("Acme, Corp; Labs").SetCustomerNumber("C-1").
		SetReviewIntervalDays(intervalDays).Save(dbtest.Sys())
	if err != nil {
		t.Fatal(err)
	}
	if s, err = e.client.Site.UpdateOneID(s.ID).SetReviewDueAt(due).Save(dbtest.Sys()); err != nil {
		t.Fatal(err)
	}
	return s
}

func (e *env) get(t *testing.T, number string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(e.url + "/sites/" + number + "/review.ics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func member(siteID int) *viewer.Viewer {
	return &viewer.Viewer{UserID: 7, Email: "pat@x.example", EmailVerified: true, Memberships: map[int]viewer.Membership{
		siteID: {SiteID: siteID, ContactID: 70, Role: domain.RoleUser, Privileges: domain.NoPrivileges()},
	}}
}

func prop(t *testing.T, c *ics.ComponentBase, p ics.ComponentProperty) string {
	t.Helper()
	got := c.GetProperty(p)
	if got == nil {
		t.Fatalf("no %s", p)
	}
	return got.Value
}

func TestReviewCalendar(t *testing.T) {
	e := newEnv(t)
	due := time.Date(2027, 2, 17, 10, 30, 0, 0, time.UTC)
	s := e.site(t, "1234567", 30, due)
	e.as = member(s.ID)

	resp, body := e.get(t, "1234567")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/calendar; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename="sitekeeper-review-1234567.ics"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	if !strings.Contains(body, "\r\n") {
		t.Error("lines are not CRLF-terminated")
	}

	cal, err := ics.ParseCalendar(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, body)
	}
	var version, prodID string
	for _, p := range cal.CalendarProperties {
		switch p.IANAToken {
		case string(ics.PropertyVersion):
			version = p.Value
		case string(ics.PropertyProductId):
			prodID = p.Value
		}
	}
	if version != "2.0" || prodID != reminder.ProductID {
		t.Errorf("VERSION %q, PRODID %q", version, prodID)
	}
	events := cal.Events()
	if len(events) != 1 {
		t.Fatalf("%d events", len(events))
	}
	ev := events[0]
	if ev.Id() != "review-1234567@sitekeeper" {
		t.Errorf("UID %q", ev.Id())
	}
	start, err := ev.GetAllDayStartAt()
	if err != nil {
		t.Fatal(err)
	}
	if start.Year() != 2027 || start.Month() != time.February || start.Day() != 17 {
		t.Errorf("DTSTART %s, want the due date 2027-02-17", start)
	}
	if got := ev.GetProperty(ics.ComponentPropertyDtStart); got.ICalParameters["VALUE"][0] != "DATE" || got.Value != "20270217" {
		t.Errorf("DTSTART %+v", got)
	}
	if got := prop(t, &ev.ComponentBase, ics.ComponentPropertyRrule); got != "FREQ=MONTHLY" {
		t.Errorf("RRULE %q", got)
	}
	if got := prop(t, &ev.ComponentBase, ics.ComponentPropertySummary); got != "Review Sitekeeper contacts for Acme, Corp; Labs (1234567)" {
		t.Errorf("SUMMARY %q", got)
	}
	if got := prop(t, &ev.ComponentBase, ics.ComponentPropertyDescription); !strings.Contains(got, "https://sitekeeper.example.com/sites/1234567") ||
		!strings.Contains(got, "mark the Site reviewed") {
		t.Errorf("DESCRIPTION %q", got)
	}
	alarms := ev.Alarms()
	if len(alarms) != 1 || prop(t, &alarms[0].ComponentBase, ics.ComponentPropertyAction) != "DISPLAY" ||
		prop(t, &alarms[0].ComponentBase, ics.ComponentPropertyTrigger) != "-PT15H" ||
		prop(t, &alarms[0].ComponentBase, ics.ComponentPropertyDescription) == "" {
		t.Errorf("alarms %+v", alarms)
	}
}

func TestRecurrence(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct {
		number string
		days   int
		due    time.Time
		want   string
	}{
		{"1000031", 31, time.Date(2027, 1, 5, 0, 0, 0, 0, time.UTC), "FREQ=MONTHLY"},
		{"1000090", 90, time.Date(2027, 1, 5, 0, 0, 0, 0, time.UTC), "FREQ=DAILY;INTERVAL=90"},
		{"1000007", 7, time.Date(2027, 1, 5, 0, 0, 0, 0, time.UTC), "FREQ=DAILY;INTERVAL=7"},
		// The 31st: months without one take their last day instead of being skipped.
		{"1000131", 30, time.Date(2027, 1, 31, 23, 0, 0, 0, time.UTC), "FREQ=MONTHLY;BYMONTHDAY=31,-1;BYSETPOS=1"},
	} {
		s := e.site(t, c.number, c.days, c.due)
		e.as = member(s.ID)
		resp, body := e.get(t, c.number)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", c.number, resp.StatusCode)
		}
		cal, err := ics.ParseCalendar(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		ev := cal.Events()[0]
		if got := prop(t, &ev.ComponentBase, ics.ComponentPropertyRrule); got != c.want {
			t.Errorf("%d days from %s: RRULE %q, want %q", c.days, c.due, got, c.want)
		}
		if got := prop(t, &ev.ComponentBase, ics.ComponentPropertyDtStart); got != c.due.Format("20060102") {
			t.Errorf("DTSTART %s, want %s", got, c.due.Format("20060102"))
		}
	}
}

func TestOnlyViewersOfTheSite(t *testing.T) {
	e := newEnv(t)
	s := e.site(t, "1234567", 30, time.Now().AddDate(0, 0, 10))
	other := e.site(t, "7654321", 30, time.Now().AddDate(0, 0, 10))

	e.as = nil
	if resp, _ := e.get(t, "1234567"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("anonymous: %d", resp.StatusCode)
	}
	e.as = member(other.ID) // a contact of another Site only
	for _, number := range []string{"1234567", "9999999", "12345", "abc"} {
		if resp, body := e.get(t, number); resp.StatusCode != http.StatusNotFound || strings.Contains(body, "VCALENDAR") {
			t.Errorf("%s as a stranger: %d", number, resp.StatusCode)
		}
	}
	e.as = &viewer.Viewer{UserID: 9, Email: "ops@vendor.example", EmailVerified: true, Operator: true}
	if resp, _ := e.get(t, "1234567"); resp.StatusCode != http.StatusOK {
		t.Errorf("operator: %d", resp.StatusCode)
	}
	e.as = &viewer.Viewer{PartnerID: 3, PartnerName: "Reseller", PartnerGrants: viewer.GrantsOf(s.ID)}
	if resp, _ := e.get(t, "1234567"); resp.StatusCode != http.StatusOK {
		t.Errorf("partner with a grant: %d", resp.StatusCode)
	}
}

func TestPublicURLFromContext(t *testing.T) {
	client := dbtest.Open(t)
	s, err := client.Site.Create().SetNumber("1234567").SetName("Acme").SetCustomerNumber("C-1").Save(dbtest.Sys())
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /sites/{number}/review.ics", reminder.Handler(client))
	req := httptest.NewRequest(http.MethodGet, "/sites/1234567/review.ics", nil)
	ctx := notify.WithPublicURL(viewer.NewContext(req.Context(), member(s.ID)), "https://keeper.example.org")
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, req.WithContext(ctx))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "https://keeper.example.org/sites/1234567") {
		t.Fatalf("%d: %s", rec.Code, rec.Body)
	}
}
