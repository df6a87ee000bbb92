package graph_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"

	"sitekeeper/ent"
	"sitekeeper/ent/auditevent"
	"sitekeeper/internal/benchseed"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/testkit/apitest"
	"sitekeeper/internal/viewer"
)

func TestOnlyThePrimaryEditsThePrimarysRecord(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	vars := map[string]any{"id": r.A.ContactID(apitest.Primary)}
	const edit = `mutation($id:ID!, $v:Int!) { updateContact(id:$id, expectedVersion:$v, input:{jobTitle:"Owner"}) { jobTitle version } }`

	vars["v"] = 2
	res := e.Exec(e.TokenFor(apitest.SecEditor), edit, vars)
	if res.Code() != "FORBIDDEN" {
		t.Fatalf("a SECONDARY with contactUpdates UPDATE edited the PRIMARY's record: %s %+v", res.Data, res.Errors)
	}
	var out struct {
		UpdateContact struct {
			JobTitle string
			Version  int
		}
	}
	e.Exec(e.TokenFor(apitest.Primary), edit, vars).OK().Decode(&out)
	if out.UpdateContact.JobTitle != "Owner" || out.UpdateContact.Version != 3 {
		t.Fatalf("the PRIMARY's own edit: %+v", out)
	}
}

func TestNobodyGrantsAboveTheirOwnLevelOrToThemselves(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	const set = `mutation($id:ID!, $p:PrivilegesInput!) { setPrivileges(id:$id, expectedVersion:2, privileges:$p) { privileges { softwareAccess manageAccess } } }`
	cases := []struct {
		name, actor, target string
		privileges          map[string]any
		code                string
		fields              []string
	}{
		{"above own softwareAccess", apitest.SecManager, apitest.UserA, map[string]any{"softwareAccess": "FULL"}, "FORBIDDEN", []string{"softwareAccess"}},
		{"above own entitlements", apitest.SecManager, apitest.UserA, map[string]any{"entitlements": "UPDATE", "accountDocuments": "VIEW"}, "FORBIDDEN", []string{"entitlements"}},
		{"to oneself", apitest.SecManager, apitest.SecManager, map[string]any{"reporting": "NONE"}, "FORBIDDEN", nil},
		{"a SECONDARY's, not being the PRIMARY", apitest.SecManager, apitest.SecNone, map[string]any{"reporting": "VIEW"}, "FORBIDDEN", nil},
		{"the PRIMARY's, even by the PRIMARY", apitest.Primary, apitest.Primary, map[string]any{"softwareAccess": "NONE"}, "FORBIDDEN", nil},
		{"without manageAccess UPDATE", apitest.SecEditor, apitest.UserA, map[string]any{"reporting": "VIEW"}, "FORBIDDEN", nil},
	}
	for _, tc := range cases {
		before := e.Dump()
		res := e.Exec(e.TokenFor(tc.actor), set, map[string]any{"id": r.A.ContactID(tc.target), "p": tc.privileges})
		if res.Code() != tc.code {
			t.Errorf("%s: want %s, got %s %+v", tc.name, tc.code, res.Data, res.Errors)
			continue
		}
		if tc.fields != nil && !slices.Equal(res.Errors[0].Extensions.Fields, tc.fields) {
			t.Errorf("%s: fields %v, want %v", tc.name, res.Errors[0].Extensions.Fields, tc.fields)
		}
		if e.Dump() != before {
			t.Errorf("%s: refused change altered the database", tc.name)
		}
	}
	// Within the granter's own levels it works.
	var out struct {
		SetPrivileges struct {
			Privileges struct{ SoftwareAccess, ManageAccess string }
		}
	}
	e.Exec(e.TokenFor(apitest.SecManager), set, map[string]any{"id": r.A.ContactID(apitest.UserA),
		"p": map[string]any{"softwareAccess": "DOWNLOADS", "manageAccess": "UPDATE"}}).OK().Decode(&out)
	if out.SetPrivileges.Privileges.SoftwareAccess != "DOWNLOADS" || out.SetPrivileges.Privileges.ManageAccess != "UPDATE" {
		t.Fatalf("grant within own levels: %+v", out)
	}
}

func TestSecondaryContactsBelongToThePrimary(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	add := func(token, email, role string) *apitest.Result {
		return e.Exec(token, `mutation($site:ID!, $email:String!, $role:AccessRole!) { addContact(input:{siteId:$site, accessRole:$role,
			businessJustification:"backup", details:{email:$email, firstName:"A", lastName:"B", phone:"+1 914 555 0100", city:"C", stateProvince:"S", postalCode:"P"}}) { id status accessRole } }`,
			map[string]any{"site": r.A.ID, "email": email, "role": role})
	}
	if res := add(e.TokenFor(apitest.SecManager), "s5@x.example", "SECONDARY"); res.Code() != "FORBIDDEN" {
		t.Fatalf("a manager created a SECONDARY: %s %+v", res.Data, res.Errors)
	}
	if res := add(e.TokenFor(apitest.Primary), "s5@x.example", "SECONDARY"); res.Code() != "CONFLICT" {
		t.Fatalf("a 5th SECONDARY: want CONFLICT, got %s %+v", res.Data, res.Errors)
	}
	if res := add(e.TokenFor(apitest.Primary), "p2@x.example", "PRIMARY"); res.Code() != "FORBIDDEN" && res.Code() != "BAD_USER_INPUT" {
		t.Fatalf("a second PRIMARY: %s %+v", res.Data, res.Errors)
	}
	promote := `mutation($id:ID!) { setAccessRole(id:$id, accessRole:SECONDARY) { accessRole } }`
	if res := e.Exec(e.TokenFor(apitest.Primary), promote, map[string]any{"id": r.A.ContactID(apitest.UserA)}); res.Code() != "CONFLICT" {
		t.Fatalf("promoting to a 5th SECONDARY: %s %+v", res.Data, res.Errors)
	}
	// Below the cap the PRIMARY may add one; the invitation starts INVITED.
	e.Exec(e.TokenFor(apitest.Primary), `mutation($id:ID!) { setAccessRole(id:$id, accessRole:USER) { accessRole } }`,
		map[string]any{"id": r.A.ContactID(apitest.SecNone)}).OK()
	var out struct {
		AddContact struct{ Status, AccessRole string }
	}
	add(e.TokenFor(apitest.Primary), "s5@x.example", "SECONDARY").OK().Decode(&out)
	if out.AddContact.Status != "INVITED" || out.AddContact.AccessRole != "SECONDARY" {
		t.Fatalf("new SECONDARY: %+v", out)
	}
}

func TestNodesOfAnotherSiteAnswerNull(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	token := e.TokenFor(apitest.OtherPrimary)
	res := e.Exec(token, `query($id:ID!, $ids:[ID!]!) { node(id:$id) { id ... on Contact { email phone } }
		nodes(ids:$ids) { id ... on Contact { email } } }`,
		map[string]any{"id": r.A.ContactID(apitest.Primary), "ids": []int{r.A.ContactID(apitest.UserA), r.A.ID, r.B.ContactID(apitest.OtherPrimary)}})
	var out struct {
		Node  map[string]any
		Nodes []map[string]any
	}
	res.Decode(&out)
	if out.Node != nil || len(out.Nodes) != 3 || out.Nodes[0] != nil || out.Nodes[1] != nil || out.Nodes[2]["email"] != apitest.OtherPrimary {
		t.Fatalf("another Site's records leaked: %s", res.Data)
	}
	for _, err := range res.Errors {
		if err.Extensions.Code == "FORBIDDEN" {
			t.Fatalf("answer hints that the records exist: %+v", res.Errors)
		}
	}
	// A nested edge cannot reach them either.
	res = e.Exec(token, `{ viewer { contacts { site { number contacts(first:50) { edges { node { email } } } } } } }`, nil).OK()
	if got := string(res.Data); slices.ContainsFunc([]string{apitest.Primary, apitest.UserA}, func(s string) bool { return strings.Contains(got, `"`+s+`"`) }) {
		t.Fatalf("nested edge leaked Site A's contacts: %s", got)
	}
}

func TestPartnersReadRolesOnly(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	token := e.PartnerToken(apitest.PartnerClient)
	res := e.Exec(token, `query($n:String!) { site(number:$n) { contacts(first:20) { edges { node { email accessRole contactTypes privileges { manageAccess } } } } } }`,
		map[string]any{"n": r.A.Number}).OK()
	if strings.Count(string(res.Data), "@x.example") != 7 {
		t.Fatalf("partner with a grant should read the 7 contact roles: %s", res.Data)
	}
	res = e.Exec(token, `query($id:ID!) { node(id:$id) { ... on Contact { email phone } } }`, map[string]any{"id": r.A.ContactID(apitest.UserA)})
	if res.Code() != "FORBIDDEN" || strings.Contains(string(res.Data), "555") {
		t.Fatalf("partner read a phone number: %s %+v", res.Data, res.Errors)
	}
	// The data layer blanks the details for partners whatever path loads them.
	ctx := viewer.NewContext(context.Background(), &viewer.Viewer{PartnerID: r.Partner.ID, PartnerGrants: viewer.GrantsOf(r.A.ID)})
	contacts, err := e.Client.Contact.Query().All(ctx)
	if err != nil || len(contacts) != 7 {
		t.Fatalf("partner query: %d contacts, %v", len(contacts), err)
	}
	for _, c := range contacts {
		if c.Phone != "" || c.City != "" || c.BusinessJustification != "" {
			t.Fatalf("details loaded for a partner: %+v", c)
		}
	}
	if n, _ := e.Client.Contact.Query().Count(viewer.NewContext(context.Background(), &viewer.Viewer{PartnerID: r.OtherPartner.ID})); n != 0 {
		t.Fatalf("partner without a grant counts %d contacts", n)
	}
}

func TestPartnerReadsAreAudited(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	before, _ := e.Client.AuditEvent.Query().Count(apitest.Sys())
	e.Exec(e.PartnerToken(apitest.PartnerClient), `query Roles($n:String!) { site(number:$n) { contacts(first:5) { edges { node { email } } } } }`,
		map[string]any{"n": r.A.Number}).OK()
	events, err := e.Client.AuditEvent.Query().Order(ent.Desc("id")).Limit(1).All(apitest.Sys())
	must(err)
	after, _ := e.Client.AuditEvent.Query().Count(apitest.Sys())
	ev := events[0]
	if after != before+1 || ev.Action != "read" || ev.ActorKind != domain.ActorPartner || ev.Actor != "Reseller One" ||
		ev.SiteID == nil || *ev.SiteID != r.A.ID || ev.After["operation"] != "Roles" {
		t.Fatalf("partner read not audited: %d -> %d, %+v", before, after, ev)
	}
	// Reached through node, with only a column that is not its Site's, a contact still counts.
	e.Exec(e.PartnerToken(apitest.PartnerClient), `query One($id:ID!) { node(id:$id) { ... on Contact { email } } }`,
		map[string]any{"id": r.A.ContactID(apitest.UserA)}).OK()
	events, err = e.Client.AuditEvent.Query().Order(ent.Desc("id")).Limit(1).All(apitest.Sys())
	must(err)
	if ev := events[0]; ev.Action != "read" || ev.SiteID == nil || *ev.SiteID != r.A.ID || ev.After["operation"] != "One" {
		t.Fatalf("partner read through node not audited: %+v", ev)
	}
	after++
	// People's reads are not access events.
	e.Exec(e.TokenFor(apitest.Primary), `query($n:String!) { site(number:$n) { name } }`, map[string]any{"n": r.A.Number}).OK()
	if n, _ := e.Client.AuditEvent.Query().Count(apitest.Sys()); n != after {
		t.Fatalf("a person's read wrote %d audit events", n-after)
	}
}

// Access events are written by one hand-built statement: each row must be the row ent would
// write for the same event, column for column and in the same storage types.
func TestAccessEventsAreTheRowsEntWrites(t *testing.T) {
	e := apitest.New(t)
	token := seedPartnerSync(t, e, benchseed.Options{Sites: 6, ContactsPerSite: 3, LargeSites: 1, LargeSiteContacts: 3, PartnerSites: 6})
	var out struct {
		Sites struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	e.Exec(token, `query Roles { sites(first:10, orderBy:{field:NAME, direction:DESC}) { edges { node { id } } } }`, nil).OK().Decode(&out)
	reads, err := e.Client.AuditEvent.Query().Where(auditevent.Action("read")).Order(ent.Asc(auditevent.FieldID)).All(apitest.Sys())
	must(err)
	if len(reads) < 2 || len(reads) != len(out.Sites.Edges) {
		t.Fatalf("%d access events for %d Sites read", len(reads), len(out.Sites.Edges))
	}
	row := func(id int) map[string]string {
		rows, err := e.Query(`SELECT * FROM audit_events WHERE id = ?`, id)
		must(err)
		defer rows.Close()
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if !rows.Next() {
			t.Fatalf("no audit event %d", id)
		}
		must(rows.Scan(ptrs...))
		out := map[string]string{}
		for i, c := range cols {
			// The id is the row's own; xact is the writing transaction's (PostgreSQL).
			if c != "id" && c != "xact" {
				out[c] = fmt.Sprintf("%T %v", vals[i], vals[i])
			}
		}
		return out
	}
	for i, read := range reads {
		// In the order the Sites were read.
		if want := out.Sites.Edges[i].Node.ID; strconv.Itoa(*read.SiteID) != want || read.TargetID != *read.SiteID {
			t.Fatalf("access event %d is of Site %d (target %d), want %s", i, *read.SiteID, read.TargetID, want)
		}
		if read.ClientAddress == "" || read.After["operation"] != "Roles" || read.ActorKind != domain.ActorPartner {
			t.Fatalf("the access event lacks the request: %+v", read)
		}
		byEnt, err := e.Client.AuditEvent.Create().
			SetCreatedAt(read.CreatedAt).SetActorKind(read.ActorKind).SetActor(read.Actor).
			SetAction(read.Action).SetTargetType(read.TargetType).SetTargetID(read.TargetID).SetSiteID(*read.SiteID).
			SetAfter(read.After).SetRequestID(read.RequestID).SetClientAddress(read.ClientAddress).
			Save(apitest.Sys())
		must(err)
		if got, want := row(read.ID), row(byEnt.ID); !maps.Equal(got, want) {
			t.Fatalf("the access event's row\n%v\nent writes\n%v", got, want)
		}
	}
}

// A partner's count or filter leaves the same trace as a read of rows: one access event per
// Site it counted or matched.
func TestPartnerCountsAndFiltersAreAudited(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	token := e.PartnerToken(apitest.PartnerClient)
	reads := func() []*ent.AuditEvent {
		events, err := e.Client.AuditEvent.Query().Where(auditevent.Action("read")).Order(ent.Asc("id")).All(apitest.Sys())
		must(err)
		return events
	}
	for _, tc := range []struct{ name, query string }{
		{"CountSites", `query CountSites { sites(first:1) { totalCount } }`},
		{"ProbeSites", `query ProbeSites { sites(first:1, where:{nameContainsFold:"site 1000"}) { totalCount } }`},
		{"NodeID", `query NodeID($id:ID!) { node(id:$id) { id } }`},
	} {
		before := len(reads())
		e.Exec(token, tc.query, map[string]any{"id": r.A.ContactID(apitest.UserA)}).OK()
		events := reads()
		if len(events) != before+1 {
			t.Fatalf("%s: %d access events, want 1", tc.name, len(events)-before)
		}
		if ev := events[len(events)-1]; ev.SiteID == nil || *ev.SiteID != r.A.ID || ev.After["operation"] != tc.name || ev.ActorKind != domain.ActorPartner {
			t.Fatalf("%s: %+v", tc.name, ev)
		}
	}
	// A count of contacts through the Site's connection names the Site too.
	before := len(reads())
	e.Exec(token, `query Count($n:String!) { site(number:$n) { contacts(first:1, where:{accessRole:PRIMARY}) { totalCount } } }`,
		map[string]any{"n": r.A.Number}).OK()
	if n := len(reads()) - before; n != 1 {
		t.Fatalf("a contact count left %d access events, want 1", n)
	}
	// What matches nothing read no Site.
	before = len(reads())
	e.Exec(token, `{ sites(first:1, where:{nameContainsFold:"no such site"}) { totalCount } }`, nil).OK()
	if n := len(reads()) - before; n != 0 {
		t.Fatalf("a count of nothing left %d access events", n)
	}
}
