package graph_test

import (
	"fmt"
	"testing"

	"sitekeeper/ent/contact"
	"sitekeeper/graph"
	"sitekeeper/internal/db/dbtest"
	"sitekeeper/internal/testkit/apitest"
)

// BenchmarkUpdateContact runs an audited updateContact through the handler:
// go test -run '^$' -bench UpdateContact -benchmem ./graph
func BenchmarkUpdateContact(b *testing.B) {
	client, sqlDB := dbtest.OpenDB(b)
	e := apitest.NewWith(b, client, sqlDB, func(o *graph.Options) { o.CostPerMinute, o.CostBurst = 1<<30, 1<<30 })
	s, token := seedBigSite(b, e)
	c := e.Client.Contact.Query().Where(contact.SiteID(s.ID), contact.Email("member-001@x.example")).OnlyX(apitest.Sys())
	version := c.Version
	i := 0
	for b.Loop() {
		i++
		var out struct {
			UpdateContact struct{ Version int } `json:"updateContact"`
		}
		e.Exec(token, `mutation($id:ID!,$t:String!,$v:Int!) { updateContact(id:$id, input:{jobTitle:$t}, expectedVersion:$v) { id version jobTitle } }`,
			map[string]any{"id": c.ID, "t": fmt.Sprintf("Title %d", i), "v": version}).OK().Decode(&out)
		version = out.UpdateContact.Version
	}
}
