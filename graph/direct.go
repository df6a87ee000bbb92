package graph

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"sitekeeper/internal/viewer"
)

// Direct writing: gqlgen executes every field of every object on its own (a field context, a
// context, a boxed result, a marshaler), which is most of the cost of a page of a thousand
// contacts. Where a field's value is an object whose selected fields are all plain (read
// straight from the Go value, no arguments, no resolver, no directive the writer cannot
// decide), directWriter writes that value as JSON itself once the field has resolved. The
// field's own directives and resolver still run (the writer sees their result), privacy has
// already filtered the rows, and anything else (a resolver field, an argument, @defer, a
// value that would be an error) falls back to gqlgen's execution of the whole value.
//
// The objects it knows are declared in direct_types.go; which of their fields are plain is
// decided against the schema when the handler is built, so a directive added to a field takes
// that field out (see TestDirectWritingMatchesGqlgen).

// directWriter is the gqlgen extension that writes plain values directly.
type directWriter struct {
	// targets are the fields whose type (or list element type) is a known object.
	targets map[*ast.FieldDefinition]*target
	// schema executes delegated fields (nil: none are).
	schema *executableSchema
}

// target is a field whose value directWriter may write.
type target struct {
	object objectType
	list   bool // a list of objects, not one
	// listNonNull and elemNonNull: a list that may not be null, whose elements may not be;
	// nonNull: one object that may not be null.
	listNonNull, elemNonNull, nonNull bool
	// lastSize is the size of the field's last written value, to pick its next buffer.
	lastSize atomic.Int64
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationInterceptor
	graphql.FieldInterceptor
} = directWriter{}

func (directWriter) ExtensionName() string                   { return "DirectWriter" }
func (directWriter) Validate(graphql.ExecutableSchema) error { return nil }

// newDirectWriter finds the schema's fields that hold a known object (or a list of one) and
// decides which fields of each known object are plain.
func newDirectWriter(schema *ast.Schema, exec *executableSchema) directWriter {
	objects := directObjects(schema)
	d := directWriter{targets: map[*ast.FieldDefinition]*target{}, schema: exec}
	for _, def := range schema.Types {
		for _, f := range def.Fields {
			t := f.Type
			tg := &target{}
			if t.Elem != nil {
				tg.list, tg.listNonNull, tg.elemNonNull, t = true, t.NonNull, t.Elem.NonNull, t.Elem
			} else {
				tg.nonNull = t.NonNull
			}
			if t.Elem != nil { // lists of lists are gqlgen's
				continue
			}
			if o, ok := objects[t.NamedType]; ok {
				tg.object = o
				d.targets[f] = tg
			}
		}
	}
	return d
}

type operationKey struct{}

// operationState is what direct writing keeps for one operation: the plan of each selection a
// target field made, and the buffers its values were written in.
type operationState struct {
	mu    sync.Mutex
	plans map[selectionKey]*plan // nil: the selection is not plain
	// exec runs delegated fields; nil when the operation defers a fragment (gqlgen's own
	// execution of the operation is then the one to handle it).
	exec *executionContext
	// written are the pooled buffers that hold the operation's written values. They go back
	// to the pool once the answer has been marshaled, rather than each value being copied out
	// of its buffer (a third of a megabyte on a page of the partner sync).
	written []*[]byte
}

// selectionKey names a field's collected selection. The field alone would not: one field of a
// fragment can be merged with more selections in one place and stand alone in another.
type selectionKey struct {
	field *ast.Field
	first *ast.Selection // the collected selections' backing array
	n     int
}

func (d directWriter) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	op := &operationState{plans: map[selectionKey]*plan{}}
	if oc := graphql.GetOperationContext(ctx); d.schema != nil && !defers(oc) {
		op.exec = newExecutionContext(oc, d.schema, nil)
	}
	respond := next(context.WithValue(ctx, operationKey{}, op))
	return func(ctx context.Context) *graphql.Response {
		res := respond(ctx)
		// The response's data is marshaled, in its own buffer, by the time it is returned; a
		// deferred part still to come may yet read the values, so they wait for the last.
		if res == nil || res.HasNext == nil || !*res.HasNext {
			op.release()
		}
		return res
	}
}

// keep holds buf, which a written value refers to, until the operation's answer is marshaled.
func (op *operationState) keep(buf *[]byte) {
	op.mu.Lock()
	op.written = append(op.written, buf)
	op.mu.Unlock()
}

// release returns the operation's buffers to the pool.
func (op *operationState) release() {
	op.mu.Lock()
	written := op.written
	op.written = nil
	op.mu.Unlock()
	for _, buf := range written {
		putValueBuffer(buf)
	}
}

func (d directWriter) InterceptField(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil {
		return next(ctx)
	}
	tg := d.targets[fc.Field.Definition]
	if tg == nil {
		return next(ctx)
	}
	res, err := next(ctx)
	if err != nil || res == nil {
		return res, err
	}
	op, _ := ctx.Value(operationKey{}).(*operationState)
	if op == nil {
		return res, nil
	}
	oc := graphql.GetOperationContext(ctx)
	p := op.plan(oc, fc.Field, tg)
	if p == nil {
		return res, nil
	}
	st := &writeState{viewer: viewer.FromContext(ctx), ctx: ctx, exec: op.exec}
	if !p.gatesOpen(st) {
		return res, nil
	}
	buf := valueBuffer(int(tg.lastSize.Load()))
	out, ok := tg.object.write((*buf)[:0], res, tg, p, st)
	switch {
	case !ok && st.delegated:
		// A delegated field has run: leaving the value to gqlgen would run it again. The plans
		// of the objects declared now cannot get here.
		putValueBuffer(buf)
		return nil, fmt.Errorf("direct writing of %s failed after a delegated field ran", fc.Field.Name)
	case !ok:
		putValueBuffer(buf)
		return res, nil
	}
	tg.lastSize.Store(int64(len(out)))
	*buf = out[:0] // its capacity, as the value grew it
	op.keep(buf)
	return rawJSON(out), nil
}

// rawJSON is a value written already; gqlgen takes a Marshaler from a field's middleware as
// the field's answer.
type rawJSON []byte

func (r rawJSON) MarshalGQL(w io.Writer) { _, _ = w.Write(r) }

// plan is how one selection set writes an object of a known type.
type plan struct {
	fields []plannedField
	// gates are the directives its fields carry, decided for the whole value once.
	gates []*gate
	// nullable is set when a delegated field of the object may not be null: gqlgen's null
	// for it makes the object null, so the object must stand where null is allowed.
	nullable bool
	// delegates: a delegated field is selected here or below, so the writer keeps the path.
	delegates bool
}

// Values are written in reused buffers: growing a new buffer for each would copy a page
// several times. Most values are a few kB (a Site's contacts); a value as large as a page (a
// page of Sites) takes one of the large buffers (answer.go).
var scratchBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

// largeValue is the size from which a value takes a large buffer.
const largeValue = 64 << 10

// valueBuffer returns a buffer for a value of about size bytes (the field's last one).
func valueBuffer(size int) *[]byte {
	if size >= largeValue {
		b := takeLarge(size)
		return &b
	}
	buf := scratchBuffers.Get().(*[]byte)
	if cap(*buf) < size {
		*buf = make([]byte, 0, size+size/4) // grown once, not doubling from 4 kB
	}
	return buf
}

func putValueBuffer(buf *[]byte) {
	if cap(*buf) >= largeValue {
		putLarge(*buf)
		return
	}
	scratchBuffers.Put(buf)
}

// maxScratch is the largest buffer kept for reuse.
const maxScratch = 1 << 20

type plannedField struct {
	key      []byte // "alias":
	typename string // a __typename field, when write is nil
	write    any    // the object's fieldFunc for its Go type
	sub      *plan  // an object field's selection
	// nonNull and elemNonNull: the field, and a list's elements, may not be null.
	nonNull, elemNonNull bool
	// field and object: the collected field and the object it is selected on, for the field
	// contexts a delegated field below it runs under; delegates: one does.
	field     graphql.CollectedField
	object    string
	delegates bool
}

// plan returns the plan of field's selection on object, nil when it is not plain.
func (c *operationState) plan(oc *graphql.OperationContext, field graphql.CollectedField, tg *target) *plan {
	object := tg.object
	if len(field.Selections) == 0 {
		return nil
	}
	key := selectionKey{field.Field, &field.Selections[0], len(field.Selections)}
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.plans[key]; ok {
		return p
	}
	p := planSelection(oc, field.Selections, object, c.exec != nil)
	if p != nil && p.nullable && (tg.list && tg.elemNonNull || !tg.list && tg.nonNull) {
		p = nil // an object a delegated field can null must stand where null is allowed
	}
	c.plans[key] = p
	return p
}

// planSelection plans sel on object, or answers nil when a selected field is not plain.
func planSelection(oc *graphql.OperationContext, sel ast.SelectionSet, object objectType, delegate bool) *plan {
	p := &plan{}
	seen := map[string]bool{}
	for _, cf := range graphql.CollectFields(oc, sel, object.implementors()) {
		if len(cf.Deferrables) > 0 || !onlySkipInclude(cf.Directives) {
			return nil
		}
		if seen[cf.Alias] {
			continue
		}
		seen[cf.Alias] = true
		pf := plannedField{key: appendKey(nil, cf.Alias), field: cf, object: object.name()}
		if cf.Name == "__typename" {
			pf.typename = object.name()
			p.fields = append(p.fields, pf)
			continue
		}
		f, ok := object.field(cf.Name)
		if !ok || f.delegated && !delegate || len(cf.Arguments) > 0 && !f.delegated {
			return nil
		}
		pf.write, pf.nonNull, pf.elemNonNull = f.write, f.nonNull, f.elemNonNull
		if f.delegated && f.nonNull {
			p.nullable = true
		}
		pf.delegates = f.delegated
		if f.sub != nil {
			if pf.sub = planSelection(oc, cf.Selections, f.sub, delegate); pf.sub == nil {
				return nil
			}
			// Where an object must be null-able, its place must allow null.
			if pf.sub.nullable && (f.list && f.elemNonNull || !f.list && f.nonNull) {
				return nil
			}
			pf.delegates = pf.sub.delegates
		}
		p.delegates = p.delegates || pf.delegates
		for _, g := range slices.Concat(f.gates, subGates(pf.sub)) {
			if !slices.Contains(p.gates, g) {
				p.gates = append(p.gates, g)
			}
		}
		p.fields = append(p.fields, pf)
	}
	return p
}

func subGates(p *plan) []*gate {
	if p == nil {
		return nil
	}
	return p.gates
}

func onlySkipInclude(dirs ast.DirectiveList) bool {
	for _, d := range dirs {
		if d.Name != "skip" && d.Name != "include" {
			return false
		}
	}
	return true
}

// A gate is a schema directive the writer decides once for the whole value: open lets every
// field it guards be written; closed leaves the value to gqlgen, whose directive answers.
type gate struct {
	directive string
	open      func(st *writeState) bool
}

func (p *plan) gatesOpen(st *writeState) bool {
	for _, g := range p.gates {
		if !g.open(st) {
			return false
		}
	}
	return true
}

// writeState is what the writer of one value needs to know of its request, and where it is.
type writeState struct {
	viewer *viewer.Viewer
	// The rest serves delegated fields: the target field's context and an execution context
	// of the operation, the fields and list indexes from the target down to the object being
	// written, whether a delegated field ran (the value can no longer be left to gqlgen), and
	// whether one that may not be null answered null.
	ctx       context.Context
	exec      *executionContext
	path      []pathStep
	delegated bool
	nulled    bool
}

// fieldFunc appends one field's value of obj; false when gqlgen must answer instead (a value
// that would be an error, or that is not loaded yet).
type fieldFunc[T any] func(b []byte, obj T, f *plannedField, st *writeState) ([]byte, bool)

// objectType is a known object of the schema, bound to one Go type.
type objectType interface {
	name() string
	implementors() []string
	field(name string) (knownField, bool)
	// write appends v, a value of a target field (one object, or a slice of them).
	write(b []byte, v any, tg *target, p *plan, st *writeState) ([]byte, bool)
}

// knownField is a field of a known object that is plain once its gates are open, or one
// delegated to gqlgen's own execution of the field (direct_delegate.go).
type knownField struct {
	write any // fieldFunc[T]
	sub   objectType
	// list: a list; nonNull and elemNonNull: the field, and a list's elements, may not be null.
	list, nonNull, elemNonNull bool
	gates                      []*gate
	delegated                  bool
}

// object is a known object type: its Go type T and its plain fields.
type object[T any] struct {
	typeName  string
	satisfies []string
	fields    map[string]knownField
	// isNil tells a nil pointer (null), for a T that is a pointer.
	isNil func(T) bool
}

func (o *object[T]) name() string                         { return o.typeName }
func (o *object[T]) implementors() []string               { return o.satisfies }
func (o *object[T]) field(name string) (knownField, bool) { f, ok := o.fields[name]; return f, ok }

func (o *object[T]) write(b []byte, v any, tg *target, p *plan, st *writeState) ([]byte, bool) {
	if !tg.list {
		one, ok := v.(T)
		if !ok {
			return nil, false
		}
		// res == nil never reaches here; an object nulled by a delegated field is null.
		return o.writeOne(b, one, p, st, tg.nonNull)
	}
	many, ok := v.([]T)
	if !ok || many == nil && tg.listNonNull {
		return nil, false
	}
	return o.writeList(b, many, p, st, tg.elemNonNull)
}

// writeList appends a list of objects; a nil list is null.
func (o *object[T]) writeList(b []byte, many []T, p *plan, st *writeState, elemNonNull bool) ([]byte, bool) {
	if many == nil {
		return append(b, "null"...), true
	}
	b = append(b, '[')
	for i, one := range many {
		if i > 0 {
			b = append(b, ',')
		}
		var ok bool
		if p.delegates {
			st.enterIndex(i, &many[i])
			b, ok = o.writeOne(b, one, p, st, elemNonNull)
			st.leave()
		} else {
			b, ok = o.writeOne(b, one, p, st, elemNonNull)
		}
		if !ok {
			return nil, false
		}
	}
	return append(b, ']'), true
}

// writeOne appends one object; a nil pointer is null where null is allowed.
func (o *object[T]) writeOne(b []byte, obj T, p *plan, st *writeState, nonNull bool) ([]byte, bool) {
	if o.isNil != nil && o.isNil(obj) {
		if nonNull {
			return nil, false
		}
		return append(b, "null"...), true
	}
	start := len(b)
	b = append(b, '{')
	for i := range p.fields {
		f := &p.fields[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, f.key...)
		if f.write == nil {
			b = appendString(b, f.typename)
			continue
		}
		var ok bool
		if b, ok = f.write.(fieldFunc[T])(b, obj, f, st); !ok {
			return nil, false
		}
	}
	if st.nulled {
		// A delegated field that may not be null answered null: so does the object, as
		// gqlgen's would (the plan put it where null is allowed).
		st.nulled = false
		if nonNull {
			return nil, false
		}
		return append(b[:start], "null"...), true
	}
	return append(b, '}'), true
}

// appendKey appends "alias": as gqlgen writes a field's name.
func appendKey(b []byte, alias string) []byte { return append(appendString(b, alias), ':') }

const hexDigits = "0123456789ABCDEF"

// appendString appends s as a JSON string, escaped exactly as gqlgen's MarshalString does.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i, c := range s {
		if c >= 0x20 && c != '\\' && c != '"' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '\t':
			b = append(b, `\t`...)
		case '\r':
			b = append(b, `\r`...)
		case '\n':
			b = append(b, `\n`...)
		case '\\':
			b = append(b, `\\`...)
		case '"':
			b = append(b, `\"`...)
		default:
			b = append(b, `\u00`...)
			b = append(b, hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendTime appends t as the Time scalar writes it; the zero time is no value (gqlgen's
// MarshalTime answers null for it).
func appendTime(b []byte, t time.Time) ([]byte, bool) {
	if t.IsZero() {
		return nil, false
	}
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"'), true
}

// appendID appends an integer ID as the ID scalar writes it: a string of its digits.
func appendID(b []byte, id int) []byte {
	b = append(b, '"')
	b = strconv.AppendInt(b, int64(id), 10)
	return append(b, '"')
}

// appendWriter lets a Marshaler (an enum's MarshalGQL) append to a byte slice.
type appendWriter struct{ b []byte }

func (w *appendWriter) Write(p []byte) (int, error) { w.b = append(w.b, p...); return len(p), nil }
func (w *appendWriter) WriteString(s string) (int, error) {
	w.b = append(w.b, s...)
	return len(s), nil
}
