package apitest

import (
	"fmt"
	"time"

	"sitekeeper/ent"
	"sitekeeper/internal/domain"
)

// Person is a contact a fixture puts on a Site.
type Person struct {
	Email      string
	Role       domain.AccessRole
	Privileges domain.Privileges
	// Status defaults to ACTIVE.
	Status domain.ContactStatus
}

// Site is a seeded Site and its contacts by email.
type Site struct {
	*ent.Site
	Contacts map[string]*ent.Contact
}

// SeedSite creates a Site with the given contacts as Sitekeeper itself; they link to identities
// when their people first call the API.
func (e *Env) SeedSite(number string, people ...Person) *Site {
	e.t.Helper()
	ctx := Sys()
	s, err := e.Client.Site.Create().SetNumber(number).SetName("Site " + number).
		SetCustomerNumber("C-" + number).Save(ctx)
	if err != nil {
		e.t.Fatalf("seed site: %v", err)
	}
	out := &Site{Site: s, Contacts: map[string]*ent.Contact{}}
	for _, p := range people {
		status := p.Status
		if status == "" {
			status = domain.StatusActive
		}
		create := e.Client.Contact.Create().SetSiteID(s.ID).SetEmail(p.Email).
			SetFirstName("First").SetLastName(p.Email[:len(p.Email)-len("@x.example")]).
			SetPhone("+1 914 555 0100").SetCity("Armonk").SetStateProvince("NY").SetPostalCode("10504").
			SetBusinessJustification("Seeded for a test").SetAccessRole(p.Role).SetStatus(status).
			SetSoftwareAccess(p.Privileges.SoftwareAccess).SetReporting(p.Privileges.Reporting).
			SetEntitlements(p.Privileges.Entitlements).SetManageAccess(p.Privileges.ManageAccess).
			SetContactUpdates(p.Privileges.ContactUpdates).SetAccountDocuments(p.Privileges.AccountDocuments)
		if status == domain.StatusInvited {
			create.SetInvitationExpiresAt(time.Now().Add(7 * 24 * time.Hour))
		}
		c, err := create.Save(ctx)
		if err != nil {
			e.t.Fatalf("seed contact %s: %v", p.Email, err)
		}
		out.Contacts[p.Email] = c
	}
	return out
}

// SignIn makes a person's first call, which links their contacts, and returns their token.
func (e *Env) SignIn(email string) string {
	e.t.Helper()
	token := e.TokenFor(email)
	e.Exec(token, `{ viewer { isOperator } }`, nil).OK()
	return token
}

// Privs builds privileges from levels in schema order, for short fixtures.
func Privs(software domain.SoftwareAccessLevel, reporting domain.ViewLevel, entitlements, manageAccess, contactUpdates domain.UpdateLevel, documents domain.ViewLevel) domain.Privileges {
	return domain.Privileges{
		SoftwareAccess: software, Reporting: reporting, Entitlements: entitlements,
		ManageAccess: manageAccess, ContactUpdates: contactUpdates, AccountDocuments: documents,
	}
}

// Emails of the standard roster.
const (
	Primary       = "primary@x.example"
	SecManager    = "sec-manager@x.example"   // manageAccess UPDATE, contactUpdates UPDATE
	SecEditor     = "sec-editor@x.example"    // contactUpdates UPDATE only
	SecViewer     = "sec-viewer@x.example"    // manageAccess VIEW, contactUpdates VIEW
	SecNone       = "sec-none@x.example"      // no privileges
	UserA         = "user-a@x.example"        // a USER
	UserB         = "user-b@x.example"        // another USER
	OtherPrimary  = "other-primary@x.example" // the PRIMARY of another Site
	Outsider      = "outsider@x.example"      // signed in, on no Site
	PartnerClient = "partner-client-1"
	// OtherPartnerClient is a registered partner with no grant.
	OtherPartnerClient = "partner-client-2"
)

// Roster is the standard cast: Site A with every kind of contact, Site B with its own PRIMARY.
type Roster struct {
	A, B *Site
	// Partner has a grant on Site A; OtherPartner has none.
	Partner, OtherPartner *ent.Partner
	PartnerGrant          *ent.PartnerGrant
}

// SeedRoster seeds the standard cast and signs everyone in once, so their contacts are linked.
func (e *Env) SeedRoster() *Roster {
	e.t.Helper()
	n, v, u := domain.UpdateNone, domain.UpdateView, domain.UpdateUpdate
	none := domain.NoPrivileges()
	r := &Roster{
		A: e.SeedSite("1000001",
			Person{Email: Primary, Role: domain.RolePrimary, Privileges: domain.HighestPrivileges()},
			Person{Email: SecManager, Role: domain.RoleSecondary, Privileges: Privs(domain.SoftwareDownloads, domain.ViewView, v, u, u, domain.ViewView)},
			Person{Email: SecEditor, Role: domain.RoleSecondary, Privileges: Privs(domain.SoftwareNone, domain.ViewNone, n, n, u, domain.ViewNone)},
			Person{Email: SecViewer, Role: domain.RoleSecondary, Privileges: Privs(domain.SoftwareNone, domain.ViewNone, n, v, v, domain.ViewNone)},
			Person{Email: SecNone, Role: domain.RoleSecondary, Privileges: none},
			Person{Email: UserA, Role: domain.RoleUser, Privileges: none},
			Person{Email: UserB, Role: domain.RoleUser, Privileges: none},
		),
		B: e.SeedSite("2000002",
			Person{Email: OtherPrimary, Role: domain.RolePrimary, Privileges: domain.HighestPrivileges()},
		),
	}
	partner, err := e.Client.Partner.Create().SetName("Reseller One").SetClientID(PartnerClient).Save(Sys())
	if err != nil {
		e.t.Fatalf("seed partner: %v", err)
	}
	r.Partner = partner
	if r.PartnerGrant, err = e.Client.PartnerGrant.Create().SetSiteID(r.A.ID).SetPartnerID(partner.ID).
		SetGrantedBy(Primary).SetExpiresAt(time.Now().AddDate(1, 0, 0)).Save(Sys()); err != nil {
		e.t.Fatalf("seed grant: %v", err)
	}
	if r.OtherPartner, err = e.Client.Partner.Create().SetName("Reseller Two").SetClientID(OtherPartnerClient).Save(Sys()); err != nil {
		e.t.Fatalf("seed partner: %v", err)
	}
	for _, email := range []string{Primary, SecManager, SecEditor, SecViewer, SecNone, UserA, UserB, OtherPrimary, Outsider} {
		e.SignIn(email)
	}
	for _, s := range []*Site{r.A, r.B} {
		for email := range s.Contacts {
			c, err := e.Client.Contact.Get(Sys(), s.Contacts[email].ID)
			if err != nil {
				e.t.Fatalf("reload %s: %v", email, err)
			}
			s.Contacts[email] = c
		}
	}
	return r
}

// ContactID is the id of the contact with this email.
func (s *Site) ContactID(email string) int {
	c, ok := s.Contacts[email]
	if !ok {
		panic(fmt.Sprintf("no contact %s on site %s", email, s.Number))
	}
	return c.ID
}
