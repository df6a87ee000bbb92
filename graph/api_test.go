package graph_test

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"sitekeeper/internal/testkit/apitest"
)

func TestRequiredFieldsAndValidation(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	token := e.TokenFor(apitest.Primary)
	update := `mutation($id:ID!, $v:Int!, $in:UpdateContactInput!) { updateContact(id:$id, expectedVersion:$v, input:$in) { id } }`
	// Emails are checked on a contact nobody signed in as yet: a signed-in one's is their identity's.
	var added struct{ AddContact struct{ ID string } }
	e.Exec(token, `mutation($in:AddContactInput!) { addContact(input:$in) { id } }`, map[string]any{"in": map[string]any{
		"siteId": r.A.ID, "accessRole": "USER", "businessJustification": "Orders",
		"details": map[string]any{"email": "invitee@x.example", "firstName": "I", "lastName": "V", "phone": "+1 914 555 0100", "city": "C", "stateProvince": "S", "postalCode": "P"},
	}}).OK().Decode(&added)
	invitee, _ := strconv.Atoi(added.AddContact.ID)
	cases := []struct {
		name   string
		input  map[string]any
		code   string
		fields []string
	}{
		{"blank required fields", map[string]any{"firstName": "", "phone": "  "}, "BAD_USER_INPUT", []string{"firstName", "phone"}},
		{"bad country", map[string]any{"country": "XX"}, "BAD_USER_INPUT", []string{"country"}},
		{"a phone that is no number", map[string]any{"phone": "abc"}, "BAD_USER_INPUT", []string{"phone"}},
		{"a phone in words", map[string]any{"phone": "call me"}, "BAD_USER_INPUT", []string{"phone"}},
		{"a country by its usual name", map[string]any{"country": "USA"}, "BAD_USER_INPUT", []string{"country"}},
		{"a language by its name", map[string]any{"language": "english"}, "BAD_USER_INPUT", []string{"language"}},
		{"bad email", map[string]any{"email": "not an email"}, "BAD_USER_INPUT", []string{"email"}},
		{"a signed-in contact's email", map[string]any{"email": "user-b2@x.example"}, "BAD_USER_INPUT", []string{"email"}},
		{"bad language", map[string]any{"language": "not-a-language-tag!"}, "BAD_USER_INPUT", []string{"language"}},
		{"control characters", map[string]any{"lastName": "Smith\u0007"}, "BAD_USER_INPUT", []string{"lastName"}},
		{"too long", map[string]any{"city": strings.Repeat("x", 101)}, "BAD_USER_INPUT", []string{"city"}},
		{"duplicate email on the Site", map[string]any{"email": "USER-A@x.example"}, "CONFLICT", nil},
	}
	for _, tc := range cases {
		before := e.Dump()
		id, version := r.A.ContactID(apitest.UserB), 2
		if _, email := tc.input["email"]; email && tc.name != "a signed-in contact's email" {
			id, version = invitee, 1
		}
		res := e.Exec(token, update, map[string]any{"id": id, "v": version, "in": tc.input})
		if res.Code() != tc.code {
			t.Errorf("%s: want %s, got %+v", tc.name, tc.code, res.Errors)
			continue
		}
		if tc.fields != nil && !slices.Equal(res.Errors[0].Extensions.Fields, tc.fields) {
			t.Errorf("%s: fields %v, want %v", tc.name, res.Errors[0].Extensions.Fields, tc.fields)
		}
		msg := strings.ToLower(res.Errors[0].Message)
		for _, leak := range []string{"sql", "unique", "constraint", "ent:", "goroutine", "not an email", "xx"} {
			if strings.Contains(msg, leak) {
				t.Errorf("%s: message %q leaks %q", tc.name, res.Errors[0].Message, leak)
			}
		}
		if e.Dump() != before {
			t.Errorf("%s: refused change altered the database", tc.name)
		}
	}
	res := e.Exec(e.OperatorToken(), `mutation { createSite(input:{number:"3000003", name:"N", customerNumber:"C",
		primaryContact:{email:"x", firstName:"A", lastName:"B", phone:"+1 914 555 0100", city:"C", stateProvince:"S", postalCode:"P"}}) { id } }`, nil)
	if res.Code() != "BAD_USER_INPUT" || !slices.Equal(res.Errors[0].Extensions.Fields, []string{"primaryContact.email"}) {
		t.Fatalf("createSite with a bad primary email: %+v", res.Errors)
	}
	res = e.Exec(e.OperatorToken(), `mutation { createSite(input:{number:"12", name:"N", customerNumber:"C",
		primaryContact:{email:"a@b.example", firstName:"A", lastName:"B", phone:"+1 914 555 0100", city:"C", stateProvince:"S", postalCode:"P"}}) { id } }`, nil)
	if res.Code() != "BAD_USER_INPUT" || !slices.Equal(res.Errors[0].Extensions.Fields, []string{"number"}) {
		t.Fatalf("createSite with a short number: %+v", res.Errors)
	}
}

func TestStaleVersionIsAConflict(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	token := e.TokenFor(apitest.Primary)
	edit := `mutation($id:ID!, $v:Int!) { updateContact(id:$id, expectedVersion:$v, input:{jobTitle:"Buyer"}) { version } }`
	vars := map[string]any{"id": r.A.ContactID(apitest.UserB), "v": 2}
	e.Exec(token, edit, vars).OK()
	before := e.Dump()
	if res := e.Exec(token, edit, vars); res.Code() != "CONFLICT" || !strings.Contains(res.Errors[0].Message, "version 3") {
		t.Fatalf("stale version: %+v", res.Errors)
	}
	if e.Dump() != before {
		t.Fatal("a stale update changed the database")
	}
	vars["id"] = 999
	if res := e.Exec(token, edit, vars); res.Code() != "NOT_FOUND" {
		t.Fatalf("unknown id: %+v", res.Errors)
	}
}

func TestPageSizeIsRequiredAndBounded(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	token := e.TokenFor(apitest.Primary)
	for _, args := range []string{"", "(first:101)", "(last:0)", "(first:-1)"} {
		res := e.Exec(token, `query($n:String!) { site(number:$n) { contacts`+args+` { edges { node { id } } } } }`, map[string]any{"n": r.A.Number})
		if res.Code() != "BAD_USER_INPUT" {
			t.Errorf("contacts%s: want BAD_USER_INPUT, got %s %+v", args, res.Data, res.Errors)
		}
	}
	if res := e.Exec(token, `{ sites { edges { node { id } } } }`, nil); res.Code() != "BAD_USER_INPUT" {
		t.Errorf("sites without first: %+v", res.Errors)
	}
	var out struct{ Sites struct{ TotalCount int } }
	e.Exec(token, `{ sites(first:100) { totalCount } }`, nil).OK().Decode(&out)
	if out.Sites.TotalCount != 1 {
		t.Errorf("the PRIMARY of one Site sees %d Sites", out.Sites.TotalCount)
	}
}

func TestContactFiltersAndOrder(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	token := e.TokenFor(apitest.Primary)
	e.Exec(token, `mutation($s:ID!, $c:ID!) { assignContactType(siteId:$s, type:BILLING, contactId:$c) { id } }`,
		map[string]any{"s": r.A.ID, "c": r.A.ContactID(apitest.UserB)}).OK()
	e.Exec(token, `mutation($id:ID!) { deactivateContact(id:$id) { status } }`, map[string]any{"id": r.A.ContactID(apitest.UserA)}).OK()
	emails := func(where map[string]any, order map[string]any) []string {
		var out struct {
			Site struct {
				Contacts struct {
					Edges []struct{ Node struct{ Email string } }
				}
			}
		}
		e.Exec(token, `query($n:String!, $w:ContactWhereInput, $o:ContactOrder) { site(number:$n) {
			contacts(first:50, where:$w, orderBy:$o) { edges { node { email } } } } }`,
			map[string]any{"n": r.A.Number, "w": where, "o": order}).OK().Decode(&out)
		var list []string
		for _, edge := range out.Site.Contacts.Edges {
			list = append(list, edge.Node.Email)
		}
		return list
	}
	cases := []struct {
		name  string
		where map[string]any
		order map[string]any
		want  []string
	}{
		{"search by name or email", map[string]any{"search": "SEC-E"}, nil, []string{apitest.SecEditor}},
		{"by role", map[string]any{"accessRole": "USER"}, nil, []string{apitest.UserA, apitest.UserB}},
		{"by status", map[string]any{"status": "DEACTIVATED"}, nil, []string{apitest.UserA}},
		{"by contact type", map[string]any{"hasContactType": "BILLING"}, nil, []string{apitest.UserB}},
		{"by PRIMARY type", map[string]any{"hasContactType": "PRIMARY"}, nil, []string{apitest.Primary}},
		{"by privilege level", map[string]any{"manageAccessIn": []string{"VIEW", "UPDATE"}, "accessRoleNEQ": "PRIMARY"}, nil, []string{apitest.SecManager, apitest.SecViewer}},
		{"ordered by email, descending", map[string]any{"accessRole": "SECONDARY"}, map[string]any{"field": "EMAIL", "direction": "DESC"},
			[]string{apitest.SecViewer, apitest.SecNone, apitest.SecManager, apitest.SecEditor}},
	}
	for _, tc := range cases {
		got := emails(tc.where, tc.order)
		if tc.order == nil {
			slices.Sort(got)
			slices.Sort(tc.want)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestBulkUpdateIsAllOrNothing(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	bulk := `mutation($in:UpdateContactsInput!) { updateContacts(input:$in) { email city privileges { reporting } } }`
	ids := []int{r.A.ContactID(apitest.UserA), r.A.ContactID(apitest.Primary), r.A.ContactID(apitest.UserB)}
	before := e.Dump()
	res := e.Exec(e.TokenFor(apitest.SecEditor), bulk, map[string]any{"in": map[string]any{"siteId": r.A.ID, "ids": ids, "details": map[string]any{"city": "Boston"}}})
	if res.Code() != "FORBIDDEN" || !slices.Equal(res.Errors[0].Extensions.IDs, []string{strconv.Itoa(r.A.ContactID(apitest.Primary))}) {
		t.Fatalf("bulk touching the PRIMARY's record: %+v", res.Errors)
	}
	if e.Dump() != before {
		t.Fatal("a refused bulk update changed some records")
	}
	var out struct {
		UpdateContacts []struct {
			City       string
			Privileges struct{ Reporting string }
		}
	}
	e.Exec(e.TokenFor(apitest.Primary), bulk, map[string]any{"in": map[string]any{"siteId": r.A.ID, "ids": ids[:1],
		"details": map[string]any{"city": "Boston"}, "privileges": map[string]any{"reporting": "VIEW"}}}).OK().Decode(&out)
	if len(out.UpdateContacts) != 1 || out.UpdateContacts[0].City != "Boston" || out.UpdateContacts[0].Privileges.Reporting != "VIEW" {
		t.Fatalf("bulk by the PRIMARY: %+v", out)
	}
	res = e.Exec(e.TokenFor(apitest.Primary), bulk, map[string]any{"in": map[string]any{"siteId": r.A.ID, "all": true, "details": map[string]any{"city": "Denver"}}}).OK()
	if n := strings.Count(string(res.Data), "Denver"); n != 7 {
		t.Fatalf("all: true changed %d of 7 contacts", n)
	}
	res = e.Exec(e.TokenFor(apitest.Primary), bulk, map[string]any{"in": map[string]any{"siteId": r.A.ID, "ids": []int{r.B.ContactID(apitest.OtherPrimary)}, "details": map[string]any{"city": "X"}}})
	if res.Code() != "NOT_FOUND" {
		t.Fatalf("bulk reaching another Site: %+v", res.Errors)
	}
}

func TestTransports(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	get := func(query string) *http.Response {
		req, _ := http.NewRequest(http.MethodGet, e.URL+"?query="+url.QueryEscape(query), nil)
		req.Header.Set("Authorization", "Bearer "+e.TokenFor(apitest.Primary))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if resp := get(`{ viewer { isOperator } }`); resp.StatusCode != http.StatusOK {
		t.Errorf("GET query: %d", resp.StatusCode)
	}
	before := e.Dump()
	if resp := get(`mutation { markSiteReviewed(siteId:` + itoa(r.A.ID) + `) { id } }`); resp.StatusCode == http.StatusOK {
		t.Errorf("GET ran a mutation")
	}
	if e.Dump() != before {
		t.Error("GET changed the database")
	}
	req, _ := http.NewRequest(http.MethodPost, e.URL, strings.NewReader("query=%7Bviewer%7BisOperator%7D%7D"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode < 400 {
		t.Errorf("form POST accepted: %d", resp.StatusCode)
	}
	big := strings.NewReader(`{"query":"{ viewer { isOperator } }","variables":{"x":"` + strings.Repeat("a", 2<<20) + `"}}`)
	req, _ = http.NewRequest(http.MethodPost, e.URL, big)
	req.Header.Set("Content-Type", "application/json")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("2 MiB body: %d, want 413", resp.StatusCode)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestNullFiltersAreIgnored(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	res := e.Exec(e.TokenFor(apitest.Primary), `query($n:String!) { site(number:$n) {
		contacts(first:50, where:{hasContactType:null, search:null, stale:null}) { totalCount } } }`, map[string]any{"n": r.A.Number}).OK()
	if !strings.Contains(string(res.Data), `"totalCount":7`) {
		t.Fatalf("null filters: %s", res.Data)
	}
}
