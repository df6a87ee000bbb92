// Package demo holds the demo data dev mode starts with: two Sites with realistic contacts, the
// people on the dev sign-in page (one for every role, an operator and someone without a Site),
// and a partner with access to one Site.
//
// Everything is fictitious: names are invented, emails are on example.com (RFC 2606) and phone
// numbers use the 555-01xx range reserved for fiction.
package demo

import (
	"context"
	"fmt"
	"time"

	"sitekeeper/ent"
	"sitekeeper/ent/site"
	"sitekeeper/internal/audit"
	"sitekeeper/internal/devidp"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/rule"
)

// OperatorGroupDefault is the operator group when none is configured; the server passes its
// configured SITEKEEPER_OPERATOR_GROUP to People.
const OperatorGroupDefault = "sitekeeper-operators"

// The demo Sites.
const (
	AcmeSiteNumber   = "1234567"
	AcmeSiteName     = "Acme Manufacturing"
	GlobexSiteNumber = "7654321"
	GlobexSiteName   = "Globex Corporation"
)

// The demo partner: a client_credentials client of the dev provider whose tokens carry
// PartnerClientID as sub. Register it with devidp as
// devidp.Client{ID: PartnerClientID, Secret: PartnerClientSecret, CredentialsOnly: true}.
const (
	PartnerClientID = "dev-partner"
	// PartnerClientSecret is public on purpose: dev mode only listens on loopback and only
	// serves demo data.
	PartnerClientSecret = "dev-partner-secret"
	PartnerName         = "Northwind Reseller"
)

// Emails of the people on the sign-in page, for tests and `sitekeeper token --as EMAIL`.
const (
	PrimaryEmail          = "dana.whitfield@example.com" // PRIMARY of Acme
	SecondaryAccessEmail  = "marcus.chen@example.com"    // SECONDARY of Acme: manageAccess + contactUpdates UPDATE
	SecondaryContactEmail = "priya.raman@example.com"    // SECONDARY of Acme: contactUpdates UPDATE only
	UserEmail             = "tom.okafor@example.com"     // USER of Acme: downloads, reporting
	InvitedEmail          = "jordan.lee@example.com"     // INVITED USER of Acme
	GlobexPrimaryEmail    = "elena.petrova@example.com"  // PRIMARY of Globex
	OperatorEmail         = "olivia.grant@example.com"   // operator, not a contact
	NoSiteEmail           = "sam.rivera@example.com"     // no Site: tries "request access"
)

// seedSite is one demo Site.
type seedSite struct {
	number, name, customerNumber string
	program                      domain.Program
	street, city, state, postal  string
	country                      string
	reviewedDaysAgo              int // the review is overdue past 30 days
	reviewedBy                   string
	contacts                     []seedContact
}

// seedContact is one demo contact; subject and note put it on the sign-in page.
type seedContact struct {
	subject, note             string
	first, last, email, phone string
	jobTitle, language        string
	role                      domain.AccessRole
	status                    domain.ContactStatus
	privileges                domain.Privileges // ignored for the PRIMARY, which a hook sets
	types                     []domain.ContactType
	justification             string
	invitedBy                 string
	invitationDays            int // INVITED: the invitation expires this many days from now
}

func (c seedContact) name() string { return c.first + " " + c.last }

func privileges(sw domain.SoftwareAccessLevel, rep domain.ViewLevel, entitle, manage, contacts domain.UpdateLevel, docs domain.ViewLevel) domain.Privileges {
	return domain.Privileges{SoftwareAccess: sw, Reporting: rep, Entitlements: entitle,
		ManageAccess: manage, ContactUpdates: contacts, AccountDocuments: docs}
}

var none = domain.NoPrivileges()

var sites = []seedSite{
	{
		number: AcmeSiteNumber, name: AcmeSiteName, customerNumber: "C-0048213",
		program: domain.ProgramStandard,
		street:  "1200 Industrial Parkway", city: "Dayton", state: "Ohio", postal: "45402", country: "US",
		reviewedDaysAgo: 12, reviewedBy: PrimaryEmail,
		contacts: []seedContact{
			{
				subject: "dev-primary", note: "PRIMARY of Acme Manufacturing (1234567)",
				first: "Dana", last: "Whitfield", email: PrimaryEmail, phone: "+1 937 555 0142",
				jobTitle: "VP Operations", language: "en-US",
				role: domain.RolePrimary, status: domain.StatusActive,
				types:         []domain.ContactType{domain.TypeRenewal},
				justification: "Owns the software licensing relationship for the Dayton plant.",
			},
			{
				subject: "dev-secondary-access", note: "SECONDARY of Acme Manufacturing (1234567): manages access and contact data",
				first: "Marcus", last: "Chen", email: SecondaryAccessEmail, phone: "+1 937 555 0117",
				jobTitle: "IT Infrastructure Manager", language: "en-US",
				role: domain.RoleSecondary, status: domain.StatusActive,
				privileges: privileges(domain.SoftwareFull, domain.ViewView, domain.UpdateView,
					domain.UpdateUpdate, domain.UpdateUpdate, domain.ViewView),
				types:         []domain.ContactType{domain.TypeSiteTechnical},
				justification: "Runs the plant's servers and grants engineers access to downloads.",
			},
			{
				subject: "dev-secondary-contacts", note: "SECONDARY of Acme Manufacturing (1234567): updates contact data only",
				first: "Priya", last: "Raman", email: SecondaryContactEmail, phone: "+1 937 555 0163",
				jobTitle: "Procurement Lead", language: "en",
				role: domain.RoleSecondary, status: domain.StatusActive,
				privileges: privileges(domain.SoftwareNone, domain.ViewNone, domain.UpdateNone,
					domain.UpdateNone, domain.UpdateUpdate, domain.ViewNone),
				types:         []domain.ContactType{domain.TypeBilling, domain.TypeAdministrative},
				justification: "Handles purchasing and keeps the vendor's contact records current.",
			},
			{
				subject: "dev-user", note: "USER of Acme Manufacturing (1234567): downloads and reports",
				first: "Tom", last: "Okafor", email: UserEmail, phone: "+1 937 555 0128",
				jobTitle: "Software Engineer", language: "en-US",
				role: domain.RoleUser, status: domain.StatusActive,
				privileges: privileges(domain.SoftwareDownloads, domain.ViewView, domain.UpdateNone,
					domain.UpdateNone, domain.UpdateNone, domain.ViewNone),
				justification: "Installs and patches the plant's control software.",
			},
			{
				subject: "dev-invited", note: "INVITED as USER to Acme Manufacturing (1234567): signing in accepts the invitation",
				first: "Jordan", last: "Lee", email: InvitedEmail, phone: "+1 937 555 0179",
				jobTitle: "Data Analyst", language: "en-US",
				role: domain.RoleUser, status: domain.StatusInvited, invitedBy: PrimaryEmail, invitationDays: 7,
				privileges: privileges(domain.SoftwareNone, domain.ViewView, domain.UpdateNone,
					domain.UpdateNone, domain.UpdateNone, domain.ViewNone),
				justification: "Needs the usage reports for the quarterly license true-up.",
			},
			{
				first: "Aisha", last: "Bello", email: "aisha.bello@example.com", phone: "+1 937 555 0134",
				jobTitle: "Logistics Coordinator", language: "en-US",
				role: domain.RoleUser, status: domain.StatusActive,
				privileges: privileges(domain.SoftwareDownloadsMedia, domain.ViewNone, domain.UpdateNone,
					domain.UpdateNone, domain.UpdateNone, domain.ViewNone),
				types:         []domain.ContactType{domain.TypeMediaShipping},
				justification: "Receives the physical media shipments at the loading dock.",
			},
			{
				first: "Luis", last: "Ortega", email: "luis.ortega@example.com", phone: "+1 937 555 0156",
				jobTitle: "Controls Engineer", language: "es-US",
				role: domain.RoleUser, status: domain.StatusInvited, invitedBy: SecondaryAccessEmail, invitationDays: 3,
				privileges: privileges(domain.SoftwareDownloads, domain.ViewNone, domain.UpdateNone,
					domain.UpdateNone, domain.UpdateNone, domain.ViewNone),
				justification: "Joins the automation team and needs the PLC toolkit downloads.",
			},
			{
				first: "Brian", last: "Kowalski", email: "brian.kowalski@example.com", phone: "+1 937 555 0191",
				jobTitle: "Plant Engineer", language: "en-US",
				role: domain.RoleUser, status: domain.StatusDeactivated,
				privileges:    none,
				justification: "Left the company; record kept for the access history.",
			},
		},
	},
	{
		number: GlobexSiteNumber, name: GlobexSiteName, customerNumber: "C-0091577",
		program: domain.ProgramExpress,
		street:  "4500 Congress Avenue", city: "Austin", state: "Texas", postal: "78701", country: "US",
		reviewedDaysAgo: 45, reviewedBy: GlobexPrimaryEmail, // overdue: shows the banner
		contacts: []seedContact{
			{
				subject: "dev-globex-primary", note: "PRIMARY of Globex Corporation (7654321): a different Site, to see isolation",
				first: "Elena", last: "Petrova", email: GlobexPrimaryEmail, phone: "+1 512 555 0107",
				jobTitle: "Director of IT", language: "en-US",
				role: domain.RolePrimary, status: domain.StatusActive,
				types:         []domain.ContactType{domain.TypeSiteTechnical},
				justification: "Responsible for Globex's software assets.",
			},
			{
				first: "Rafael", last: "Souza", email: "rafael.souza@example.com", phone: "+1 512 555 0148",
				jobTitle: "Finance Manager", language: "pt-BR",
				role: domain.RoleSecondary, status: domain.StatusActive,
				privileges: privileges(domain.SoftwareNone, domain.ViewView, domain.UpdateUpdate,
					domain.UpdateView, domain.UpdateUpdate, domain.ViewView),
				types:         []domain.ContactType{domain.TypeBilling, domain.TypeRenewal},
				justification: "Approves renewals and pays the invoices.",
			},
			{
				first: "Mei", last: "Tanaka", email: "mei.tanaka@example.com", phone: "+1 512 555 0172",
				jobTitle: "Systems Administrator", language: "ja",
				role: domain.RoleUser, status: domain.StatusInvited, invitedBy: GlobexPrimaryEmail, invitationDays: 5,
				privileges: privileges(domain.SoftwareFull, domain.ViewNone, domain.UpdateView,
					domain.UpdateNone, domain.UpdateNone, domain.ViewNone),
				justification: "Takes over server administration from the outgoing contractor.",
			},
			{
				first: "Kevin", last: "Doyle", email: "kevin.doyle@example.com", phone: "+1 512 555 0115",
				jobTitle: "Warehouse Supervisor", language: "en-US",
				role: domain.RoleUser, status: domain.StatusActive,
				privileges: privileges(domain.SoftwareDownloadsMedia, domain.ViewNone, domain.UpdateNone,
					domain.UpdateNone, domain.UpdateNone, domain.ViewNone),
				types:         []domain.ContactType{domain.TypeMediaShipping},
				justification: "Signs for media shipments at the Austin warehouse.",
			},
		},
	},
}

// People is everyone on the dev sign-in page, with the operator in operatorGroup (the
// OperatorGroupDefault when empty). Subjects are stable across restarts.
func People(operatorGroup string) []devidp.Person {
	if operatorGroup == "" {
		operatorGroup = OperatorGroupDefault
	}
	var people []devidp.Person
	for _, s := range sites {
		for _, c := range s.contacts {
			if c.subject != "" {
				people = append(people, devidp.Person{Subject: c.subject, Email: c.email, Name: c.name(), Note: c.note})
			}
		}
	}
	return append(people,
		devidp.Person{Subject: "dev-operator", Email: OperatorEmail, Name: "Olivia Grant",
			Groups: []string{operatorGroup},
			Note:   "Operator (vendor staff, group " + operatorGroup + "): creates Sites and partners; not a contact"},
		devidp.Person{Subject: "dev-no-site", Email: NoSiteEmail, Name: "Sam Rivera",
			Note: "No Site yet: try requesting access to Site " + AcmeSiteNumber},
	)
}

// Seed creates the demo data, in one transaction, unless Site 1234567 exists already; it
// reports whether it did. It acts as the system (audited as such, action "seedDemoData").
func Seed(ctx context.Context, client *ent.Client) (bool, error) {
	ctx = rule.AsSitekeeper(ctx)
	ctx = audit.WithAction(ctx, "seedDemoData")
	seeded := func() (bool, error) {
		return client.Site.Query().Where(site.Number(AcmeSiteNumber)).Exist(ctx)
	}
	if ok, err := seeded(); err != nil || ok {
		return false, err
	}
	tx, err := client.Tx(ctx)
	if err != nil {
		return false, fmt.Errorf("demo: %w", err)
	}
	// Checked again inside the transaction: another instance may have seeded meanwhile.
	if ok, err := tx.Site.Query().Where(site.Number(AcmeSiteNumber)).Exist(ctx); err != nil || ok {
		_ = tx.Rollback()
		return false, err
	}
	if err := seed(ctx, tx.Client(), time.Now()); err != nil {
		_ = tx.Rollback()
		if ent.IsConstraintError(err) {
			if ok, _ := seeded(); ok { // lost a race with another instance
				return false, nil
			}
		}
		return false, fmt.Errorf("demo: seed: %w", err)
	}
	if err := tx.Commit(); err != nil {
		if ok, _ := seeded(); ok && ent.IsConstraintError(err) {
			return false, nil
		}
		return false, fmt.Errorf("demo: commit: %w", err)
	}
	return true, nil
}

func seed(ctx context.Context, client *ent.Client, now time.Time) error {
	siteIDs := map[string]int{}
	for _, s := range sites {
		created, err := client.Site.Create().
			SetNumber(s.number).SetName(s.name).SetCustomerNumber(s.customerNumber).
			SetProgram(s.program).
			SetStreet(s.street).SetCity(s.city).SetStateProvince(s.state).
			SetPostalCode(s.postal).SetCountry(s.country).
			SetLastReviewedAt(now.AddDate(0, 0, -s.reviewedDaysAgo)).SetLastReviewedBy(s.reviewedBy).
			Save(ctx)
		if err != nil {
			return fmt.Errorf("site %s: %w", s.number, err)
		}
		siteIDs[s.number] = created.ID
		// The PRIMARY first, so that the Site is never without one.
		for _, c := range s.contacts {
			if err := createContact(ctx, client, created.ID, s, c, now); err != nil {
				return fmt.Errorf("contact %s on %s: %w", c.email, s.number, err)
			}
		}
	}
	partner, err := client.Partner.Create().SetName(PartnerName).SetClientID(PartnerClientID).Save(ctx)
	if err != nil {
		return fmt.Errorf("partner: %w", err)
	}
	err = client.PartnerGrant.Create().
		SetSiteID(siteIDs[AcmeSiteNumber]).SetPartnerID(partner.ID).
		SetGrantedBy(PrimaryEmail).SetExpiresAt(now.AddDate(1, 0, 0)).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("partner grant: %w", err)
	}
	return nil
}

func createContact(ctx context.Context, client *ent.Client, siteID int, s seedSite, c seedContact, now time.Time) error {
	types := make([]string, 0, len(c.types))
	for _, t := range c.types {
		types = append(types, string(t))
	}
	create := client.Contact.Create().
		SetSiteID(siteID).
		SetEmail(c.email).SetFirstName(c.first).SetLastName(c.last).SetPhone(c.phone).
		SetStreet(s.street).SetCity(s.city).SetStateProvince(s.state).SetPostalCode(s.postal).
		SetCountry(s.country).SetJobTitle(c.jobTitle).SetLanguage(c.language).
		SetBusinessJustification(c.justification).
		SetAccessRole(c.role).SetStatus(c.status).
		SetContactTypes(types)
	if c.role != domain.RolePrimary { // the PRIMARY's privileges are set by a hook
		p := c.privileges
		create.SetSoftwareAccess(p.SoftwareAccess).SetReporting(p.Reporting).
			SetEntitlements(p.Entitlements).SetManageAccess(p.ManageAccess).
			SetContactUpdates(p.ContactUpdates).SetAccountDocuments(p.AccountDocuments)
	}
	if c.invitedBy != "" {
		create.SetInvitedBy(c.invitedBy)
	}
	if c.status == domain.StatusInvited {
		create.SetInvitationExpiresAt(now.AddDate(0, 0, c.invitationDays))
	}
	return create.Exec(ctx)
}
