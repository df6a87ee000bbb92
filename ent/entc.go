//go:build ignore

// entc generates the ent client and, through entgql, graph/ent.graphqls.
package main

import (
	"fmt"
	"log"
	"os"
	"slices"
	"strings"

	"entgo.io/contrib/entgql"
	"entgo.io/ent/entc"
	"entgo.io/ent/entc/gen"
	"github.com/vektah/gqlparser/v2/ast"
)

func main() {
	// Paginate counts only when asked (ent/template/pagination.tmpl overrides entgql's helper).
	paginate := gen.MustParse(gen.NewTemplate("paginate").Funcs(entgql.TemplateFuncs).ParseFiles("./ent/template/pagination.tmpl"))
	ex, err := entgql.NewExtension(
		entgql.WithTemplates(append(slices.Clone(entgql.AllTemplates), paginate)...),
		entgql.WithConfigPath("./gqlgen.yml"),
		entgql.WithSchemaGenerator(),
		entgql.WithSchemaPath("./graph/ent.graphqls"),
		entgql.WithWhereInputs(true),
		entgql.WithNodeDescriptor(false),
		entgql.WithSchemaHook(dropEdgePredicates),
	)
	if err != nil {
		log.Fatalf("entgql extension: %v", err)
	}
	err = entc.Generate("./ent/schema", &gen.Config{
		Features: []gen.Feature{
			gen.FeaturePrivacy,
			gen.FeatureGlobalID,
			gen.FeatureEntQL,
			gen.FeatureIntercept,
			gen.FeatureLock,
			gen.FeatureModifier,
			gen.FeatureExecQuery,
			gen.FeatureVersionedMigration,
		},
	}, entc.Extensions(ex), entc.TemplateFiles("./ent/template/oldnode.tmpl", "./ent/template/scanonce.tmpl"))
	if err != nil {
		log.Fatalf("ent codegen: %v", err)
	}
	if err := collectDerivedFields("./ent/gql_collection.go", "Contact"); err != nil {
		log.Fatalf("ent codegen: %v", err)
	}
}

// collectDerivedFields lets entgql's field collection of each node select the columns of the
// GraphQL fields derived from its row (a contact's privileges read six columns), through a
// hand-written collectDerived<Node>Field next to the derived methods. entgql counts such a
// field as unknown, which selects every column: a page of the partner sync then scanned 33
// columns of each contact for the 14 it writes. A field the function does not know (one with
// its own resolver) still selects every column.
func collectDerivedFields(path string, nodes ...string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	out := string(src)
	const unknown = "\t\tdefault:\n\t\t\tunknownSeen = true\n"
	for _, node := range nodes {
		start := strings.Index(out, "func (_q *"+node+"Query) collectField(")
		if start < 0 {
			return fmt.Errorf("%s: no collectField for %s", path, node)
		}
		at := strings.Index(out[start:], unknown)
		if at < 0 {
			return fmt.Errorf("%s: %sQuery.collectField has no default case to extend", path, node)
		}
		at += start
		known := "\t\tdefault:\n\t\t\tif !collectDerived" + node + "Field(field.Name, fieldSeen, &selectedFields) {\n\t\t\t\tunknownSeen = true\n\t\t\t}\n"
		out = out[:at] + known + out[at+len(unknown):]
	}
	return os.WriteFile(path, []byte(out), 0o644)
}

// dropEdgePredicates removes the edge predicates (hasContacts, hasContactsWith, ...) from every
// generated where-input. Such a predicate is an SQL subquery over the rows at the other end of
// the edge, outside their privacy rules: `sites(where: {hasContactsWith: {phoneHasPrefix: ...}})
// { totalCount }` would tell a caller who may not list contacts one digit of a phone at a time.
// The connection fields keep their own where argument, which the privacy rules do cover.
func dropEdgePredicates(g *gen.Graph, s *ast.Schema) error {
	for _, n := range g.Nodes {
		input := s.Types[n.Name+"WhereInput"]
		if input == nil {
			continue
		}
		var drop []string
		for _, e := range n.Edges {
			name := "has" + gen.Funcs["pascal"].(func(string) string)(e.Name)
			drop = append(drop, name, name+"With")
		}
		input.Fields = slices.DeleteFunc(input.Fields, func(f *ast.FieldDefinition) bool {
			return slices.Contains(drop, f.Name)
		})
	}
	return nil
}
