package graph_test

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"sitekeeper/graph"
	"sitekeeper/internal/benchseed"
	"sitekeeper/internal/testkit/apitest"
)

// Direct writing answers byte for byte what gqlgen's execution of every field answers: for
// every field of every object it knows (read from the schema, so a new field is covered the
// day it is added), with values that need escaping, for callers whose directives open and
// close, with aliases, fragments, skipped fields, orders and nulls; and selections it does not
// know (a resolver, a directive) fall back to gqlgen.
func TestDirectWritingMatchesGqlgen(t *testing.T) {
	e, ref := directEnv(t)
	opts := benchseed.Options{Sites: 3, ContactsPerSite: 8, LargeSites: 1, LargeSiteContacts: 12, PartnerSites: 3}
	actors := map[string]string{
		"partner":  seedPartnerSync(t, e, opts),
		"PRIMARY":  e.SignIn(benchseed.PrimaryEmail(0)),
		"operator": e.OperatorToken(),
	}
	number := benchseed.SiteNumber(0)
	// An ACTIVE USER who may not list the contacts: the Site's contacts field is refused
	// (@can), which nulls the Site where it stands, with the error's path through the page.
	var userEmail string
	must(e.QueryRow(e.Rebind(`SELECT email FROM contacts WHERE site_id = (SELECT id FROM sites WHERE number = ?)
		AND access_role = 'USER' AND status = 'ACTIVE' AND manage_access = 'NONE' AND contact_updates = 'NONE' ORDER BY id LIMIT 1`), number).Scan(&userEmail))
	actors["USER"] = e.SignIn(userEmail)

	// Values that need escaping; optional values set on some contacts and not on others.
	tricky := []string{`Quote " and \ backslash`, "tab\tnew\nline\rcr \x01\x1f", "Zoë 東京 😀 <b>&amp;</b>", "", " spaces "}
	rows, err := e.Query(e.Rebind(`SELECT id FROM contacts WHERE site_id = (SELECT id FROM sites WHERE number = ?) ORDER BY id`), number)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int
	for rows.Next() {
		var id int
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	_ = rows.Close()
	for i, id := range ids {
		s := tricky[i%len(tricky)]
		var signedIn any
		if i%3 == 1 {
			signedIn = time.Date(2026, 11, 3, 4, 5, 6, 789_000_000, time.UTC)
		}
		e.ExecSQL(e.Rebind(`UPDATE contacts SET first_name = ?, last_name = ?, job_title = ?, street = ?, city = ?, last_sign_in_at = ? WHERE id = ?`),
			s, s+"x", s, s, s, signedIn, id)
	}

	schema, plain := graph.Schema(), graph.DirectlyWritten()
	pageInfo := selectAll(schema, "PageInfo", 0, nil)
	page := func(args, node string) string {
		return `query($n:String!) { site(number:$n) { contacts(` + args + `) { __typename totalCount pageInfo { ` + pageInfo +
			` } edges { __typename cursor node { ` + node + ` } } } } }`
	}
	queries := map[string]string{
		// Fields written by resolvers and directives among them: gqlgen writes the contacts.
		"every field":        page("first: 50", selectAll(schema, "Contact", 2, nil)),
		"plain fields":       page("first: 50", selectAll(schema, "Contact", 1, plain)),
		"ordered, backwards": page("last: 5, orderBy: {field: LAST_NAME, direction: DESC}", selectAll(schema, "Contact", 1, plain)),
		"aliases, fragments, skip and include": `query($n:String!, $yes:Boolean!) { site(number:$n) { contacts(first:50) {
			edges { ...edge c2: cursor node { __typename ... on Node { id } who: email email email @skip(if:$yes)
				lastName @include(if:$yes) firstName @include(if:false) p: privileges { reporting }
				privileges { softwareAccess reporting } ...more } } } } }
			fragment edge on ContactEdge { cursor }
			fragment more on Contact { id contactTypes site { __typename number id } }`,
		"the primary contact": `query($n:String!) { site(number:$n) { primaryContact { ` + selectAll(schema, "Contact", 1, plain) + ` } } }`,
		// One fragment, merged with more fields in one place and alone in the other.
		"a fragment merged in one place only": `query($n:String!) { site(number:$n) { ...list contacts(first: 5) { totalCount } }
			again: site(number:$n) { ...list } }
			fragment list on Site { contacts(first: 5) { edges { node { email } } } }`,
		// A refused non-null root field nulls the whole answer; a missing Site is null.
		"a refused root field": `{ reviews(first: 1) { totalCount } }`,
		"no such Site":         `{ site(number: "0000000") { contacts(first: 1) { totalCount } } }`,
		"sites and their contacts": `{ sites(first: 10) { edges { node { number contacts(first: 3) { totalCount
			edges { node { email privileges { reporting } site { name } } } } } } } }`,
		// The page of Sites is written directly and each Site's contacts by gqlgen's execution
		// of the field (delegated): arguments, aliases, the same field twice, a page's end.
		"a page of Sites, every field the writer knows": `{ sites(first: 2) { __typename totalCount pageInfo { ` + pageInfo + ` }
			edges { __typename cursor node { __typename id number name
				a: contacts(first: 1) { totalCount edges { cursor node { email accessRole } } }
				contacts(last: 2, orderBy: {field: LAST_NAME, direction: DESC}) { pageInfo { hasNextPage } edges { node { lastName } } } } } } }`,
		"the partner sync's page":             benchseed.PartnerSyncQuery,
		"a Site with its contacts, by number": `query($n:String!) { site(number:$n) { id name contacts(first: 3) { edges { node { email } } } } }`,
		// A deferred fragment anywhere keeps every field gqlgen's.
		"a deferred fragment": `{ sites(first: 2) { edges { node { number contacts(first: 1) { edges { node { email ... @defer { lastName } } } } } } } }`,
	}
	vars := map[string]any{"n": number, "yes": true}
	for actor, token := range actors {
		for name, q := range queries {
			got, want := e.Exec(token, q, vars), ref.Exec(token, q, vars)
			if got.Status != want.Status || string(got.Data) != string(want.Data) || errorSet(got) != errorSet(want) {
				t.Errorf("%s, %s:\n got HTTP %d %s\n%s\nwant HTTP %d %s\n%s", actor, name,
					got.Status, got.Data, errorSet(got), want.Status, want.Data, errorSet(want))
			}
			if actor == "PRIMARY" && name == "plain fields" && (!strings.Contains(string(got.Data), `Quote \" and \\ backslash`) ||
				!strings.Contains(string(got.Data), `\u0001\u001F`) || !strings.Contains(string(got.Data), `"lastSignInAt":"2026-11-03T04:05:06.789Z"`)) {
				t.Errorf("the page lacks the values that need escaping: %s", got.Data)
			}
			if actor == "USER" && name == "a page of Sites, every field the writer knows" &&
				(!strings.Contains(string(got.Data), `"node":null`) || !strings.Contains(errorSet(got), `"path":["sites","edges",0,"node","a"]`)) {
				t.Errorf("the USER's refused contacts did not null the Site with the error's path: %s\n%s", got.Data, errorSet(got))
			}
			if actor == "partner" && name == "plain fields" && !strings.Contains(errorSet(got), "partners see contact roles only") {
				t.Errorf("a partner read contact details: %s", got.Data)
			}
		}
	}

	// The plain page is written directly: it allocates a fraction of what gqlgen does.
	q := queries["plain fields"]
	direct := testing.AllocsPerRun(5, func() { e.Exec(actors["PRIMARY"], q, vars) })
	byField := testing.AllocsPerRun(5, func() { ref.Exec(actors["PRIMARY"], q, vars) })
	if direct > byField/2 {
		t.Errorf("a page of 12 contacts allocates %.0f times, field by field %.0f: not written directly", direct, byField)
	}
	t.Logf("a page of 12 contacts, every plain field: %.0f allocations, %.0f field by field", direct, byField)

	// So is a page of Sites, each with its contacts by gqlgen's execution of that one field.
	q = benchseed.PartnerSyncQuery
	direct = testing.AllocsPerRun(5, func() { e.Exec(actors["partner"], q, nil) })
	byField = testing.AllocsPerRun(5, func() { ref.Exec(actors["partner"], q, nil) })
	if direct > byField/2 {
		t.Errorf("a page of Sites allocates %.0f times, field by field %.0f: not written directly", direct, byField)
	}
	t.Logf("a page of 3 Sites and their contacts: %.0f allocations, %.0f field by field", direct, byField)
}

// A deferred fragment anywhere in the document (on a field, an inline fragment, a spread, or
// inside a fragment's definition) keeps the operation from delegating fields: they would run
// without the operation's channel of deferred results.
func TestDeferredFragmentsAreFound(t *testing.T) {
	for query, want := range map[string]bool{
		`{ sites(first: 1) { edges { node { number contacts(first: 1) { totalCount } } } } }`:                       false,
		`{ sites(first: 1) { edges { node { ... @defer { number } } } } }`:                                          true,
		`{ sites(first: 1) { edges { node { ...n @defer } } } } fragment n on Site { number }`:                      true,
		`{ sites(first: 1) { edges { node { ...n } } } } fragment n on Site { ... @defer { number } }`:              true,
		`{ sites(first: 1) { edges { node { contacts(first: 1) { edges { node { ... @defer { email } } } } } } } }`: true,
	} {
		if got := graph.DefersAnywhere(query); got != want {
			t.Errorf("%s: defers %v, want %v", query, got, want)
		}
	}
}

// errorSet is a response's errors in a stable order (gqlgen resolves fields concurrently).
func errorSet(r *apitest.Result) string {
	var all []string
	for _, e := range r.Errors {
		b, _ := json.Marshal(e)
		all = append(all, string(b))
	}
	slices.Sort(all)
	return strings.Join(all, "\n")
}

// directEnv is one server with two GraphQL handlers over the same database: the default one
// at e.URL, and ref.URL answering field by field.
func directEnv(t *testing.T) (e, ref *apitest.Env) {
	t.Helper()
	e = apitest.New(t)
	e.Handle("/reference/graphql", graph.NewHandler(e.Client, graph.Options{
		Logger: slog.New(slog.DiscardHandler), MaxSecondary: 4, FieldByField: true,
		CostPerMinute: 1 << 30, CostBurst: 1 << 30,
	}))
	r := *e
	r.URL = e.Root + "/reference/graphql"
	return e, &r
}

// selectAll selects every field of typeName that takes no argument, objects depth levels deep
// (each with __typename); only, when set, keeps the fields it names.
func selectAll(schema *ast.Schema, typeName string, depth int, only map[string][]string) string {
	var b strings.Builder
	b.WriteString("__typename")
	for _, f := range schema.Types[typeName].Fields {
		if strings.HasPrefix(f.Name, "__") || len(f.Arguments) > 0 {
			continue
		}
		if only != nil && !slices.Contains(only[typeName], f.Name) {
			continue
		}
		switch schema.Types[f.Type.Name()].Kind {
		case ast.Scalar, ast.Enum:
			b.WriteString(" " + f.Name)
		case ast.Object, ast.Interface:
			if depth > 0 {
				fmt.Fprintf(&b, " %s { %s }", f.Name, selectAll(schema, f.Type.Name(), depth-1, only))
			}
		}
	}
	return b.String()
}
