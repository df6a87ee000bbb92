package graph

import (
	"context"
	"encoding/json"
	"os"
	"regexp"
	"testing"

	gqlcomplexity "github.com/99designs/gqlgen/complexity"
	"github.com/vektah/gqlparser/v2"
)

// TestDashboardOperationsFitTheLimits checks every operation the SPA sends (as generated into
// frontend/src/gql/gql.ts) against the shape and cost limits, at the worst case of its page
// sizes: the dashboard must never meet them.
func TestDashboardOperationsFitTheLimits(t *testing.T) {
	raw, err := os.ReadFile("../frontend/src/gql/gql.ts")
	if err != nil {
		t.Skipf("no generated SPA operations: %v", err)
	}
	es := NewExecutableSchema(Config{Resolvers: &Resolver{}, Directives: directives(), Complexity: complexity()})
	keys := regexp.MustCompile(`(?m)^    ("(?:[^"\\]|\\.)*"): typeof types\.`).FindAllSubmatch(raw, -1)
	if len(keys) == 0 {
		t.Fatal("no operations found in gql.ts")
	}
	worst := 0
	for _, k := range keys {
		var src string
		if err := json.Unmarshal(k[1], &src); err != nil {
			t.Fatalf("operation %s: %v", k[1], err)
		}
		doc, errs := gqlparser.LoadQuery(es.Schema(), src)
		if errs != nil {
			t.Errorf("operation does not validate: %v\n%s", errs, src)
			continue
		}
		for _, op := range doc.Operations {
			// The worst case: every Int variable (the page sizes) at the largest page.
			vars := map[string]any{}
			for _, v := range op.VariableDefinitions {
				if v.Type.Name() == "Int" {
					vars[v.Variable] = int64(maxPage)
				}
			}
			summary := summarize(src)
			if summary.refusal != "" {
				t.Errorf("operation %s is refused before validation: %s", op.Name, summary.refusal)
			}
			if p := pagesProblem(doc, op.SelectionSet, vars, nil); p != nil {
				t.Errorf("operation %s asks for pages the API refuses: %s", op.Name, p.Message)
			}
			cost := gqlcomplexity.Calculate(context.Background(), es, op, nil, costOptions...)
			worst = max(worst, cost)
			if cost > maxCost {
				t.Errorf("operation %s could cost %d, over %d", op.Name, cost, maxCost)
			}
			t.Logf("%s: within the bounds, worst-case cost %d", op.Name, cost)
		}
	}
}
