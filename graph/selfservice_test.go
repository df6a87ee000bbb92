package graph_test

import (
	"strings"
	"testing"
	"time"

	"sitekeeper/internal/domain"
	"sitekeeper/internal/testkit/apitest"
)

const invite = `mutation($site:ID!, $email:String!, $days:Int) { addContact(input:{siteId:$site, accessRole:USER,
	businessJustification:"orders media", invitationDays:$days,
	details:{email:$email, firstName:"Ivy", lastName:"Invitee", phone:"+1 914 555 0142", city:"Austin", stateProvince:"TX", postalCode:"73301"}}) {
	id status invitationExpiresAt invitationExpired } }`

func TestInvitationLifecycle(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	primary := e.TokenFor(apitest.Primary)
	for _, days := range []int{0, 31} {
		if res := e.Exec(primary, invite, map[string]any{"site": r.A.ID, "email": "ivy@x.example", "days": days}); res.Code() != "BAD_USER_INPUT" {
			t.Fatalf("%d-day invitation: %+v", days, res.Errors)
		}
	}
	var added struct {
		AddContact struct {
			ID                  string
			Status              string
			InvitationExpiresAt time.Time
		}
	}
	e.Exec(primary, invite, map[string]any{"site": r.A.ID, "email": "ivy@x.example"}).OK().Decode(&added)
	if added.AddContact.Status != "INVITED" || time.Until(added.AddContact.InvitationExpiresAt) < 6*24*time.Hour {
		t.Fatalf("new invitation: %+v", added)
	}
	id := added.AddContact.ID

	// An invitee whose invitation ran out gets no access when signing in.
	_, err := e.Client.Contact.UpdateOneID(atoi(id)).SetInvitationExpiresAt(time.Now().Add(-time.Hour)).Save(apitest.Sys())
	must(err)
	var seen struct {
		Node struct{ InvitationExpired bool }
	}
	e.Exec(primary, `query($id:ID!){ node(id:$id) { ... on Contact { invitationExpired } } }`, map[string]any{"id": id}).OK().Decode(&seen)
	if !seen.Node.InvitationExpired {
		t.Fatal("an expired invitation is not shown as such")
	}
	ivy := e.TokenFor("ivy@x.example")
	if res := e.Exec(ivy, `{ viewer { contacts { id } } }`, nil).OK(); strings.Contains(string(res.Data), id) {
		t.Fatalf("an expired invitation gave access: %s", res.Data)
	}
	// Resent, it works: signing in activates and links the contact.
	e.Exec(primary, `mutation($id:ID!){ resendInvitation(id:$id, days:3) { invitationExpired } }`, map[string]any{"id": id}).OK()
	var me struct {
		Viewer struct{ Contacts []struct{ ID, Status string } }
	}
	e.Exec(e.TokenFor("ivy@x.example", map[string]any{"sub": "sub-ivy-2"}), `{ viewer { contacts { id status } } }`, nil).OK().Decode(&me)
	if len(me.Viewer.Contacts) != 1 || me.Viewer.Contacts[0].ID != id || me.Viewer.Contacts[0].Status != "ACTIVE" {
		t.Fatalf("resent invitation not activated at sign-in: %+v", me)
	}
	if res := e.Exec(primary, `mutation($id:ID!){ revokeInvitation(id:$id) }`, map[string]any{"id": id}); res.Code() != "CONFLICT" {
		t.Fatalf("revoking an accepted invitation: %+v", res.Errors)
	}
	// Revoking a pending invitation removes it; a USER may not.
	e.Exec(primary, invite, map[string]any{"site": r.A.ID, "email": "jo@x.example"}).OK().Decode(&added)
	if res := e.Exec(e.TokenFor(apitest.UserA), `mutation($id:ID!){ revokeInvitation(id:$id) }`, map[string]any{"id": added.AddContact.ID}); res.Code() != "FORBIDDEN" {
		t.Fatalf("USER revoked an invitation: %+v", res.Errors)
	}
	e.Exec(primary, `mutation($id:ID!){ revokeInvitation(id:$id) }`, map[string]any{"id": added.AddContact.ID}).OK()
	if n, _ := e.Client.Contact.Query().Count(apitest.Sys()); n != 9 {
		t.Fatalf("%d contacts after the revocation, want 9", n)
	}
}

func TestAccessRequests(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	newcomer := e.SignIn("newcomer@x.example")
	request := `mutation($n:String!, $d:ContactDetailsInput) { requestAccess(siteNumber:$n, justification:"I buy the renewals", details:$d) { id status siteNumber site { id } } }`
	details := map[string]any{"email": "newcomer@x.example", "firstName": "Nia", "lastName": "Newcomer", "phone": "+1 914 555 0177", "city": "Reno", "stateProvince": "NV", "postalCode": "89501"}

	known := e.Exec(newcomer, request, map[string]any{"n": r.A.Number, "d": details}).OK()
	unknown := e.Exec(newcomer, request, map[string]any{"n": "9999999"}).OK()
	shape := func(res *apitest.Result) string {
		var out struct {
			RequestAccess struct {
				Status, SiteNumber string
				Site               any
			}
		}
		res.Decode(&out)
		return out.RequestAccess.Status + "|" + strings.Repeat("#", len(out.RequestAccess.SiteNumber)) + "|" + strings.TrimSpace(func() string {
			if out.RequestAccess.Site == nil {
				return "null"
			}
			return "site"
		}())
	}
	if shape(known) != shape(unknown) {
		t.Fatalf("the answer tells which numbers exist: %s vs %s", known.Data, unknown.Data)
	}
	if res := e.Exec(newcomer, request, map[string]any{"n": r.A.Number}); res.Code() != "CONFLICT" {
		t.Fatalf("a second pending request: %+v", res.Errors)
	}
	if res := e.Exec(e.TokenFor(apitest.UserA), request, map[string]any{"n": r.A.Number}); res.Code() != "CONFLICT" {
		t.Fatalf("a contact asked for access: %+v", res.Errors)
	}

	var list struct {
		Site struct {
			AccessRequests struct {
				Edges []struct {
					Node struct {
						ID, Email string
						Details   struct{ Phone string }
					}
				}
			}
		}
	}
	e.Exec(e.TokenFor(apitest.SecManager), `query($n:String!){ site(number:$n) { accessRequests(first:10, where:{status:PENDING}) {
		edges { node { id email details { phone } } } } } }`, map[string]any{"n": r.A.Number}).OK().Decode(&list)
	if len(list.Site.AccessRequests.Edges) != 1 || list.Site.AccessRequests.Edges[0].Node.Details.Phone != "+1 914 555 0177" {
		t.Fatalf("managers' pending list: %+v", list)
	}
	reqID := list.Site.AccessRequests.Edges[0].Node.ID
	decide := `mutation($id:ID!, $grant:Boolean!, $reason:String, $p:PrivilegesInput) { decideAccessRequest(id:$id, grant:$grant, reason:$reason, privileges:$p) { status reason } }`
	if res := e.Exec(e.TokenFor(apitest.SecManager), decide, map[string]any{"id": reqID, "grant": false}); res.Code() != "BAD_USER_INPUT" {
		t.Fatalf("deny without a reason: %+v", res.Errors)
	}
	if res := e.Exec(e.TokenFor(apitest.SecManager), decide, map[string]any{"id": reqID, "grant": true, "p": map[string]any{"softwareAccess": "FULL"}}); res.Code() != "FORBIDDEN" {
		t.Fatalf("grant above the manager's own level: %+v", res.Errors)
	}
	e.Exec(e.TokenFor(apitest.SecManager), decide, map[string]any{"id": reqID, "grant": true, "p": map[string]any{"softwareAccess": "DOWNLOADS"}}).OK()
	if res := e.Exec(e.TokenFor(apitest.Primary), decide, map[string]any{"id": reqID, "grant": false, "reason": "changed my mind"}); res.Code() != "CONFLICT" {
		t.Fatalf("deciding twice: %+v", res.Errors)
	}
	var me struct {
		Viewer struct {
			Contacts []struct {
				Status         string
				MissingDetails []string
				Privileges     struct{ SoftwareAccess string }
				Site           struct{ Number string }
			}
		}
	}
	e.Exec(newcomer, `{ viewer { contacts { status missingDetails privileges { softwareAccess } site { number } } } }`, nil).OK().Decode(&me)
	if len(me.Viewer.Contacts) != 1 || me.Viewer.Contacts[0].Site.Number != r.A.Number || me.Viewer.Contacts[0].Status != "ACTIVE" ||
		len(me.Viewer.Contacts[0].MissingDetails) != 0 || me.Viewer.Contacts[0].Privileges.SoftwareAccess != "DOWNLOADS" {
		t.Fatalf("granted requester: %+v", me)
	}

	// Requests expire after 30 days and can no longer be decided.
	other := e.SignIn("late@x.example")
	var late struct{ RequestAccess struct{ ID string } }
	e.Exec(other, request, map[string]any{"n": r.A.Number}).OK().Decode(&late)
	_, err := e.Client.AccessRequest.Update().SetStatus(domain.RequestPending).Save(apitest.Sys())
	must(err)
	_, err = e.Client.ExecContext(apitest.Sys(), e.Rebind("UPDATE access_requests SET expires_at = ? WHERE id = ?"), time.Now().Add(-time.Minute), atoi(late.RequestAccess.ID))
	must(err)
	if res := e.Exec(e.TokenFor(apitest.Primary), decide, map[string]any{"id": late.RequestAccess.ID, "grant": true}); res.Code() != "CONFLICT" {
		t.Fatalf("deciding an expired request: %+v", res.Errors)
	}
}

func TestStaleContactsFilter(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	_, err := e.Client.Contact.UpdateOneID(r.A.ContactID(apitest.UserB)).SetLastSignInAt(time.Now().AddDate(0, 0, -91)).Save(apitest.Sys())
	must(err)
	e.Exec(e.TokenFor(apitest.Primary), invite, map[string]any{"site": r.A.ID, "email": "gone@x.example"}).OK()
	_, err = e.Client.ExecContext(apitest.Sys(), e.Rebind("UPDATE contacts SET invitation_expires_at = ? WHERE email = 'gone@x.example'"), time.Now().Add(-time.Hour))
	must(err)
	var out struct {
		Site struct {
			Contacts struct {
				Edges []struct{ Node struct{ Email string } }
			}
		}
	}
	e.Exec(e.TokenFor(apitest.Primary), `query($n:String!){ site(number:$n) { contacts(first:50, where:{stale:true}) { edges { node { email } } } } }`,
		map[string]any{"n": r.A.Number}).OK().Decode(&out)
	var got []string
	for _, edge := range out.Site.Contacts.Edges {
		got = append(got, edge.Node.Email)
	}
	if strings.Join(got, ",") != apitest.UserB+",gone@x.example" {
		t.Fatalf("stale contacts: %v", got)
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}
