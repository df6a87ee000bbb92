package demo_test

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"sitekeeper/ent"
	"sitekeeper/ent/auditevent"
	"sitekeeper/ent/contact"
	_ "sitekeeper/ent/runtime"
	"sitekeeper/ent/site"
	"sitekeeper/internal/db/dbtest"
	"sitekeeper/internal/demo"
	"sitekeeper/internal/devidp"
	"sitekeeper/internal/domain"
)

type counts struct{ sites, contacts, partners, grants, audit int }

func count(t *testing.T, client *ent.Client) counts {
	t.Helper()
	ctx := dbtest.Sys()
	var c counts
	var err error
	for _, q := range []struct {
		dst *int
		fn  func() (int, error)
	}{
		{&c.sites, func() (int, error) { return client.Site.Query().Count(ctx) }},
		{&c.contacts, func() (int, error) { return client.Contact.Query().Count(ctx) }},
		{&c.partners, func() (int, error) { return client.Partner.Query().Count(ctx) }},
		{&c.grants, func() (int, error) { return client.PartnerGrant.Query().Count(ctx) }},
		{&c.audit, func() (int, error) { return client.AuditEvent.Query().Count(ctx) }},
	} {
		if *q.dst, err = q.fn(); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func TestSeed(t *testing.T) {
	client, _ := dbtest.OpenDB(t)
	ctx := dbtest.Sys()

	seeded, err := demo.Seed(context.Background(), client)
	if err != nil || !seeded {
		t.Fatalf("Seed = %v, %v", seeded, err)
	}
	first := count(t, client)
	if first.sites != 2 || first.contacts != 12 || first.partners != 1 || first.grants != 1 {
		t.Fatalf("seeded %+v", first)
	}
	// Every row was audited as the system.
	if n, err := client.AuditEvent.Query().Where(auditevent.ActorKindEQ(domain.ActorSystem), auditevent.Action("seedDemoData")).Count(ctx); err != nil ||
		n != first.sites+first.contacts+first.partners+first.grants || n != first.audit {
		t.Fatalf("%d audit events of %d, %v", n, first.audit, err)
	}

	// A second call does nothing.
	seeded, err = demo.Seed(context.Background(), client)
	if err != nil || seeded {
		t.Fatalf("second Seed = %v, %v", seeded, err)
	}
	if again := count(t, client); again != first {
		t.Fatalf("second Seed changed rows: %+v, then %+v", first, again)
	}

	acme, err := client.Site.Query().Where(site.Number(demo.AcmeSiteNumber)).Only(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if acme.Name != demo.AcmeSiteName || acme.CustomerNumber == "" || acme.Program != domain.ProgramStandard ||
		acme.City == "" || acme.Country != "US" || acme.Status != domain.SiteActive || !acme.ReviewDueAt.After(time.Now()) {
		t.Fatalf("Acme %+v", acme)
	}
	globex, err := client.Site.Query().Where(site.Number(demo.GlobexSiteNumber)).Only(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if globex.Name != demo.GlobexSiteName || !globex.ReviewDueAt.Before(time.Now()) {
		t.Fatalf("Globex %+v (its review should be overdue)", globex)
	}

	byEmail := map[string]*ent.Contact{}
	acmeContacts, err := client.Contact.Query().Where(contact.SiteID(acme.ID)).All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range acmeContacts {
		byEmail[c.Email] = c
	}
	get := func(email string) *ent.Contact {
		t.Helper()
		c, ok := byEmail[email]
		if !ok {
			t.Fatalf("no Acme contact %s", email)
		}
		return c
	}
	privs := func(c *ent.Contact) domain.Privileges {
		return domain.Privileges{SoftwareAccess: c.SoftwareAccess, Reporting: c.Reporting, Entitlements: c.Entitlements,
			ManageAccess: c.ManageAccess, ContactUpdates: c.ContactUpdates, AccountDocuments: c.AccountDocuments}
	}

	primary := get(demo.PrimaryEmail)
	if primary.AccessRole != domain.RolePrimary || primary.Status != domain.StatusActive || privs(primary) != domain.HighestPrivileges() {
		t.Fatalf("primary %+v", primary)
	}
	if s := get(demo.SecondaryAccessEmail); s.AccessRole != domain.RoleSecondary ||
		s.ManageAccess != domain.UpdateUpdate || s.ContactUpdates != domain.UpdateUpdate {
		t.Fatalf("secondary (access) %+v", s)
	}
	if s := get(demo.SecondaryContactEmail); s.AccessRole != domain.RoleSecondary ||
		s.ContactUpdates != domain.UpdateUpdate || s.ManageAccess != domain.UpdateNone {
		t.Fatalf("secondary (contacts) %+v", s)
	}
	if u := get(demo.UserEmail); u.AccessRole != domain.RoleUser ||
		u.SoftwareAccess != domain.SoftwareDownloads || u.Reporting != domain.ViewView || u.ManageAccess != domain.UpdateNone {
		t.Fatalf("user %+v", u)
	}

	all, err := client.Contact.Query().All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var invited, deactivated int
	typeHolders := map[int]map[string]string{} // site -> type -> holder
	secondaries := map[int]int{}
	primaries := map[int]int{}
	for _, c := range all {
		switch c.Status {
		case domain.StatusInvited:
			invited++
			if c.InvitationExpiresAt == nil || !c.InvitationExpiresAt.After(time.Now()) || c.InvitedBy == "" {
				t.Errorf("invited contact %s without a future expiry or inviter", c.Email)
			}
		case domain.StatusDeactivated:
			deactivated++
		}
		if c.UserID != nil {
			t.Errorf("contact %s is linked to a user already", c.Email)
		}
		switch c.AccessRole {
		case domain.RolePrimary:
			primaries[c.SiteID]++
		case domain.RoleSecondary:
			secondaries[c.SiteID]++
		}
		if typeHolders[c.SiteID] == nil {
			typeHolders[c.SiteID] = map[string]string{}
		}
		for _, typ := range c.ContactTypes {
			if typ == string(domain.TypePrimary) || !slices.Contains(domain.ContactType("").Values(), typ) {
				t.Errorf("contact %s holds type %q", c.Email, typ)
			}
			if other, ok := typeHolders[c.SiteID][typ]; ok {
				t.Errorf("type %s held by %s and %s", typ, other, c.Email)
			}
			typeHolders[c.SiteID][typ] = c.Email
		}
	}
	if invited < 2 || deactivated != 1 {
		t.Errorf("%d invited, %d deactivated", invited, deactivated)
	}
	for _, id := range []int{acme.ID, globex.ID} {
		if primaries[id] != 1 || secondaries[id] > 4 || len(typeHolders[id]) < 2 {
			t.Errorf("site %d: %d primaries, %d secondaries, types %v", id, primaries[id], secondaries[id], typeHolders[id])
		}
	}

	// The partner and its grant on Acme.
	p, err := client.Partner.Query().Only(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if p.ClientID != demo.PartnerClientID || p.Name != demo.PartnerName {
		t.Fatalf("partner %+v", p)
	}
	g, err := client.PartnerGrant.Query().Only(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if g.SiteID != acme.ID || g.PartnerID != p.ID || g.RevokedAt != nil ||
		g.ExpiresAt.Before(time.Now().AddDate(1, 0, -1)) || g.ExpiresAt.After(time.Now().AddDate(1, 0, 1)) {
		t.Fatalf("grant %+v", g)
	}

	// Everyone on the sign-in page who has a Site has a contact with that email there, ACTIVE
	// unless invited; the operator and the person without a Site have none.
	noSite := []string{demo.OperatorEmail, demo.NoSiteEmail}
	for _, person := range demo.People(demo.OperatorGroupDefault) {
		contacts, err := client.Contact.Query().Where(contact.EmailKey(strings.ToLower(person.Email))).All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(noSite, person.Email) {
			if len(contacts) != 0 {
				t.Errorf("%s should not be a contact: %v", person.Email, contacts)
			}
			continue
		}
		if len(contacts) == 0 {
			t.Errorf("person %s has no contact", person.Email)
		}
		for _, c := range contacts {
			if c.Status != domain.StatusActive && c.Status != domain.StatusInvited {
				t.Errorf("person %s: contact %s", person.Email, c.Status)
			}
		}
	}
}

func TestPeople(t *testing.T) {
	people := demo.People("custom-ops")
	subjects := map[string]bool{}
	var operators, primaries int
	for _, p := range people {
		if !strings.HasSuffix(p.Email, "@example.com") || p.Name == "" || p.Note == "" || !strings.HasPrefix(p.Subject, "dev-") {
			t.Errorf("person %+v", p)
		}
		if subjects[p.Subject] {
			t.Errorf("subject %s twice", p.Subject)
		}
		subjects[p.Subject] = true
		if slices.Contains(p.Groups, "custom-ops") {
			operators++
		}
		if strings.HasPrefix(p.Note, "PRIMARY") {
			primaries++
		}
	}
	if operators != 1 || primaries != 2 || !subjects["dev-primary"] || !subjects["dev-operator"] || !subjects["dev-no-site"] {
		t.Fatalf("%d operators, %d primaries, subjects %v", operators, primaries, subjects)
	}
	if g := demo.People("")[len(people)-2].Groups; !slices.Equal(g, []string{demo.OperatorGroupDefault}) {
		t.Fatalf("default operator group: %v", g)
	}

	// The dev provider accepts the cast and the partner client.
	_, err := devidp.New(devidp.Config{
		Issuer:      "http://127.0.0.1:8080/dev-idp",
		People:      demo.People(demo.OperatorGroupDefault),
		Clients:     []devidp.Client{{ID: demo.PartnerClientID, Secret: demo.PartnerClientSecret, CredentialsOnly: true}},
		APIAudience: "sitekeeper-api",
		Logger:      slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
}
