package graph_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"sitekeeper/ent"
	"sitekeeper/ent/contact"
	"sitekeeper/graph"
	"sitekeeper/internal/db/dbtest"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/testkit/apitest"
	"sitekeeper/internal/testkit/sqlcount"
)

const contactsPage = `query($n:String!, $first:Int!) { site(number:$n) { contacts(first:$first) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { cursor node { id email firstName lastName phone city stateProvince postalCode street country jobTitle
    language businessJustification accessRole status version lastSignInAt
    privileges { softwareAccess reporting entitlements manageAccess contactUpdates accountDocuments }
    contactTypes site { id number name } } } } } }`

func TestNoNPlusOne(t *testing.T) {
	client, sqlDB, counter := sqlcount.Open(t)
	e := apitest.NewWith(t, client, sqlDB)

	s, token := seedBigSite(t, e)

	type page struct {
		Site struct {
			Contacts struct {
				TotalCount int
				PageInfo   struct{ HasNextPage bool }
				Edges      []struct {
					Node struct {
						Email      string
						Privileges struct{ SoftwareAccess string }
						Site       struct{ Number string }
					}
				}
			}
		}
	}
	measure := func(first int) int {
		t.Helper()
		counter.Reset()
		began := time.Now()
		res := e.Exec(token, contactsPage, map[string]any{"n": s.Number, "first": first}).OK()
		took := time.Since(began)
		n, stmts := counter.Count(), counter.Statements()
		var out page
		res.Decode(&out)
		c := out.Site.Contacts
		if c.TotalCount != 100 || len(c.Edges) != first || c.PageInfo.HasNextPage != (first < 100) {
			t.Fatalf("first:%d answered totalCount %d, %d edges, hasNextPage %v", first, c.TotalCount, len(c.Edges), c.PageInfo.HasNextPage)
		}
		for _, edge := range c.Edges {
			if edge.Node.Site.Number != s.Number || edge.Node.Privileges.SoftwareAccess == "" {
				t.Fatalf("first:%d: incomplete node %+v", first, edge.Node)
			}
		}
		t.Logf("first:%d -> %d statements in %v:\n  %s", first, n, took, strings.Join(stmts, "\n  "))
		return n
	}
	small, large := measure(10), measure(100)
	if again := measure(10); again != small {
		t.Errorf("the same query took %d statements, then %d: the count is not stable", small, again)
	}
	if small != large {
		t.Errorf("statements grow with the page size: %d for 10 contacts, %d for 100", small, large)
	}
	// The viewer's contacts (authentication), the Site with its page of contacts, the total count.
	const most = 4
	if large > most {
		t.Errorf("%d statements for a page of contacts, want at most %d", large, most)
	}
}

// seedBigSite makes a Site of 100 contacts and signs its PRIMARY in, twice: the first call links
// the contact and caches the identity; the second finds nothing left to link and caches that too.
// From then on the middleware's lookups per request are fixed.
func seedBigSite(t testing.TB, e *apitest.Env) (*ent.Site, string) {
	t.Helper()
	ctx := apitest.Sys()
	s, err := e.Client.Site.Create().SetNumber("4000004").SetName("Big Site").SetCustomerNumber("C-4000004").Save(ctx)
	if err != nil {
		t.Fatal(err)
	}
	const primary = "big-primary@x.example"
	for i := range 100 {
		email, role, privs := fmt.Sprintf("member-%03d@x.example", i), domain.RoleUser, domain.NoPrivileges()
		if i == 0 {
			email, role, privs = primary, domain.RolePrimary, domain.HighestPrivileges()
		}
		err := e.Client.Contact.Create().SetSiteID(s.ID).SetEmail(email).
			SetFirstName("First").SetLastName(fmt.Sprintf("Last%03d", i)).
			SetPhone("+1 914 555 0100").SetCity("Armonk").SetStateProvince("NY").SetPostalCode("10504").
			SetStreet("1 Main St").SetCountry("US").SetJobTitle("Engineer").SetLanguage("en").
			SetBusinessJustification("Seeded for the N+1 test").SetAccessRole(role).SetStatus(domain.StatusActive).
			SetSoftwareAccess(privs.SoftwareAccess).SetReporting(privs.Reporting).SetEntitlements(privs.Entitlements).
			SetManageAccess(privs.ManageAccess).SetContactUpdates(privs.ContactUpdates).SetAccountDocuments(privs.AccountDocuments).
			Exec(ctx)
		if err != nil {
			t.Fatalf("seed contact %d: %v", i, err)
		}
	}
	token := e.SignIn(primary)
	e.SignIn(primary)

	return s, token
}

// BenchmarkContactsPage runs the contacts page of 50 through the handler:
// go test -run '^$' -bench ContactsPage -benchmem ./graph
func BenchmarkContactsPage(b *testing.B) {
	client, sqlDB := dbtest.OpenDB(b)
	e := apitest.NewWith(b, client, sqlDB, func(o *graph.Options) { o.CostPerMinute, o.CostBurst = 1<<30, 1<<30 })
	s, token := seedBigSite(b, e)
	vars := map[string]any{"n": s.Number, "first": 50}
	for b.Loop() {
		e.Exec(token, contactsPage, vars).OK()
	}
}

// A list of Sites with their primary contacts costs the same whatever its length: the primary
// contacts are batched into one query.
func TestSitesWithPrimaryContactsAreBatched(t *testing.T) {
	client, sqlDB, counter := sqlcount.Open(t)
	e := apitest.NewWith(t, client, sqlDB)
	for i := range 20 {
		e.SeedSite(fmt.Sprintf("50000%02d", i), apitest.Person{
			Email: fmt.Sprintf("p%02d@x.example", i), Role: domain.RolePrimary, Privileges: domain.HighestPrivileges()})
	}
	token := e.OperatorToken()
	e.Exec(token, `{ viewer { isOperator } }`, nil).OK()
	e.Exec(token, `{ viewer { isOperator } }`, nil).OK()
	count := func(first int) int {
		counter.Reset()
		res := e.Exec(token, `query($first:Int!) { sites(first:$first) { edges { node { number primaryContact { email } } } } }`,
			map[string]any{"first": first}).OK()
		if got := strings.Count(string(res.Data), "@x.example"); got != first {
			t.Fatalf("first:%d returned %d primary contacts: %s", first, got, res.Data)
		}
		return counter.Count()
	}
	// One query per Site would add 18 statements; a batch split by scheduling jitter (the
	// loader waits 2 ms for its batch, which a loaded -race run can overrun) adds one or two.
	if few, many := count(2), count(20); many > few+2 {
		t.Fatalf("statements grow with the list: %d for 2 Sites, %d for 20", few, many)
	}
}

// A page's contacts take their Site from the parent (ent.ContactSiteFromParent): with the columns
// the parent did not ask for, and not when their Site asks for more than columns.
func TestContactSiteFromTheParentSite(t *testing.T) {
	client, sqlDB, counter := sqlcount.Open(t)
	e := apitest.NewWith(t, client, sqlDB)
	r := e.SeedRoster()
	token := e.SignIn(apitest.Primary)
	type node struct {
		Site struct {
			Number, CustomerNumber string
			Contacts               struct{ TotalCount int }
		}
	}
	var out struct {
		Site struct {
			Name     string
			Contacts struct{ Edges []struct{ Node node } }
		}
	}
	counter.Reset()
	e.Exec(token, `query($n:String!) { site(number:$n) { name contacts(first:3) { edges { node {
		site { number customerNumber } } } } } }`, map[string]any{"n": r.A.Number}).OK().Decode(&out)
	if n := counter.Count(); n != 3 {
		t.Errorf("%d statements, want 3 (viewer, Site, contacts):\n%s", n, strings.Join(counter.Statements(), "\n"))
	}
	if out.Site.Name != r.A.Name || len(out.Site.Contacts.Edges) != 3 {
		t.Fatalf("answer %+v", out)
	}
	for _, edge := range out.Site.Contacts.Edges {
		if edge.Node.Site.Number != r.A.Number || edge.Node.Site.CustomerNumber != r.A.CustomerNumber {
			t.Fatalf("contact's Site %+v, want %s / %s", edge.Node.Site, r.A.Number, r.A.CustomerNumber)
		}
	}

	// Their Site asks for its own contacts: it is loaded, not taken from the parent.
	e.Exec(token, `query($n:String!) { site(number:$n) { contacts(first:2) { edges { node {
		site { number contacts(first:1) { totalCount } } } } } } }`, map[string]any{"n": r.A.Number}).OK().Decode(&out)
	total, err := e.Client.Contact.Query().Where(contact.SiteID(r.A.ID)).Count(apitest.Sys())
	if err != nil {
		t.Fatal(err)
	}
	for _, edge := range out.Site.Contacts.Edges {
		if edge.Node.Site.Number != r.A.Number || edge.Node.Site.Contacts.TotalCount != total {
			t.Fatalf("contact's Site %+v, want %s with %d contacts", edge.Node.Site, r.A.Number, total)
		}
	}
}

// The Site's page of contacts is loaded with the Site (site(number:) collects its fields): paging
// forward with cursors, backward, sorted and filtered, it answers what the connection promises.
func TestSiteContactsPaging(t *testing.T) {
	e := apitest.New(t)
	s, token := seedBigSite(t, e)
	type page struct {
		Site struct {
			Contacts struct {
				TotalCount int
				PageInfo   struct {
					HasNextPage, HasPreviousPage bool
					EndCursor, StartCursor       *string
				}
				Edges []struct{ Node struct{ LastName string } }
			}
		}
	}
	const q = `query($n:String!, $first:Int, $after:Cursor, $last:Int, $before:Cursor, $where:ContactWhereInput) {
	  site(number:$n) { contacts(first:$first, after:$after, last:$last, before:$before, where:$where,
	    orderBy:{field:LAST_NAME, direction:ASC}) {
	    totalCount pageInfo { hasNextPage hasPreviousPage endCursor startCursor } edges { node { lastName } } } } }`
	fetch := func(vars map[string]any) page {
		t.Helper()
		vars["n"] = s.Number
		var p page
		e.Exec(token, q, vars).OK().Decode(&p)
		return p
	}
	var names []string
	var after any
	for range 4 {
		p := fetch(map[string]any{"first": 40, "after": after, "where": map[string]any{"accessRole": "USER"}})
		c := p.Site.Contacts
		for _, edge := range c.Edges {
			names = append(names, edge.Node.LastName)
		}
		if c.TotalCount != 99 {
			t.Fatalf("totalCount %d, want the 99 USERs", c.TotalCount)
		}
		if !c.PageInfo.HasNextPage {
			break
		}
		after = *c.PageInfo.EndCursor
	}
	if len(names) != 99 || !slices.IsSorted(names) || slices.Contains(names, "Last000") || len(slices.Compact(slices.Clone(names))) != 99 {
		t.Fatalf("paged forward through %d names, want Last001..Last099 once each, sorted: %v", len(names), names)
	}
	p := fetch(map[string]any{"last": 10})
	c := p.Site.Contacts
	if len(c.Edges) != 10 || c.Edges[0].Node.LastName != "Last090" || c.Edges[9].Node.LastName != "Last099" || !c.PageInfo.HasPreviousPage {
		t.Fatalf("last:10 answered %+v", c)
	}
	p = fetch(map[string]any{"last": 5, "before": *c.PageInfo.StartCursor})
	if c := p.Site.Contacts; len(c.Edges) != 5 || c.Edges[0].Node.LastName != "Last085" || c.Edges[4].Node.LastName != "Last089" {
		t.Fatalf("last:5 before Last090 answered %+v", c.Edges)
	}
}

// TestOverdueSitesWithTheirReviewsAreBatched: the operators' page of overdue Sites asks each
// Site for its open review and that review's progress; the list costs the same statements for
// 2 Sites as for 20 (the Sites of the page load in one batch whatever the scheduling).
func TestOverdueSitesWithTheirReviewsAreBatched(t *testing.T) {
	client, sqlDB, counter := sqlcount.Open(t)
	e := apitest.NewWith(t, client, sqlDB)
	for i := range 20 {
		s := e.SeedSite(fmt.Sprintf("51000%02d", i), apitest.Person{
			Email: fmt.Sprintf("p%02d@x.example", i), Role: domain.RolePrimary, Privileges: domain.HighestPrivileges()})
		e.Exec(e.TokenFor(fmt.Sprintf("p%02d@x.example", i)), `mutation($s:ID!) { startReview(siteId:$s) { id } }`,
			map[string]any{"s": s.ID}).OK()
	}
	token := e.OperatorToken()
	e.Exec(token, `{ viewer { isOperator } }`, nil).OK()
	count := func(first int) int {
		counter.Reset()
		res := e.Exec(token, `query($first:Int!) { sites(first:$first) { edges { node { number currentReview { id dueAt progress { total pending } } } } } }`,
			map[string]any{"first": first}).OK()
		if got := strings.Count(string(res.Data), `"pending":1`); got != first {
			t.Fatalf("first:%d returned %d open reviews: %s", first, got, res.Data)
		}
		return counter.Count()
	}
	few, many := count(2), count(20)
	t.Logf("statements: %d for 2 Sites, %d for 20", few, many)
	if many != few {
		t.Fatalf("statements grow with the list: %d for 2 Sites, %d for 20", few, many)
	}
}
