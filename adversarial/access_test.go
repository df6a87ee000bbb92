package adversarial_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"sitekeeper/graph"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/testkit/apitest"
)

const updateContact = `mutation($id:ID!, $v:Int!, $in:UpdateContactInput!) { updateContact(id:$id, expectedVersion:$v, input:$in) { id version } }`

// TestAccess: who may read and change what, attacked through every path the API has.
func TestAccess(t *testing.T) {
	s := newStack(t, graph.Options{})
	a, b := s.R.A, s.R.B
	userB := a.ContactID(apitest.UserB)
	otherPrimary := s.TokenFor(apitest.OtherPrimary)
	primary := s.TokenFor(apitest.Primary)

	t.Run("anonymous read of a Site", func(t *testing.T) {
		res := s.post("", `query($n:String!) { site(number:$n) { number contacts(first:5) { edges { node { email } } } } }`, map[string]any{"n": a.Number})
		expect(t, "anonymous site()", res, http.StatusOK, "UNAUTHENTICATED", "sign in first")
		if string(res.Data) != "" && string(res.Data) != "null" {
			t.Fatalf("anonymous read returned data: %s", res.Data)
		}
	})
	t.Run("anonymous node and nodes", func(t *testing.T) {
		res := s.post("", `query($id:ID!, $ids:[ID!]!) { node(id:$id) { id ... on Contact { email } } nodes(ids:$ids) { id } }`,
			map[string]any{"id": userB, "ids": []int{userB, a.ID}})
		expect(t, "anonymous node()", res, http.StatusOK, "UNAUTHENTICATED", "sign in first")
		if strings.Contains(res.Body, "@x.example") {
			t.Fatalf("anonymous node() leaked: %s", res.Body)
		}
	})
	t.Run("anonymous mutation", func(t *testing.T) {
		before := s.Dump()
		res := s.post("", updateContact, map[string]any{"id": userB, "v": 2, "in": map[string]any{"jobTitle": "Owned"}})
		expect(t, "anonymous updateContact", res, http.StatusOK, "UNAUTHENTICATED", "sign in first")
		s.unchanged(t, before, "an anonymous mutation")
	})
	t.Run("cross-site update", func(t *testing.T) {
		before := s.Dump()
		res := s.post(otherPrimary, updateContact, map[string]any{"id": userB, "v": 2, "in": map[string]any{"jobTitle": "Owned"}})
		expect(t, "another Site's PRIMARY edits Site A", res, http.StatusOK, "NOT_FOUND", "not found")
		s.unchanged(t, before, "a cross-site update")
	})
	t.Run("cross-site bulk update", func(t *testing.T) {
		before := s.Dump()
		res := s.post(otherPrimary, `mutation($in:UpdateContactsInput!) { updateContacts(input:$in) { id } }`,
			map[string]any{"in": map[string]any{"siteId": b.ID, "ids": []int{userB, a.ContactID(apitest.Primary)}, "details": map[string]any{"city": "Owned"}}})
		expect(t, "bulk update naming another Site's contacts", res, http.StatusOK, "NOT_FOUND", "some contacts are not contacts of this Site")
		res = s.post(otherPrimary, `mutation($in:UpdateContactsInput!) { updateContacts(input:$in) { id } }`,
			map[string]any{"in": map[string]any{"siteId": a.ID, "all": true, "details": map[string]any{"city": "Owned"}}})
		expect(t, "bulk update of all of another Site", res, http.StatusOK, "NOT_FOUND", "not found")
		if len(res.Errors[0].Extensions.IDs) != 0 {
			t.Fatalf("the refusal names another Site's contacts: %v", res.Errors[0].Extensions.IDs)
		}
		s.unchanged(t, before, "a cross-site bulk update")
	})
	t.Run("cross-site reads", func(t *testing.T) {
		res := s.post(otherPrimary, `query($n:String!, $id:ID!, $ids:[ID!]!) {
			site(number:$n) { number }
			node(id:$id) { id ... on Contact { email phone } ... on Site { number } }
			nodes(ids:$ids) { id ... on Contact { email } ... on Site { number } } }`,
			map[string]any{"n": a.Number, "id": userB, "ids": []int{a.ID, userB, a.ContactID(apitest.Primary), b.ContactID(apitest.OtherPrimary)}})
		wantData := fmt.Sprintf(`{"site":null,"node":null,"nodes":[null,null,null,{"id":"%d","email":"%s"}]}`, b.ContactID(apitest.OtherPrimary), apitest.OtherPrimary)
		if res.Status != http.StatusOK || string(res.Data) != wantData {
			t.Fatalf("cross-site reads: HTTP %d %s\nwant %s", res.Status, res.Data, wantData)
		}
		// Each hidden record answers exactly as an id that never existed does.
		byPath := map[string]apitest.Error{}
		for _, e := range res.Errors {
			byPath[fmt.Sprint(e.Path...)] = e
		}
		want := map[string]int{"node": userB, "nodes0": a.ID, "nodes1": userB, "nodes2": a.ContactID(apitest.Primary)}
		for path, id := range want {
			if !asIfAbsent(byPath[path], id) {
				t.Fatalf("hidden record %d at %s answered %+v", id, path, byPath[path])
			}
		}
		if len(res.Errors) != len(want) {
			t.Fatalf("errors: %+v", res.Errors)
		}
	})
	t.Run("cross-site read through nested edges", func(t *testing.T) {
		res := s.post(otherPrimary, `{ viewer { contacts { site { number contacts(first:50) { edges { node { email site { number } } } } } } } }`, nil)
		want := fmt.Sprintf(`{"viewer":{"contacts":[{"site":{"number":"%s","contacts":{"edges":[{"node":{"email":"%s","site":{"number":"%s"}}}]}}}]}}`,
			b.Number, apitest.OtherPrimary, b.Number)
		if res.Status != http.StatusOK || len(res.Errors) != 0 || string(res.Data) != want {
			t.Fatalf("nested edges: %s %+v\nwant %s", res.Data, res.Errors, want)
		}
	})
	t.Run("partner without a grant", func(t *testing.T) {
		res := s.post(s.PartnerToken(apitest.OtherPartnerClient), `query($n:String!, $id:ID!) { site(number:$n) { number } node(id:$id) { id } }`,
			map[string]any{"n": a.Number, "id": userB})
		if res.Status != http.StatusOK || string(res.Data) != `{"site":null,"node":null}` || len(res.Errors) != 1 || !asIfAbsent(res.Errors[0], userB) {
			t.Fatalf("partner without a grant: %s %+v", res.Data, res.Errors)
		}
	})
	t.Run("partner reading details", func(t *testing.T) {
		res := s.post(s.PartnerToken(apitest.PartnerClient), `query($id:ID!) { node(id:$id) { ... on Contact { email phone businessJustification } } }`,
			map[string]any{"id": userB})
		expect(t, "partner reads a phone number", res, http.StatusOK, "FORBIDDEN", "partners see contact roles only")
		if strings.Contains(res.Body, "555") || strings.Contains(res.Body, "Seeded") {
			t.Fatalf("details leaked to a partner: %s", res.Body)
		}
	})
	t.Run("walking node ids", func(t *testing.T) {
		// Site B's PRIMARY walks 10,000 ids around every id range in use, 100 at a time (the most
		// nodes takes): it sees exactly what it may see and learns nothing of the others.
		// Its own: its Site, its contact, and the partners (every signed-in person may pick a
		// partner to grant access to; a partner's client id stays for operators).
		var mine []string
		for _, id := range []int{b.ID, b.ContactID(apitest.OtherPrimary), s.R.Partner.ID, s.R.OtherPartner.ID} {
			mine = append(mine, fmt.Sprint(id))
		}
		var starts []int
		for _, id := range []int{a.ID, a.ContactID(apitest.Primary), s.R.PartnerGrant.ID, s.R.Partner.ID} {
			starts = append(starts, id-5)
		}
		var seen []string
		walked := 0
		for _, start := range starts {
			for page := 0; page < 25; page++ {
				ids := make([]int, 100)
				for i := range ids {
					ids[i] = start + page*100 + i
				}
				walked += len(ids)
				res := s.post(otherPrimary, `query($ids:[ID!]!) { nodes(ids:$ids) { id } }`, map[string]any{"ids": ids})
				if res.Status != http.StatusOK {
					t.Fatalf("nodes walk: HTTP %d %s", res.Status, res.Body)
				}
				var out struct{ Nodes []*struct{ ID string } }
				_ = json.Unmarshal(res.Data, &out)
				errs := map[string]apitest.Error{}
				for _, e := range res.Errors {
					errs[fmt.Sprint(e.Path[1])] = e
				}
				for i, n := range out.Nodes {
					if n != nil {
						seen = append(seen, n.ID)
					} else if !asIfAbsent(errs[fmt.Sprint(i)], ids[i]) {
						t.Fatalf("id %d: %+v, want the answer of an id that does not exist", ids[i], errs[fmt.Sprint(i)])
					}
				}
				if len(out.Nodes) != 100 || len(res.Errors)+len(mine) < 100 {
					t.Fatalf("nodes walk: %d answers, %d errors", len(out.Nodes), len(res.Errors))
				}
			}
		}
		if walked != 10_000 {
			t.Fatalf("walked %d ids", walked)
		}
		slices.Sort(seen)
		slices.Sort(mine)
		if !slices.Equal(seen, mine) {
			t.Fatalf("walking 10,000 ids showed %v, want only the walker's own records %v", seen, mine)
		}
	})
	t.Run("nodes with more than 100 ids", func(t *testing.T) {
		ids := make([]int, 101)
		for i := range ids {
			ids[i] = userB + i
		}
		res := s.post(primary, `query($ids:[ID!]!) { nodes(ids:$ids) { id } }`, map[string]any{"ids": ids})
		expect(t, "nodes(101 ids)", res, http.StatusUnprocessableEntity, "BAD_USER_INPUT", "nodes takes at most 100 ids")
	})
	t.Run("connections need first or last from 1 to 100", func(t *testing.T) {
		for args, msg := range map[string]string{"": "give first or last", "(first:101)": "first must be 1 to 100",
			"(last:0)": "last must be 1 to 100", "(first:-5)": "first must be 1 to 100"} {
			res := s.post(primary, `query($n:String!) { site(number:$n) { contacts`+args+` { edges { node { id } } } } }`, map[string]any{"n": a.Number})
			expect(t, "contacts"+args, res, http.StatusUnprocessableEntity, "BAD_USER_INPUT", msg)
		}
	})
}

// TestMassAssignment: the inputs cannot carry what only dedicated mutations change (role,
// status, Site, version, privileges above one's own).
func TestMassAssignment(t *testing.T) {
	s := newStack(t, graph.Options{})
	a := s.R.A
	primary := s.TokenFor(apitest.Primary)
	userB := a.ContactID(apitest.UserB)
	cases := []struct {
		name, query string
		vars        map[string]any
		field       string
	}{
		{"accessRole in UpdateContactInput", `mutation($id:ID!) { updateContact(id:$id, expectedVersion:2, input:{accessRole:PRIMARY}) { id } }`,
			map[string]any{"id": userB}, `Field "accessRole" is not defined by type "UpdateContactInput"`},
		{"status and site through variables", updateContact,
			map[string]any{"id": userB, "v": 2, "in": map[string]any{"status": "ACTIVE", "siteID": s.R.B.ID, "jobTitle": "x"}}, "unknown field"},
		{"version and emailKey through variables", updateContact,
			map[string]any{"id": userB, "v": 2, "in": map[string]any{"version": 99, "emailKey": "primary@x.example"}}, "unknown field"},
		{"privileges in a bulk details patch", `mutation($in:UpdateContactsInput!) { updateContacts(input:$in) { id } }`,
			map[string]any{"in": map[string]any{"siteId": a.ID, "all": true, "details": map[string]any{"softwareAccess": "FULL"}}}, "unknown field"},
		{"role and status inside addContact details", `mutation($in:AddContactInput!) { addContact(input:$in) { id } }`,
			map[string]any{"in": map[string]any{"siteId": a.ID, "accessRole": "USER", "businessJustification": "x", "details": map[string]any{
				"email": "new@x.example", "firstName": "N", "lastName": "P", "phone": "+1 914 555 0100", "city": "C", "stateProvince": "S", "postalCode": "P",
				"accessRole": "PRIMARY", "status": "ACTIVE"}}}, "unknown field"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := s.Dump()
			res := s.post(primary, tc.query, tc.vars)
			expect(t, tc.name, res, http.StatusUnprocessableEntity, "GRAPHQL_VALIDATION_FAILED", tc.field)
			s.unchanged(t, before, tc.name)
		})
	}
	t.Run("privileges above one's own", func(t *testing.T) {
		before := s.Dump()
		res := s.post(s.TokenFor(apitest.SecManager), `mutation($in:AddContactInput!) { addContact(input:$in) { id } }`,
			map[string]any{"in": map[string]any{"siteId": a.ID, "accessRole": "USER", "businessJustification": "x",
				"privileges": map[string]any{"softwareAccess": "FULL"},
				"details":    map[string]any{"email": "new@x.example", "firstName": "N", "lastName": "P", "phone": "+1 914 555 0100", "city": "C", "stateProvince": "S", "postalCode": "P"}}})
		expect(t, "a manager grants more than they hold", res, http.StatusOK, "FORBIDDEN", "")
		s.unchanged(t, before, "a grant above one's own level")
	})
}

// TestBadInput: names, emails and country codes a form would never send.
func TestBadInput(t *testing.T) {
	s := newStack(t, graph.Options{})
	primary := s.TokenFor(apitest.Primary)
	userB := s.R.A.ContactID(apitest.UserB)
	// Emails go to a contact nobody signed in as yet: a signed-in one's is their identity's.
	invited, err := s.Client.Contact.Create().SetSiteID(s.R.A.ID).SetEmail("invited@x.example").SetFirstName("I").SetLastName("N").
		SetBusinessJustification("Orders").SetAccessRole(domain.RoleUser).SetStatus(domain.StatusInvited).
		SetInvitationExpiresAt(time.Now().Add(time.Hour)).Save(apitest.Sys())
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("x", 10_000)
	cases := []struct {
		name  string
		input map[string]any
		field string
		msg   string
	}{
		{"empty name", map[string]any{"firstName": ""}, "firstName", "required fields cannot be empty: firstName"},
		{"blank name", map[string]any{"lastName": " \t "}, "lastName", "required fields cannot be empty: lastName"},
		{"10,000-character name", map[string]any{"lastName": long}, "lastName", "lastName is too long"},
		{"control characters in a name", map[string]any{"firstName": "Ann\x00\x1b[31m"}, "firstName", "firstName must not contain control characters"},
		{"an email without a domain", map[string]any{"email": "someone@"}, "email", "email must be an email address"},
		{"an email with a display name", map[string]any{"email": "Eve <eve@evil.example>"}, "email", "email must be an email address"},
		{"an email with a newline", map[string]any{"email": "a@x.example\nBcc: eve@evil.example"}, "email", "email"},
		{"a country that does not exist", map[string]any{"country": "XX"}, "country", "country must be an ISO 3166-1 alpha-2 code"},
		{"a country name instead of a code", map[string]any{"country": "Germany"}, "country", "country must be an ISO 3166-1 alpha-2 code"},
		{"a lower-case country code", map[string]any{"country": "de"}, "country", "country must be an ISO 3166-1 alpha-2 code"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := s.Dump()
			id, version := userB, 2
			if tc.field == "email" {
				id, version = invited.ID, invited.Version
			}
			res := s.post(primary, updateContact, map[string]any{"id": id, "v": version, "in": tc.input})
			expect(t, tc.name, res, http.StatusOK, "BAD_USER_INPUT", tc.msg)
			if !slices.Equal(res.Errors[0].Extensions.Fields, []string{tc.field}) {
				t.Errorf("fields %v, want [%s]", res.Errors[0].Extensions.Fields, tc.field)
			}
			for _, v := range tc.input {
				if str := v.(string); len(str) > 3 && strings.Contains(res.Body, jsonString(str)[1:len(jsonString(str))-1]) {
					t.Errorf("the answer echoes the input: %.200s", res.Body)
				}
			}
			s.unchanged(t, before, tc.name)
		})
	}
	t.Run("a <script> name is data, not markup", func(t *testing.T) {
		name := `<script>alert(document.cookie)</script>`
		res := s.post(primary, `mutation($id:ID!, $in:UpdateContactInput!) { updateContact(id:$id, expectedVersion:2, input:$in) { lastName } }`,
			map[string]any{"id": userB, "in": map[string]any{"lastName": name}})
		if res.Status != http.StatusOK || len(res.Errors) > 0 {
			t.Fatalf("HTTP %d %+v", res.Status, res.Errors)
		}
		var out struct{ UpdateContact struct{ LastName string } }
		_ = json.Unmarshal(res.Data, &out)
		var stored string
		if err := s.QueryRow(`SELECT last_name FROM contacts WHERE id = ?`, userB).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if out.UpdateContact.LastName != name || stored != name {
			t.Fatalf("stored %q, answered %q; want the text unchanged", stored, out.UpdateContact.LastName)
		}
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/") || !strings.Contains(ct, "json") {
			t.Fatalf("Content-Type %q: a browser could render the answer", ct)
		}
		if res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("X-Content-Type-Options = %q, want nosniff", res.Header.Get("X-Content-Type-Options"))
		}
	})
}

// asIfAbsent reports whether e is the answer node(id:) gives for an id that does not exist.
func asIfAbsent(e apitest.Error, id int) bool {
	return e.Extensions.Code == "NOT_FOUND" && e.Message == fmt.Sprintf("Could not resolve to a node with the global id of '%d'", id)
}
