package metrics

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestMetrics(t *testing.T) {
	m := New(nil)
	h := m.Instrument(func(*http.Request) string { return "graphql" }, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTeapot)
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/graphql", nil))
	m.GraphQLError("FORBIDDEN")
	m.GraphQLError("FORBIDDEN")
	w := httptest.NewRecorder()
	m.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(w.Body)
	for _, want := range []string{
		`sitekeeper_http_requests_total{method="POST",route="graphql",status="418"} 1`,
		`sitekeeper_graphql_errors_total{code="FORBIDDEN"} 2`,
		`sitekeeper_http_request_duration_seconds_count{route="graphql"} 1`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("missing %s in\n%s", want, body)
		}
	}
}
