package graph

import (
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// Schema is the parsed schema the handler executes.
func Schema() *ast.Schema { return parsedSchema }

// DirectlyWritten lists, by object, the fields direct writing writes itself.
func DirectlyWritten() map[string][]string {
	out := map[string][]string{}
	for name, o := range directObjects(parsedSchema) {
		for _, f := range parsedSchema.Types[name].Fields {
			if _, ok := o.field(f.Name); ok {
				out[name] = append(out[name], f.Name)
			}
		}
	}
	return out
}

// DefersAnywhere reports whether direct writing sees a deferred fragment in query (which then
// delegates no field).
func DefersAnywhere(query string) bool {
	doc, err := gqlparser.LoadQuery(parsedSchema, query)
	if err != nil {
		panic(err)
	}
	return defers(&graphql.OperationContext{Doc: doc})
}
