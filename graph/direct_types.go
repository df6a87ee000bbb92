package graph

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"sitekeeper/ent"
	"sitekeeper/graph/scalar"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/policy"
)

// The objects directWriter writes, each field read from the Go value exactly as gqlgen.yml
// binds it (TestDirectWritingMatchesGqlgen compares every one with gqlgen's answer). These are
// the objects of a page of contacts; a field left out here is written by gqlgen.

// directGates are the schema directives a direct write decides once for the whole value.
var directGates = map[string]*gate{
	"contactDetails": {directive: "contactDetails", open: func(st *writeState) bool {
		return policy.CanReadContactDetails(st.viewer)
	}},
}

// declared is a field of a known object as declared below: its writer, and its object type
// when it holds one; delegated, a field gqlgen's own execution answers (its arguments,
// directives and resolver included) inside a directly written object.
type declared struct {
	write     any
	sub       objectType
	delegated bool
}

func directObjects(schema *ast.Schema) map[string]objectType {
	site := newObject[*ent.Site](schema, "Site", isNilPtr)
	privileges := newObject[domain.Privileges](schema, "Privileges", nil)
	contact := newObject[*ent.Contact](schema, "Contact", isNilPtr)
	pageInfo := newObject[entgql.PageInfo[int]](schema, "PageInfo", nil)
	edge := newObject[*ent.ContactEdge](schema, "ContactEdge", isNilPtr)
	connection := newObject[*ent.ContactConnection](schema, "ContactConnection", isNilPtr)
	siteEdge := newObject[*ent.SiteEdge](schema, "SiteEdge", isNilPtr)
	siteConnection := newObject[*ent.SiteConnection](schema, "SiteConnection", isNilPtr)

	bind(schema, site, map[string]declared{
		"id":     {write: idField(func(s *ent.Site) int { return s.ID })},
		"number": {write: stringField(func(s *ent.Site) string { return s.Number })},
		"name":   {write: stringField(func(s *ent.Site) string { return s.Name })},
		// A page of Sites with their contacts is a partner's full sync.
		"contacts": {write: delegatedField(func(ec *executionContext, ctx context.Context, f graphql.CollectedField, s *ent.Site) graphql.Marshaler {
			return ec._Site_contacts(ctx, f, s)
		}), delegated: true},
	})
	bind(schema, privileges, map[string]declared{
		"softwareAccess":   {write: enumField(func(p domain.Privileges) domain.SoftwareAccessLevel { return p.SoftwareAccess })},
		"reporting":        {write: enumField(func(p domain.Privileges) domain.ViewLevel { return p.Reporting })},
		"entitlements":     {write: enumField(func(p domain.Privileges) domain.UpdateLevel { return p.Entitlements })},
		"manageAccess":     {write: enumField(func(p domain.Privileges) domain.UpdateLevel { return p.ManageAccess })},
		"contactUpdates":   {write: enumField(func(p domain.Privileges) domain.UpdateLevel { return p.ContactUpdates })},
		"accountDocuments": {write: enumField(func(p domain.Privileges) domain.ViewLevel { return p.AccountDocuments })},
	})
	bind(schema, contact, map[string]declared{
		"id":                    {write: idField(func(c *ent.Contact) int { return c.ID })},
		"createdAt":             {write: timeField(func(c *ent.Contact) time.Time { return c.CreatedAt })},
		"updatedAt":             {write: timeField(func(c *ent.Contact) time.Time { return c.UpdatedAt })},
		"version":               {write: intField(func(c *ent.Contact) int { return c.Version })},
		"email":                 {write: stringField(func(c *ent.Contact) string { return c.Email })},
		"firstName":             {write: stringField(func(c *ent.Contact) string { return c.FirstName })},
		"lastName":              {write: stringField(func(c *ent.Contact) string { return c.LastName })},
		"phone":                 {write: stringField(func(c *ent.Contact) string { return c.Phone })},
		"city":                  {write: stringField(func(c *ent.Contact) string { return c.City })},
		"stateProvince":         {write: stringField(func(c *ent.Contact) string { return c.StateProvince })},
		"postalCode":            {write: stringField(func(c *ent.Contact) string { return c.PostalCode })},
		"street":                {write: stringField(func(c *ent.Contact) string { return c.Street })},
		"country":               {write: stringField(func(c *ent.Contact) string { return c.Country })},
		"jobTitle":              {write: stringField(func(c *ent.Contact) string { return c.JobTitle })},
		"language":              {write: stringField(func(c *ent.Contact) string { return c.Language })},
		"businessJustification": {write: stringField(func(c *ent.Contact) string { return c.BusinessJustification })},
		"accessRole":            {write: enumField(func(c *ent.Contact) domain.AccessRole { return c.AccessRole })},
		"status":                {write: enumField(func(c *ent.Contact) domain.ContactStatus { return c.Status })},
		"invitedBy":             {write: stringField(func(c *ent.Contact) string { return c.InvitedBy })},
		"invitationExpiresAt":   {write: optionalTimeField(func(c *ent.Contact) *time.Time { return c.InvitationExpiresAt })},
		"lastSignInAt":          {write: optionalTimeField(func(c *ent.Contact) *time.Time { return c.LastSignInAt })},
		"privileges":            {write: objectField(privileges, func(c *ent.Contact) (domain.Privileges, bool) { return c.Privileges(), true }), sub: privileges},
		"contactTypes":          {write: fieldFunc[*ent.Contact](contactTypesField)},
		"missingDetails":        {write: stringListField(func(c *ent.Contact) []string { return c.MissingDetails() })},
		"invitationExpired":     {write: boolField(func(c *ent.Contact) bool { return c.InvitationExpired() })},
		"signedIn":              {write: boolField(func(c *ent.Contact) bool { return c.SignedIn() })},
		// The Site as ent loaded it with the page (the parent's); one not loaded yet is the
		// resolver's to query.
		"site": {write: objectField(site, func(c *ent.Contact) (*ent.Site, bool) { return c.Edges.Site, c.Edges.Site != nil }), sub: site},
	})
	bind(schema, pageInfo, map[string]declared{
		"hasNextPage":     {write: boolField(func(p entgql.PageInfo[int]) bool { return p.HasNextPage })},
		"hasPreviousPage": {write: boolField(func(p entgql.PageInfo[int]) bool { return p.HasPreviousPage })},
		"startCursor":     {write: optionalCursorField(func(p entgql.PageInfo[int]) *entgql.Cursor[int] { return p.StartCursor })},
		"endCursor":       {write: optionalCursorField(func(p entgql.PageInfo[int]) *entgql.Cursor[int] { return p.EndCursor })},
	})
	bind(schema, edge, map[string]declared{
		"node":   {write: objectField(contact, func(e *ent.ContactEdge) (*ent.Contact, bool) { return e.Node, true }), sub: contact},
		"cursor": {write: cursorField(func(e *ent.ContactEdge) entgql.Cursor[int] { return e.Cursor })},
	})
	bind(schema, connection, map[string]declared{
		"edges":      {write: objectListField(edge, func(c *ent.ContactConnection) []*ent.ContactEdge { return c.Edges }), sub: edge},
		"pageInfo":   {write: objectField(pageInfo, func(c *ent.ContactConnection) (entgql.PageInfo[int], bool) { return c.PageInfo, true }), sub: pageInfo},
		"totalCount": {write: intField(func(c *ent.ContactConnection) int { return c.TotalCount })},
	})

	bind(schema, siteEdge, map[string]declared{
		"node":   {write: objectField(site, func(e *ent.SiteEdge) (*ent.Site, bool) { return e.Node, true }), sub: site},
		"cursor": {write: cursorField(func(e *ent.SiteEdge) entgql.Cursor[int] { return e.Cursor })},
	})
	bind(schema, siteConnection, map[string]declared{
		"edges":      {write: objectListField(siteEdge, func(c *ent.SiteConnection) []*ent.SiteEdge { return c.Edges }), sub: siteEdge},
		"pageInfo":   {write: objectField(pageInfo, func(c *ent.SiteConnection) (entgql.PageInfo[int], bool) { return c.PageInfo, true }), sub: pageInfo},
		"totalCount": {write: intField(func(c *ent.SiteConnection) int { return c.TotalCount })},
	})

	objects := map[string]objectType{}
	for _, o := range []objectType{site, privileges, contact, pageInfo, edge, connection, siteEdge, siteConnection} {
		objects[o.name()] = o
	}
	return objects
}

func isNilPtr[P any](p *P) bool { return p == nil }

// newObject is the schema's object typeName bound to T; isNil is nil for a T that is never null.
func newObject[T any](schema *ast.Schema, typeName string, isNil func(T) bool) *object[T] {
	def := schema.Types[typeName]
	if def == nil || def.Kind != ast.Object {
		panic(fmt.Sprintf("direct writing: %s is not an object of the schema", typeName))
	}
	satisfies := append([]string{typeName}, def.Interfaces...)
	for _, u := range schema.Types {
		if u.Kind == ast.Union && slices.Contains(u.Types, typeName) {
			satisfies = append(satisfies, u.Name)
		}
	}
	return &object[T]{typeName: typeName, satisfies: satisfies, fields: map[string]knownField{}, isNil: isNil}
}

// bind keeps the declared fields that are plain in the schema: no arguments, and no directive
// but the gates. A declared field the schema does not have is a mistake here.
func bind[T any](schema *ast.Schema, o *object[T], fields map[string]declared) {
	def := schema.Types[o.typeName]
	for name, d := range fields {
		f := def.Fields.ForName(name)
		if f == nil {
			panic(fmt.Sprintf("direct writing: %s has no field %s", o.typeName, name))
		}
		if _, ok := d.write.(fieldFunc[T]); !ok {
			panic(fmt.Sprintf("direct writing: %s.%s is not written from %T", o.typeName, name, *new(T)))
		}
		known := knownField{write: d.write, sub: d.sub, nonNull: f.Type.NonNull, delegated: d.delegated}
		if f.Type.Elem != nil {
			known.list, known.elemNonNull = true, f.Type.Elem.NonNull
		}
		if d.delegated {
			o.fields[name] = known
			continue
		}
		if len(f.Arguments) > 0 {
			continue
		}
		plain := true
		for _, dir := range f.Directives {
			g, ok := directGates[dir.Name]
			if !ok {
				plain = false
				break
			}
			known.gates = append(known.gates, g)
		}
		if plain {
			o.fields[name] = known
		}
	}
}

func stringField[T any](get func(T) string) fieldFunc[T] {
	return func(b []byte, obj T, _ *plannedField, _ *writeState) ([]byte, bool) {
		return appendString(b, get(obj)), true
	}
}

func stringListField[T any](get func(T) []string) fieldFunc[T] {
	return func(b []byte, obj T, _ *plannedField, _ *writeState) ([]byte, bool) {
		b = append(b, '[')
		for i, s := range get(obj) {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, s)
		}
		return append(b, ']'), true
	}
}

func idField[T any](get func(T) int) fieldFunc[T] {
	return func(b []byte, obj T, _ *plannedField, _ *writeState) ([]byte, bool) {
		return appendID(b, get(obj)), true
	}
}

func intField[T any](get func(T) int) fieldFunc[T] {
	return func(b []byte, obj T, _ *plannedField, _ *writeState) ([]byte, bool) {
		return strconv.AppendInt(b, int64(get(obj)), 10), true
	}
}

func boolField[T any](get func(T) bool) fieldFunc[T] {
	return func(b []byte, obj T, _ *plannedField, _ *writeState) ([]byte, bool) {
		return strconv.AppendBool(b, get(obj)), true
	}
}

func enumField[T any, E ~string](get func(T) E) fieldFunc[T] {
	return func(b []byte, obj T, _ *plannedField, _ *writeState) ([]byte, bool) {
		return domain.AppendEnum(b, get(obj)), true
	}
}

func appendEnums[E ~string](b []byte, enums []E) []byte {
	b = append(b, '[')
	for i, e := range enums {
		if i > 0 {
			b = append(b, ',')
		}
		b = domain.AppendEnum(b, e)
	}
	return append(b, ']')
}

// contactTypesField writes a contact's types from a buffer on its stack, not a new slice for
// each of a page's thousand contacts.
func contactTypesField(b []byte, c *ent.Contact, _ *plannedField, _ *writeState) ([]byte, bool) {
	var types [8]domain.ContactType
	return appendEnums(b, c.AppendContactTypes(types[:0])), true
}

func timeField[T any](get func(T) time.Time) fieldFunc[T] {
	return func(b []byte, obj T, _ *plannedField, _ *writeState) ([]byte, bool) {
		return appendTime(b, get(obj))
	}
}

func optionalTimeField[T any](get func(T) *time.Time) fieldFunc[T] {
	return func(b []byte, obj T, _ *plannedField, _ *writeState) ([]byte, bool) {
		t := get(obj)
		if t == nil {
			return append(b, "null"...), true
		}
		return appendTime(b, *t)
	}
}

func cursorField[T any](get func(T) entgql.Cursor[int]) fieldFunc[T] {
	return func(b []byte, obj T, _ *plannedField, _ *writeState) ([]byte, bool) {
		return appendCursor(b, get(obj))
	}
}

func optionalCursorField[T any](get func(T) *entgql.Cursor[int]) fieldFunc[T] {
	return func(b []byte, obj T, _ *plannedField, _ *writeState) ([]byte, bool) {
		c := get(obj)
		if c == nil {
			return append(b, "null"...), true
		}
		return appendCursor(b, *c)
	}
}

// appendCursor appends a cursor as the Cursor scalar writes it.
func appendCursor(b []byte, c entgql.Cursor[int]) ([]byte, bool) {
	if out, ok := scalar.AppendCursor(b, c); ok {
		return out, true
	}
	w := &appendWriter{b: b}
	scalar.MarshalCursor(c).MarshalGQL(w)
	return w.b, true
}

// objectField writes an object held by a field; get answers false for a value the writer
// cannot give (an edge not loaded).
func objectField[T, U any](child *object[U], get func(T) (U, bool)) fieldFunc[T] {
	return func(b []byte, obj T, f *plannedField, st *writeState) ([]byte, bool) {
		v, ok := get(obj)
		if !ok {
			return nil, false
		}
		if !f.delegates {
			return child.writeOne(b, v, f.sub, st, f.nonNull)
		}
		st.enter(f, v)
		defer st.leave()
		return child.writeOne(b, v, f.sub, st, f.nonNull)
	}
}

// objectListField writes a list of objects (a connection's edges).
func objectListField[T, U any](child *object[U], get func(T) []U) fieldFunc[T] {
	return func(b []byte, obj T, f *plannedField, st *writeState) ([]byte, bool) {
		many := get(obj)
		if many == nil && f.nonNull {
			return nil, false
		}
		if !f.delegates {
			return child.writeList(b, many, f.sub, st, f.elemNonNull)
		}
		st.enter(f, many)
		defer st.leave()
		return child.writeList(b, many, f.sub, st, f.elemNonNull)
	}
}
