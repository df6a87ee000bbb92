package graph_test

import (
	"strings"
	"testing"

	"sitekeeper/ent"
	"sitekeeper/ent/contact"
	"sitekeeper/ent/notification"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/testkit/apitest"
)

const notifyInvite = `mutation($site:ID!, $email:String!) { addContact(input:{siteId:$site, accessRole:USER,
	businessJustification:"orders media",
	details:{email:$email, firstName:"Ivy", lastName:"Invitee", phone:"+1 914 555 0142", city:"Austin", stateProvince:"TX", postalCode:"73301"}}) { id } }`

// outbox lists the notifications of one kind, oldest first.
func outbox(t *testing.T, e *apitest.Env, kind domain.NotificationKind) []*ent.Notification {
	t.Helper()
	all, err := e.Client.Notification.Query().Where(notification.KindEQ(kind)).
		Order(ent.Asc(notification.FieldID)).All(apitest.Sys())
	if err != nil {
		t.Fatal(err)
	}
	return all
}

func TestNotifyInvitationWithTheChange(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	primary := e.TokenFor(apitest.Primary)

	e.Exec(primary, notifyInvite, map[string]any{"site": r.A.ID, "email": "ivy@x.example"}).OK()
	sent := outbox(t, e, domain.NotifyInvitation)
	if len(sent) != 1 {
		t.Fatalf("%d invitations, want 1", len(sent))
	}
	n := sent[0]
	if n.Recipient != "ivy@x.example" || n.Status != domain.DeliveryPending || n.SiteID == nil || *n.SiteID != r.A.ID {
		t.Fatalf("invitation: %+v", n)
	}
	if n.Subject != "Invitation to Site Site 1000001 (1000001) in Sitekeeper" ||
		!strings.Contains(n.Body, "Hello Ivy Invitee,") ||
		!strings.Contains(n.Body, "primary@x.example has added you as a user contact") ||
		!strings.Contains(n.Body, "/auth/login?returnTo=%2Fsites%2F1000001") {
		t.Fatalf("invitation %q:\n%s", n.Subject, n.Body)
	}

	// Refused, or rolled back with the rest of the mutation: no notification.
	if res := e.Exec(e.TokenFor(apitest.UserA), notifyInvite, map[string]any{"site": r.A.ID, "email": "jo@x.example"}); res.Code() != "FORBIDDEN" {
		t.Fatalf("a USER invited: %+v", res.Errors)
	}
	both := `mutation($a:ID!, $b:ID!) {
		ok: addContact(input:{siteId:$a, accessRole:USER, businessJustification:"x",
			details:{email:"kim@x.example", firstName:"K", lastName:"L", phone:"+1 914 555 0100", city:"c", stateProvince:"s", postalCode:"p"}}) { id }
		refused: addContact(input:{siteId:$b, accessRole:USER, businessJustification:"x",
			details:{email:"kim@x.example", firstName:"K", lastName:"L", phone:"+1 914 555 0100", city:"c", stateProvince:"s", postalCode:"p"}}) { id } }`
	if res := e.Exec(primary, both, map[string]any{"a": r.A.ID, "b": r.B.ID}); res.Code() == "" {
		t.Fatal("an invitation to another Site went through")
	}
	if n, _ := e.Client.Contact.Query().Where(contact.Email("kim@x.example")).Count(apitest.Sys()); n != 0 {
		t.Fatalf("the mutation was not rolled back: %d contacts", n)
	}
	if got := outbox(t, e, domain.NotifyInvitation); len(got) != 1 {
		t.Fatalf("refused mutations left %d invitations, want the first one only", len(got))
	}

	// Resending sends the invitation again.
	e.Exec(primary, `mutation($id:ID!){ resendInvitation(id:$id, days:3) { id } }`, map[string]any{"id": idOfContact(t, e, "ivy@x.example")}).OK()
	if got := outbox(t, e, domain.NotifyInvitation); len(got) != 2 || got[1].Recipient != "ivy@x.example" {
		t.Fatalf("resent invitation: %d", len(got))
	}
}

func idOfContact(t *testing.T, e *apitest.Env, email string) int {
	t.Helper()
	id, err := e.Client.Contact.Query().Where(contact.Email(email)).OnlyID(apitest.Sys())
	if err != nil {
		t.Fatalf("contact %s: %v", email, err)
	}
	return id
}

func TestNotifyAccessDecisions(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	request := `mutation($n:String!) { requestAccess(siteNumber:$n, justification:"I buy the renewals") { id } }`
	decide := `mutation($id:ID!, $grant:Boolean!, $reason:String) { decideAccessRequest(id:$id, grant:$grant, reason:$reason) { status } }`
	var req struct{ RequestAccess struct{ ID string } }

	e.Exec(e.SignIn("nia@x.example"), request, map[string]any{"n": r.A.Number}).OK().Decode(&req)
	if res := e.Exec(e.TokenFor(apitest.SecManager), decide, map[string]any{"id": req.RequestAccess.ID, "grant": false}); res.Code() != "BAD_USER_INPUT" {
		t.Fatalf("deny without a reason: %+v", res.Errors)
	}
	if n := len(outbox(t, e, domain.NotifyAccessDenied)); n != 0 {
		t.Fatalf("a refused decision wrote %d notifications", n)
	}
	e.Exec(e.TokenFor(apitest.SecManager), decide, map[string]any{"id": req.RequestAccess.ID, "grant": false,
		"reason": "Renewals are handled by the purchasing team."}).OK()
	denied := outbox(t, e, domain.NotifyAccessDenied)
	if len(denied) != 1 || denied[0].Recipient != "nia@x.example" ||
		denied[0].Subject != "Request for access to Site Site 1000001 (1000001) denied" ||
		!strings.Contains(denied[0].Body, "Renewals are handled by the purchasing team.") ||
		!strings.Contains(denied[0].Body, apitest.SecManager+" has denied") {
		t.Fatalf("denial: %+v", denied)
	}

	e.Exec(e.SignIn("max@x.example"), request, map[string]any{"n": r.A.Number}).OK().Decode(&req)
	e.Exec(e.TokenFor(apitest.Primary), decide, map[string]any{"id": req.RequestAccess.ID, "grant": true}).OK()
	granted := outbox(t, e, domain.NotifyAccessGranted)
	if len(granted) != 1 || granted[0].Recipient != "max@x.example" || !strings.Contains(granted[0].Subject, "granted") {
		t.Fatalf("grant: %+v", granted)
	}
	if n := len(outbox(t, e, domain.NotifyInvitation)); n != 0 {
		t.Fatalf("a granted requester (already signed in) got %d invitations", n)
	}
}

func TestNotifyPrimaryTransferred(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	transfer := `mutation($s:ID!, $to:ID!) { transferPrimary(siteId:$s, toContactId:$to) { id } }`
	e.Exec(e.TokenFor(apitest.Primary), transfer, map[string]any{"s": r.A.ID, "to": r.A.ContactID(apitest.SecManager)}).OK()
	moved := outbox(t, e, domain.NotifyPrimaryTransferred)
	if len(moved) != 2 || moved[0].Recipient != apitest.Primary || moved[1].Recipient != apitest.SecManager {
		t.Fatalf("transfer notifications: %+v", moved)
	}
	for _, n := range moved {
		if !strings.Contains(n.Body, "primary@x.example transferred the primary contact role") ||
			!strings.Contains(n.Body, "New primary contact:      First sec-manager <sec-manager@x.example>") {
			t.Fatalf("to %s:\n%s", n.Recipient, n.Body)
		}
	}

	// Break-glass: both are told, with the operator's reason.
	reassign := `mutation($s:ID!, $to:ID!, $why:String!) { reassignPrimary(siteId:$s, toContactId:$to, reason:$why) { id } }`
	e.Exec(e.OperatorToken(), reassign, map[string]any{"s": r.A.ID, "to": r.A.ContactID(apitest.SecEditor),
		"why": "The primary contact left the company in May."}).OK()
	moved = outbox(t, e, domain.NotifyPrimaryTransferred)
	if len(moved) != 4 || moved[2].Recipient != apitest.SecManager || moved[3].Recipient != apitest.SecEditor {
		t.Fatalf("break-glass notifications: %+v", moved)
	}
	for _, n := range moved[2:] {
		if !strings.Contains(n.Body, "Sitekeeper operations, reassigned") || !strings.Contains(n.Body, "The primary contact left the company in May.") {
			t.Fatalf("to %s:\n%s", n.Recipient, n.Body)
		}
	}
}

func TestNotificationsQueryShowsOwnOnly(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	e.Exec(e.TokenFor(apitest.Primary), notifyInvite, map[string]any{"site": r.A.ID, "email": "ivy@x.example"}).OK()
	e.Exec(e.TokenFor(apitest.Primary), notifyInvite, map[string]any{"site": r.A.ID, "email": apitest.Outsider}).OK()
	query := `{ notifications(first:50) { totalCount edges { node { kind recipient subject body status } } } }`
	type result struct {
		Notifications struct {
			TotalCount int
			Edges      []struct {
				Node struct{ Kind, Recipient, Subject, Status string }
			}
		}
	}
	var mine result
	e.Exec(e.TokenFor(apitest.Outsider), query, nil).OK().Decode(&mine)
	if mine.Notifications.TotalCount != 1 || mine.Notifications.Edges[0].Node.Recipient != apitest.Outsider ||
		mine.Notifications.Edges[0].Node.Kind != "INVITATION" || mine.Notifications.Edges[0].Node.Status != "PENDING" {
		t.Fatalf("the invitee's notifications: %+v", mine)
	}
	var primary result
	e.Exec(e.TokenFor(apitest.Primary), query, nil).OK().Decode(&primary)
	if primary.Notifications.TotalCount != 0 {
		t.Fatalf("the PRIMARY sees others' notifications: %+v", primary)
	}
	unverified := e.TokenFor(apitest.Outsider, map[string]any{"email_verified": false, "sub": "sub-unverified"})
	var none result
	e.Exec(unverified, query, nil).OK().Decode(&none)
	if none.Notifications.TotalCount != 0 {
		t.Fatalf("an unverified email sees notifications: %+v", none)
	}
	var all result
	e.Exec(e.OperatorToken(), query, nil).OK().Decode(&all)
	if all.Notifications.TotalCount != 2 {
		t.Fatalf("operator sees %d notifications, want 2", all.Notifications.TotalCount)
	}
	if res := e.Exec("", query, nil); res.Code() != "UNAUTHENTICATED" {
		t.Fatalf("anonymous: %+v", res.Errors)
	}
}
