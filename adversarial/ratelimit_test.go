package adversarial_test

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"sitekeeper/graph"
	"sitekeeper/internal/server"
	"sitekeeper/internal/testkit/apitest"
)

// TestCostRateLimit: each principal spends its operations' complexity from its own bucket;
// an empty bucket answers 429 with Retry-After, and the refused operation does not run.
func TestCostRateLimit(t *testing.T) {
	// 60 units a minute (one a second) and a bucket of 40.
	s := newStack(t, graph.Options{CostPerMinute: 60, CostBurst: 40})
	primary := s.TokenFor(apitest.Primary)
	// Cost, in nodes (fields cost nothing beyond their node): site 1 + contacts (1 + 10 x (edges 1 + node 1)) = 22.
	list := fmt.Sprintf(`{ site(number:%q) { contacts(first:10) { edges { node { email } } } } }`, s.R.A.Number)

	if res := s.post(primary, list, nil); res.Status != http.StatusOK || len(res.Errors) > 0 {
		t.Fatalf("first query: HTTP %d %+v", res.Status, res.Errors)
	}
	// 18 units left: the same query is refused, whole.
	res := s.post(primary, list, nil)
	if res.Status != http.StatusTooManyRequests || res.Body != `{"errors":[{"message":"rate limit exceeded","extensions":{"code":"RATE_LIMITED"}}],"data":null}` {
		t.Fatalf("over the budget: HTTP %d %s", res.Status, res.Body)
	}
	retry, err := strconv.Atoi(res.Header.Get("Retry-After"))
	if err != nil || retry < 3 || retry > 4 {
		t.Fatalf("Retry-After = %q, want the 4 seconds that 4 missing units take", res.Header.Get("Retry-After"))
	}
	// A cheap query still fits in what is left.
	if res := s.post(primary, `{ viewer { isOperator } }`, nil); res.Status != http.StatusOK {
		t.Fatalf("a cheap query: HTTP %d %s", res.Status, res.Body)
	}
	// A refused mutation does not run.
	before := s.Dump()
	heavy := fmt.Sprintf(`mutation { markSiteReviewed(siteId:%d) { contacts(first:20) { edges { node { email } } } } }`, s.R.A.ID)
	res = s.post(primary, heavy, nil)
	if res.Status != http.StatusTooManyRequests || res.code() != graph.RateLimitedCode || res.Header.Get("Retry-After") == "" {
		t.Fatalf("rate-limited mutation: HTTP %d %s", res.Status, res.Body)
	}
	s.unchanged(t, before, "a rate-limited mutation")
	// Other principals have buckets of their own: another person, a partner, anonymous callers.
	for who, token := range map[string]string{"another person": s.TokenFor(apitest.SecManager),
		"a partner": s.PartnerToken(apitest.PartnerClient), "anonymous": ""} {
		if res := s.post(token, list, nil); res.Status == http.StatusTooManyRequests {
			t.Fatalf("%s shares the PRIMARY's bucket", who)
		}
	}
	// A query that costs more than the whole bucket spends the whole bucket, once it is full.
	anon := `{ sites(first:100) { edges { node { number name } } } }` // 1 + 100 x 2 = 201
	if res := s.post(s.TokenFor(apitest.UserA), anon, nil); res.Status != http.StatusOK {
		t.Fatalf("a query above the burst, on a full bucket: HTTP %d %s", res.Status, res.Body)
	}
	if res := s.post(s.TokenFor(apitest.UserA), `{ viewer { isOperator } }`, nil); res.Status != http.StatusTooManyRequests {
		t.Fatalf("after spending the whole bucket: HTTP %d", res.Status)
	}
}

// TestDefaultRateLimitLeavesTheDashboardAlone: with the default limits, a burst of dashboard
// pages (the contacts table at 50 a page) is never refused.
func TestDefaultRateLimitLeavesTheDashboardAlone(t *testing.T) {
	s := newStack(t, graph.Options{})
	primary := s.TokenFor(apitest.Primary)
	page := fmt.Sprintf(`{ site(number:%q) { contacts(first:50) { totalCount edges { cursor node { id email firstName lastName
		accessRole status contactTypes privileges { softwareAccess reporting entitlements manageAccess contactUpdates accountDocuments } } } } } }`, s.R.A.Number)
	for i := range 100 {
		if res := s.post(primary, page, nil); res.Status != http.StatusOK || len(res.Errors) > 0 {
			t.Fatalf("dashboard page %d: HTTP %d %+v", i, res.Status, res.Errors)
		}
	}
}

// TestSignInRateLimit: starting sign-ins (each writes a row) is limited per client address.
func TestSignInRateLimit(t *testing.T) {
	s := newStack(t, graph.Options{}, func(d *server.Deps) { d.LoginPerMinute, d.LoginBurst = 6, 3 })
	count := func() int {
		var n int
		if err := s.QueryRow(`SELECT COUNT(*) FROM login_states`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	get := func() answer {
		req, _ := http.NewRequest(http.MethodGet, s.url+"/auth/login?returnTo=/", nil)
		return s.do(req)
	}
	for i := range 3 {
		if res := get(); res.Status != http.StatusFound {
			t.Fatalf("sign-in %d: HTTP %d %s", i, res.Status, res.Body)
		}
	}
	res := get()
	if res.Status != http.StatusTooManyRequests || res.Header.Get("Retry-After") != "10" ||
		res.Body != "Too many sign-in attempts from your address. Try again in 10 seconds.\n" {
		t.Fatalf("fourth sign-in: HTTP %d Retry-After %q %q", res.Status, res.Header.Get("Retry-After"), res.Body)
	}
	if n := count(); n != 3 {
		t.Fatalf("%d login states written, want 3", n)
	}
	// The rest of the server is not affected.
	if res := s.post(s.TokenFor(apitest.Primary), `{ viewer { isOperator } }`, nil); res.Status != http.StatusOK {
		t.Fatalf("GraphQL after the sign-in limit: HTTP %d", res.Status)
	}
}
