package graph_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"sitekeeper/graph"
	"sitekeeper/internal/benchseed"
	"sitekeeper/internal/testkit/apitest"
	"sitekeeper/internal/testkit/sqlcount"
)

// A contact field selected alone reads the columns it needs: entgql's collection selects only
// the columns of the fields asked for (ent/entc.go's collectDerivedFields teaches it the fields
// derived from the row), so every field of Contact, alone, must answer what it answers when
// every field is selected (which reads every column). For a PRIMARY and for a partner.
func TestContactFieldsAloneReadTheirColumns(t *testing.T) {
	client, sqlDB, counter := sqlcount.Open(t)
	e := apitest.NewWith(t, client, sqlDB)
	opts := benchseed.Options{Sites: 2, ContactsPerSite: 10, LargeSites: 1, LargeSiteContacts: 12, PartnerSites: 2}
	partner := seedPartnerSync(t, e, opts)
	primary := e.SignIn(benchseed.PrimaryEmail(0))
	number := benchseed.SiteNumber(0)
	// Some contacts with details missing, signed in, invited with an expired invitation.
	users := `SELECT c.id FROM contacts c JOIN sites s ON s.id = c.site_id WHERE s.number = ? AND c.access_role = 'USER' ORDER BY c.id`
	e.ExecSQL(e.Rebind(`UPDATE contacts SET city = '' WHERE id IN (`+users+` LIMIT 3)`), number)
	e.ExecSQL(e.Rebind(`UPDATE contacts SET status = 'INVITED', invitation_expires_at = ? WHERE id IN (`+users+` DESC LIMIT 2)`),
		time.Now().Add(-time.Hour).UTC(), number)

	schema := graph.Schema()
	// The fields a caller may read, each with its selection.
	fields := func(details bool) map[string]string {
		out := map[string]string{}
		for _, f := range schema.Types["Contact"].Fields {
			if strings.HasPrefix(f.Name, "__") || len(f.Arguments) > 0 || !details && f.Directives.ForName("contactDetails") != nil {
				continue
			}
			out[f.Name] = f.Name
			if schema.Types[f.Type.Name()].Kind == ast.Object {
				out[f.Name] = fmt.Sprintf("%s { %s }", f.Name, selectAll(schema, f.Type.Name(), 0, nil))
			}
		}
		return out
	}
	page := func(token, node string) []map[string]json.RawMessage {
		var out struct {
			Site struct {
				Contacts struct {
					Edges []struct{ Node map[string]json.RawMessage }
				}
			}
		}
		e.Exec(token, `query($n:String!) { site(number:$n) { contacts(first: 50) { edges { node { id `+node+` } } } } }`,
			map[string]any{"n": number}).OK().Decode(&out)
		var nodes []map[string]json.RawMessage
		for _, edge := range out.Site.Contacts.Edges {
			nodes = append(nodes, edge.Node)
		}
		return nodes
	}
	for actor, token := range map[string]string{"PRIMARY": primary, "partner": partner} {
		readable := fields(actor == "PRIMARY")
		var all []string
		for _, sel := range readable {
			all = append(all, sel)
		}
		full := page(token, strings.Join(all, " "))
		if len(full) != 12 || len(readable) < 20 {
			t.Fatalf("%s: %d contacts, %d fields", actor, len(full), len(readable))
		}
		// The data tell the columns apart: each derived value takes both sides.
		sides := map[string][]string{"signedIn": {"true", "false"}, "invitationExpired": {"true", "false"}}
		if actor == "PRIMARY" { // a partner's copy lacks the details
			sides["missingDetails"] = []string{`["city"]`, "[]"}
		}
		for name, values := range sides {
			for _, v := range values {
				if !slices.ContainsFunc(full, func(n map[string]json.RawMessage) bool { return string(n[name]) == v }) {
					t.Errorf("%s: no contact has %s %s", actor, name, v)
				}
			}
		}
		for name, sel := range readable {
			for i, node := range page(token, sel) {
				if got, want := string(node[name]), string(full[i][name]); got != want {
					t.Errorf("%s, contact %d: %s alone is %s, with every field %s", actor, i, name, got, want)
				}
			}
		}
	}

	// The partner's sync page reads the 14 columns it writes, not all 33.
	counter.Reset()
	e.Exec(partner, benchseed.PartnerSyncQuery, nil).OK()
	for _, stmt := range counter.Statements() {
		if strings.Contains(stmt, "contacts") && strings.Contains(stmt, "software_access") &&
			(strings.Contains(stmt, "business_justification") || strings.Contains(stmt, "email_key")) {
			t.Errorf("the sync page reads every column of its contacts: %s", stmt)
		}
	}
}
