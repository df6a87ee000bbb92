// Package apitest runs the real GraphQL handler behind the real bearer-token middleware, over a
// fresh migrated database and an OIDC issuer on loopback, for tests that act as real callers.
package apitest

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"sitekeeper/ent"
	_ "sitekeeper/ent/runtime" // privacy rules, hooks and defaults
	"sitekeeper/graph"
	"sitekeeper/internal/auth"
	"sitekeeper/internal/db"
	"sitekeeper/internal/db/dbtest"
	"sitekeeper/internal/testkit/oidctest"
)

// Audience is the API audience the test issuer's tokens carry.
const Audience = "sitekeeper-api"

// OperatorGroup is the operator group the environment is configured with.
const OperatorGroup = "sitekeeper-operators"

// Env is one test's server, database and issuer.
type Env struct {
	t      testing.TB
	Client *ent.Client
	DB     *sql.DB
	Issuer *oidctest.Issuer
	URL    string
	// Root is the server's base URL, for the routes added with Handle.
	Root string
	mux  *http.ServeMux
}

// New starts a server for t; everything stops when t ends.
func New(t testing.TB) *Env {
	t.Helper()
	client, sqlDB := dbtest.OpenDB(t)
	return NewWith(t, client, sqlDB)
}

// NewWith starts a server over an already opened database; tune adjusts the handler's options.
func NewWith(t testing.TB, client *ent.Client, sqlDB *sql.DB, tune ...func(*graph.Options)) *Env {
	t.Helper()
	issuer := oidctest.New(t)
	logger := slog.New(slog.DiscardHandler)
	authn, err := auth.New(context.Background(), client, auth.Config{
		Issuer: issuer.URL(), Audience: Audience, OperatorGroup: OperatorGroup, GroupsClaim: "groups", Logger: logger,
	})
	if err != nil {
		t.Fatalf("apitest: auth: %v", err)
	}
	opts := graph.Options{Logger: logger, MaxSecondary: 4}
	for _, f := range tune {
		f(&opts)
	}
	mux := http.NewServeMux()
	mux.Handle("/", graph.NewHandler(client, opts))
	srv := httptest.NewServer(authn.Middleware(mux))
	t.Cleanup(srv.Close)
	return &Env{t: t, Client: client, DB: sqlDB, Issuer: issuer, URL: srv.URL + "/graphql", Root: srv.URL, mux: mux}
}

// Handle serves a further route (a pattern as in server.Deps.Routes) behind the same bearer
// middleware as the GraphQL handler, which answers every other path.
func (e *Env) Handle(pattern string, h http.Handler) { e.mux.Handle(pattern, h) }

// Get fetches a path under Root as the holder of token ("" for anonymous).
func (e *Env) Get(token, path string) (*http.Response, []byte) {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.Root+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("get %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatalf("get %s: %v", path, err)
	}
	return resp, body
}

// Sys is a context that acts as Sitekeeper itself, for fixtures and checks.
func Sys() context.Context {
	return dbtest.Sys()
}

// TokenFor mints a token for a person with a verified email; extra claims override.
func (e *Env) TokenFor(email string, extra ...map[string]any) string {
	claims := map[string]any{"sub": "sub-" + email, "email": email, "email_verified": true, "name": email}
	for _, x := range extra {
		for k, v := range x {
			claims[k] = v
		}
	}
	return e.Issuer.Token(e.t, claims)
}

// OperatorToken mints a token for vendor staff.
func (e *Env) OperatorToken() string {
	return e.TokenFor("operator@vendor.example", map[string]any{"groups": []string{OperatorGroup}})
}

// PartnerToken mints a client-credentials token for a partner's client id.
func (e *Env) PartnerToken(clientID string) string {
	return e.Issuer.Token(e.t, map[string]any{"sub": clientID, "email": nil})
}

// Error is one GraphQL error as the client reads it.
type Error struct {
	Message    string `json:"message"`
	Path       []any  `json:"path"`
	Extensions struct {
		Code   string   `json:"code"`
		Fields []string `json:"fields"`
		IDs    []string `json:"ids"`
	} `json:"extensions"`
}

// Result is a GraphQL response.
type Result struct {
	Status int
	Data   json.RawMessage `json:"data"`
	Errors []Error         `json:"errors"`
	t      testing.TB
}

// Code is the first error's code, or "" when there is none.
func (r *Result) Code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	return r.Errors[0].Extensions.Code
}

// OK fails the test when the response has errors.
func (r *Result) OK() *Result {
	r.t.Helper()
	if len(r.Errors) > 0 || r.Status != http.StatusOK {
		r.t.Fatalf("unexpected errors (HTTP %d): %+v", r.Status, r.Errors)
	}
	return r
}

// Decode unmarshals data into v.
func (r *Result) Decode(v any) {
	r.t.Helper()
	if err := json.Unmarshal(r.Data, v); err != nil {
		r.t.Fatalf("decode %s: %v", r.Data, err)
	}
}

// Exec posts a query as the holder of token ("" for anonymous).
func (e *Env) Exec(token, query string, vars map[string]any) *Result {
	e.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, e.URL, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("post: %v", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := &Result{Status: resp.StatusCode, t: e.t}
	if err := json.Unmarshal(raw, out); err != nil {
		e.t.Fatalf("response %d %q: %v", resp.StatusCode, raw, err)
	}
	return out
}

// Rebind rewrites a hand-written statement with ? placeholders for the test's database
// (PostgreSQL numbers them: $1, $2, ...).
func (e *Env) Rebind(query string) string { return db.Rebind(db.DialectOf(e.DB), query) }

// ExecSQL runs a hand-written statement (with ? placeholders) on the test's database and fails
// the test on an error.
func (e *Env) ExecSQL(query string, args ...any) sql.Result {
	e.t.Helper()
	res, err := e.DB.Exec(e.Rebind(query), args...)
	if err != nil {
		e.t.Fatalf("%s: %v", query, err)
	}
	return res
}

// QueryRow runs a hand-written query (with ? placeholders) on the test's database.
func (e *Env) QueryRow(query string, args ...any) *sql.Row {
	return e.DB.QueryRow(e.Rebind(query), args...)
}

// Query runs a hand-written query (with ? placeholders) on the test's database.
func (e *Env) Query(query string, args ...any) (*sql.Rows, error) {
	return e.DB.Query(e.Rebind(query), args...)
}

// Dump renders every domain table's rows, for checking that a refused request changed nothing.
// The users table is left out: it caches identities at each request, it is not Site data.
func (e *Env) Dump() string {
	e.t.Helper()
	tables := []string{"sites", "contacts", "access_requests", "partners", "partner_grants", "audit_events"}
	var b strings.Builder
	for _, table := range tables {
		rows, err := e.DB.Query("SELECT * FROM " + table + " ORDER BY id")
		if err != nil {
			e.t.Fatalf("dump %s: %v", table, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				e.t.Fatalf("dump %s: %v", table, err)
			}
			fmt.Fprintf(&b, "%s %v\n", table, vals)
		}
		rows.Close()
	}
	return b.String()
}
