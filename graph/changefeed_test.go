package graph_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"sitekeeper/ent/auditevent"
	"sitekeeper/internal/changefeed"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/notify"
	"sitekeeper/internal/testkit/apitest"
	"sitekeeper/internal/testkit/sqlcount"
	"sitekeeper/internal/viewer"
)

const feedQuery = `query Feed($after: Cursor, $first: Int!) {
  contactRoleChanges(after: $after, first: $first) {
    pageInfo { hasNextPage endCursor }
    edges { cursor node { at kind changed contactId site { number } contact { email accessRole contactTypes status privileges { softwareAccess } } } }
  }
}`

type feedEntry struct {
	At        time.Time `json:"at"`
	Kind      string    `json:"kind"`
	Changed   []string  `json:"changed"`
	ContactID *string   `json:"contactId"`
	Site      struct {
		Number string `json:"number"`
	} `json:"site"`
	Contact *struct {
		Email      string   `json:"email"`
		AccessRole string   `json:"accessRole"`
		Types      []string `json:"contactTypes"`
		Status     string   `json:"status"`
	} `json:"contact"`
}

// feedPage reads one page of the change feed as token.
func feedPage(t *testing.T, e *apitest.Env, token string, after *string, first int) (entries []feedEntry, end *string, more bool) {
	t.Helper()
	var out struct {
		Changes struct {
			PageInfo struct {
				HasNextPage bool    `json:"hasNextPage"`
				EndCursor   *string `json:"endCursor"`
			} `json:"pageInfo"`
			Edges []struct {
				Node feedEntry `json:"node"`
			} `json:"edges"`
		} `json:"contactRoleChanges"`
	}
	vars := map[string]any{"first": first}
	if after != nil {
		vars["after"] = *after
	}
	e.Exec(token, feedQuery, vars).OK().Decode(&out)
	for _, edge := range out.Changes.Edges {
		entries = append(entries, edge.Node)
	}
	return entries, out.Changes.PageInfo.EndCursor, out.Changes.PageInfo.HasNextPage
}

// feedAll follows the feed from after to its end, first at a time, and returns the cursor to
// read from next.
func feedAll(t *testing.T, e *apitest.Env, token string, after *string, first int) ([]feedEntry, *string) {
	t.Helper()
	var all []feedEntry
	for {
		page, end, more := feedPage(t, e, token, after, first)
		all = append(all, page...)
		if end != nil {
			after = end
		}
		if !more {
			return all, after
		}
	}
}

// feedUntil reads the feed like feedAll until done accepts what it read, for up to 15 s. On
// PostgreSQL a change shows once every transaction older than its own has ended, anywhere on
// the server (the feed's commit order): other tests' transactions can hold it back a moment.
func feedUntil(t *testing.T, e *apitest.Env, token string, after *string, first int, done func([]feedEntry) bool) ([]feedEntry, *string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		entries, end := feedAll(t, e, token, after, first)
		if done(entries) || time.Now().After(deadline) {
			return entries, end
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// atLeast accepts n entries or more.
func atLeast(n int) func([]feedEntry) bool {
	return func(entries []feedEntry) bool { return len(entries) >= n }
}

// summary names each entry as kind, Site, contact and what changed, for comparing streams.
func summary(entries []feedEntry) []string {
	out := make([]string, len(entries))
	for i, en := range entries {
		s := en.Kind + " " + en.Site.Number
		if en.Contact != nil {
			s += " " + en.Contact.Email
		} else if en.ContactID != nil {
			s += " (contact gone)"
		}
		if len(en.Changed) > 0 {
			s += " " + strings.Join(en.Changed, ",")
		}
		out[i] = s
	}
	return out
}

func TestContactRoleChangesFollowTheGrantedSites(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	partner := e.PartnerToken(apitest.PartnerClient)
	primary := e.TokenFor(apitest.Primary)
	otherPrimary := e.TokenFor(apitest.OtherPrimary)

	// Before anything changes: the partner's feed holds its grant, not the contacts of the Site
	// as they were before it (a full read gives those), nor anything of Site B.
	start, cursor := feedUntil(t, e, partner, nil, 100, atLeast(1))
	if got, want := summary(start), []string{"ACCESS_GRANTED 1000001"}; !slices.Equal(got, want) {
		t.Fatalf("feed before changes:\n got %q\nwant %q", got, want)
	}

	userA := r.A.ContactID(apitest.UserA)
	userB := r.A.ContactID(apitest.UserB)
	version := r.A.Contacts[apitest.UserA].Version
	e.Exec(primary, `mutation($id:ID!,$v:Int!) { setPrivileges(id:$id, privileges:{reporting: VIEW}, expectedVersion:$v) { id } }`,
		map[string]any{"id": userA, "v": version}).OK()
	// Details alone are not what partners follow.
	e.Exec(primary, `mutation($id:ID!,$v:Int!) { updateContact(id:$id, input:{jobTitle:"Buyer"}, expectedVersion:$v) { id } }`,
		map[string]any{"id": userA, "v": version + 1}).OK()
	e.Exec(primary, `mutation($s:ID!,$c:ID!) { assignContactType(siteId:$s, type: BILLING, contactId:$c) { id } }`,
		map[string]any{"s": r.A.ID, "c": userB}).OK()
	var added struct {
		AddContact struct{ ID string } `json:"addContact"`
	}
	e.Exec(primary, `mutation($s:ID!) { addContact(input:{siteId:$s, accessRole: USER, businessJustification:"Orders media",
		details:{email:"new@x.example", firstName:"New", lastName:"Person", phone:"+1 914 555 0101", city:"Armonk", stateProvince:"NY", postalCode:"10504"}}) { id } }`,
		map[string]any{"s": r.A.ID}).OK().Decode(&added)
	e.Exec(primary, `mutation($id:ID!) { deactivateContact(id:$id) { id } }`, map[string]any{"id": userB}).OK()
	e.Exec(primary, `mutation($id:ID!) { deactivateContact(id:$id) { id } }`, map[string]any{"id": added.AddContact.ID}).OK()
	e.Exec(primary, `mutation($id:ID!) { removeContact(id:$id) }`, map[string]any{"id": added.AddContact.ID}).OK()
	// Site B is not the partner's.
	e.Exec(otherPrimary, `mutation($s:ID!) { addContact(input:{siteId:$s, accessRole: USER, businessJustification:"Orders media",
		details:{email:"b-user@x.example", firstName:"Bea", lastName:"User", phone:"+1 914 555 0102", city:"Armonk", stateProvince:"NY", postalCode:"10504"}}) { id } }`,
		map[string]any{"s": r.B.ID}).OK()

	want := []string{
		"CONTACT_CHANGED 1000001 user-a@x.example PRIVILEGES",
		"CONTACT_CHANGED 1000001 user-b@x.example CONTACT_TYPES",
		"CONTACT_ADDED 1000001 (contact gone)",
		"CONTACT_CHANGED 1000001 user-b@x.example STATUS",
		"CONTACT_CHANGED 1000001 (contact gone) STATUS",
		"CONTACT_REMOVED 1000001 (contact gone)",
	}
	changes, cursor := feedUntil(t, e, partner, cursor, 100, atLeast(len(want)))
	if got := summary(changes); !slices.Equal(got, want) {
		t.Fatalf("changes in order:\n got %q\nwant %q", got, want)
	}
	if *changes[2].ContactID != added.AddContact.ID || *changes[5].ContactID != added.AddContact.ID {
		t.Errorf("the added and removed contact is named by its id: %v, %v, want %s", *changes[2].ContactID, *changes[5].ContactID, added.AddContact.ID)
	}
	if c := changes[3].Contact; c.Status != "DEACTIVATED" || !slices.Contains(c.Types, "BILLING") {
		t.Errorf("the contact is as it is now: %+v", c)
	}
	for i := 1; i < len(changes); i++ {
		if changes[i].At.Before(changes[i-1].At) {
			t.Errorf("entry %d at %v is before entry %d at %v", i, changes[i].At, i-1, changes[i-1].At)
		}
	}

	// The same stream two at a time, from the start.
	paged, _ := feedUntil(t, e, partner, nil, 2, atLeast(len(start)+len(changes)))
	if got, want := summary(paged), summary(append(start, changes...)); !slices.Equal(got, want) {
		t.Errorf("paged two at a time:\n got %q\nwant %q", got, want)
	}

	// Field limits are a partner's: roles, not phones or addresses.
	res := e.Exec(partner, `{ contactRoleChanges(first: 10) { edges { node { contact { phone } } } } }`, nil)
	if res.Code() != "FORBIDDEN" {
		t.Errorf("a partner reading phone through the feed: code %q, want FORBIDDEN", res.Code())
	}

	// While granted, the Site is served as partners see it.
	e.Exec(partner, `{ contactRoleChanges(first: 100) { edges { node { site { number status reviewDueAt } } } } }`, nil).OK()

	// Revocation comes in the stream, and nothing of the Site after it.
	e.Exec(primary, `mutation($id:ID!) { revokePartnerAccess(id:$id) { id } }`, map[string]any{"id": r.PartnerGrant.ID}).OK()
	e.Exec(primary, `mutation($id:ID!) { reactivateContact(id:$id) { id } }`, map[string]any{"id": userB}).OK()
	after, cursor := feedUntil(t, e, partner, cursor, 100, atLeast(1))
	if got, want := summary(after), []string{"ACCESS_REVOKED 1000001"}; !slices.Equal(got, want) {
		t.Fatalf("after the revocation:\n got %q\nwant %q", got, want)
	}
	if again, _ := feedAll(t, e, partner, cursor, 100); len(again) != 0 {
		t.Errorf("read again from the last cursor: %q, want nothing", summary(again))
	}
	// Of the Site that left its view, the partner gets the identity only.
	res = e.Exec(partner, `{ contactRoleChanges(first: 100) { edges { node { site { id number name } } } } }`, nil).OK()
	if !strings.Contains(string(res.Data), `"number":"1000001"`) || !strings.Contains(string(res.Data), `"name":"Site 1000001"`) {
		t.Errorf("the revoked Site's identity: %s", res.Data)
	}
	for _, field := range []string{"customerNumber", "status", "city", "lastReviewedAt", "reviewDueAt",
		"contacts(first: 5) { totalCount }", "administrators { email }"} {
		res := e.Exec(partner, `{ contactRoleChanges(first: 100) { edges { node { site { number `+field+` } } } } }`, nil)
		if res.Code() != "FORBIDDEN" && res.Code() != "NOT_FOUND" {
			t.Errorf("site { %s } of a revoked Site: code %q, data %s", field, res.Code(), res.Data)
		}
	}
	res = e.Exec(partner, `{ contactRoleChanges(first: 100) { edges { node { site { primaryContact { email } } } } } }`, nil).OK()
	if strings.Contains(string(res.Data), "@") {
		t.Errorf("the revoked Site's primary contact: %s", res.Data)
	}
	// Earlier entries no longer show the contacts of a Site that left the partner's view.
	for _, en := range mustFeed(t, e, partner) {
		if en.Contact != nil {
			t.Errorf("%s shows a contact after the revocation", summary([]feedEntry{en}))
		}
	}

	// Another partner follows nothing of it; operators follow every Site.
	if other, _ := feedAll(t, e, e.PartnerToken(apitest.OtherPartnerClient), nil, 100); len(other) != 0 {
		t.Errorf("another partner's feed: %q, want nothing", summary(other))
	}
	all, _ := feedUntil(t, e, e.OperatorToken(), nil, 100, func(entries []feedEntry) bool {
		return slices.Contains(summary(entries), "CONTACT_ADDED 2000002 b-user@x.example")
	})
	if got := summary(all); !slices.Contains(got, "CONTACT_ADDED 2000002 b-user@x.example") ||
		!slices.Contains(got, "CONTACT_CHANGED 1000001 user-b@x.example STATUS") {
		t.Errorf("the operator's feed misses changes: %q", got)
	}
}

func mustFeed(t *testing.T, e *apitest.Env, token string) []feedEntry {
	all, _ := feedAll(t, e, token, nil, 100)
	return all
}

func TestContactRoleChangesRefusals(t *testing.T) {
	e := apitest.New(t)
	e.SeedRoster()
	query := `{ contactRoleChanges(first: 10) { edges { node { kind } } } }`
	for _, tc := range []struct{ who, token, code string }{
		{"anonymous", "", "UNAUTHENTICATED"},
		{"the PRIMARY", e.TokenFor(apitest.Primary), "FORBIDDEN"},
		{"a manager", e.TokenFor(apitest.SecManager), "FORBIDDEN"},
		{"a USER", e.TokenFor(apitest.UserA), "FORBIDDEN"},
		{"a person on no Site", e.TokenFor(apitest.Outsider), "FORBIDDEN"},
	} {
		if got := e.Exec(tc.token, query, nil).Code(); got != tc.code {
			t.Errorf("%s: code %q, want %s", tc.who, got, tc.code)
		}
	}
	// Below the directive, the feed's own rule gives a person nothing either.
	person := viewer.NewContext(t.Context(), &viewer.Viewer{UserID: 1, Email: apitest.Primary, EmailVerified: true})
	conn, err := changefeed.Read(person, e.Client, nil, 100)
	if err != nil {
		t.Fatalf("a person reading the feed past the directive: %v", err)
	}
	if len(conn.Edges) != 0 {
		t.Errorf("a person reading the feed past the directive: %d entries, want none", len(conn.Edges))
	}
	partner := e.PartnerToken(apitest.PartnerClient)
	for _, first := range []int{0, -1, 101} {
		if got := e.Exec(partner, `query($n:Int!) { contactRoleChanges(first: $n) { edges { cursor } } }`, map[string]any{"n": first}).Code(); got != "BAD_USER_INPUT" {
			t.Errorf("first: %d: code %q, want BAD_USER_INPUT", first, got)
		}
	}
	if got := e.Exec(partner, `{ contactRoleChanges(first: 1, after: "bm90IGEgY3Vyc29y") { edges { cursor } } }`, nil).Code(); got != "BAD_USER_INPUT" {
		t.Errorf("a malformed cursor: code %q, want BAD_USER_INPUT", got)
	}
}

func TestContactRoleChangesRecordPartnerReads(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	countReads := func() int {
		return e.Client.AuditEvent.Query().Where(auditevent.Action("read"), auditevent.SiteID(r.A.ID)).CountX(apitest.Sys())
	}
	before := countReads()
	feedPage(t, e, e.PartnerToken(apitest.PartnerClient), nil, 100)
	if got := countReads() - before; got != 1 {
		t.Errorf("a page of the feed on one Site wrote %d access events, want 1", got)
	}
}

// A grant that runs out is a revocation in the feed, written once by the expiry job, and a
// revocation of one of two active grants is none.
func TestExpiredGrantsLeaveTheFeed(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	sys := apitest.Sys()
	expiring := e.Client.PartnerGrant.Create().SetSiteID(r.B.ID).SetPartnerID(r.Partner.ID).
		SetGrantedBy(apitest.OtherPrimary).SetExpiresAt(time.Now().Add(time.Hour)).SaveX(sys)
	// A second grant on A, revoked while the first one still holds.
	second := e.Client.PartnerGrant.Create().SetSiteID(r.A.ID).SetPartnerID(r.Partner.ID).
		SetGrantedBy(apitest.Primary).SetExpiresAt(time.Now().Add(time.Hour)).SaveX(sys)
	e.Exec(e.TokenFor(apitest.Primary), `mutation($id:ID!) { revokePartnerAccess(id:$id) { id } }`, map[string]any{"id": second.ID}).OK()

	// Two instances find it due at once: one records it.
	later := time.Now().Add(2 * time.Hour)
	var wg sync.WaitGroup
	recorded := make([]int, 2)
	errs := make([]error, 2)
	for i := range 2 {
		wg.Go(func() {
			w := &notify.Worker{Client: e.Client, Now: func() time.Time { return later }}
			recorded[i], errs[i] = w.RecordExpiredGrants(t.Context())
		})
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil || recorded[0]+recorded[1] != 1 {
		t.Fatalf("two instances recorded %v (%v), want the one expiry once", recorded, errs)
	}
	w := &notify.Worker{Client: e.Client, Now: func() time.Time { return later }}
	if n, err := w.RecordExpiredGrants(t.Context()); n != 0 || err != nil {
		t.Fatalf("a later run recorded %d, %v; want nothing", n, err)
	}
	got := summary(mustFeed(t, e, e.PartnerToken(apitest.PartnerClient)))
	want := []string{"ACCESS_GRANTED 1000001", "ACCESS_GRANTED 2000002", "ACCESS_GRANTED 1000001", "ACCESS_REVOKED 2000002"}
	if !slices.Equal(got, want) {
		t.Errorf("feed:\n got %q\nwant %q", got, want)
	}
	if g := e.Client.PartnerGrant.GetX(sys, expiring.ID); g.ExpiryRecordedAt == nil || g.RevokedAt != nil {
		t.Errorf("the expired grant: recorded %v, revoked %v; want recorded, not revoked", g.ExpiryRecordedAt, g.RevokedAt)
	}
	if n := e.Client.AuditEvent.Query().Where(auditevent.Action("partnerAccessExpired"), auditevent.FeedEQ(domain.FeedAccessRevoked)).CountX(sys); n != 1 {
		t.Errorf("%d expiry events, want 1", n)
	}
}

// TestContactRoleChangesCostAConstantNumberOfStatements: a page of the feed costs the same
// statements for 2 entries as for 60, across several Sites: the changes, their Sites, their
// contacts, and the access events of the partner's reads.
func TestContactRoleChangesCostAConstantNumberOfStatements(t *testing.T) {
	client, sqlDB, counter := sqlcount.Open(t)
	e := apitest.NewWith(t, client, sqlDB)
	r := e.SeedRoster()
	sys := apitest.Sys()
	for i := range 3 {
		s := e.SeedSite(fmt.Sprintf("300000%d", i), apitest.Person{Email: fmt.Sprintf("p%d@x.example", i), Role: domain.RolePrimary, Privileges: domain.HighestPrivileges()})
		e.Client.PartnerGrant.Create().SetSiteID(s.ID).SetPartnerID(r.Partner.ID).SetGrantedBy("seed").
			SetExpiresAt(time.Now().AddDate(1, 0, 0)).SaveX(sys)
		for j := range 20 {
			e.Client.Contact.Create().SetSiteID(s.ID).SetEmail(fmt.Sprintf("u%d-%d@x.example", i, j)).
				SetFirstName("U").SetLastName("Ser").SetPhone("+1 914 555 0100").SetCity("Armonk").
				SetStateProvince("NY").SetPostalCode("10504").SetBusinessJustification("seed").
				SetAccessRole(domain.RoleUser).SaveX(sys)
		}
	}
	partner := e.PartnerToken(apitest.PartnerClient)
	measure := func(first int) (int, int) {
		counter.Reset()
		entries, _, _ := feedPage(t, e, partner, nil, first)
		return len(entries), counter.Count()
	}
	measure(1) // the partner's first call resolves its identity
	n2, small := measure(2)
	n60, large := measure(60)
	if n2 != 2 || n60 != 60 {
		// Say what the database holds and what the whole feed answers, to tell a missing row
		// from a misread one.
		events := e.Client.AuditEvent.Query().Where(auditevent.FeedNotNil()).CountX(sys)
		t.Fatalf("pages of %d and %d entries, want 2 and 60; %d feed events stored, the whole feed: %q",
			n2, n60, events, summary(mustFeed(t, e, partner)))
	}
	t.Logf("statements per page: %d (2 entries), %d (60 entries)", small, large)
	if small != large || large > 6 {
		t.Errorf("a page of 2 costs %d statements, a page of 60 costs %d; want the same, at most 6", small, large)
	}
}

// A grant's expiry given with any offset expires at that instant: times from the API are stored
// in UTC, so SQLite's comparison of stored times is one of instants.
func TestGrantExpiryGivenWithAnOffset(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	expires := time.Now().Add(time.Hour).Truncate(time.Second)
	e.Exec(e.TokenFor(apitest.OtherPrimary), `mutation($s:ID!,$p:ID!,$x:Time!) { grantPartnerAccess(siteId:$s, partnerId:$p, expiresAt:$x) { id } }`,
		map[string]any{"s": r.B.ID, "p": r.OtherPartner.ID, "x": expires.In(time.FixedZone("+14", 14*3600)).Format(time.RFC3339)}).OK()
	later := expires.Add(time.Minute)
	w := &notify.Worker{Client: e.Client, Now: func() time.Time { return later }}
	if n, err := w.RecordExpiredGrants(t.Context()); n != 1 || err != nil {
		t.Fatalf("a minute after its expiry the grant was recorded expired %d times (%v), want once", n, err)
	}
}

// One run of the expiry job records every grant that ran out, batch after batch.
func TestExpiredGrantsAreRecordedBatchAfterBatch(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	expires := time.Now().Add(time.Hour)
	for range 5 {
		e.Client.PartnerGrant.Create().SetSiteID(r.B.ID).SetPartnerID(r.OtherPartner.ID).
			SetGrantedBy(apitest.OtherPrimary).SetExpiresAt(expires).SaveX(apitest.Sys())
	}
	later := expires.Add(time.Minute)
	w := &notify.Worker{Client: e.Client, BatchSize: 2, Now: func() time.Time { return later }}
	if n, err := w.RecordExpiredGrants(t.Context()); n != 5 || err != nil {
		t.Fatalf("one run recorded %d expiries (%v), want the 5 due", n, err)
	}
}
