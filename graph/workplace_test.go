package graph_test

import (
	"strings"
	"testing"

	"sitekeeper/ent/auditevent"
	"sitekeeper/internal/testkit/apitest"
)

// Every ACTIVE contact sees who to ask: the names, emails and roles of the Site's PRIMARY and
// SECONDARY contacts, nothing more, and nobody else sees them.
func TestEveryContactSeesWhoToAsk(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	const q = `query($n:String!) { site(number:$n) { administrators { firstName lastName email accessRole } } }`
	var out struct {
		Site struct {
			Administrators []struct{ Email, AccessRole string }
		}
	}
	e.Exec(e.TokenFor(apitest.UserA), q, map[string]any{"n": r.A.Number}).OK().Decode(&out)
	var got []string
	for _, a := range out.Site.Administrators {
		got = append(got, a.AccessRole+" "+a.Email)
	}
	want := "PRIMARY primary@x.example, SECONDARY sec-editor@x.example, SECONDARY sec-manager@x.example, SECONDARY sec-none@x.example, SECONDARY sec-viewer@x.example"
	if strings.Join(got, ", ") != want {
		t.Fatalf("a USER's administrators:\n got %s\nwant %s", strings.Join(got, ", "), want)
	}
	for _, who := range []string{apitest.SecNone, apitest.Primary} {
		e.Exec(e.TokenFor(who), q, map[string]any{"n": r.A.Number}).OK()
	}
	e.Exec(e.PartnerToken(apitest.PartnerClient), q, map[string]any{"n": r.A.Number}).OK()
	// Nothing beyond the card: the same rows through node stay hidden from a USER.
	res := e.Exec(e.TokenFor(apitest.UserA), `query($id:ID!) { node(id:$id) { ... on Contact { phone email } } }`,
		map[string]any{"id": r.A.ContactID(apitest.Primary)})
	if strings.Contains(string(res.Data), "primary@x.example") || strings.Contains(string(res.Data), "555") {
		t.Fatalf("a USER read the PRIMARY's record: %s", res.Data)
	}
	// Another Site's PRIMARY and a stranger see no Site, so no administrators.
	for _, who := range []string{apitest.OtherPrimary, apitest.Outsider} {
		res := e.Exec(e.TokenFor(who), q, map[string]any{"n": r.A.Number})
		if strings.Contains(string(res.Data), "@x.example") {
			t.Fatalf("%s read Site A's administrators: %s", who, res.Data)
		}
	}
	res = e.Exec(e.TokenFor(apitest.OtherPrimary), `query($id:ID!) { node(id:$id) { ... on Site { administrators { email } } } }`, map[string]any{"id": r.A.ID})
	if strings.Contains(string(res.Data), "@x.example") {
		t.Fatalf("another Site's PRIMARY read the administrators through node: %s", res.Data)
	}
}

// A person without a Site sees their own requests and what was decided.
func TestRequestersSeeTheirRequests(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	outsider := e.TokenFor(apitest.Outsider)
	var req struct{ RequestAccess struct{ ID string } }
	e.Exec(outsider, `mutation($n:String!) { requestAccess(siteNumber:$n, justification:"I run the servers") { id } }`,
		map[string]any{"n": r.A.Number}).OK().Decode(&req)
	e.Exec(outsider, `mutation { requestAccess(siteNumber:"9999999", justification:"Guessing") { id } }`, nil).OK()
	e.Exec(e.TokenFor(apitest.Primary), `mutation($id:ID!) { decideAccessRequest(id:$id, grant:false, reason:"Not our contractor") { id } }`,
		map[string]any{"id": req.RequestAccess.ID}).OK()
	var out struct {
		Viewer struct {
			AccessRequests []struct{ SiteNumber, Status, Reason string }
		}
	}
	e.Exec(outsider, `{ viewer { accessRequests { siteNumber status reason } } }`, nil).OK().Decode(&out)
	if len(out.Viewer.AccessRequests) != 2 || out.Viewer.AccessRequests[0].SiteNumber != "9999999" ||
		out.Viewer.AccessRequests[1].Status != "DENIED" || out.Viewer.AccessRequests[1].Reason != "Not our contractor" {
		t.Fatalf("the requester's own requests: %+v", out.Viewer.AccessRequests)
	}
	// Nobody else's.
	e.Exec(e.TokenFor(apitest.UserA), `{ viewer { accessRequests { siteNumber } } }`, nil).OK().Decode(&out)
	if len(out.Viewer.AccessRequests) != 0 {
		t.Fatalf("a USER sees others' requests: %+v", out.Viewer.AccessRequests)
	}
}

// The audit log names its targets and says when a person signed in for the first time.
func TestAuditEventsNameTheirTargets(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	primary := e.TokenFor(apitest.Primary)
	e.Exec(primary, `mutation($id:ID!) { updateContact(id:$id, expectedVersion:2, input:{jobTitle:"Buyer"}) { id } }`,
		map[string]any{"id": r.A.ContactID(apitest.UserB)}).OK()
	var out struct {
		Site struct {
			AuditEvents struct {
				Edges []struct {
					Node struct{ Action, TargetType, TargetLabel, Actor string }
				}
			}
		}
	}
	e.Exec(primary, `query($n:String!) { site(number:$n) { auditEvents(first:5, where:{person:"first user-b"}, orderBy:{field:CREATED_AT, direction:DESC}) {
		edges { node { action targetType targetLabel actor } } } } }`, map[string]any{"n": r.A.Number}).OK().Decode(&out)
	edges := out.Site.AuditEvents.Edges
	if len(edges) != 3 || edges[0].Node.Action != "updateContact" || edges[0].Node.TargetLabel != "First user-b" ||
		edges[1].Node.Action != "firstSignIn" || edges[1].Node.Actor != "system" {
		t.Fatalf("user-b's history: %+v", edges)
	}
	if n, _ := e.Client.AuditEvent.Query().Where(auditevent.TargetType("Contact"), auditevent.TargetLabelIsNil()).Count(apitest.Sys()); n != 0 {
		t.Fatalf("%d contact events without a name", n)
	}
}
