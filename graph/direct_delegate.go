package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// Delegated fields: an object the writer knows may hold a field it does not write itself (a
// Site's contacts, with their arguments, the @can directive and the resolver). gqlgen's own
// execution of that one field answers it, under the field contexts gqlgen's execution of the
// whole value would have built (so errors carry the same paths), and the writer writes the
// rest: a page of 100 Sites no longer costs a field context, a context and a marshaler for
// each of their plain fields, their edges and the page.

// delegatedField writes the answer of gqlgen's execution of the field. A null for a field
// that may not be null nulls the object, as in gqlgen (writeOne).
func delegatedField[T any](run func(ec *executionContext, ctx context.Context, f graphql.CollectedField, obj T) graphql.Marshaler) fieldFunc[T] {
	return func(b []byte, obj T, f *plannedField, st *writeState) ([]byte, bool) {
		answer := run(st.exec, st.fieldContext(), f.field, obj)
		st.delegated = true
		if answer == graphql.Null {
			st.nulled = st.nulled || f.nonNull
			return append(b, "null"...), true
		}
		w := appendWriter{b: b}
		answer.MarshalGQL(&w)
		return w.b, true
	}
}

// pathStep is a field or a list index between the target field and the object being written,
// with the value there (a field context's Result, as gqlgen sets it).
type pathStep struct {
	field  *plannedField // nil for an index
	index  int
	result any
	ctx    context.Context // the step's context, once built
}

func (st *writeState) enter(f *plannedField, result any) {
	st.path = append(st.path, pathStep{field: f, result: result})
}

func (st *writeState) enterIndex(i int, result any) {
	st.path = append(st.path, pathStep{index: i, result: result})
}

func (st *writeState) leave() { st.path = st.path[:len(st.path)-1] }

// fieldContext is the context of the object being written: the target field's, under a field
// context for each step as gqlgen builds them (a list element's with its index). Steps keep
// theirs, so that the objects of one list share the contexts above it.
func (st *writeState) fieldContext() context.Context {
	ctx := st.ctx
	for i := range st.path {
		step := &st.path[i]
		if step.ctx == nil {
			fc := &graphql.FieldContext{Result: step.result}
			if step.field != nil {
				fc.Object, fc.Field = step.field.object, step.field.field
			} else {
				index := step.index
				fc.Index = &index
			}
			step.ctx = graphql.WithFieldContext(ctx, fc)
		}
		ctx = step.ctx
	}
	return ctx
}

// defers reports whether the operation defers a fragment anywhere: delegated fields run
// without the operation's channel of deferred results, so such an operation has none.
func defers(oc *graphql.OperationContext) bool {
	if oc == nil || oc.Doc == nil {
		return true
	}
	for _, op := range oc.Doc.Operations {
		if defersIn(op.SelectionSet) {
			return true
		}
	}
	for _, f := range oc.Doc.Fragments {
		if defersIn(f.SelectionSet) {
			return true
		}
	}
	return false
}

func defersIn(set ast.SelectionSet) bool {
	for _, sel := range set {
		var dirs ast.DirectiveList
		var sub ast.SelectionSet
		switch s := sel.(type) {
		case *ast.Field:
			dirs, sub = s.Directives, s.SelectionSet
		case *ast.InlineFragment:
			dirs, sub = s.Directives, s.SelectionSet
		case *ast.FragmentSpread:
			dirs = s.Directives
		}
		if dirs.ForName("defer") != nil || defersIn(sub) {
			return true
		}
	}
	return false
}
