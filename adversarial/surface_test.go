package adversarial_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"sitekeeper/frontend"
	"sitekeeper/graph"
	"sitekeeper/internal/server"
	"sitekeeper/internal/testkit/apitest"
)

// TestAnonymousSurface: without credentials, viewer (user null) and instance answer; every other
// root field the schema has, introspection included, is UNAUTHENTICATED before it is validated.
func TestAnonymousSurface(t *testing.T) {
	s := newStack(t, graph.Options{})
	var schema struct {
		Schema struct {
			QueryType, MutationType struct {
				Fields []struct{ Name string }
			}
		} `json:"__schema"`
	}
	res := s.post(s.OperatorToken(), `{ __schema { queryType { fields { name } } mutationType { fields { name } } } }`, nil)
	if err := json.Unmarshal(res.Data, &schema); err != nil || len(schema.Schema.QueryType.Fields) == 0 {
		t.Fatalf("introspection as an operator: %s %v", res.Body, err)
	}
	open := []string{"viewer", "instance"}
	checked := 0
	for kind, fields := range map[string][]struct{ Name string }{"query": schema.Schema.QueryType.Fields, "mutation": schema.Schema.MutationType.Fields} {
		for _, f := range fields {
			if kind == "query" && slices.Contains(open, f.Name) {
				continue
			}
			// No arguments and no selection: the refusal comes before validation would object.
			res := s.post("", fmt.Sprintf("%s { %s }", kind, f.Name), nil)
			expect(t, kind+" "+f.Name, res, http.StatusOK, "UNAUTHENTICATED", "sign in first")
			if string(res.Data) != "" && string(res.Data) != "null" {
				t.Errorf("%s %s answered data: %s", kind, f.Name, res.Data)
			}
			checked++
		}
	}
	for _, q := range []string{`{ __schema { types { name } } }`, `{ __type(name:"Contact") { fields { name } } }`,
		`query { viewer { isOperator } ...X } fragment X on Query { sites(first:1) { totalCount } }`} {
		expect(t, q, s.post("", q, nil), http.StatusOK, "UNAUTHENTICATED", "sign in first")
	}
	res = s.post("", `{ __typename viewer { user { email } isOperator partner { name } contacts { id } } instance { devMode maxSecondary } }`, nil)
	if res.Status != http.StatusOK || len(res.Errors) > 0 ||
		string(res.Data) != `{"__typename":"Query","viewer":{"user":null,"isOperator":false,"partner":null,"contacts":[]},"instance":{"devMode":false,"maxSecondary":4}}` {
		t.Fatalf("anonymous viewer and instance: HTTP %d %s %+v", res.Status, res.Data, res.Errors)
	}
	t.Logf("%d root fields refused to anonymous callers", checked)

	// A signed-in person, or a partner, reads the schema; in dev mode anyone does (tools).
	for _, token := range []string{s.TokenFor(apitest.UserA), s.PartnerToken(apitest.PartnerClient)} {
		if res := s.post(token, `{ __schema { queryType { name } } }`, nil); len(res.Errors) > 0 {
			t.Fatalf("signed-in introspection: %+v", res.Errors)
		}
	}
	dev := newStack(t, graph.Options{DevMode: true})
	if res := dev.post("", `{ __schema { queryType { name } } }`, nil); len(res.Errors) > 0 || !strings.Contains(string(res.Data), "Query") {
		t.Fatalf("dev-mode anonymous introspection: %+v", res.Errors)
	}
	expect(t, "dev-mode anonymous sites", dev.post("", `{ sites(first:1) { totalCount } }`, nil), http.StatusOK, "UNAUTHENTICATED", "sign in first")
}

// TestNoMetricsOnTheAPI: the service's request rates and error codes are not the public's.
func TestNoMetricsOnTheAPI(t *testing.T) {
	s := newStack(t, graph.Options{})
	req, _ := http.NewRequest(http.MethodGet, s.url+"/metrics", nil)
	res := s.do(req)
	if res.Status == http.StatusOK || strings.Contains(res.Body, "sitekeeper_") || strings.Contains(res.Body, "go_sql_") {
		t.Fatalf("/metrics on the API address: HTTP %d %.200s", res.Status, res.Body)
	}
	req.Header.Set("Authorization", "Bearer "+s.OperatorToken())
	if res := s.do(req); strings.Contains(res.Body, "sitekeeper_") {
		t.Fatalf("/metrics on the API address for an operator: HTTP %d", res.Status)
	}
}

// TestMalformedScalars: an ID, Time or Cursor the API never issued is the caller's mistake.
func TestMalformedScalars(t *testing.T) {
	s := newStack(t, graph.Options{})
	primary := s.TokenFor(apitest.Primary)
	cases := []struct {
		name, query string
		vars        map[string]any
		field, msg  string
	}{
		{"an ID that is no number", `{ node(id:"abc") { id } }`, nil, "id", "not an ID"},
		{"an ID variable that is a fraction", `query($id:ID!) { node(id:$id) { id } }`, map[string]any{"id": 1.5}, "id", "not an ID"},
		{"IDs of which one is bad", `query($ids:[ID!]!) { nodes(ids:$ids) { id } }`, map[string]any{"ids": []any{"1", "x"}}, "ids", "not an ID"},
		{"a cursor never issued", `{ sites(first:1, after:"garbage") { totalCount } }`, nil, "after", "not a cursor"},
		{"a cursor variable never issued", `query($c:Cursor) { sites(last:1, before:$c) { totalCount } }`, map[string]any{"c": "!!!"}, "before", "not a cursor"},
		{"a time in a filter", `{ sites(first:1, where:{createdAtGT:"yesterday"}) { totalCount } }`, nil, "where.createdAtGT", "not a time"},
		{"a time in a filter variable", `query($w:SiteWhereInput) { sites(first:1, where:$w) { totalCount } }`,
			map[string]any{"w": map[string]any{"or": []any{map[string]any{"reviewDueAtLT": "soon"}}}}, "where.or.reviewDueAtLT", "not a time"},
		{"a time in a mutation", `mutation($s:ID!, $p:ID!) { grantPartnerAccess(siteId:$s, partnerId:$p, expiresAt:"tomorrow") { id } }`,
			map[string]any{"s": s.R.A.ID, "p": s.R.OtherPartner.ID}, "expiresAt", "not a time"},
		{"an empty filter under not", `{ sites(first:1, where:{not:{}}) { totalCount } }`, nil, "where", "must set at least one condition"},
	}
	for _, tc := range cases {
		before := s.Dump()
		res := s.post(primary, tc.query, tc.vars)
		expect(t, tc.name, res, http.StatusOK, "BAD_USER_INPUT", tc.msg)
		if f := res.Errors[0].Extensions.Fields; len(f) != 1 || !strings.HasPrefix(f[0], tc.field) {
			t.Errorf("%s: fields %v, want %s", tc.name, f, tc.field)
		}
		s.unchanged(t, before, tc.name)
	}
}

// TestValidationAndVariableBombs: documents and variables built to make validation or coercion
// work for seconds are refused first, cheaply, whoever sends them. (internal/crashtest measures
// the same bombs against the real binary, with its memory.)
func TestValidationAndVariableBombs(t *testing.T) {
	s := newStack(t, graph.Options{})
	nested := func(depth int) any {
		var v any = map[string]any{"nameContainsFold": "x"}
		for range depth {
			v = map[string]any{"not": v}
		}
		return v
	}
	frag := "{ viewer { ...A ...A ...A ...A ...A ...A ...A ...A ...A ...A ...A } } fragment A on Viewer { isOperator }"
	cases := []struct {
		name, query string
		vars        map[string]any
		msg         string
	}{
		{"14,000 repeats of one field", "{ viewer { " + strings.Repeat("isOperator ", 14_000) + "} }", nil, "names more than 5000"},
		{"11 repeats of one field", "{ viewer { " + strings.Repeat("isOperator ", 11) + "} }", nil, "repeats isOperator more than 10 times"},
		{"11 repeats through fragments", "{ viewer { isOperator ...F } } fragment F on Viewer { " + strings.Repeat("isOperator ", 10) + "}", nil, "repeats isOperator more than 10 times"},
		{"one fragment spread 11 times", frag, nil, "repeats ...A more than 10 times"},
		{"repeats in a fragment nobody spreads", "{ viewer { isOperator } } fragment U on Viewer { " + strings.Repeat("isOperator ", 11) + "}", nil, "repeats isOperator"},
		{"a where-input 2,000 deep in the variables", `query($w:SiteWhereInput) { sites(first:1, where:$w) { totalCount } }`,
			map[string]any{"w": nested(2_000)}, "nest objects and lists deeper than 8 levels"},
		{"a where-input 9 deep in the variables", `query($w:SiteWhereInput) { sites(first:1, where:$w) { totalCount } }`,
			map[string]any{"w": nested(8)}, "deeper than 8 levels"},
		{"a where-input 900 deep in the document", `{ sites(first:1, where:` + strings.Repeat("{not:", 900) + `{nameContainsFold:"x"}` + strings.Repeat("}", 900) + `) { totalCount } }`,
			nil, "the argument where nests objects and lists deeper than 8 levels"},
		{"20,000 values in the variables", `query($ids:[ID!]!) { nodes(ids:$ids) { id } }`, map[string]any{"ids": make([]int, 20_000)}, "more than 10000 values"},
	}
	for _, who := range []struct{ name, token string }{
		{"anonymous", ""}, {"USER", s.TokenFor(apitest.UserA)}, {"partner", s.PartnerToken(apitest.PartnerClient)},
	} {
		for _, tc := range cases {
			res := s.post(who.token, tc.query, tc.vars)
			expect(t, who.name+": "+tc.name, res, http.StatusUnprocessableEntity, "BAD_USER_INPUT", tc.msg)
			if res.took > time.Second {
				t.Errorf("%s: %s took %s", who.name, tc.name, res.took)
			}
		}
	}
	// What the dashboard sends stays well inside: a where-input 8 deep, 10 repeats.
	res := s.post(s.TokenFor(apitest.Primary), `query($w:SiteWhereInput) { sites(first:1, where:$w) { totalCount } }`, map[string]any{"w": nested(7)}) // 8 objects
	if len(res.Errors) > 0 {
		t.Fatalf("a where-input 8 deep: %+v", res.Errors)
	}
	if res := s.post(s.TokenFor(apitest.Primary), "{ viewer { "+strings.Repeat("isOperator ", 10)+"} }", nil); len(res.Errors) > 0 {
		t.Fatalf("10 repeats: %+v", res.Errors)
	}
}

// TestPagesRefuseFraming: every HTML page says it may not be framed by another site.
func TestPagesRefuseFraming(t *testing.T) {
	s := newStack(t, graph.Options{}, func(d *server.Deps) { d.SPA = frontend.Handler() })
	for _, path := range []string{"/", "/sites/1000001/contacts", "/playground", "/auth/callback?state=x&code=y"} {
		req, _ := http.NewRequest(http.MethodGet, s.url+path, nil)
		res := s.do(req)
		if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("GET %s: %d %s", path, res.Status, res.Header.Get("Content-Type"))
		}
		if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("GET %s: Content-Security-Policy %q", path, csp)
		}
	}
}
