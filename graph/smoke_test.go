package graph_test

import (
	"testing"

	"sitekeeper/internal/testkit/apitest"
)

func TestSmoke(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	res := e.Exec(e.TokenFor(apitest.Primary), `query($n:String!){ viewer { user { email } contacts { accessRole site { number } } }
	  site(number:$n){ name reviewDueAt primaryContact { email privileges { manageAccess } contactTypes }
	    contacts(first: 10){ totalCount edges { node { email accessRole status version privileges { softwareAccess } } } } } }`,
		map[string]any{"n": r.A.Number}).OK()
	t.Logf("%s", res.Data)
}
