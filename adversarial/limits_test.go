package adversarial_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"sitekeeper/graph"
	"sitekeeper/internal/testkit/apitest"
	"sitekeeper/internal/viewer"
)

// loopQuery nests Site -> contacts -> Contact -> site ... levels times: the classic cyclic
// connection query that would fetch 100^levels rows.
func loopQuery(levels int) string {
	var b strings.Builder
	b.WriteString(`query { sites(first:100) { edges { node { `)
	for range levels {
		b.WriteString(`contacts(first:100) { edges { node { site { `)
	}
	b.WriteString(`number`)
	for range levels {
		b.WriteString(` } } } }`)
	}
	b.WriteString(` } } } }`)
	return b.String()
}

// aliases selects the viewer under n aliases.
func aliases(n int) string {
	var b strings.Builder
	b.WriteString("query {")
	for i := range n {
		fmt.Fprintf(&b, " a%d: viewer { isOperator }", i)
	}
	b.WriteString(" }")
	return b.String()
}

// TestQueryLimits: documents built to make the server work hard are refused before they run.
func TestQueryLimits(t *testing.T) {
	s := newStack(t, graph.Options{})
	primary := s.TokenFor(apitest.Primary)

	t.Run("a loop query with nested connections", func(t *testing.T) {
		res := s.post(primary, loopQuery(12), nil)
		expect(t, "loop query", res, http.StatusUnprocessableEntity, "BAD_USER_INPUT", "the query nests fields deeper than 10 levels")
		if string(res.Data) != "null" && len(res.Data) != 0 {
			t.Fatalf("a refused query returned data: %s", res.Data)
		}
	})
	t.Run("depth 10 passes, depth 11 does not", func(t *testing.T) {
		// viewer(1) contacts(2) site(3) contacts(4) edges(5) node(6) site(7) contacts(8) edges(9) cursor(10)
		deep := `{ viewer { contacts { site { contacts(first:1) { edges { node { site { contacts(first:1) { edges { %s } } } } } } } } } }`
		if res := s.post(primary, fmt.Sprintf(deep, "cursor"), nil); res.Status != http.StatusOK || len(res.Errors) > 0 {
			t.Fatalf("depth 10: HTTP %d %+v", res.Status, res.Errors)
		}
		res := s.post(primary, fmt.Sprintf(deep, "node { id }"), nil)
		expect(t, "depth 11", res, http.StatusUnprocessableEntity, "BAD_USER_INPUT", "deeper than 10 levels")
	})
	t.Run("200 aliases", func(t *testing.T) {
		expect(t, "200 aliases", s.post(primary, aliases(200), nil), http.StatusUnprocessableEntity, "BAD_USER_INPUT", "the query uses more than 30 aliases")
		if res := s.post(primary, aliases(30), nil); res.Status != http.StatusOK || len(res.Errors) > 0 {
			t.Fatalf("30 aliases: HTTP %d %+v", res.Status, res.Errors)
		}
	})
	t.Run("aliases counted through fragments", func(t *testing.T) {
		// 16 aliases in a fragment, spread twice: 32 in the answer.
		var frag strings.Builder
		for i := range 16 {
			fmt.Fprintf(&frag, " f%d: isOperator", i)
		}
		q := `query { a: viewer { ...F } b: viewer { ... on Viewer { ...F } } } fragment F on Viewer {` + frag.String() + ` }`
		expect(t, "aliases in fragments", s.post(primary, q, nil), http.StatusUnprocessableEntity, "BAD_USER_INPUT", "more than 30 aliases")
	})
	t.Run("depth hidden in fragments", func(t *testing.T) {
		q := `query { viewer { ...V } }
			fragment V on Viewer { contacts { ...C } }
			fragment C on Contact { site { ...S } }
			fragment S on Site { contacts(first:1) { edges { node { ...C2 } } } }
			fragment C2 on Contact { site { contacts(first:1) { edges { node { site { id } } } } } }`
		expect(t, "deep fragments", s.post(primary, q, nil), http.StatusUnprocessableEntity, "BAD_USER_INPUT", "deeper than 10 levels")
	})
	t.Run("cyclic fragments", func(t *testing.T) {
		q := `query { viewer { contacts { ...A } } } fragment A on Contact { site { primaryContact { ...B } } } fragment B on Contact { ...A }`
		expect(t, "cyclic fragments", s.post(primary, q, nil), http.StatusUnprocessableEntity, "GRAPHQL_VALIDATION_FAILED", `Cannot spread fragment "A" within itself`)
	})
	t.Run("fragments that multiply", func(t *testing.T) {
		// F0 spreads F1 twice, F1 spreads F2 twice ...: 2^18 fields once expanded, from a tiny document.
		var b strings.Builder
		b.WriteString(`query { viewer { ...F0 } }`)
		for i := range 18 {
			fmt.Fprintf(&b, ` fragment F%d on Viewer { ...F%d ...F%d }`, i, i+1, i+1)
		}
		b.WriteString(` fragment F18 on Viewer { isOperator }`)
		res := s.post(primary, b.String(), nil)
		expect(t, "fragment bomb", res, http.StatusUnprocessableEntity, "BAD_USER_INPUT", "the query selects more than 5000 fields once its fragments are expanded")
		if res.took > 2*time.Second {
			t.Fatalf("the fragment bomb took %s to refuse", res.took)
		}
	})
	t.Run("a token bomb", func(t *testing.T) {
		// Values, not names: 20,000 names are refused before the parser (TestValidationBombs).
		q := `{ sites(first:1, where:{nameIn:[` + strings.Repeat(`"a" `, 20_000) + `]}) { totalCount } }`
		res := s.post(primary, q, nil)
		expect(t, "token bomb", res, http.StatusUnprocessableEntity, "GRAPHQL_PARSE_FAILED", "exceeded token limit of 15000")
	})
	t.Run("a cost budget exceeded", func(t *testing.T) {
		// Nodes, not fields: sites 1 + 100 x (edges 1 + node 1 + three connections of 1 + 100 x
		// (edges 1 + node 1)); the fields cost nothing beyond the node they are read from.
		q := `{ sites(first:100) { edges { node { contacts(first:100) { edges { node { id email firstName lastName phone city } } }
			auditEvents(first:100) { edges { node { id action } } } accessRequests(first:100) { edges { node { id email } } } } } } }`
		expect(t, "cost budget", s.post(primary, q, nil), http.StatusUnprocessableEntity, "BAD_USER_INPUT",
			"the query could touch up to 60501 records, more than the limit of 50000: ask for smaller pages or fewer nested lists")
		// The same shape at 40 access requests a page fits (48,501) and runs.
		q = strings.Replace(q, "accessRequests(first:100)", "accessRequests(first:40)", 1)
		if res := s.post(primary, q, nil); res.Status != http.StatusOK || len(res.Errors) > 0 {
			t.Fatalf("a query within the budget: HTTP %d %+v", res.Status, res.Errors)
		}
	})
	t.Run("nodes are priced by the ids asked for", func(t *testing.T) {
		// 100 ids x three connections of a Site's 100 nodes.
		ids := make([]string, 100)
		for i := range ids {
			ids[i] = fmt.Sprint(s.R.A.ID)
		}
		q := `{ nodes(ids:[` + strings.Join(ids, ",") + `]) { ... on Site { contacts(first:100) { edges { node { id email firstName lastName phone city } } }
			auditEvents(first:100) { edges { node { id } } } accessRequests(first:100) { edges { node { id } } } } } }`
		expect(t, "nodes cost", s.post(primary, q, nil), http.StatusUnprocessableEntity, "BAD_USER_INPUT", "more than the limit of 50000")
	})
	t.Run("no field suggestions", func(t *testing.T) {
		res := s.post(primary, `{ viewer { contatcs { id } } }`, nil)
		expect(t, "misspelled field", res, http.StatusUnprocessableEntity, "GRAPHQL_VALIDATION_FAILED", `Cannot query field "contatcs" on type "Viewer".`)
		if strings.Contains(res.Body, "Did you mean") {
			t.Fatalf("suggestions outside dev mode: %s", res.Body)
		}
	})
	t.Run("the playground's introspection query passes", func(t *testing.T) {
		res := s.post(primary, introspectionQuery, nil)
		if res.Status != http.StatusOK || len(res.Errors) > 0 || !strings.Contains(string(res.Data), `"updateContacts"`) {
			t.Fatalf("introspection: HTTP %d %+v", res.Status, res.Errors)
		}
	})
	t.Run("deep introspection", func(t *testing.T) {
		q := `{ __type(name:"Site") { fields { type { fields { type { fields { type { fields { name } } } } } } } } }`
		expect(t, "introspection lists nested 4 deep", s.post(primary, q, nil), http.StatusUnprocessableEntity, "GRAPHQL_VALIDATION_FAILED", "Maximum introspection depth exceeded")
	})
}

// TestTransports: what reaches /graphql other than one JSON operation.
func TestTransports(t *testing.T) {
	s := newStack(t, graph.Options{})
	primary := s.TokenFor(apitest.Primary)
	auth := map[string]string{"Authorization": "Bearer " + primary}

	t.Run("a 10 MB body", func(t *testing.T) {
		body := `{"query":"{ viewer { isOperator } }","variables":{"x":"` + strings.Repeat("a", 10<<20) + `"}}`
		res := s.rawPost("/graphql", "application/json", strings.NewReader(body), auth)
		expect(t, "10 MB body", res, http.StatusRequestEntityTooLarge, "BAD_USER_INPUT", "the request body is larger than 1 MiB")
	})
	t.Run("a 10 MB body without a length", func(t *testing.T) {
		// Chunked: the server only finds out while reading.
		body := io.MultiReader(strings.NewReader(`{"query":"{ viewer { isOperator } }","variables":{"x":"`),
			io.LimitReader(repeatReader('a'), 10<<20), strings.NewReader(`"}}`))
		res := s.rawPost("/graphql", "application/json", body, auth)
		expect(t, "10 MB chunked body", res, http.StatusRequestEntityTooLarge, "BAD_USER_INPUT", "the request body is larger than 1 MiB")
	})
	t.Run("a JSON batch", func(t *testing.T) {
		before := s.Dump()
		op := fmt.Sprintf(`{"query":"mutation { markSiteReviewed(siteId:%d) { id } }"}`, s.R.A.ID)
		res := s.rawPost("/graphql", "application/json", strings.NewReader(" ["+op+","+op+"]"), auth)
		expect(t, "batch", res, http.StatusBadRequest, "BAD_USER_INPUT", "batches are not accepted: send one operation per request")
		s.unchanged(t, before, "a batch")
	})
	t.Run("a body that is not a GraphQL request", func(t *testing.T) {
		res := s.rawPost("/graphql", "application/json", strings.NewReader(`{"query": {"secret-probe": 1}}`), auth)
		expect(t, "undecodable body", res, http.StatusBadRequest, "BAD_USER_INPUT", "the request body is not a GraphQL request")
		if strings.Contains(res.Body, "secret-probe") {
			t.Fatalf("the answer echoes the body: %s", res.Body)
		}
	})
	t.Run("a mutation over GET", func(t *testing.T) {
		before := s.Dump()
		q := fmt.Sprintf(`mutation { markSiteReviewed(siteId:%d) { id } }`, s.R.A.ID)
		req, _ := http.NewRequest(http.MethodGet, s.url+"/graphql?query="+url.QueryEscape(q), nil)
		req.Header.Set("Authorization", "Bearer "+primary)
		res := s.do(req)
		if res.Status != http.StatusNotAcceptable || res.message() != "GET requests only allow query operations" {
			t.Fatalf("GET mutation: HTTP %d %s", res.Status, res.Body)
		}
		s.unchanged(t, before, "a mutation over GET")
		req, _ = http.NewRequest(http.MethodGet, s.url+"/graphql?query="+url.QueryEscape(`{ viewer { isOperator } }`), nil)
		req.Header.Set("Authorization", "Bearer "+primary)
		if res := s.do(req); res.Status != http.StatusOK || string(res.Data) != `{"viewer":{"isOperator":false}}` {
			t.Fatalf("GET query: HTTP %d %s", res.Status, res.Body)
		}
	})
}

type repeatReader byte

func (r repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

// TestRefusalsCostAlmostNothing measures what a refused loop query costs: the round trip over
// the network, and the allocations and retained memory of the handler itself.
func TestRefusalsCostAlmostNothing(t *testing.T) {
	s := newStack(t, graph.Options{})
	primary := s.TokenFor(apitest.Primary)
	q := loopQuery(40)
	s.post(primary, q, nil) // warm up connections
	var worst time.Duration
	for i := range 20 {
		// A new document each time, so that the parser's cache does not help.
		res := s.post(primary, fmt.Sprintf("%s # %d", q, i), nil)
		expect(t, "loop query", res, http.StatusUnprocessableEntity, "BAD_USER_INPUT", "deeper than 10 levels")
		worst = max(worst, res.took)
	}
	t.Logf("loop query (40 levels, %d bytes): slowest refusal of 20 took %s", len(q), worst)
	if worst > 50*time.Millisecond {
		t.Fatalf("a refusal took %s, want under 50 ms", worst)
	}

	// The handler alone, called in-process as the signed-in PRIMARY.
	h := graph.NewHandler(s.Client, graph.Options{})
	v := &viewer.Viewer{UserID: 1, Email: apitest.Primary, EmailVerified: true}
	n := 0
	call := func() {
		n++
		body := fmt.Sprintf(`{"query":%s}`, jsonString(fmt.Sprintf("%s # %d", q, n)))
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader([]byte(body)))
		req.Header.Set("Content-Type", "application/json")
		req = req.WithContext(viewer.NewContext(req.Context(), v))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusUnprocessableEntity {
			t.Fatalf("in-process refusal: %d %s", w.Code, w.Body)
		}
	}
	allocs := testing.AllocsPerRun(200, call)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range 1000 {
		call()
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	perCall := (after.TotalAlloc - before.TotalAlloc) / 1000
	retained := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("per refusal: %.0f allocations, %d bytes allocated; heap after 1000 refusals: %+d bytes", allocs, perCall, retained)
	if allocs > 5000 || perCall > 512<<10 {
		t.Fatalf("a refusal allocates %.0f times, %d bytes", allocs, perCall)
	}
	// The parsed-query cache keeps up to 1000 documents; beyond it memory stays flat.
	if retained > 32<<20 {
		t.Fatalf("1000 refusals kept %d bytes on the heap", retained)
	}
}

// TestEveryListFieldHasAComplexity fails when a list field of the schema (a connection or
// nodes) has no complexity function, so that a new connection cannot escape the cost budget.
func TestEveryListFieldHasAComplexity(t *testing.T) {
	root := reflect.ValueOf(graph.Complexity())
	var missing []string
	for i := range root.NumField() {
		obj := root.Field(i)
		for j := range obj.NumField() {
			f := obj.Field(j)
			ft := f.Type()
			if ft.Kind() != reflect.Func {
				continue
			}
			paged := false
			for k := range ft.NumIn() {
				// A connection takes cursors; nodes takes a list of ids.
				if in := ft.In(k); strings.Contains(in.String(), "Cursor") || in == reflect.TypeFor[[]int]() {
					paged = true
				}
			}
			if paged && f.IsNil() {
				missing = append(missing, root.Type().Field(i).Name+"."+obj.Type().Field(j).Name)
			}
		}
	}
	if len(missing) > 0 {
		t.Fatalf("list fields without a complexity function (add them in graph/limits.go): %v", missing)
	}
}

// introspectionQuery is the query GraphiQL sends to draw the schema.
const introspectionQuery = `query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } } } }`
