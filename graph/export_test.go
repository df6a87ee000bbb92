package graph

import "github.com/vektah/gqlparser/v2/ast"

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
