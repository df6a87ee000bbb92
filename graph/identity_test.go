package graph_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"sitekeeper/ent"
	"sitekeeper/ent/auditevent"
	"sitekeeper/ent/contact"
	"sitekeeper/ent/notification"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/testkit/apitest"
)

// Identity: an invitation belongs to the address it went to; a signed-in contact's email is its
// identity's; a granted request uses the requester's verified email (SPEC section 3).

const readdress = `mutation($id:ID!, $v:Int!, $email:String!) { updateContact(id:$id, expectedVersion:$v, input:{email:$email}) { email status version invitationExpired } }`

// unlinked puts a contact nobody has signed in as on site: INVITED or ACTIVE, with privileges.
func unlinked(t *testing.T, e *apitest.Env, site *apitest.Site, email string, role domain.AccessRole, status domain.ContactStatus, p domain.Privileges) *ent.Contact {
	t.Helper()
	create := e.Client.Contact.Create().SetSiteID(site.ID).SetEmail(email).SetFirstName("Una").SetLastName("Linked").
		SetPhone("+1 914 555 0101").SetCity("Armonk").SetStateProvince("NY").SetPostalCode("10504").
		SetBusinessJustification("Seeded").SetAccessRole(role).SetStatus(status).
		SetSoftwareAccess(p.SoftwareAccess).SetReporting(p.Reporting).SetEntitlements(p.Entitlements).
		SetManageAccess(p.ManageAccess).SetContactUpdates(p.ContactUpdates).SetAccountDocuments(p.AccountDocuments)
	if status == domain.StatusInvited {
		create.SetInvitationExpiresAt(time.Now().Add(24 * time.Hour))
	}
	c, err := create.Save(apitest.Sys())
	must(err)
	return c
}

func TestReaddressingAnInvitationIsANewInvitation(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	// A free SECONDARY seat for the invitation (the Site has 4 of 4).
	must(e.Client.Contact.DeleteOneID(r.A.ContactID(apitest.SecNone)).Exec(apitest.Sys()))
	managerPrivileges := apitest.Privs(domain.SoftwareDownloads, domain.ViewNone, domain.UpdateNone, domain.UpdateUpdate, domain.UpdateNone, domain.ViewNone)
	invitedSecondary := unlinked(t, e, r.A, "new-secondary@x.example", domain.RoleSecondary, domain.StatusInvited, managerPrivileges)
	activeUser := unlinked(t, e, r.A, "never-signed-in@x.example", domain.RoleUser, domain.StatusActive, domain.NoPrivileges())

	refused := []struct {
		name, actor string
		target      *ent.Contact
		email, msg  string
	}{
		// The attack found: an editor points a SECONDARY's invitation at an address they hold.
		{"an editor re-points an invited SECONDARY", apitest.SecEditor, invitedSecondary, "attacker@evil.example", "only the PRIMARY may add a SECONDARY"},
		{"a manager re-points an invited SECONDARY", apitest.SecManager, invitedSecondary, "attacker@evil.example", "only the PRIMARY may add a SECONDARY"},
		{"an editor re-points a never-signed-in USER", apitest.SecEditor, activeUser, "attacker@evil.example", "adding contacts needs manageAccess UPDATE"},
		// ... or at someone of another Site, who would join this one at their next sign-in.
		{"an editor moves another Site's PRIMARY onto this one", apitest.SecEditor, activeUser, apitest.OtherPrimary, "adding contacts needs manageAccess UPDATE"},
	}
	for _, tc := range refused {
		before := e.Dump()
		res := e.Exec(e.TokenFor(tc.actor), readdress, map[string]any{"id": tc.target.ID, "v": tc.target.Version, "email": tc.email})
		if res.Code() != "FORBIDDEN" || !strings.Contains(res.Errors[0].Message, "new invitation") || !strings.Contains(res.Errors[0].Message, tc.msg) {
			t.Fatalf("%s: %s %+v", tc.name, res.Data, res.Errors)
		}
		if e.Dump() != before {
			t.Fatalf("%s: the refusal changed the database", tc.name)
		}
	}
	// The would-be invitees sign in: nothing waits for them.
	for _, email := range []string{"attacker@evil.example", apitest.OtherPrimary} {
		var v struct {
			Viewer struct {
				Contacts []struct{ Site struct{ Number string } }
			}
		}
		e.Exec(e.TokenFor(email), `{ viewer { contacts { site { number } } } }`, nil).OK().Decode(&v)
		for _, c := range v.Viewer.Contacts {
			if c.Site.Number == r.A.Number {
				t.Fatalf("%s became a contact of Site A", email)
			}
		}
	}

	// Those entitled to add the role may: it is a new invitation, from them, for 7 days.
	var out struct {
		UpdateContact struct {
			Email, Status string
			Version       int
		}
	}
	e.Exec(e.TokenFor(apitest.Primary), readdress, map[string]any{"id": invitedSecondary.ID, "v": invitedSecondary.Version, "email": "right-person@x.example"}).OK().Decode(&out)
	e.Exec(e.TokenFor(apitest.SecManager), readdress, map[string]any{"id": activeUser.ID, "v": activeUser.Version, "email": "found-them@x.example"}).OK()
	for _, tc := range []struct {
		id         int
		email, by  string
		wasInvited bool
	}{{invitedSecondary.ID, "right-person@x.example", apitest.Primary, true}, {activeUser.ID, "found-them@x.example", apitest.SecManager, false}} {
		c, err := e.Client.Contact.Get(apitest.Sys(), tc.id)
		must(err)
		if c.Email != tc.email || c.Status != domain.StatusInvited || c.InvitedBy != tc.by || c.InvitationExpiresAt == nil ||
			c.InvitationExpiresAt.Sub(time.Now()) < 6*24*time.Hour || c.InvitationExpiresAt.Sub(time.Now()) > 7*24*time.Hour+time.Minute {
			t.Fatalf("re-invited contact: %+v", c)
		}
		ev, err := e.Client.AuditEvent.Query().Where(auditevent.TargetID(tc.id), auditevent.Action("reissueInvitation")).Only(apitest.Sys())
		if err != nil || ev.Actor != tc.by || ev.After["email"] != tc.email {
			t.Fatalf("re-invitation not audited as such: %+v %v", ev, err)
		}
		if n, _ := e.Client.Notification.Query().Where(notification.Recipient(tc.email), notification.KindEQ(domain.NotifyInvitation)).Count(apitest.Sys()); n != 1 {
			t.Fatalf("%d invitations mailed to %s", n, tc.email)
		}
	}
	// The old addresses link nothing; the new one does.
	e.SignIn("new-secondary@x.example")
	if c, _ := e.Client.Contact.Get(apitest.Sys(), invitedSecondary.ID); c.UserID != nil {
		t.Fatalf("the old address took the invitation")
	}
	e.SignIn("right-person@x.example")
	if c, _ := e.Client.Contact.Get(apitest.Sys(), invitedSecondary.ID); c.UserID == nil || c.Status != domain.StatusActive {
		t.Fatalf("the new address did not accept the invitation: %+v", c)
	}
	// Only the case of the letters changed: the same person, the same invitation.
	res := e.Exec(e.TokenFor(apitest.SecEditor), readdress, map[string]any{"id": activeUser.ID, "v": out.UpdateContact.Version + 1, "email": "Found-Them@x.example"})
	c, _ := e.Client.Contact.Get(apitest.Sys(), activeUser.ID)
	if res.Code() != "" && res.Code() != "CONFLICT" || c.InvitedBy != apitest.SecManager {
		t.Fatalf("a change of case was taken for a new invitation: %+v %+v", res.Errors, c)
	}
}

func TestASignedInContactsEmailIsTheirIdentitys(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	userA := r.A.Contacts[apitest.UserA]
	for _, actor := range []string{apitest.UserA, apitest.Primary, apitest.SecEditor} {
		before := e.Dump()
		res := e.Exec(e.TokenFor(actor), readdress, map[string]any{"id": userA.ID, "v": userA.Version, "email": "elsewhere@x.example"})
		if res.Code() != "BAD_USER_INPUT" || len(res.Errors[0].Extensions.Fields) != 1 || res.Errors[0].Extensions.Fields[0] != "email" ||
			!strings.Contains(res.Errors[0].Message, "identity provider") {
			t.Fatalf("%s changed a signed-in contact's email: %s %+v", actor, res.Data, res.Errors)
		}
		if e.Dump() != before {
			t.Fatalf("%s: the refusal changed the database", actor)
		}
	}
	res := e.Exec(e.OperatorToken(), readdress, map[string]any{"id": userA.ID, "v": userA.Version, "email": "elsewhere@x.example"})
	if res.Code() != "BAD_USER_INPUT" {
		t.Fatalf("an operator changed a signed-in contact's email: %+v", res.Errors)
	}
	// The same email, sent back by a form, changes nothing and is no error.
	e.Exec(e.TokenFor(apitest.UserA), readdress, map[string]any{"id": userA.ID, "v": userA.Version, "email": userA.Email}).OK()

	// The identity's verified email changes at the provider: the next sign-in follows it, as
	// Sitekeeper's own, audited change. On a Site where the new address is another contact's,
	// the linked contact keeps the old one.
	unlinked(t, e, r.B, "user-a.new@x.example", domain.RoleUser, domain.StatusInvited, domain.NoPrivileges())
	onB, err := e.Client.Contact.Create().SetSiteID(r.B.ID).SetEmail(apitest.UserA).SetFirstName("A").SetLastName("B").
		SetBusinessJustification("On two Sites").SetAccessRole(domain.RoleUser).SetStatus(domain.StatusActive).
		SetUserID(*userA.UserID).Save(apitest.Sys())
	must(err)
	e.Exec(e.TokenFor(apitest.UserA, map[string]any{"email": "user-a.new@x.example"}), `{ viewer { user { email } } }`, nil).OK()
	a, _ := e.Client.Contact.Get(apitest.Sys(), userA.ID)
	b, _ := e.Client.Contact.Get(apitest.Sys(), onB.ID)
	if a.Email != "user-a.new@x.example" || b.Email != apitest.UserA {
		t.Fatalf("after the identity's email changed: Site A %q, Site B %q", a.Email, b.Email)
	}
	ev, err := e.Client.AuditEvent.Query().Where(auditevent.TargetID(userA.ID), auditevent.Action("refreshEmailAtSignIn")).Only(apitest.Sys())
	if err != nil || ev.ActorKind != domain.ActorSystem || ev.Before["email"] != apitest.UserA {
		t.Fatalf("the refresh is not audited: %+v %v", ev, err)
	}
	// An unverified email changes nothing.
	e.Exec(e.TokenFor(apitest.UserA, map[string]any{"email": "unverified@x.example", "email_verified": false}), `{ viewer { isOperator } }`, nil).OK()
	if a, _ := e.Client.Contact.Get(apitest.Sys(), userA.ID); a.Email != "user-a.new@x.example" {
		t.Fatalf("an unverified email replaced the contact's: %q", a.Email)
	}
}

func TestAGrantedRequestUsesTheRequestersVerifiedEmail(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	const request = `mutation($n:String!, $d:ContactDetailsInput) { requestAccess(siteNumber:$n, justification:"I buy licences", details:$d) { id } }`
	details := func(email string) map[string]any {
		return map[string]any{"email": email, "firstName": "Rita", "lastName": "Requester", "phone": "+1 914 555 0111",
			"city": "Armonk", "stateProvince": "NY", "postalCode": "10504", "jobTitle": "Buyer"}
	}
	requester := e.SignIn("rita@x.example")
	before := e.Dump()
	res := e.Exec(requester, request, map[string]any{"n": r.A.Number, "d": details("boss@x.example")})
	if res.Code() != "BAD_USER_INPUT" || res.Errors[0].Extensions.Fields[0] != "details.email" {
		t.Fatalf("a claimed email was accepted: %+v", res.Errors)
	}
	unverified := e.TokenFor("nobody@x.example", map[string]any{"email_verified": false})
	res = e.Exec(unverified, request, map[string]any{"n": r.A.Number, "d": nil})
	if res.Code() != "FORBIDDEN" {
		t.Fatalf("a request without a verified email: %+v", res.Errors)
	}
	if e.Dump() != before {
		t.Fatal("refused requests changed the database")
	}
	var out struct{ RequestAccess struct{ ID string } }
	e.Exec(requester, request, map[string]any{"n": r.A.Number, "d": details("RITA@x.example")}).OK().Decode(&out)
	// Before the decision the requester's verified email changes at the provider.
	e.Exec(e.TokenFor("rita@x.example", map[string]any{"email": "rita.r@x.example"}), `{ viewer { isOperator } }`, nil).OK()
	id, _ := strconv.Atoi(out.RequestAccess.ID)
	e.Exec(e.TokenFor(apitest.Primary), `mutation($id:ID!) { decideAccessRequest(id:$id, grant:true) { status } }`, map[string]any{"id": id}).OK()
	c, err := e.Client.Contact.Query().Where(contact.SiteID(r.A.ID), contact.FirstName("Rita")).Only(apitest.Sys())
	if err != nil || c.Email != "rita.r@x.example" || c.JobTitle != "Buyer" || c.Phone != "+19145550111" || c.UserID == nil || c.Status != domain.StatusActive {
		t.Fatalf("granted contact: %+v %v", c, err)
	}
}

func TestContactTypesOnThePrimarysRecordAreThePrimarys(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	const assign = `mutation($s:ID!, $t:ContactType!, $c:ID!) { assignContactType(siteId:$s, type:$t, contactId:$c) { id } }`
	primary := r.A.ContactID(apitest.Primary)
	vars := func(typ, email string) map[string]any {
		return map[string]any{"s": r.A.ID, "t": typ, "c": r.A.ContactID(email)}
	}
	// The PRIMARY takes BILLING; an editor may neither take it away nor give the PRIMARY another.
	e.Exec(e.TokenFor(apitest.Primary), assign, vars("BILLING", apitest.Primary)).OK()
	version := func() int { c, _ := e.Client.Contact.Get(apitest.Sys(), primary); return c.Version }
	v := version()
	for _, tc := range []struct{ name, typ, to string }{
		{"give the PRIMARY a type", "RENEWAL", apitest.Primary},
		{"take the PRIMARY's type", "BILLING", apitest.UserA},
	} {
		before := e.Dump()
		res := e.Exec(e.TokenFor(apitest.SecEditor), assign, vars(tc.typ, tc.to))
		if res.Code() != "FORBIDDEN" || res.Errors[0].Message != "only the PRIMARY may change the PRIMARY's record" {
			t.Fatalf("an editor could %s: %+v", tc.name, res.Errors)
		}
		if e.Dump() != before || version() != v {
			t.Fatalf("%s: the refusal changed the database", tc.name)
		}
	}
	// The same words as editing the record.
	res := e.Exec(e.TokenFor(apitest.SecEditor), `mutation($id:ID!, $v:Int!) { updateContact(id:$id, expectedVersion:$v, input:{jobTitle:"X"}) { id } }`,
		map[string]any{"id": primary, "v": v})
	if res.Code() != "FORBIDDEN" || res.Errors[0].Message != "only the PRIMARY may change the PRIMARY's record" {
		t.Fatalf("editing the PRIMARY's record: %+v", res.Errors)
	}
	// Among the others the editor assigns freely; operators and the PRIMARY on the PRIMARY's too.
	e.Exec(e.TokenFor(apitest.SecEditor), assign, vars("RENEWAL", apitest.UserA)).OK()
	e.Exec(e.OperatorToken(), assign, vars("RENEWAL", apitest.Primary)).OK()
	e.Exec(e.TokenFor(apitest.Primary), assign, vars("BILLING", apitest.UserB)).OK()
}
