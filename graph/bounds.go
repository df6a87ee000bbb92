package graph

import (
	"context"
	"fmt"
	"slices"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/lexer"
	"github.com/vektah/gqlparser/v2/parser"

	"sitekeeper/internal/apperr"
	"sitekeeper/internal/viewer"
)

const (
	// maxRepeats bounds how often one response name (a field, or a spread of one fragment) occurs
	// in one selection set, fragments merged in: validation compares each pair of them, so its
	// cost grows with the square of the repeats (14,000 isOperator took 8 to 13 s of CPU).
	maxRepeats = 10
	// maxInputDepth bounds how deeply input objects and lists nest, in the variables and in the
	// document's arguments: a where-input 2,000 levels deep took up to 52 s and 1.7 GB.
	maxInputDepth = 8
	// maxInputValues bounds the values (objects, lists and scalars) of all variables together.
	maxInputValues = 10_000
)

// documentBounds is the first check a GraphQL request meets, before gqlgen parses and validates
// its document (a cost that grows with the square of repeated fields). On the document parsed
// once more with the same token limit, it counts what validation would walk: field selections
// with fragments expanded, aliases, depth, repeats of one name, and the nesting of literal
// arguments. The verdict depends only on the document, so it is kept per document like gqlgen's
// own query cache. Anonymous callers may ask only for viewer and instance. The variables were
// bounded before they were decoded (jsonProblem, in NewHandler).
type documentBounds struct {
	devMode bool
	cache   *lru.LRU[*docSummary]
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = documentBounds{}

func newDocumentBounds(devMode bool) documentBounds {
	return documentBounds{devMode: devMode, cache: lru.New[*docSummary](1000)}
}

func (documentBounds) ExtensionName() string                   { return "SitekeeperDocumentBounds" }
func (documentBounds) Validate(graphql.ExecutableSchema) error { return nil }

func (b documentBounds) MutateOperationParameters(ctx context.Context, params *graphql.RawParams) *gqlerror.Error {
	summary, ok := b.cache.Get(ctx, params.Query)
	if !ok {
		summary = summarize(params.Query)
		b.cache.Add(ctx, params.Query, summary)
	}
	if summary.refusal != "" {
		return refuse(ctx, "%s", summary.refusal)
	}
	if viewer.FromContext(ctx).IsAnonymous() {
		for _, name := range summary.roots {
			if !anonymousMay(name, b.devMode) {
				return &gqlerror.Error{Message: apperr.ErrUnauthenticated.Message,
					Extensions: map[string]any{"code": string(apperr.Unauthenticated)}}
			}
		}
	}
	return nil
}

// anonymousMay: callers without credentials learn who they are (nobody) and how the server is
// set up, nothing else; in dev mode tools may read the schema too (SPEC section 3).
func anonymousMay(rootField string, devMode bool) bool {
	switch rootField {
	case "viewer", "instance", "__typename":
		return true
	case "__schema", "__type":
		return devMode
	}
	return false
}

// jsonProblem bounds a JSON text before anything decodes it: how deeply its objects and arrays
// nest (at most depth levels) and how many values it holds (at most maxInputValues, besides a
// few for the request's own fields). A scan without allocations: decoding 300,000 values first
// took 200 ms and 100 MB per request.
func jsonProblem(raw []byte, depth int) string {
	level, values := 0, 0
	inString, escaped := false, false
	for _, c := range raw {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
			values++
		case c == '{' || c == '[':
			level++
			values++
			if level > depth {
				return fmt.Sprintf("the variables nest objects and lists deeper than %d levels", maxInputDepth)
			}
		case c == '}' || c == ']':
			level--
		case c == ',':
			values++
		}
		if values > maxInputValues+requestFields {
			return fmt.Sprintf("the variables hold more than %d values", maxInputValues)
		}
	}
	return ""
}

// requestFields allows for the values of a request body's own fields (query, operationName,
// the variables object, extensions) beside those of the variables.
const requestFields = 16

// docSummary is what documentBounds keeps of a document.
type docSummary struct {
	refusal string   // why it is refused; "" when it fits
	roots   []string // the root fields of its operations
}

// summarize parses query and walks it. A document that does not parse gets an empty summary:
// gqlgen parses it again and answers the syntax error itself.
func summarize(query string) *docSummary {
	// Each field selection is a name: more names than selections allowed is refused by the
	// lexer alone (0.6 ms and no allocation for 14,000 names, where parsing them takes 6 ms
	// and 4 MB).
	if names := countNames(query); names > maxSelections {
		return &docSummary{refusal: fmt.Sprintf("the query names more than %d fields, arguments and types", maxSelections)}
	}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: query}, MaxTokens)
	if err != nil {
		return &docSummary{}
	}
	w := boundsWalker{doc: doc}
	for _, op := range doc.Operations {
		w.roots(op.SelectionSet, nil)
		if !w.walk(op.SelectionSet, 0, false) {
			return &docSummary{refusal: w.refusal}
		}
	}
	// Fragments are validated on their own too, spread or not.
	for _, f := range doc.Fragments {
		if !w.walkSets(f.SelectionSet) {
			return &docSummary{refusal: w.refusal}
		}
	}
	return &docSummary{roots: w.rootNames}
}

// countNames counts the name tokens of query, up to the first lexical error (which the parser
// reports afterwards) or one past maxSelections.
func countNames(query string) int {
	l := lexer.New(&ast.Source{Input: query})
	n := 0
	for n <= maxSelections {
		t, err := l.ReadToken()
		if err != nil || t.Kind == lexer.EOF {
			break
		}
		if t.Kind == lexer.Name {
			n++
		}
	}
	return n
}

// boundsWalker walks a parsed document, unvalidated: names may not exist and fragments may
// cycle (validation refuses both afterwards; the walker only must not loop).
type boundsWalker struct {
	doc       *ast.QueryDocument
	fields    int
	aliases   int
	refusal   string
	rootNames []string
	spreading []string // the fragments being expanded
}

// roots collects the root field names of set, through fragments.
func (w *boundsWalker) roots(set ast.SelectionSet, seen []string) {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if !slices.Contains(w.rootNames, s.Name) {
				w.rootNames = append(w.rootNames, s.Name)
			}
		case *ast.InlineFragment:
			w.roots(s.SelectionSet, seen)
		case *ast.FragmentSpread:
			if def := w.doc.Fragments.ForName(s.Name); def != nil && !slices.Contains(seen, s.Name) {
				w.roots(def.SelectionSet, append(seen, s.Name))
			}
		}
	}
}

func (w *boundsWalker) refuse(format string, args ...any) bool {
	w.refusal = fmt.Sprintf(format, args...)
	return false
}

// walk visits set, whose fields sit at depth+1, with fragments expanded. It returns false once a
// bound is exceeded; each field is counted as it is visited, so a document whose fragments
// multiply stops the walk at maxSelections.
func (w *boundsWalker) walk(set ast.SelectionSet, depth int, introspection bool) bool {
	if !w.repeatsWithin(set) {
		return false
	}
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			w.fields++
			if w.fields > maxSelections {
				return w.refuse("the query selects more than %d fields once its fragments are expanded", maxSelections)
			}
			if s.Alias != "" && s.Alias != s.Name {
				w.aliases++
				if w.aliases > maxAliases {
					return w.refuse("the query uses more than %d aliases", maxAliases)
				}
			}
			for _, arg := range s.Arguments {
				if valueDepth(arg.Value, 0) > maxInputDepth {
					return w.refuse("the argument %s nests objects and lists deeper than %d levels", arg.Name, maxInputDepth)
				}
			}
			// Introspection is bounded by gqlparser's MaxIntrospectionDepth rule instead: the
			// standard introspection query nests its ofType chain deeper than any data query.
			inner, d := introspection || s.Name == "__schema" || s.Name == "__type", depth
			if !inner {
				d = depth + 1
				if d > maxDepth {
					return w.refuse("the query nests fields deeper than %d levels", maxDepth)
				}
			}
			if !w.walk(s.SelectionSet, d, inner) {
				return false
			}
		case *ast.InlineFragment:
			if !w.walk(s.SelectionSet, depth, introspection) {
				return false
			}
		case *ast.FragmentSpread:
			def := w.doc.Fragments.ForName(s.Name)
			if def == nil || slices.Contains(w.spreading, s.Name) {
				continue
			}
			w.spreading = append(w.spreading, s.Name)
			ok := w.walk(def.SelectionSet, depth, introspection)
			w.spreading = w.spreading[:len(w.spreading)-1]
			if !ok {
				return false
			}
		}
	}
	return true
}

// walkSets checks the repeats and arguments of every selection set under set, without expanding
// fragments (for fragment definitions, which validation visits on their own).
func (w *boundsWalker) walkSets(set ast.SelectionSet) bool {
	if !w.repeatsWithin(set) {
		return false
	}
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			for _, arg := range s.Arguments {
				if valueDepth(arg.Value, 0) > maxInputDepth {
					return w.refuse("the argument %s nests objects and lists deeper than %d levels", arg.Name, maxInputDepth)
				}
			}
			if !w.walkSets(s.SelectionSet) {
				return false
			}
		case *ast.InlineFragment:
			if !w.walkSets(s.SelectionSet) {
				return false
			}
		}
	}
	return true
}

// repeatsWithin refuses a response name that occurs more than maxRepeats times in set, with
// the fields its inline fragments and fragment spreads merge into it. Each fragment is merged
// once (a spread repeated counts as a repeat of its own name), so this costs the size of set.
func (w *boundsWalker) repeatsWithin(set ast.SelectionSet) bool {
	counts := map[string]int{}
	merged := map[string]bool{}
	var count func(set ast.SelectionSet) bool
	count = func(set ast.SelectionSet) bool {
		for _, sel := range set {
			key := ""
			switch s := sel.(type) {
			case *ast.Field:
				key = s.Alias
				if key == "" {
					key = s.Name
				}
			case *ast.InlineFragment:
				if !count(s.SelectionSet) {
					return false
				}
				continue
			case *ast.FragmentSpread:
				key = "..." + s.Name
				if def := w.doc.Fragments.ForName(s.Name); def != nil && !merged[s.Name] {
					merged[s.Name] = true
					if !count(def.SelectionSet) {
						return false
					}
				}
			}
			counts[key]++
			if counts[key] > maxRepeats {
				return w.refuse("the query repeats %s more than %d times in one selection", key, maxRepeats)
			}
		}
		return true
	}
	return count(set)
}

// valueDepth is how deeply objects and lists nest in a literal argument value.
func valueDepth(v *ast.Value, depth int) int {
	if v == nil || (v.Kind != ast.ObjectValue && v.Kind != ast.ListValue) {
		return depth
	}
	deepest := depth + 1
	for _, child := range v.Children {
		if deepest > maxInputDepth {
			break // deep enough to refuse: no need to go further
		}
		deepest = max(deepest, valueDepth(child.Value, depth+1))
	}
	return deepest
}

// schemaReading lets the schema be read by signed-in callers, and by anyone in dev mode; for
// anonymous callers documentBounds has refused it already.
type schemaReading struct{ devMode bool }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = schemaReading{}

func (schemaReading) ExtensionName() string                   { return "SitekeeperIntrospection" }
func (schemaReading) Validate(graphql.ExecutableSchema) error { return nil }

func (i schemaReading) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	opCtx.DisableIntrospection = !i.devMode && viewer.FromContext(ctx).IsAnonymous()
	return nil
}
