package benchseed_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"sitekeeper/ent/auditevent"
	"sitekeeper/ent/contact"
	"sitekeeper/ent/partnergrant"
	"sitekeeper/ent/site"
	"sitekeeper/internal/benchseed"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/testkit/apitest"
)

// TestSeedIsConsistentAndServed seeds a small data set on the run's dialect, checks the
// invariants the bypassed hooks would keep, and reads it through the real API as a PRIMARY and
// as the partner.
func TestSeedIsConsistentAndServed(t *testing.T) {
	e := apitest.New(t)
	ctx := context.Background()
	opts := benchseed.Options{Sites: 40, ContactsPerSite: 10, LargeSites: 2, LargeSiteContacts: 60, PartnerSites: 5}
	res, err := benchseed.Seed(ctx, e.DB, opts)
	if err != nil {
		t.Fatalf("Seed: %v", err)
	}
	if res.Sites != 40 || res.Contacts != 400 || res.Grants != 5 {
		t.Fatalf("Seed wrote %+v, want 40 Sites, 400 contacts, 5 grants", res)
	}
	if _, err := benchseed.Seed(ctx, e.DB, opts); err == nil || !strings.Contains(err.Error(), "empty database") {
		t.Fatalf("seeding twice: %v, want a refusal", err)
	}

	sys := apitest.Sys()
	all := e.Client.Contact.Query().AllX(sys)
	if len(all) != 400 {
		t.Fatalf("%d contacts", len(all))
	}
	type siteState struct {
		primaries, secondaries int
		types                  map[string]int
		emails                 map[string]bool
	}
	bySite := map[int]*siteState{}
	for _, c := range all {
		s := bySite[c.SiteID]
		if s == nil {
			s = &siteState{types: map[string]int{}, emails: map[string]bool{}}
			bySite[c.SiteID] = s
		}
		if c.EmailKey != strings.ToLower(c.Email) || s.emails[c.EmailKey] {
			t.Errorf("contact %d: email key %q for %q (duplicate: %v)", c.ID, c.EmailKey, c.Email, s.emails[c.EmailKey])
		}
		s.emails[c.EmailKey] = true
		switch c.AccessRole {
		case domain.RolePrimary:
			s.primaries++
			if c.Status != domain.StatusActive || c.Privileges() != domain.HighestPrivileges() {
				t.Errorf("PRIMARY %s is %s with %+v", c.Email, c.Status, c.Privileges())
			}
		case domain.RoleSecondary:
			s.secondaries++
		}
		for _, typ := range c.ContactTypes {
			s.types[typ]++
			if !slices.Contains([]string{"SITE_TECHNICAL", "ADMINISTRATIVE", "RENEWAL", "MEDIA_SHIPPING", "BILLING"}, typ) {
				t.Errorf("contact %s holds type %q", c.Email, typ)
			}
		}
		if c.Version != 1 || c.Status == domain.StatusInvited && c.InvitationExpiresAt == nil {
			t.Errorf("contact %s: version %d, status %s, invitation expires %v", c.Email, c.Version, c.Status, c.InvitationExpiresAt)
		}
	}
	if len(bySite) != 40 {
		t.Fatalf("contacts on %d Sites", len(bySite))
	}
	for id, s := range bySite {
		if s.primaries != 1 || s.secondaries > 4 {
			t.Errorf("Site %d: %d PRIMARY, %d SECONDARY", id, s.primaries, s.secondaries)
		}
		for typ, n := range s.types {
			if n > 1 {
				t.Errorf("Site %d: %d holders of %s", id, n, typ)
			}
		}
	}
	// A JSON predicate over the seeded column works on either dialect.
	withTypes := e.Client.Contact.Query().Where(contact.ContactTypesNotNil()).CountX(sys)
	if withTypes == 0 {
		t.Fatal("no contact holds a contact type")
	}
	if n := e.Client.PartnerGrant.Query().Where(partnergrant.RevokedAtIsNil()).CountX(sys); n != 5 {
		t.Fatalf("%d partner grants", n)
	}
	if n := e.Client.AuditEvent.Query().Where(auditevent.Action(benchseed.Action)).CountX(sys); n != 1 {
		t.Fatalf("%d summary audit events", n)
	}

	// The PRIMARY of a large Site reads a page of 50 with every nested field.
	var page struct {
		Site struct {
			Contacts struct {
				Edges []struct {
					Node struct {
						Email        string
						ContactTypes []string
						Privileges   struct{ ManageAccess string }
						Site         struct{ Number string }
					}
				}
			}
		}
	}
	e.Exec(e.TokenFor(benchseed.PrimaryEmail(0)), `query($n:String!) { site(number:$n) { contacts(first:50) { edges { node {
		email contactTypes privileges { manageAccess } site { number } } } } } }`,
		map[string]any{"n": benchseed.SiteNumber(0)}).OK().Decode(&page)
	if len(page.Site.Contacts.Edges) != 50 || page.Site.Contacts.Edges[0].Node.Site.Number != benchseed.SiteNumber(0) {
		t.Fatalf("page of %d contacts: %+v", len(page.Site.Contacts.Edges), page)
	}

	// The partner sees its granted Sites and their contact roles.
	var partner struct {
		Sites struct {
			Edges []struct {
				Node struct {
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
	e.Exec(e.PartnerToken(benchseed.PartnerClientID), `{ sites(first:100) { edges { node { number
		contacts(first:20) { edges { node { email accessRole } } } } } } }`, nil).OK().Decode(&partner)
	if len(partner.Sites.Edges) != 5 {
		t.Fatalf("the partner sees %d Sites, want 5", len(partner.Sites.Edges))
	}
	for _, s := range partner.Sites.Edges {
		want := e.Client.Contact.Query().Where(contact.HasSiteWith(site.Number(s.Node.Number))).CountX(sys)
		if got := len(s.Node.Contacts.Edges); got != want || got < 7 {
			t.Errorf("partner: Site %s shows %d contacts, want its %d", s.Node.Number, got, want)
		}
	}
	// Its change feed starts with its grants, as if they were given through the API.
	var feed struct {
		Changes struct {
			Edges []struct{ Node struct{ Kind string } }
		} `json:"contactRoleChanges"`
	}
	// On PostgreSQL a change shows once every older transaction on the server has ended: other
	// tests' transactions can hold it back a moment.
	token := e.PartnerToken(benchseed.PartnerClientID)
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		e.Exec(token, `{ contactRoleChanges(first: 100) { edges { node { kind } } } }`, nil).OK().Decode(&feed)
		if len(feed.Changes.Edges) >= 5 || time.Now().After(deadline) {
			break
		}
	}
	if n := len(feed.Changes.Edges); n != 5 || feed.Changes.Edges[0].Node.Kind != "ACCESS_GRANTED" {
		t.Errorf("the partner's feed: %+v, want its 5 grants", feed.Changes.Edges)
	}
}

func TestTakeFlags(t *testing.T) {
	o, rest, err := benchseed.TakeFlags([]string{"-sites", "50", "--contacts-per-site=7", "-database-url", "sqlite:x.db", "--large-sites=1"})
	if err != nil {
		t.Fatal(err)
	}
	if o.Sites != 50 || o.ContactsPerSite != 7 || o.LargeSites != 1 || !slices.Equal(rest, []string{"-database-url", "sqlite:x.db"}) {
		t.Fatalf("TakeFlags = %+v, %q", o, rest)
	}
	for _, bad := range [][]string{{"-sites"}, {"-sites", "many"}, {"--partner-sites=-1"}} {
		if _, _, err := benchseed.TakeFlags(bad); err == nil {
			t.Errorf("TakeFlags(%q): no error", bad)
		}
	}
}

// A partner may be granted every Site (a full sync), the large ones included; not more.
func TestPartnerGrantedEverySite(t *testing.T) {
	e := apitest.New(t)
	opts := benchseed.Options{Sites: 30, ContactsPerSite: 5, LargeSites: 2, LargeSiteContacts: 20, PartnerSites: 30}
	if first, end := opts.PartnerSiteRange(); first != 0 || end != 30 {
		t.Fatalf("PartnerSiteRange = %d, %d; want 0, 30", first, end)
	}
	if first, end := (benchseed.Options{Sites: 30, LargeSites: 2, PartnerSites: 29}).PartnerSiteRange(); first != 1 || end != 30 {
		t.Fatalf("29 of 30 Sites with 2 large: range %d, %d; want 1, 30", first, end)
	}
	res, err := benchseed.Seed(context.Background(), e.DB, opts)
	if err != nil {
		t.Fatal(err)
	}
	sys := apitest.Sys()
	granted := e.Client.PartnerGrant.Query().Select(partnergrant.FieldSiteID).IntsX(sys)
	slices.Sort(granted)
	if res.Grants != 30 || len(slices.Compact(granted)) != 30 || e.Client.Site.Query().CountX(sys) != 30 {
		t.Fatalf("%d grants on %d distinct Sites, want one on each of the 30", res.Grants, len(slices.Compact(granted)))
	}
	if _, err := (benchseed.Options{Sites: 30, PartnerSites: 31}).WithDefaults(); err == nil {
		t.Fatal("31 partner Sites of 30 accepted")
	}
}
