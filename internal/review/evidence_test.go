package review_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/csv"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"sitekeeper/ent"
	"sitekeeper/ent/reviewitem"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/review"
	"sitekeeper/internal/testkit/apitest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// serveEvidence mounts the evidence routes as server.go does, behind the real bearer middleware.
func serveEvidence(t *testing.T) (*apitest.Env, *apitest.Roster) {
	t.Helper()
	e := apitest.New(t)
	e.Handle("GET /reviews/{id}/evidence.csv", review.EvidenceHandler(e.Client, review.EvidenceCSV))
	e.Handle("GET /reviews/{id}/evidence.html", review.EvidenceHandler(e.Client, review.EvidenceHTML))
	return e, e.SeedRoster()
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func ptr[T any](v T) *T { return &v }

// item is one stored row of a seeded review.
type item struct {
	contactID     int
	snap          domain.ReviewSnapshot
	decision      domain.ReviewDecision
	by            string
	decidedAt     string
	note          string
	selfConfirmed string
	outcome       domain.ReviewOutcome
}

// seedReview writes a review with fixed times, and its items, as Sitekeeper itself; then
// completes it (completing last: the hooks refuse any change to a completed review's rows).
func seedReview(t *testing.T, e *apitest.Env, siteID int, attested bool, completedBy string, items []item) *ent.Review {
	t.Helper()
	ctx := apitest.Sys()
	r, err := e.Client.Review.Create().SetSiteID(siteID).SetStartedBy(apitest.Primary).
		SetStartedAt(at("2026-03-02T09:00:00Z")).SetDueAt(at("2026-03-31T09:00:00Z")).Save(ctx)
	if err != nil {
		t.Fatalf("seed review: %v", err)
	}
	for _, it := range items {
		c := e.Client.ReviewItem.Create().SetReviewID(r.ID).SetSiteID(siteID).SetContactID(it.contactID).
			SetSnapshot(it.snap).SetDecision(it.decision).SetOutcome(it.outcome)
		if it.by != "" {
			c.SetDecidedBy(it.by).SetDecidedAt(at(it.decidedAt))
		}
		if it.note != "" {
			c.SetNote(it.note)
		}
		if it.selfConfirmed != "" {
			c.SetSelfConfirmedAt(at(it.selfConfirmed))
		}
		if err := c.Exec(ctx); err != nil {
			t.Fatalf("seed item: %v", err)
		}
	}
	r, err = e.Client.Review.UpdateOneID(r.ID).SetCompletedAt(at("2026-03-20T16:45:00Z")).
		SetCompletedBy(completedBy).SetAttested(attested).SetReminderStage(domain.StageDone).Save(ctx)
	if err != nil {
		t.Fatalf("complete review: %v", err)
	}
	return r
}

func privs(software domain.SoftwareAccessLevel, manage, updates domain.UpdateLevel) domain.Privileges {
	return apitest.Privs(software, domain.ViewView, domain.UpdateView, manage, updates, domain.ViewNone)
}

// seedCompleted is the golden review of Site A: a KEEP of the PRIMARY, who also confirmed their
// own details; a DEACTIVATE the review suggested; a REMOVE of an expired invitation with a note;
// a KEEP with a note a spreadsheet would run; a contact removed during the review (GONE); and a
// self-confirmed KEEP. Names and notes carry what CSV and HTML must escape.
func seedCompleted(t *testing.T, e *apitest.Env, ros *apitest.Roster) *ent.Review {
	t.Helper()
	a := ros.A
	// The Site's name as someone typed it; the evidence must print it, not run it.
	if err := e.Client.Site.UpdateOneID(a.ID).SetName(`Acme "Labs", <Ops> & Co`).Exec(apitest.Sys()); err != nil {
		t.Fatal(err)
	}
	created := at("2024-01-15T08:00:00Z")
	return seedReview(t, e, a.ID, false, apitest.Primary, []item{
		{contactID: a.ContactID(apitest.Primary), decision: domain.DecisionKeep, by: apitest.Primary,
			decidedAt: "2026-03-03T10:15:00Z", selfConfirmed: "2026-03-03T10:12:00Z", outcome: domain.OutcomeKept,
			snap: domain.ReviewSnapshot{FirstName: "Pat", LastName: "Primary", Email: apitest.Primary,
				AccessRole: domain.RolePrimary, Privileges: domain.HighestPrivileges(),
				ContactTypes: []domain.ContactType{domain.TypePrimary, domain.TypeSiteTechnical},
				Status:       domain.StatusActive, LastSignInAt: ptr(at("2026-02-27T14:03:00Z")), CreatedAt: created}},
		{contactID: a.ContactID(apitest.SecManager), decision: domain.DecisionDeactivate, by: apitest.Primary,
			decidedAt: "2026-03-04T11:00:00Z", note: "-1 seat: moved to another team", outcome: domain.OutcomeDeactivated,
			snap: domain.ReviewSnapshot{FirstName: "Sam", LastName: "Manager", Email: apitest.SecManager,
				AccessRole: domain.RoleSecondary, Privileges: privs(domain.SoftwareFull, domain.UpdateUpdate, domain.UpdateUpdate),
				ContactTypes: []domain.ContactType{domain.TypeRenewal},
				Status:       domain.StatusActive, LastSignInAt: ptr(at("2025-10-01T12:00:00Z")), CreatedAt: created}},
		{contactID: a.ContactID(apitest.SecViewer), decision: domain.DecisionKeep, by: apitest.SecManager,
			decidedAt: "2026-03-05T09:30:00Z", selfConfirmed: "2026-03-04T08:00:00Z", outcome: domain.OutcomeKept,
			snap: domain.ReviewSnapshot{FirstName: "Vic", LastName: "Viewer", Email: apitest.SecViewer,
				AccessRole: domain.RoleSecondary, Privileges: privs(domain.SoftwareNone, domain.UpdateView, domain.UpdateView),
				ContactTypes: []domain.ContactType{}, Status: domain.StatusActive,
				LastSignInAt: ptr(at("2026-03-01T07:45:00Z")), CreatedAt: created}},
		{contactID: a.ContactID(apitest.UserA), decision: domain.DecisionRemove, by: apitest.SecManager,
			decidedAt: "2026-03-05T09:31:00Z", note: `Never accepted; "left" per HR <ticket 4411> & done`, outcome: domain.OutcomeRemoved,
			snap: domain.ReviewSnapshot{FirstName: "Ann", LastName: "Invitee", Email: apitest.UserA,
				AccessRole: domain.RoleUser, Privileges: domain.NoPrivileges(), ContactTypes: []domain.ContactType{},
				Status: domain.StatusInvited, InvitationExpiresAt: ptr(at("2026-02-20T00:00:00Z")), CreatedAt: at("2026-02-13T00:00:00Z")}},
		{contactID: a.ContactID(apitest.UserB), decision: domain.DecisionKeep, by: apitest.SecManager,
			decidedAt: "2026-03-05T09:32:00Z", note: "=HYPERLINK(\"https://evil.example\",\"ok\")", outcome: domain.OutcomeKept,
			snap: domain.ReviewSnapshot{FirstName: "@Bea", LastName: "Buyer", Email: apitest.UserB,
				AccessRole: domain.RoleUser, Privileges: apitest.Privs(domain.SoftwareDownloads, domain.ViewView, domain.UpdateNone, domain.UpdateNone, domain.UpdateNone, domain.ViewView),
				ContactTypes: []domain.ContactType{domain.TypeBilling, domain.TypeAdministrative}, Status: domain.StatusActive,
				LastSignInAt: ptr(at("2026-02-15T16:20:00Z")), CreatedAt: created}},
		// Removed by hand during the review, before it completed: no row to apply the decision to.
		{contactID: 999999, decision: domain.DecisionDeactivate, by: apitest.Primary,
			decidedAt: "2026-03-06T13:00:00Z", outcome: domain.OutcomeGone,
			snap: domain.ReviewSnapshot{FirstName: "Gil", LastName: "Gone", Email: "gil.gone@x.example",
				AccessRole: domain.RoleUser, Privileges: privs(domain.SoftwareFull, domain.UpdateNone, domain.UpdateNone),
				ContactTypes: []domain.ContactType{}, Status: domain.StatusActive, CreatedAt: at("2025-06-01T10:00:00Z")}},
	})
}

var longNumber = regexp.MustCompile(`\b[0-9]{6,}\b`)

// stableIDs replaces the ids of the seeded rows with names: ids come from each dialect's own
// sequences (SQLite and PostgreSQL start a type's range one apart), everything else in the
// files is compared byte for byte.
func stableIDs(t *testing.T, e *apitest.Env, ros *apitest.Roster, r *ent.Review, body []byte) []byte {
	t.Helper()
	names := map[string]string{strconv.Itoa(r.ID): "{review}"}
	items, err := e.Client.ReviewItem.Query().Where(reviewitem.ReviewID(r.ID)).Order(ent.Asc(reviewitem.FieldID)).All(apitest.Sys())
	if err != nil {
		t.Fatal(err)
	}
	for i, it := range items {
		names[strconv.Itoa(it.ID)] = fmt.Sprintf("{item%d}", i+1)
	}
	for email, c := range ros.A.Contacts {
		names[strconv.Itoa(c.ID)] = "{contact " + email + "}"
	}
	return longNumber.ReplaceAllFunc(body, func(id []byte) []byte {
		if name, ok := names[string(id)]; ok {
			return []byte(name)
		}
		return id
	})
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/review -run Evidence -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it); got:\n%s", name, got)
	}
}

func fetch(t *testing.T, e *apitest.Env, token, path string, wantStatus int) (*http.Response, []byte) {
	t.Helper()
	resp, body := e.Get(token, path)
	if resp.StatusCode != wantStatus {
		t.Fatalf("GET %s: %d, want %d: %s", path, resp.StatusCode, wantStatus, body)
	}
	return resp, body
}

func evidencePaths(r *ent.Review) (csvPath, htmlPath string) {
	return fmt.Sprintf("/reviews/%d/evidence.csv", r.ID), fmt.Sprintf("/reviews/%d/evidence.html", r.ID)
}

func TestEvidenceGolden(t *testing.T) {
	e, ros := serveEvidence(t)
	r := seedCompleted(t, e, ros)
	primary := e.TokenFor(apitest.Primary)
	csvPath, htmlPath := evidencePaths(r)

	resp, body := fetch(t, e, primary, csvPath, http.StatusOK)
	golden(t, "evidence.csv", stableIDs(t, e, ros, r, body))
	for h, want := range map[string]string{
		"Content-Type":        "text/csv; charset=utf-8; header=present",
		"Content-Disposition": `attachment; filename="review-1000001-2026-03-20.csv"`,
		"Cache-Control":       "private, no-store",
	} {
		if got := resp.Header.Get(h); got != want {
			t.Errorf("CSV %s %q, want %q", h, got, want)
		}
	}
	checkCSV(t, body)

	resp, body = fetch(t, e, primary, htmlPath, http.StatusOK)
	golden(t, "evidence.html", stableIDs(t, e, ros, r, body))
	for h, want := range map[string]string{
		"Content-Type":        "text/html; charset=utf-8",
		"Content-Disposition": `inline; filename="review-1000001-2026-03-20.html"`,
		"X-Frame-Options":     "DENY",
	} {
		if got := resp.Header.Get(h); got != want {
			t.Errorf("HTML %s %q, want %q", h, got, want)
		}
	}
	checkHTML(t, resp, body)
}

// checkCSV reads the file back as a spreadsheet would: one table, every cell that a
// spreadsheet would compute neutralized, the values round-tripped.
func checkCSV(t *testing.T, body []byte) {
	t.Helper()
	if !bytes.HasPrefix(body, []byte("\ufeff")) || !bytes.Contains(body, []byte("\r\n")) {
		t.Error("CSV without BOM or CRLF line ends")
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v", err)
	}
	if len(rows) != 7 {
		t.Fatalf("%d rows, want a header and 6 items", len(rows))
	}
	for _, row := range rows {
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("cell %q would run as a formula", cell)
			}
		}
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	byEmail := map[string][]string{}
	for _, row := range rows[1:] {
		byEmail[row[col["Email"]]] = row
		if row[col["Site name"]] != `Acme "Labs", <Ops> & Co` || row[col["Completed by attestation"]] != "false" {
			t.Errorf("review columns %q", row[:9])
		}
	}
	for email, want := range map[string]map[string]string{
		apitest.UserA: {"Decision": "REMOVE", "Outcome": "REMOVED", "Suggested decision": "REMOVE",
			"Note": `Never accepted; "left" per HR <ticket 4411> & done`, "Decided by": apitest.SecManager},
		apitest.UserB:        {"First name": "'@Bea", "Note": `'=HYPERLINK("https://evil.example","ok")`, "Outcome": "KEPT"},
		apitest.SecManager:   {"Note": "'-1 seat: moved to another team", "Suggested decision": "DEACTIVATE", "Outcome": "DEACTIVATED"},
		"gil.gone@x.example": {"Outcome": "GONE", "Privilege flags": "softwareAccess FULL but never signed in"},
		apitest.Primary:      {"Self-confirmed at": "2026-03-03T10:12:00Z", "Contact types": "PRIMARY; SITE_TECHNICAL", "Suggested decision": ""},
	} {
		row := byEmail[email]
		if row == nil {
			t.Errorf("no row for %s", email)
			continue
		}
		for name, v := range want {
			if got := row[col[name]]; got != v {
				t.Errorf("%s %s %q, want %q", email, name, got, v)
			}
		}
	}
}

var styleElement = regexp.MustCompile(`(?s)<style>(.*?)</style>`)

// checkHTML: the page loads nothing, runs nothing, escapes what people typed, and its only
// style is the one its Content-Security-Policy allows by hash.
func checkHTML(t *testing.T, resp *http.Response, body []byte) {
	t.Helper()
	page := string(body)
	for _, bad := range []string{"<script", "<link", "<img", "src=", "<Ops>", `"left"`, "<ticket"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	for _, want := range []string{"Acme &#34;Labs&#34;, &lt;Ops&gt; &amp; Co", "&lt;ticket 4411&gt;", "@media print",
		"REMOVED", "GONE", "DEACTIVATE: no sign-in in 90 days (last on 2025-10-01)", "after a decision had been recorded on every item"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	styles := styleElement.FindAllStringSubmatch(page, -1)
	if len(styles) != 1 {
		t.Fatalf("%d style elements", len(styles))
	}
	sum := sha256.Sum256([]byte(styles[0][1]))
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "style-src 'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'") ||
		!strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP %q does not allow exactly the page's style", csp)
	}
	if strings.Contains(page, " style=") {
		t.Error("an inline style attribute: the CSP refuses it")
	}
}

func TestEvidenceOfAnAttestedReview(t *testing.T) {
	e, ros := serveEvidence(t)
	a := ros.A
	created := at("2024-01-15T08:00:00Z")
	snap := func(first, email string, role domain.AccessRole) domain.ReviewSnapshot {
		return domain.ReviewSnapshot{FirstName: first, LastName: "Person", Email: email, AccessRole: role,
			Privileges: domain.NoPrivileges(), ContactTypes: []domain.ContactType{}, Status: domain.StatusActive,
			LastSignInAt: ptr(at("2026-02-27T14:03:00Z")), CreatedAt: created}
	}
	primary := snap("Pat", apitest.Primary, domain.RolePrimary)
	primary.Privileges, primary.ContactTypes = domain.HighestPrivileges(), []domain.ContactType{domain.TypePrimary}
	r := seedReview(t, e, a.ID, true, apitest.SecManager, []item{
		{contactID: a.ContactID(apitest.Primary), decision: domain.DecisionKeep, by: apitest.Primary, decidedAt: "2026-03-03T10:15:00Z",
			outcome: domain.OutcomeKept, snap: primary},
		{contactID: a.ContactID(apitest.UserA), decision: domain.DecisionKeep, by: apitest.SecManager, decidedAt: "2026-03-20T16:45:00Z",
			outcome: domain.OutcomeKeptByAttestation, snap: snap("Ann", apitest.UserA, domain.RoleUser)},
		{contactID: a.ContactID(apitest.UserB), decision: domain.DecisionKeep, by: apitest.SecManager, decidedAt: "2026-03-20T16:45:00Z",
			outcome: domain.OutcomeKeptByAttestation, snap: snap("Bea", apitest.UserB, domain.RoleUser)},
	})
	token := e.TokenFor(apitest.Primary)
	csvPath, htmlPath := evidencePaths(r)
	_, page := fetch(t, e, token, htmlPath, http.StatusOK)
	golden(t, "evidence-attested.html", stableIDs(t, e, ros, r, page))
	want := "sec-manager@x.example marked the Site reviewed on 2026-03-20 16:45 UTC: the 2 items still pending then were kept " +
		"by one bulk attestation by sec-manager@x.example, not decided one by one."
	if !strings.Contains(string(page), want) {
		t.Errorf("the page does not say plainly that the pending items were attested:\n%s", page)
	}
	_, body := fetch(t, e, token, csvPath, http.StatusOK)
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	attested := 0
	for _, row := range rows[1:] {
		if row[8] != "true" {
			t.Errorf("Completed by attestation %q", row[8])
		}
		if row[33] == "true" && row[35] == "KEPT_BY_ATTESTATION" {
			attested++
		}
	}
	if rows[0][8] != "Completed by attestation" || rows[0][33] != "Kept by attestation" || attested != 2 {
		t.Errorf("header %q; %d items kept by attestation, want 2", rows[0], attested)
	}
}

// TestEvidenceNeverChanges: an edit of a reviewed contact after completion leaves both files
// byte for byte as they were: the evidence reads the review's rows, not the contacts.
func TestEvidenceNeverChanges(t *testing.T) {
	e, ros := serveEvidence(t)
	r := seedCompleted(t, e, ros)
	primary := e.TokenFor(apitest.Primary)
	csvPath, htmlPath := evidencePaths(r)
	_, csvBefore := fetch(t, e, primary, csvPath, http.StatusOK)
	_, htmlBefore := fetch(t, e, primary, htmlPath, http.StatusOK)

	for _, email := range []string{apitest.UserB, apitest.SecViewer} {
		c, err := e.Client.Contact.Get(apitest.Sys(), ros.A.ContactID(email))
		if err != nil {
			t.Fatal(err)
		}
		e.Exec(primary, `mutation($id:ID!, $v:Int!) { updateContact(id:$id, expectedVersion:$v,
			input:{firstName:"Renamed", lastName:"Later", jobTitle:"Changed after the review"}) { id } }`,
			map[string]any{"id": c.ID, "v": c.Version}).OK()
	}
	e.Exec(primary, `mutation($id:ID!) { deactivateContact(id:$id) { id } }`,
		map[string]any{"id": ros.A.ContactID(apitest.UserB)}).OK()

	if _, after := fetch(t, e, primary, csvPath, http.StatusOK); !bytes.Equal(after, csvBefore) {
		t.Errorf("the CSV changed after a contact edit:\n%s", after)
	}
	if _, after := fetch(t, e, primary, htmlPath, http.StatusOK); !bytes.Equal(after, htmlBefore) {
		t.Errorf("the HTML changed after a contact edit:\n%s", after)
	}
}

func TestEvidenceRefusals(t *testing.T) {
	e, ros := serveEvidence(t)
	r := seedCompleted(t, e, ros)
	csvPath, htmlPath := evidencePaths(r)

	open, err := e.Client.Review.Create().SetSiteID(ros.B.ID).SetStartedBy(apitest.OtherPrimary).
		SetDueAt(time.Now().AddDate(0, 0, 14)).Save(apitest.Sys())
	if err != nil {
		t.Fatal(err)
	}
	openCSV, openHTML := evidencePaths(open)

	cases := []struct {
		name   string
		token  string
		paths  []string
		status int
	}{
		{"anonymous", "", []string{csvPath, htmlPath, openCSV, "/reviews/999999/evidence.csv"}, http.StatusUnauthorized},
		{"a USER of the Site", e.TokenFor(apitest.UserA), []string{csvPath, htmlPath}, http.StatusNotFound},
		{"a SECONDARY without manageAccess", e.TokenFor(apitest.SecEditor), []string{csvPath, htmlPath}, http.StatusNotFound},
		{"a SECONDARY without privileges", e.TokenFor(apitest.SecNone), []string{csvPath, htmlPath}, http.StatusNotFound},
		{"the PRIMARY of another Site", e.TokenFor(apitest.OtherPrimary), []string{csvPath, htmlPath}, http.StatusNotFound},
		{"a partner with a grant", e.PartnerToken(apitest.PartnerClient), []string{csvPath, htmlPath}, http.StatusNotFound},
		{"someone on no Site", e.TokenFor(apitest.Outsider), []string{csvPath, htmlPath, openCSV}, http.StatusNotFound},
		// The open review is not theirs: they learn nothing of it, not even that it is open.
		{"the PRIMARY, another Site's open review", e.TokenFor(apitest.Primary), []string{openCSV, openHTML}, http.StatusNotFound},
		{"the PRIMARY, no such review", e.TokenFor(apitest.Primary),
			[]string{"/reviews/999999/evidence.csv", "/reviews/abc/evidence.html", "/reviews/01/evidence.csv", "/reviews/-1/evidence.csv"}, http.StatusNotFound},
		{"an operator", e.OperatorToken(), []string{csvPath, htmlPath}, http.StatusOK},
		{"a SECONDARY with manageAccess VIEW", e.TokenFor(apitest.SecViewer), []string{csvPath, htmlPath}, http.StatusOK},
		{"the PRIMARY", e.TokenFor(apitest.Primary), []string{csvPath, htmlPath}, http.StatusOK},
		// Its reader learns it exists but is no evidence yet.
		{"the PRIMARY of the open review", e.TokenFor(apitest.OtherPrimary), []string{openCSV, openHTML}, http.StatusConflict},
	}
	for _, c := range cases {
		for _, path := range c.paths {
			resp, body := e.Get(c.token, path)
			if resp.StatusCode != c.status {
				t.Errorf("%s, GET %s: %d, want %d: %s", c.name, path, resp.StatusCode, c.status, body)
				continue
			}
			if c.status != http.StatusOK && (bytes.Contains(body, []byte("Acme")) || bytes.Contains(body, []byte("@x.example"))) {
				t.Errorf("%s, GET %s: the refusal carries evidence: %s", c.name, path, body)
			}
			if c.status == http.StatusConflict && !strings.Contains(string(body), "still open") {
				t.Errorf("%s: %q does not say the review is open", c.name, body)
			}
		}
	}
}

// TestEvidenceEndToEnd runs a review through the API (start, decide, keep the rest, complete)
// and downloads its evidence from the URLs the API gives.
func TestEvidenceEndToEnd(t *testing.T) {
	e, ros := serveEvidence(t)
	primary := e.TokenFor(apitest.Primary)
	var started struct {
		StartReview struct {
			ID    string
			Items struct {
				Edges []struct {
					Node struct {
						ID       string
						Snapshot struct{ Email string }
					}
				}
			}
		} `json:"startReview"`
	}
	e.Exec(primary, `mutation($s:ID!) { startReview(siteId:$s) { id items(first:100) { edges { node { id snapshot { email } } } } } }`,
		map[string]any{"s": ros.A.ID}).OK().Decode(&started)
	var removed string
	for _, edge := range started.StartReview.Items.Edges {
		if edge.Node.Snapshot.Email == apitest.UserB {
			removed = edge.Node.ID
		}
	}
	if removed == "" {
		t.Fatalf("no item for %s in %+v", apitest.UserB, started)
	}
	e.Exec(primary, `mutation($id:ID!) { decideReviewItem(id:$id, decision:REMOVE, note:"Left the company in March") { id } }`,
		map[string]any{"id": removed}).OK()
	e.Exec(primary, `mutation($id:ID!) { keepRemainingReviewItems(reviewId:$id) { id } }`,
		map[string]any{"id": started.StartReview.ID}).OK()
	var done struct {
		CompleteReview struct{ EvidenceCsvUrl, EvidenceHtmlUrl string } `json:"completeReview"`
	}
	e.Exec(primary, `mutation($id:ID!) { completeReview(id:$id) { evidenceCsvUrl evidenceHtmlUrl } }`,
		map[string]any{"id": started.StartReview.ID}).OK().Decode(&done)
	if _, err := e.Client.Contact.Get(apitest.Sys(), ros.A.ContactID(apitest.UserB)); !ent.IsNotFound(err) {
		t.Fatalf("the removal was not applied: %v", err)
	}

	_, body := fetch(t, e, primary, done.CompleteReview.EvidenceCsvUrl, http.StatusOK)
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(started.StartReview.Items.Edges)+1 {
		t.Fatalf("%d rows for %d items", len(rows), len(started.StartReview.Items.Edges))
	}
	found := false
	for _, row := range rows[1:] {
		if row[13] == apitest.UserB {
			found = true
			if row[30] != "REMOVE" || row[31] != apitest.Primary || row[34] != "Left the company in March" || row[35] != "REMOVED" {
				t.Errorf("the removal's row: %q", row)
			}
		} else if row[30] != "KEEP" || row[35] != "KEPT" || row[31] != apitest.Primary {
			t.Errorf("a kept row: %q", row)
		}
	}
	if !found {
		t.Errorf("no row for the removed contact in\n%s", body)
	}
	_, page := fetch(t, e, primary, done.CompleteReview.EvidenceHtmlUrl, http.StatusOK)
	for _, want := range []string{"Left the company in March", "deactivated and removed", "<tr class=\"REMOVED\">"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}

// An attested review in which nothing was pending says so, rather than claiming an attestation
// of nothing.
func TestEvidenceAttestedWithNothingPending(t *testing.T) {
	completed := at("2026-03-20T16:45:00Z")
	r := &ent.Review{ID: 7, StartedAt: at("2026-03-02T09:00:00Z"), StartedBy: apitest.Primary, DueAt: at("2026-03-31T09:00:00Z"),
		CompletedAt: &completed, CompletedBy: ptr(apitest.Primary), Attested: true}
	it := &ent.ReviewItem{ID: 1, ContactID: 2, Decision: domain.DecisionKeep, DecidedBy: ptr(apitest.Primary),
		DecidedAt: &completed, Outcome: ptr(domain.OutcomeKept),
		Snapshot: domain.ReviewSnapshot{FirstName: "Pat", LastName: "Primary", Email: apitest.Primary, AccessRole: domain.RolePrimary,
			Privileges: domain.HighestPrivileges(), Status: domain.StatusActive, CreatedAt: r.StartedAt}}
	page, err := review.NewEvidence(&ent.Site{Number: "1234567", Name: "Acme"}, r, []*ent.ReviewItem{it}).HTML()
	if err != nil {
		t.Fatal(err)
	}
	if want := "no item was still pending, so every decision below was taken one by one"; !strings.Contains(string(page), want) {
		t.Errorf("the page lacks %q:\n%s", want, page)
	}
	if strings.Contains(string(page), "kept by one bulk attestation") {
		t.Error("the page claims an attestation that kept nothing")
	}
}
