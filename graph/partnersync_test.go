package graph_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"sitekeeper/ent"
	"sitekeeper/ent/auditevent"
	"sitekeeper/ent/partnergrant"
	"sitekeeper/ent/site"
	"sitekeeper/graph"
	"sitekeeper/internal/benchseed"
	"sitekeeper/internal/db/dbtest"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/testkit/apitest"
	"sitekeeper/internal/testkit/sqlcount"
)

type syncPage struct {
	Sites struct {
		PageInfo struct {
			HasNextPage bool
			EndCursor   *string
		}
		Edges []struct {
			Node struct {
				ID       string
				Number   string
				Contacts struct {
					Edges []struct {
						Node struct{ Email, AccessRole string }
					}
				}
			}
		}
	}
}

// seedPartnerSync seeds sites Sites of about 5 contacts, granted all but one in five to the
// benchmark partner when some is set (so the filter has Sites to skip), else every one; it
// returns the partner's token after a first request (the middleware's caches are warm).
func seedPartnerSync(t testing.TB, e *apitest.Env, opts benchseed.Options) string {
	t.Helper()
	if _, err := benchseed.Seed(context.Background(), e.DB, opts); err != nil {
		t.Fatal(err)
	}
	token := e.PartnerToken(benchseed.PartnerClientID)
	e.Exec(token, `{ viewer { partner { name } } }`, nil).OK()
	return token
}

// A partner's sync page costs the same statements at any position and whatever the number of
// Sites granted, records one access event for each Site it reads, and reads no other Site.
func TestPartnerSyncPageCost(t *testing.T) {
	type measured struct {
		statements int
		stmts      []string
	}
	var all []measured
	for _, granted := range []int{250, 450} {
		client, sqlDB, counter := sqlcount.Open(t)
		e := apitest.NewWith(t, client, sqlDB, func(o *graph.Options) { o.CostPerMinute, o.CostBurst = 1<<30, 1<<30 })
		opts := benchseed.Options{Sites: granted + 50, ContactsPerSite: 5, LargeSites: 2, LargeSiteContacts: 20, PartnerSites: granted}
		token := seedPartnerSync(t, e, opts)
		first, end := opts.PartnerSiteRange()
		var want []string
		for i := first; i < end; i++ {
			want = append(want, benchseed.SiteNumber(i))
		}

		var seen []string
		var after any
		for page := 0; ; page++ {
			events := func() int {
				return e.Client.AuditEvent.Query().Where(auditevent.Action("read"), auditevent.ActorKindEQ(domain.ActorPartner)).CountX(apitest.Sys())
			}
			before := events()
			counter.Reset()
			var out syncPage
			e.Exec(token, benchseed.PartnerSyncQuery, map[string]any{"after": after}).OK().Decode(&out)
			n := counter.Count()
			s := out.Sites
			var numbers []string
			for _, edge := range s.Edges {
				numbers = append(numbers, edge.Node.Number)
				if len(edge.Node.Contacts.Edges) == 0 || edge.Node.Contacts.Edges[0].Node.Email == "" {
					t.Fatalf("granted %d, page %d: Site %s without its contacts", granted, page, edge.Node.Number)
				}
			}
			seen = append(seen, numbers...)
			// One event per Site of the page, for exactly those Sites.
			if got := events() - before; got != len(s.Edges) {
				t.Errorf("granted %d, page %d: %d access events for %d Sites", granted, page, got, len(s.Edges))
			}
			var recorded []string
			for _, ev := range e.Client.AuditEvent.Query().Where(auditevent.Action("read")).
				Order(auditevent.ByID()).Offset(before).WithSite().AllX(apitest.Sys()) {
				recorded = append(recorded, ev.Edges.Site.Number)
			}
			slices.Sort(recorded)
			if !slices.Equal(recorded, slices.Sorted(slices.Values(numbers))) {
				t.Errorf("granted %d, page %d: access events for %v, read %v", granted, page, recorded, numbers)
			}
			// Full pages only: the last one may be shorter, and costs the same all the same.
			if len(s.Edges) == 100 {
				all = append(all, measured{n, counter.Statements()})
				t.Logf("granted %d, page %d: %d statements:\n  %s", granted, page, n, strings.Join(counter.Statements(), "\n  "))
			}
			if !s.PageInfo.HasNextPage {
				break
			}
			after = *s.PageInfo.EndCursor
		}
		if !slices.Equal(seen, want) {
			t.Fatalf("granted %d: the sync read %d Sites, want the %d granted in order", granted, len(seen), len(want))
		}
	}
	if len(all) < 4 {
		t.Fatalf("%d full pages measured, want at least 2 per grant count", len(all))
	}
	// The partner, the page of Sites, their contacts, the access events.
	const most = 4
	for _, m := range all {
		if m.statements != all[0].statements {
			t.Fatalf("statements per page vary with position or grants: %d, then %d", all[0].statements, m.statements)
		}
	}
	if all[0].statements > most {
		t.Fatalf("%d statements per page, want at most %d", all[0].statements, most)
	}
}

// Site.administrators on a page of Sites costs one query for the page, not one per Site; the
// directive still decides per Site (a contact sees them on its own Site only).
func TestSiteAdministratorsAreBatched(t *testing.T) {
	client, sqlDB, counter := sqlcount.Open(t)
	e := apitest.NewWith(t, client, sqlDB)
	opts := benchseed.Options{Sites: 120, ContactsPerSite: 5, LargeSites: 2, LargeSiteContacts: 20, PartnerSites: 120}
	token := seedPartnerSync(t, e, opts)
	const q = `query($first:Int!) { sites(first:$first) { edges { node { number administrators { email accessRole } } } } }`
	count := func(first int) int {
		counter.Reset()
		var out struct {
			Sites struct {
				Edges []struct {
					Node struct {
						Administrators []struct{ Email, AccessRole string }
					}
				}
			}
		}
		e.Exec(token, q, map[string]any{"first": first}).OK().Decode(&out)
		if len(out.Sites.Edges) != first {
			t.Fatalf("first:%d answered %d Sites", first, len(out.Sites.Edges))
		}
		for _, edge := range out.Sites.Edges {
			if len(edge.Node.Administrators) == 0 || edge.Node.Administrators[0].AccessRole != "PRIMARY" {
				t.Fatalf("administrators %+v, want the PRIMARY first", edge.Node.Administrators)
			}
		}
		return counter.Count()
	}
	if few, many := count(3), count(100); few != many {
		t.Fatalf("administrators: %d statements for 3 Sites, %d for 100:\n%s", few, many, strings.Join(counter.Statements(), "\n"))
	}

	// The PRIMARY of one Site lists the Sites it sees (its own) with their administrators.
	primary := e.SignIn(benchseed.PrimaryEmail(5))
	res := e.Exec(primary, q, map[string]any{"first": 100}).OK()
	if strings.Count(string(res.Data), `"number"`) != 1 || !strings.Contains(string(res.Data), benchseed.PrimaryEmail(5)) {
		t.Fatalf("the PRIMARY of one Site sees: %s", res.Data)
	}
}

// BenchmarkPartnerSyncPage runs a partner's full sync of 10,000 granted Sites through the
// handler, one page of 100 Sites per operation, from the first page to the last and again:
// go test -run '^$' -bench PartnerSync -benchmem ./graph
func BenchmarkPartnerSyncPage(b *testing.B) {
	client, sqlDB := dbtest.OpenDB(b)
	e := apitest.NewWith(b, client, sqlDB, func(o *graph.Options) { o.CostPerMinute, o.CostBurst = 1<<30, 1<<30 })
	// Every Site of 10 contacts (the one "large" Site too), so that each page is alike: 100
	// Sites, 1,000 contacts.
	token := seedPartnerSync(b, e, benchseed.Options{Sites: 10_000, ContactsPerSite: 10, LargeSites: 1, LargeSiteContacts: 10, PartnerSites: 10_000})
	var after any
	pages := 0
	for b.Loop() {
		var out struct {
			Sites struct {
				PageInfo struct {
					HasNextPage bool
					EndCursor   string
				}
			}
		}
		e.Exec(token, benchseed.PartnerSyncQuery, map[string]any{"after": after}).OK().Decode(&out)
		after = out.Sites.PageInfo.EndCursor
		if !out.Sites.PageInfo.HasNextPage {
			after = nil
		}
		pages++
	}
	b.ReportMetric(float64(pages), "pages")
}

// Grants are judged in the database, at the request's start: a revoked or expired grant hides
// its Site from the sync, from site(number:) and from node(id:), as if it did not exist.
func TestPartnerSeesActiveGrantsOnly(t *testing.T) {
	e := apitest.New(t)
	opts := benchseed.Options{Sites: 12, ContactsPerSite: 5, LargeSites: 1, LargeSiteContacts: 5, PartnerSites: 12}
	token := seedPartnerSync(t, e, opts)
	sys := apitest.Sys()
	revoked, expired := benchseed.SiteNumber(3), benchseed.SiteNumber(7)
	grantOf := func(number string) *ent.PartnerGrant {
		return e.Client.PartnerGrant.Query().Where(partnergrant.HasSiteWith(site.Number(number))).OnlyX(sys)
	}
	grantOf(revoked).Update().SetRevokedAt(time.Now()).SetRevokedBy("test").ExecX(sys)
	// expires_at is immutable through ent: the grant runs out in the database.
	e.ExecSQL(e.Rebind(`UPDATE partner_grants SET expires_at = ? WHERE id = ?`), time.Now().Add(-time.Minute).UTC(), grantOf(expired).ID)

	var out syncPage
	e.Exec(token, benchseed.PartnerSyncQuery, nil).OK().Decode(&out)
	var numbers []string
	for _, edge := range out.Sites.Edges {
		numbers = append(numbers, edge.Node.Number)
	}
	if len(numbers) != 10 || slices.Contains(numbers, revoked) || slices.Contains(numbers, expired) {
		t.Fatalf("the sync read %v, want the 10 Sites with an active grant", numbers)
	}
	for _, number := range []string{revoked, expired} {
		res := e.Exec(token, `query($n:String!) { site(number:$n) { number contacts(first:5) { totalCount } } }`, map[string]any{"n": number}).OK()
		if string(res.Data) != `{"site":null}` {
			t.Errorf("site(number:%s) without an active grant: %s", number, res.Data)
		}
		s := e.Client.Site.Query().Where(site.Number(number)).WithContacts().OnlyX(sys)
		// As for an id that does not exist.
		res = e.Exec(token, `query($s:ID!, $c:ID!) { s: node(id:$s) { id } c: node(id:$c) { id } }`,
			map[string]any{"s": s.ID, "c": s.Edges.Contacts[0].ID})
		if string(res.Data) != `{"s":null,"c":null}` || len(res.Errors) != 2 || res.Errors[0].Extensions.Code != "NOT_FOUND" || res.Errors[1].Extensions.Code != "NOT_FOUND" {
			t.Errorf("node(id:) of Site %s without an active grant, and of its contact: %s %+v", number, res.Data, res.Errors)
		}
	}
	// The Sites granted still answer, one lookup each when nothing loaded them yet.
	if res := e.Exec(token, `query($n:String!) { site(number:$n) { number administrators { accessRole } } }`,
		map[string]any{"n": benchseed.SiteNumber(5)}).OK(); !strings.Contains(string(res.Data), "PRIMARY") {
		t.Fatalf("a granted Site: %s", res.Data)
	}
}
