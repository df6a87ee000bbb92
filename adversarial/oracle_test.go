package adversarial_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"testing"

	"sitekeeper/graph"
	"sitekeeper/internal/testkit/apitest"
)

// The oracle walker: every where-input field, every orderBy field and every totalCount the
// schema exposes, asked of by every kind of caller, must tell that caller nothing it may not
// read. It learns the surface from introspection, so a field added to the schema is walked the
// day it appears, and a field it cannot judge fails the test until someone decides about it.
//
// For each caller, each connection that takes a where argument (at the root, or under every row
// of a Node type that has one) and each where field, the walker reads, as that caller, the
// output field the predicate looks at. Where the caller reads it on every row it sees, the
// filter is theirs to use (and must still return only rows they see). Where it does not (a
// hidden row, a refused field, a refused connection), every probe, built from the values the
// caller cannot read and from values nobody has, must get the same answer, alone and under not
// and or: a match and a miss are indistinguishable.

// oracleDerived are the where fields that are not "<field><Op>" of an output field: the output
// fields each one looks at, and the values that exercise it. A new hand-written where field
// needs a line here, else the walker fails.
var oracleDerived = map[string]struct {
	fields []string
	values func(hidden []any, schema *oracleSchema) []any
}{
	"ContactWhereInput.search": {[]string{"firstName", "lastName", "email"}, func(hidden []any, _ *oracleSchema) []any {
		return append(hidden, "zz-oracle-miss")
	}},
	"ContactWhereInput.hasContactType": {[]string{"contactTypes"}, func(_ []any, s *oracleSchema) []any {
		return s.enumValues("ContactType")
	}},
	"AuditEventWhereInput.person": {[]string{"actor", "targetLabel"}, func(hidden []any, _ *oracleSchema) []any {
		return append(hidden, "zz-oracle-miss")
	}},
	"ContactWhereInput.stale": {[]string{"status", "lastSignInAt", "invitationExpiresAt", "createdAt"}, func([]any, *oracleSchema) []any {
		return []any{true, false}
	}},
}

// predicateSuffixes are the operations entgql generates, longest first so that "NotIn" wins over "In".
var predicateSuffixes = []string{"ContainsFold", "EqualFold", "HasPrefix", "HasSuffix", "Contains", "NotNil", "IsNil", "NotIn", "NEQ", "GTE", "LTE", "In", "GT", "LT"}

func TestFiltersAreNoOracle(t *testing.T) {
	s := newStack(t, graph.Options{CostPerMinute: 1 << 30, CostBurst: 1 << 30})
	operator := s.OperatorToken()
	primary := s.TokenFor(apitest.Primary)
	outsider := s.TokenFor(apitest.Outsider)
	stranger := s.SignIn("stranger@x.example")

	// Rows for every type the where-inputs reach: a denied request (its requester keeps a
	// notification about Site A), a pending one, an invitation, an audit trail.
	var req struct {
		RequestAccess struct{ ID string } `json:"requestAccess"`
	}
	decode(t, s.post(outsider, `mutation($n:String!) { requestAccess(siteNumber:$n, justification:"I run the servers") { id } }`,
		map[string]any{"n": s.R.A.Number}), &req)
	ok(t, s.post(primary, `mutation($id:ID!) { decideAccessRequest(id:$id, grant:false, reason:"Not our contractor") { id } }`,
		map[string]any{"id": req.RequestAccess.ID}))
	ok(t, s.post(stranger, `mutation($n:String!) { requestAccess(siteNumber:$n, justification:"New in purchasing") { id } }`,
		map[string]any{"n": s.R.A.Number}))
	ok(t, s.post(primary, `mutation($in:AddContactInput!) { addContact(input:$in) { id } }`, map[string]any{"in": map[string]any{
		"siteId": s.R.A.ID, "accessRole": "USER", "businessJustification": "Billing questions",
		"details": map[string]any{"email": "invitee@x.example", "firstName": "Ivy", "lastName": "Invitee", "phone": "+1 914 555 0199",
			"city": "White Plains", "stateProvince": "NY", "postalCode": "10601", "street": "1 Hidden Way", "country": "US"},
	}}))
	ok(t, s.post(primary, `mutation($s:ID!, $c:ID!) { assignContactType(siteId:$s, type:BILLING, contactId:$c) { id } }`,
		map[string]any{"s": s.R.A.ID, "c": s.R.A.ContactID(apitest.UserA)}))
	// An open access review of Site A, one item decided and one self-confirmed, so that the
	// review and item filters have rows to tell apart.
	var started struct {
		StartReview struct {
			ID    string
			Items struct {
				Edges []struct{ Node struct{ ID string } }
			}
		} `json:"startReview"`
	}
	decode(t, s.post(primary, `mutation($s:ID!) { startReview(siteId:$s) { id items(first:100) { edges { node { id } } } } }`,
		map[string]any{"s": s.R.A.ID}), &started)
	ok(t, s.post(primary, `mutation($id:ID!) { decideReviewItem(id:$id, decision:REMOVE, note:"Left the company") { id } }`,
		map[string]any{"id": started.StartReview.Items.Edges[len(started.StartReview.Items.Edges)-1].Node.ID}))
	ok(t, s.post(s.TokenFor(apitest.UserA), `mutation($s:ID!) { confirmOwnDetails(siteId:$s) { id } }`, map[string]any{"s": s.R.A.ID}))

	actors := []struct{ name, token string }{
		{"anonymous", ""},
		{"stranger", stranger},
		{"denied requester", outsider},
		{"USER", s.TokenFor(apitest.UserA)},
		{"SECONDARY without rights", s.TokenFor(apitest.SecNone)},
		{"another Site's PRIMARY", s.TokenFor(apitest.OtherPrimary)},
		{"partner", s.PartnerToken(apitest.PartnerClient)},
		{"partner without a grant", s.PartnerToken(apitest.OtherPartnerClient)},
		// Callers who may read (some of) it: their filters must still keep to their rows.
		{"SECONDARY with VIEW", s.TokenFor(apitest.SecViewer)},
		{"manager", s.TokenFor(apitest.SecManager)},
	}

	schema := introspect(t, s, operator)
	entries := schema.connectionEntries(t)
	walked := map[string]bool{}
	for _, e := range entries {
		walked[e.whereType] = true
	}
	for _, name := range schema.whereInputs() {
		if !walked[name] {
			t.Errorf("%s is declared but no connection takes it: drop it from the schema", name)
		}
	}

	o := &oracle{s: s, t: t, schema: schema, operator: operator, reads: map[string]readResult{}}
	fields, probes := 0, 0
	for _, e := range entries {
		for _, instance := range o.instances(e) {
			leaves := o.leaves(e)
			fields += len(leaves)
			for _, a := range actors {
				probes += o.judge(e, instance, leaves, a.name, a.token)
				o.judgeOrder(e, instance, a.name, a.token)
			}
		}
	}
	t.Logf("walked %d connections, %d where fields (with their instances), %d probes for %d kinds of caller", len(entries), fields, probes, len(actors))
}

type typeRef struct {
	Kind   string   `json:"kind"`
	Name   *string  `json:"name"`
	OfType *typeRef `json:"ofType"`
}

func (r typeRef) named() string {
	for cur := &r; cur != nil; cur = cur.OfType {
		if cur.Name != nil {
			return *cur.Name
		}
	}
	return ""
}

type inputValue struct {
	Name string  `json:"name"`
	Type typeRef `json:"type"`
}

type schemaField struct {
	Name string       `json:"name"`
	Args []inputValue `json:"args"`
	Type typeRef      `json:"type"`
}

type schemaType struct {
	Kind          string        `json:"kind"`
	Name          string        `json:"name"`
	Fields        []schemaField `json:"fields"`
	InputFields   []inputValue  `json:"inputFields"`
	EnumValues    []struct{ Name string }
	Interfaces    []struct{ Name string }
	PossibleTypes []struct{ Name string }
}

type oracleSchema struct{ types map[string]*schemaType }

func introspect(t *testing.T, s *stack, token string) *oracleSchema {
	t.Helper()
	const ref = `kind name ofType { kind name ofType { kind name ofType { kind name } } }`
	res := s.post(token, `{ __schema { types { kind name
		fields { name args { name type { `+ref+` } } type { `+ref+` } }
		inputFields { name type { `+ref+` } }
		enumValues { name } interfaces { name } } } }`, nil)
	var out struct {
		Schema struct{ Types []*schemaType } `json:"__schema"`
	}
	decode(t, res, &out)
	sch := &oracleSchema{types: map[string]*schemaType{}}
	for _, ty := range out.Schema.Types {
		sch.types[ty.Name] = ty
	}
	return sch
}

func (s *oracleSchema) field(typeName, name string) *schemaField {
	if ty := s.types[typeName]; ty != nil {
		for i := range ty.Fields {
			if ty.Fields[i].Name == name {
				return &ty.Fields[i]
			}
		}
	}
	return nil
}

// fieldPath finds name on typeName, or one level down in an object field of it
// (Contact.privileges.softwareAccess): "" when neither has it.
func (s *oracleSchema) fieldPath(typeName, name string) string {
	if s.field(typeName, name) != nil {
		return name
	}
	for _, f := range s.types[typeName].Fields {
		inner := s.types[f.Type.named()]
		if len(f.Args) == 0 && inner.Kind == "OBJECT" && s.field(inner.Name, "edges") == nil && s.field(inner.Name, name) != nil {
			return f.Name + "." + name
		}
	}
	return ""
}

// selectionOf selects dotted paths: privileges.softwareAccess becomes privileges { softwareAccess }.
func selectionOf(paths []string) string {
	var out []string
	for _, p := range paths {
		parts := strings.Split(p, ".")
		sel := parts[len(parts)-1]
		for i := len(parts) - 2; i >= 0; i-- {
			sel = parts[i] + " { " + sel + " }"
		}
		out = append(out, sel)
	}
	return strings.Join(out, " ")
}

// valueAt follows a dotted path into a row.
func valueAt(row map[string]json.RawMessage, path string) json.RawMessage {
	parts := strings.Split(path, ".")
	v := row[parts[0]]
	for _, p := range parts[1:] {
		var inner map[string]json.RawMessage
		if json.Unmarshal(v, &inner) != nil {
			return nil
		}
		v = inner[p]
	}
	return v
}

func (s *oracleSchema) enumValues(name string) []any {
	var out []any
	for _, v := range s.types[name].EnumValues {
		out = append(out, v.Name)
	}
	return out
}

func (s *oracleSchema) whereInputs() []string {
	var out []string
	for name, ty := range s.types {
		if ty.Kind == "INPUT_OBJECT" && strings.HasSuffix(name, "WhereInput") {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// entry is a connection field that takes a where argument.
type entry struct {
	owner, field, nodeType, whereType string
	orderType                         string // the orderBy input, "" without one
}

func (e entry) String() string { return e.owner + "." + e.field }

func (s *oracleSchema) connectionEntries(t *testing.T) []entry {
	var out []entry
	for _, ty := range s.types {
		if ty.Kind != "OBJECT" || strings.HasPrefix(ty.Name, "__") {
			continue
		}
		for _, f := range ty.Fields {
			e := entry{owner: ty.Name, field: f.Name}
			for _, a := range f.Args {
				switch a.Name {
				case "where":
					e.whereType = a.Type.named()
				case "orderBy":
					e.orderType = a.Type.named()
				}
			}
			if e.whereType == "" {
				continue
			}
			edges := s.field(f.Type.named(), "edges")
			if edges == nil {
				t.Fatalf("%s.%s takes where but is no connection: teach the walker to read it", ty.Name, f.Name)
			}
			e.nodeType = s.field(edges.Type.named(), "node").Type.named()
			out = append(out, e)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// leaf is one where field: the output fields it looks at and the probes to try.
type leaf struct {
	name   string
	fields []string
	// probes builds where-inputs of this field from the values the caller cannot read.
	probes func(hidden []any) []map[string]any
}

// valuesOf makes probes that set field to each value.
func valuesOf(field string, values []any) []map[string]any {
	var out []map[string]any
	for _, v := range uniqueValues(values) {
		out = append(out, map[string]any{field: v})
	}
	return out
}

type oracle struct {
	s        *stack
	t        *testing.T
	schema   *oracleSchema
	operator string
	reads    map[string]readResult // by token, instance, entry and fields
}

// instances are the parents a connection is reached under: the root for Query's, else node(id:)
// of every row of the owner type the operator lists through a root connection.
func (o *oracle) instances(e entry) []string {
	if e.owner == "Query" {
		return []string{""}
	}
	for _, f := range o.schema.types["Query"].Fields {
		edges := o.schema.field(f.Type.named(), "edges")
		if edges == nil || o.schema.field(edges.Type.named(), "node").Type.named() != e.owner {
			continue
		}
		var out map[string]struct {
			Edges []struct{ Node struct{ ID string } }
		}
		decode(o.t, o.s.post(o.operator, fmt.Sprintf(`{ x: %s(first:100) { edges { node { id } } } }`, f.Name), nil), &out)
		var ids []string
		for _, edge := range out["x"].Edges {
			ids = append(ids, edge.Node.ID)
		}
		return ids
	}
	o.t.Fatalf("%s: no root connection lists %s rows, so the walker cannot reach them", e, e.owner)
	return nil
}

// leaves lists the where fields of e and what each one looks at. Input-object fields other than
// not/and/or are edge predicates, which the schema must not offer.
func (o *oracle) leaves(e entry) []leaf {
	var out []leaf
	for _, f := range o.schema.types[e.whereType].InputFields {
		switch {
		case f.Name == "not" || f.Name == "and" || f.Name == "or":
			continue
		case o.schema.types[f.Type.named()].Kind == "INPUT_OBJECT":
			o.t.Errorf("%s.%s filters across an edge: its subquery runs past the privacy rules of the rows it reaches", e.whereType, f.Name)
			continue
		}
		if d, ok := oracleDerived[e.whereType+"."+f.Name]; ok {
			out = append(out, leaf{name: f.Name, fields: d.fields, probes: func(h []any) []map[string]any {
				// An empty text sets no condition in these fields: it is no probe.
				values := slices.DeleteFunc(d.values(h, o.schema), func(v any) bool { return v == "" })
				return valuesOf(f.Name, values)
			}})
			continue
		}
		base, op := f.Name, ""
		for _, suffix := range predicateSuffixes {
			if strings.HasSuffix(f.Name, suffix) && o.schema.fieldPath(e.nodeType, strings.TrimSuffix(f.Name, suffix)) != "" {
				base, op = strings.TrimSuffix(f.Name, suffix), suffix
				break
			}
		}
		out = append(out, o.leafFor(e, f, base, op)...)
	}
	return out
}

func (o *oracle) leafFor(e entry, f inputValue, base, op string) []leaf {
	path := o.schema.fieldPath(e.nodeType, base)
	if path == "" {
		o.t.Errorf("%s.%s: no field %s.%s to judge it by: add it to oracleDerived or drop it", e.whereType, f.Name, e.nodeType, base)
		return nil
	}
	argType := o.schema.types[f.Type.named()]
	miss := map[string]any{"String": "zz-oracle-miss", "ID": "987654321", "Time": "2001-02-03T04:05:06Z", "Int": -12345}[argType.Name]
	l := leaf{name: f.Name, fields: []string{path}}
	switch {
	case op == "IsNil" || op == "NotNil":
		// false sets no condition; the pair is "is nil" against "is not nil".
		l.probes = func([]any) []map[string]any {
			return []map[string]any{{base + "IsNil": true}, {base + "NotNil": true}}
		}
	case argType.Name == "Boolean":
		l.probes = func([]any) []map[string]any { return valuesOf(f.Name, []any{true, false}) }
	case argType.Kind == "ENUM":
		all := o.schema.enumValues(argType.Name)
		l.probes = func([]any) []map[string]any { return valuesOf(f.Name, wrapList(op, all)) }
	default:
		l.probes = func(hidden []any) []map[string]any {
			return valuesOf(f.Name, wrapList(op, append(slices.Clone(hidden), miss)))
		}
	}
	return []leaf{l}
}

// wrapList turns values into In/NotIn's lists.
func wrapList(op string, values []any) []any {
	if op != "In" && op != "NotIn" {
		return values
	}
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = []any{v}
	}
	return out
}

// readResult is what a caller reads of a connection: each row's fields, and whether any field
// of any row was refused, or the whole connection.
type readResult struct {
	rows    map[string]map[string]json.RawMessage // by row id, by field
	refused map[string]bool                       // row ids with a refused field
	denied  bool                                  // the connection itself answered nothing
}

func (o *oracle) selection(e entry, instance, args, inner string) string {
	conn := fmt.Sprintf("%s(first:100%s) { %s }", e.field, args, inner)
	if instance == "" {
		return conn
	}
	return fmt.Sprintf(`node(id:%q) { ... on %s { %s } }`, instance, e.owner, conn)
}

// read reads fields of every row of e as the holder of token, page by page.
func (o *oracle) read(e entry, instance string, fields []string, token string) readResult {
	key := strings.Join([]string{token, instance, e.String(), strings.Join(fields, ",")}, "|")
	if r, ok := o.reads[key]; ok {
		return r
	}
	r := readResult{rows: map[string]map[string]json.RawMessage{}, refused: map[string]bool{}}
	var after any
	for {
		q := "query($a: Cursor) { x: " + o.selection(e, instance, ", after: $a",
			"pageInfo { hasNextPage endCursor } edges { node { id "+selectionOf(fields)+" } }") + " }"
		a := o.s.post(token, q, map[string]any{"a": after})
		var page struct {
			PageInfo struct {
				HasNextPage bool
				EndCursor   string
			}
			Edges []struct{ Node map[string]json.RawMessage }
		}
		if conn := connectionOf(a.Data, "x", e, instance); conn == nil || json.Unmarshal(conn, &page) != nil {
			r.denied = true
			break
		}
		for i, edge := range page.Edges {
			id := strings.Trim(string(edge.Node["id"]), `"`)
			r.rows[id] = map[string]json.RawMessage{}
			for _, f := range fields {
				r.rows[id][f] = valueAt(edge.Node, f)
			}
			for _, er := range a.Errors {
				if pathHasRow(er.Path, i) {
					r.refused[id] = true
				}
			}
		}
		if !page.PageInfo.HasNextPage {
			break
		}
		after = page.PageInfo.EndCursor
	}
	o.reads[key] = r
	return r
}

// connectionOf digs the connection out of data under alias.
func connectionOf(data json.RawMessage, alias string, e entry, instance string) json.RawMessage {
	var top map[string]json.RawMessage
	if json.Unmarshal(data, &top) != nil || string(top[alias]) == "null" || top[alias] == nil {
		return nil
	}
	if instance == "" {
		return top[alias]
	}
	var node map[string]json.RawMessage
	if json.Unmarshal(top[alias], &node) != nil || string(node[e.field]) == "null" {
		return nil
	}
	return node[e.field]
}

func pathHasRow(path []any, row int) bool {
	for i := 0; i+1 < len(path); i++ {
		if path[i] == "edges" {
			if n, ok := path[i+1].(float64); ok && int(n) == row {
				return true
			}
		}
	}
	return false
}

// judge probes every leaf of e under instance as one caller; it returns the probes sent.
func (o *oracle) judge(e entry, instance string, leaves []leaf, actor, token string) int {
	sent := 0
	for _, l := range leaves {
		all := o.read(e, instance, l.fields, o.operator)
		mine := o.read(e, instance, l.fields, token)
		// The rows whose values the caller reads; a filter may tell anything about those.
		readable := map[string]bool{}
		for id := range mine.rows {
			readable[id] = !mine.denied && !mine.refused[id]
		}
		var hidden []any
		secret := mine.denied || len(mine.refused) > 0
		ids := slices.Sorted(maps.Keys(all.rows)) // a stable sample of hidden values
		for _, id := range ids {
			row := all.rows[id]
			if readable[id] {
				continue
			}
			secret = true
			for _, f := range l.fields {
				var v any
				if json.Unmarshal(row[f], &v) != nil || v == nil {
					continue
				}
				if list, isList := v.([]any); isList {
					hidden = append(hidden, list...)
				} else {
					hidden = append(hidden, v)
				}
			}
		}
		// Where the caller reads every value, the probes only check that the rows stay theirs.
		var wheres []any
		for _, leaf := range l.probes(sample(uniqueValues(hidden), 6)) {
			if secret {
				wheres = append(wheres, leaf, map[string]any{"not": leaf}, map[string]any{"or": []any{leaf}})
			} else {
				wheres = append(wheres, map[string]any{"not": leaf})
			}
		}
		answers := o.ask(e, instance, wheres, token)
		sent += len(wheres)
		for i, ans := range answers {
			for _, id := range ans.ids {
				if mine.rows[id] == nil {
					o.t.Errorf("%s under %q: %s filtering %v got row %s it cannot list", e, instance, actor, wheres[i], id)
				}
			}
		}
		if !secret {
			continue // the caller reads every value this filter looks at
		}
		// What an answer says beyond the rows the caller reads: its errors, whether there was an
		// answer at all, the refused rows it returned and what totalCount counts beyond the
		// readable rows. Probes plain, under not and under or: within each group all agree.
		for group := 0; group < 3; group++ {
			first := -1
			for i := group; i < len(answers); i += 3 {
				if first < 0 {
					first = i
					continue
				}
				a, b := answers[first].beyond(readable), answers[i].beyond(readable)
				if a != b {
					o.t.Errorf("%s under %q: %s tells %v from %v on a value it may not read:\n  %s\n  %s",
						e, instance, actor, wheres[first], wheres[i], a, b)
				}
			}
		}
	}
	return sent
}

// judgeOrder: ordering by a field the caller may not read would sort rows by a hidden value
// (and put it in the cursors), so every order field must be readable wherever the rows are.
func (o *oracle) judgeOrder(e entry, instance, actor, token string) {
	if e.orderType == "" {
		return
	}
	var fieldEnum string
	for _, f := range o.schema.types[e.orderType].InputFields {
		if f.Name == "field" {
			fieldEnum = f.Type.named()
		}
	}
	for _, v := range o.schema.enumValues(fieldEnum) {
		base := o.schema.fieldPath(e.nodeType, camel(v.(string)))
		if base == "" {
			o.t.Errorf("%s orders by %s, which is no field of %s: the walker cannot judge it", e, v, e.nodeType)
			continue
		}
		mine := o.read(e, instance, []string{base}, token)
		if !mine.denied && len(mine.refused) > 0 {
			o.t.Errorf("%s: %s may order by %s but not read it", e, actor, v)
		}
	}
}

// camel turns LAST_SIGN_IN_AT into lastSignInAt.
func camel(enum string) string {
	parts := strings.Split(strings.ToLower(enum), "_")
	for i := 1; i < len(parts); i++ {
		parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
	}
	return strings.Join(parts, "")
}

// probeAnswer is one probe's answer: the connection's data, its rows and totalCount, and its
// errors (code, message and path below the alias).
type probeAnswer struct {
	present bool
	ids     []string
	total   int
	errors  string
}

// beyond is what the answer tells beyond the rows whose values the caller reads.
func (a probeAnswer) beyond(readable map[string]bool) string {
	var other []string
	counted := a.total
	for _, id := range a.ids {
		if readable[id] {
			counted--
		} else {
			other = append(other, id)
		}
	}
	sort.Strings(other)
	return fmt.Sprintf("answered=%v rows=%v beyondReadable=%d errors=[%s]", a.present, other, counted, a.errors)
}

// ask sends the wheres as aliased probes, 25 to a document, and returns each one's answer: its
// data and its errors (code, message and path below the alias).
func (o *oracle) ask(e entry, instance string, wheres []any, token string) []probeAnswer {
	const batch = 25
	out := make([]probeAnswer, 0, len(wheres))
	for start := 0; start < len(wheres); start += batch {
		end := min(start+batch, len(wheres))
		var decls, fields []string
		vars := map[string]any{}
		for i := start; i < end; i++ {
			v := fmt.Sprintf("w%d", i-start)
			decls = append(decls, fmt.Sprintf("$%s: %s", v, e.whereType))
			vars[v] = wheres[i]
			fields = append(fields, fmt.Sprintf("p%d: %s", i-start, o.selection(e, instance, ", where: $"+v, probeSelection)))
		}
		a := o.s.post(token, fmt.Sprintf("query(%s) { %s }", strings.Join(decls, ", "), strings.Join(fields, " ")), vars)
		if a.Status != 200 {
			o.t.Fatalf("%s: probe answered HTTP %d: %.300s", e, a.Status, a.Body)
		}
		for _, er := range a.Errors {
			if len(er.Path) == 0 && end-start > 1 {
				// An error of the whole document: ask these probes one by one to see whose it is.
				for i := start; i < end; i++ {
					out = append(out, o.ask(e, instance, wheres[i:i+1], token)...)
				}
				break
			}
		}
		if len(out) == end {
			continue
		}
		for i := start; i < end; i++ {
			alias := fmt.Sprintf("p%d", i-start)
			var errs []string
			for _, er := range a.Errors {
				if len(er.Path) == 0 || er.Path[0] == alias {
					errs = append(errs, fmt.Sprintf("%s %s %v", er.Extensions.Code, er.Message, er.Path[min(1, len(er.Path)):]))
				}
			}
			sort.Strings(errs)
			ans := probeAnswer{errors: strings.Join(errs, "; ")}
			var page probePage
			if conn := connectionOf(a.Data, alias, e, instance); conn != nil && json.Unmarshal(conn, &page) == nil {
				ans.present, ans.total = true, page.TotalCount
				ans.ids = append(page.ids(), o.rest(e, instance, wheres[i], token, page)...)
			}
			out = append(out, ans)
		}
	}
	return out
}

const probeSelection = "totalCount pageInfo { hasNextPage endCursor } edges { node { id } }"

type probePage struct {
	TotalCount int
	PageInfo   struct {
		HasNextPage bool
		EndCursor   string
	}
	Edges []struct{ Node struct{ ID string } }
}

func (p probePage) ids() []string {
	var out []string
	for _, e := range p.Edges {
		out = append(out, e.Node.ID)
	}
	return out
}

// rest reads the ids of the pages after page, for one probe.
func (o *oracle) rest(e entry, instance string, where any, token string, page probePage) []string {
	var out []string
	for page.PageInfo.HasNextPage {
		q := fmt.Sprintf("query($w: %s, $a: Cursor) { p: %s }", e.whereType, o.selection(e, instance, ", where: $w, after: $a", probeSelection))
		a := o.s.post(token, q, map[string]any{"w": where, "a": page.PageInfo.EndCursor})
		page = probePage{}
		if conn := connectionOf(a.Data, "p", e, instance); conn == nil || json.Unmarshal(conn, &page) != nil {
			o.t.Fatalf("%s: the next page of a probe answered %.300s", e, a.Body)
		}
		out = append(out, page.ids()...)
	}
	return out
}

// sample keeps at most n of values, spread over the list (the first and the last among them).
func sample(values []any, n int) []any {
	if len(values) <= n {
		return values
	}
	out := make([]any, 0, n)
	for i := range n {
		out = append(out, values[i*(len(values)-1)/(n-1)])
	}
	return out
}

func uniqueValues(values []any) []any {
	seen := map[string]bool{}
	var out []any
	for _, v := range values {
		b, _ := json.Marshal(v)
		if !seen[string(b)] {
			seen[string(b)] = true
			out = append(out, v)
		}
	}
	return out
}

func decode(t *testing.T, a answer, v any) {
	t.Helper()
	ok(t, a)
	if err := json.Unmarshal(a.Data, v); err != nil {
		t.Fatalf("decode %s: %v", a.Data, err)
	}
}

func ok(t *testing.T, a answer) {
	t.Helper()
	if a.Status != 200 || len(a.Errors) > 0 {
		t.Fatalf("HTTP %d: %.600s", a.Status, a.Body)
	}
}
