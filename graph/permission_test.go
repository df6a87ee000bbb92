package graph_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"sitekeeper/ent/contact"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/testkit/apitest"
)

// Actors of the permission matrix, by how they relate to Site A.
const (
	anonymous    = "anonymous"
	user         = "USER"
	secNone      = "SECONDARY without privileges"
	secViewer    = "SECONDARY with VIEW"
	secEditor    = "SECONDARY with contactUpdates UPDATE"
	secManager   = "SECONDARY with manageAccess UPDATE"
	primary      = "PRIMARY"
	otherPrimary = "another Site's PRIMARY"
	outsider     = "signed-in person on no Site"
	operator     = "operator"
	partner      = "partner with a grant"
	otherPartner = "partner without a grant"
)

var actors = []string{anonymous, user, secNone, secViewer, secEditor, secManager, primary, otherPrimary, outsider, operator, partner, otherPartner}

func tokenOf(e *apitest.Env, actor string) string {
	switch actor {
	case anonymous:
		return ""
	case operator:
		return e.OperatorToken()
	case partner:
		return e.PartnerToken(apitest.PartnerClient)
	case otherPartner:
		return e.PartnerToken(apitest.OtherPartnerClient)
	}
	return e.TokenFor(map[string]string{
		user: apitest.UserA, secNone: apitest.SecNone, secViewer: apitest.SecViewer,
		secEditor: apitest.SecEditor, secManager: apitest.SecManager, primary: apitest.Primary,
		otherPrimary: apitest.OtherPrimary, outsider: apitest.Outsider,
	}[actor])
}

type permissionCase struct {
	name    string
	query   string
	vars    func(e *apitest.Env, r *apitest.Roster) map[string]any
	setup   func(e *apitest.Env, r *apitest.Roster)
	allowed []string
	// mutation cases must leave the database unchanged when refused.
	mutation bool
}

func contactVar(key, email string) func(*apitest.Env, *apitest.Roster) map[string]any {
	return func(_ *apitest.Env, r *apitest.Roster) map[string]any {
		return map[string]any{key: r.A.ContactID(email)}
	}
}

func siteVars(extra map[string]any) func(*apitest.Env, *apitest.Roster) map[string]any {
	return func(_ *apitest.Env, r *apitest.Roster) map[string]any {
		vars := map[string]any{"site": r.A.ID, "number": r.A.Number}
		for k, v := range extra {
			vars[k] = v
		}
		return vars
	}
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

func demoteSecNone(e *apitest.Env, r *apitest.Roster) {
	_, err := e.Client.Contact.UpdateOneID(r.A.ContactID(apitest.SecNone)).SetAccessRole(domain.RoleUser).Save(apitest.Sys())
	must(err)
}

// invitedOnA puts an INVITED contact with manageAccess UPDATE on Site A (at version 1).
func invitedOnA(email string, role domain.AccessRole) func(*apitest.Env, *apitest.Roster) {
	return func(e *apitest.Env, r *apitest.Roster) {
		p := apitest.Privs(domain.SoftwareNone, domain.ViewNone, domain.UpdateNone, domain.UpdateUpdate, domain.UpdateNone, domain.ViewNone)
		must(e.Client.Contact.Create().SetSiteID(r.A.ID).SetEmail(email).SetFirstName("In").SetLastName("Vited").
			SetBusinessJustification("Invited").SetAccessRole(role).SetStatus(domain.StatusInvited).
			SetInvitationExpiresAt(time.Now().Add(time.Hour)).SetManageAccess(p.ManageAccess).Exec(apitest.Sys()))
	}
}

func invitedVar(email string) func(*apitest.Env, *apitest.Roster) map[string]any {
	return func(e *apitest.Env, r *apitest.Roster) map[string]any {
		id, err := e.Client.Contact.Query().Where(contact.Email(email)).OnlyID(apitest.Sys())
		must(err)
		return map[string]any{"id": id}
	}
}

func deactivate(email string) func(*apitest.Env, *apitest.Roster) {
	return func(e *apitest.Env, r *apitest.Roster) {
		_, err := e.Client.Contact.UpdateOneID(r.A.ContactID(email)).SetStatus(domain.StatusDeactivated).Save(apitest.Sys())
		must(err)
	}
}

const details = `{email:"new.person@x.example", firstName:"New", lastName:"Person", phone:"+1 914 555 0199",
	city:"Austin", stateProvince:"TX", postalCode:"73301"}`

var permissionCases = []permissionCase{
	{name: "createSite", mutation: true, allowed: []string{operator},
		query: `mutation { createSite(input:{number:"3000003", name:"New", customerNumber:"C9", primaryContact:` + details + `}) { id } }`},
	{name: "addContact USER", mutation: true, allowed: []string{primary, secManager}, vars: siteVars(nil),
		query: `mutation($site:ID!) { addContact(input:{siteId:$site, accessRole:USER, businessJustification:"needs downloads", details:` + details + `}) { id } }`},
	{name: "addContact SECONDARY", mutation: true, allowed: []string{primary}, vars: siteVars(nil), setup: demoteSecNone,
		query: `mutation($site:ID!) { addContact(input:{siteId:$site, accessRole:SECONDARY, businessJustification:"backup admin", details:` + details + `}) { id } }`},
	{name: "updateContact of a USER", mutation: true, allowed: []string{primary, secEditor, secManager, operator},
		vars:  contactVar("id", apitest.UserB),
		query: `mutation($id:ID!) { updateContact(id:$id, expectedVersion:2, input:{jobTitle:"Buyer"}) { id } }`},
	{name: "updateContact of the PRIMARY", mutation: true, allowed: []string{primary, operator},
		vars:  contactVar("id", apitest.Primary),
		query: `mutation($id:ID!) { updateContact(id:$id, expectedVersion:2, input:{phone:"+1 914 555 0111"}) { id } }`},
	// A new email for a contact nobody signed in as yet is a new invitation (ADD_CONTACT).
	{name: "re-address an invited USER", mutation: true, allowed: []string{primary, secManager},
		setup: invitedOnA("invited-user@x.example", domain.RoleUser), vars: invitedVar("invited-user@x.example"),
		query: `mutation($id:ID!) { updateContact(id:$id, expectedVersion:1, input:{email:"someone.else@x.example"}) { id } }`},
	{name: "re-address an invited SECONDARY", mutation: true, allowed: []string{primary},
		setup: func(e *apitest.Env, r *apitest.Roster) {
			demoteSecNone(e, r)
			invitedOnA("invited-sec@x.example", domain.RoleSecondary)(e, r)
		},
		vars:  invitedVar("invited-sec@x.example"),
		query: `mutation($id:ID!) { updateContact(id:$id, expectedVersion:1, input:{email:"someone.else@x.example"}) { id } }`},
	{name: "updateContacts", mutation: true, allowed: []string{primary, secEditor, secManager, operator},
		vars: func(_ *apitest.Env, r *apitest.Roster) map[string]any {
			return map[string]any{"site": r.A.ID, "ids": []int{r.A.ContactID(apitest.UserA), r.A.ContactID(apitest.UserB)}}
		},
		query: `mutation($site:ID!, $ids:[ID!]) { updateContacts(input:{siteId:$site, ids:$ids, details:{city:"Boston"}}) { id } }`},
	{name: "setPrivileges of a USER", mutation: true, allowed: []string{primary, secManager},
		vars:  contactVar("id", apitest.UserB),
		query: `mutation($id:ID!) { setPrivileges(id:$id, expectedVersion:2, privileges:{reporting:VIEW}) { id } }`},
	{name: "setPrivileges of a SECONDARY", mutation: true, allowed: []string{primary},
		vars:  contactVar("id", apitest.SecNone),
		query: `mutation($id:ID!) { setPrivileges(id:$id, expectedVersion:2, privileges:{reporting:VIEW}) { id } }`},
	{name: "setAccessRole SECONDARY to USER", mutation: true, allowed: []string{primary},
		vars:  contactVar("id", apitest.SecNone),
		query: `mutation($id:ID!) { setAccessRole(id:$id, accessRole:USER) { id } }`},
	{name: "assignContactType", mutation: true, allowed: []string{primary, secEditor, secManager, operator},
		vars: func(_ *apitest.Env, r *apitest.Roster) map[string]any {
			return map[string]any{"site": r.A.ID, "c": r.A.ContactID(apitest.UserB)}
		},
		query: `mutation($site:ID!, $c:ID!) { assignContactType(siteId:$site, type:BILLING, contactId:$c) { id } }`},
	{name: "assignContactType to the PRIMARY", mutation: true, allowed: []string{primary, operator},
		vars: func(_ *apitest.Env, r *apitest.Roster) map[string]any {
			return map[string]any{"site": r.A.ID, "c": r.A.ContactID(apitest.Primary)}
		},
		query: `mutation($site:ID!, $c:ID!) { assignContactType(siteId:$site, type:BILLING, contactId:$c) { id } }`},
	{name: "assignContactType taking the PRIMARY's", mutation: true, allowed: []string{primary, operator},
		setup: func(e *apitest.Env, r *apitest.Roster) {
			must(e.Client.Contact.UpdateOneID(r.A.ContactID(apitest.Primary)).SetContactTypes([]string{"BILLING"}).Exec(apitest.Sys()))
		},
		vars: func(_ *apitest.Env, r *apitest.Roster) map[string]any {
			return map[string]any{"site": r.A.ID, "c": r.A.ContactID(apitest.UserB)}
		},
		query: `mutation($site:ID!, $c:ID!) { assignContactType(siteId:$site, type:BILLING, contactId:$c) { id } }`},
	{name: "deactivateContact of a USER", mutation: true, allowed: []string{primary, secManager},
		vars: contactVar("id", apitest.UserB), query: `mutation($id:ID!) { deactivateContact(id:$id) { id } }`},
	{name: "deactivateContact of a SECONDARY", mutation: true, allowed: []string{primary},
		vars: contactVar("id", apitest.SecNone), query: `mutation($id:ID!) { deactivateContact(id:$id) { id } }`},
	{name: "reactivateContact", mutation: true, allowed: []string{primary, secManager}, setup: deactivate(apitest.UserB),
		vars: contactVar("id", apitest.UserB), query: `mutation($id:ID!) { reactivateContact(id:$id) { id } }`},
	{name: "removeContact", mutation: true, allowed: []string{primary, secManager}, setup: deactivate(apitest.UserB),
		vars: contactVar("id", apitest.UserB), query: `mutation($id:ID!) { removeContact(id:$id) }`},
	{name: "transferPrimary", mutation: true, allowed: []string{primary},
		vars: func(_ *apitest.Env, r *apitest.Roster) map[string]any {
			return map[string]any{"site": r.A.ID, "to": r.A.ContactID(apitest.SecManager)}
		},
		query: `mutation($site:ID!, $to:ID!) { transferPrimary(siteId:$site, toContactId:$to) { id } }`},
	{name: "reassignPrimary", mutation: true, allowed: []string{operator},
		vars: func(_ *apitest.Env, r *apitest.Roster) map[string]any {
			return map[string]any{"site": r.A.ID, "to": r.A.ContactID(apitest.SecManager)}
		},
		query: `mutation($site:ID!, $to:ID!) { reassignPrimary(siteId:$site, toContactId:$to, reason:"primary left the company") { id } }`},
	{name: "markSiteReviewed", mutation: true, allowed: []string{primary, secManager}, vars: siteVars(nil),
		query: `mutation($site:ID!) { markSiteReviewed(siteId:$site) { id } }`},
	{name: "requestAccess", mutation: true, allowed: []string{otherPrimary, outsider, operator}, vars: siteVars(nil),
		query: `mutation($number:String!) { requestAccess(siteNumber:$number, justification:"I run the licenses") { id } }`},
	{name: "decideAccessRequest", mutation: true, allowed: []string{primary, secManager},
		setup: func(e *apitest.Env, r *apitest.Roster) {
			e.Exec(e.TokenFor(apitest.Outsider), `mutation($n:String!){ requestAccess(siteNumber:$n, justification:"new buyer") { id } }`,
				map[string]any{"n": r.A.Number}).OK()
		},
		vars: func(e *apitest.Env, r *apitest.Roster) map[string]any {
			id, err := e.Client.AccessRequest.Query().OnlyID(apitest.Sys())
			must(err)
			return map[string]any{"id": id}
		},
		query: `mutation($id:ID!) { decideAccessRequest(id:$id, grant:false, reason:"not our customer") { id } }`},
	{name: "createPartner", mutation: true, allowed: []string{operator},
		query: `mutation { createPartner(input:{name:"Reseller Three", clientId:"partner-client-3"}) { id } }`},
	{name: "grantPartnerAccess", mutation: true, allowed: []string{primary, secManager},
		vars: func(_ *apitest.Env, r *apitest.Roster) map[string]any {
			return map[string]any{"site": r.A.ID, "p": r.OtherPartner.ID, "exp": time.Now().AddDate(0, 6, 0).Format(time.RFC3339)}
		},
		query: `mutation($site:ID!, $p:ID!, $exp:Time!) { grantPartnerAccess(siteId:$site, partnerId:$p, expiresAt:$exp) { id } }`},
	{name: "revokePartnerAccess", mutation: true, allowed: []string{primary, secManager},
		vars:  func(_ *apitest.Env, r *apitest.Roster) map[string]any { return map[string]any{"id": r.PartnerGrant.ID} },
		query: `mutation($id:ID!) { revokePartnerAccess(id:$id) { id } }`},

	{name: "see the Site", vars: siteVars(nil),
		allowed: []string{user, secNone, secViewer, secEditor, secManager, primary, operator, partner},
		query:   `query($number:String!) { site(number:$number) { number name reviewDueAt } }`},
	{name: "list contacts with details", vars: siteVars(nil),
		allowed: []string{secViewer, secEditor, secManager, primary, operator},
		query:   `query($number:String!) { site(number:$number) { contacts(first:20) { edges { node { email phone city businessJustification } } } } }`},
	{name: "read contact roles", vars: siteVars(nil),
		allowed: []string{secViewer, secEditor, secManager, primary, operator, partner},
		query:   `query($number:String!) { site(number:$number) { contacts(first:20) { edges { node { email firstName accessRole contactTypes privileges { manageAccess } } } } } }`},
	{name: "read the audit log", vars: siteVars(nil), allowed: []string{secViewer, secManager, primary, operator},
		query: `query($number:String!) { site(number:$number) { auditEvents(first:20) { edges { node { action } } } } }`},
	{name: "see access requests and partner grants", vars: siteVars(nil), allowed: []string{secManager, primary, operator},
		query: `query($number:String!) { site(number:$number) { accessRequests(first:5) { totalCount } partnerGrants(first:5) { totalCount } } }`},
	{name: "node of another contact", vars: contactVar("id", apitest.UserB),
		allowed: []string{secViewer, secEditor, secManager, primary, operator, partner},
		query:   `query($id:ID!) { node(id:$id) { ... on Contact { email accessRole } } }`},
	{name: "node of another contact's phone", vars: contactVar("id", apitest.UserB),
		allowed: []string{secViewer, secEditor, secManager, primary, operator},
		query:   `query($id:ID!) { node(id:$id) { ... on Contact { email phone } } }`},
	{name: "nodes of the Site's contacts", vars: func(_ *apitest.Env, r *apitest.Roster) map[string]any {
		return map[string]any{"ids": []int{r.A.ContactID(apitest.Primary), r.A.ContactID(apitest.UserB)}}
	}, allowed: []string{secViewer, secEditor, secManager, primary, operator, partner},
		query: `query($ids:[ID!]!) { nodes(ids:$ids) { ... on Contact { email } } }`},
}

// succeeded reports whether a response is a full, error-free answer with data for every field.
func succeeded(res *apitest.Result) bool {
	return res.Status == 200 && len(res.Errors) == 0 && !strings.Contains(string(res.Data), "null")
}

func TestPermissionMatrix(t *testing.T) {
	for _, tc := range permissionCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			run := func(e *apitest.Env, r *apitest.Roster, actor string) *apitest.Result {
				var vars map[string]any
				if tc.vars != nil {
					vars = tc.vars(e, r)
				}
				return e.Exec(tokenOf(e, actor), tc.query, vars)
			}
			fresh := func() (*apitest.Env, *apitest.Roster) {
				e := apitest.New(t)
				r := e.SeedRoster()
				if tc.setup != nil {
					tc.setup(e, r)
				}
				return e, r
			}
			// Allowed actors each get a database of their own, since their change sticks.
			for _, actor := range tc.allowed {
				e, r := fresh()
				if res := run(e, r, actor); !succeeded(res) {
					t.Errorf("%s should be allowed: HTTP %d %s %+v", actor, res.Status, res.Data, res.Errors)
				}
			}
			// Refused actors share one: each must leave it exactly as it was.
			e, r := fresh()
			for _, actor := range actors {
				if slices.Contains(tc.allowed, actor) {
					continue
				}
				before := e.Dump()
				res := run(e, r, actor)
				if succeeded(res) {
					t.Errorf("%s should be refused, got %s", actor, res.Data)
					continue
				}
				for _, err := range res.Errors {
					if !slices.Contains([]string{"FORBIDDEN", "UNAUTHENTICATED", "NOT_FOUND", "CONFLICT"}, err.Extensions.Code) {
						t.Errorf("%s: refusal with code %q: %s", actor, err.Extensions.Code, err.Message)
					}
				}
				if actor == anonymous && tc.mutation && res.Code() != "UNAUTHENTICATED" {
					t.Errorf("anonymous: want UNAUTHENTICATED, got %+v", res.Errors)
				}
				if tc.mutation && e.Dump() != before {
					t.Errorf("%s: a refused mutation changed the database", actor)
				}
				leaked, _ := json.Marshal(res.Data)
				if strings.Contains(string(leaked), "555") {
					t.Errorf("%s: refused answer leaked a phone number: %s", actor, leaked)
				}
			}
		})
	}
}
