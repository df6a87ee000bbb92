// Package benchseed writes a large, realistic data set for benchmarks (`sitekeeper seed-bench`):
// thousands of Sites, each with its roster (one ACTIVE PRIMARY holding every privilege at its
// highest level, up to four SECONDARY contacts, USERs who are active, invited or deactivated,
// varied privileges, each contact type held by at most one person), plus a partner with grants
// on a set of Sites.
//
// It writes with multi-row INSERTs in one transaction, bypassing ent's hooks, so that 100,000
// contacts take seconds. What the hooks would keep is written directly and stays consistent:
// lower-cased email keys, the PRIMARY's privileges, the SECONDARY cap, versions, review due
// dates. Instead of one audit event per row (which the hooks would write) the seed records one
// summary event (action "seedBench"). The data is fictitious: emails are on .example domains
// and phone numbers in the 555-01xx range.
package benchseed

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"sitekeeper/ent/auditevent"
	"sitekeeper/ent/contact"
	"sitekeeper/ent/partner"
	"sitekeeper/ent/partnergrant"
	"sitekeeper/ent/site"
	"sitekeeper/internal/db"
	"sitekeeper/internal/domain"
)

// Options size the data set. Zero values take the defaults.
type Options struct {
	// Sites is the number of Sites (default 10,000).
	Sites int
	// ContactsPerSite is the average roster size; the data set holds Sites*ContactsPerSite
	// contacts (default 10).
	ContactsPerSite int
	// LargeSites of the Sites have LargeSiteContacts contacts each (defaults 100 and 100; by
	// default at most a tenth of the Sites, holding at most half of the contacts), so that pages of
	// 50 contacts exist; the other Sites share the rest.
	LargeSites        int
	LargeSiteContacts int
	// PartnerSites is how many Sites grant the benchmark partner access (default 100), up to
	// every Site (a partner's full sync): see PartnerSiteRange for which.
	PartnerSites int
	// Seed makes the data reproducible (default 1).
	Seed uint64
	// Now is the reference time (default time.Now).
	Now time.Time
}

// WithDefaults returns the options with the defaults filled in, as Seed uses them, so that a
// caller knows which Sites are large and which are granted to the partner.
func (o Options) WithDefaults() (Options, error) {
	err := o.defaults()
	return o, err
}

func (o *Options) defaults() error {
	if o.Sites == 0 {
		o.Sites = 10_000
	}
	if o.ContactsPerSite == 0 {
		o.ContactsPerSite = 10
	}
	if o.LargeSiteContacts == 0 {
		o.LargeSiteContacts = 100
	}
	if o.LargeSites == 0 {
		// At most a tenth of the Sites, holding at most half of the contacts.
		o.LargeSites = min(100, o.Sites/10, o.Sites*o.ContactsPerSite/(2*o.LargeSiteContacts))
	}
	if o.PartnerSites == 0 {
		o.PartnerSites = min(100, o.Sites-o.LargeSites)
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	o.Now = o.Now.UTC().Truncate(time.Microsecond) // PostgreSQL keeps microseconds
	switch {
	case o.Sites < 1 || o.Sites > 1_000_000:
		return fmt.Errorf("sites: want 1 to 1,000,000, got %d", o.Sites)
	case o.ContactsPerSite < 1 || o.ContactsPerSite > 1000:
		return fmt.Errorf("contacts per site: want 1 to 1,000, got %d", o.ContactsPerSite)
	case o.LargeSites < 0 || o.LargeSites > o.Sites:
		return fmt.Errorf("large sites: want 0 to %d, got %d", o.Sites, o.LargeSites)
	case o.PartnerSites < 0 || o.PartnerSites > o.Sites:
		return fmt.Errorf("partner sites: want 0 to %d, got %d", o.Sites, o.PartnerSites)
	}
	if rest, others := o.Sites*o.ContactsPerSite-o.LargeSites*o.LargeSiteContacts, o.Sites-o.LargeSites; others > 0 && rest < others {
		return fmt.Errorf("%d large sites with %d contacts leave fewer than one contact for each other site; lower them",
			o.LargeSites, o.LargeSiteContacts)
	}
	return nil
}

// The benchmark's well-known names.
const (
	// PartnerClientID is the benchmark partner's client id (the sub of its tokens).
	PartnerClientID = "bench-partner"
	PartnerName     = "Bench Reseller"
	// Action is the audit action of the summary event.
	Action = "seedBench"
)

// PartnerSyncQuery is one page of a partner's full sync: 100 granted Sites with their contact
// roles (the README's example), as the benchmarks and the tests of its cost send it.
const PartnerSyncQuery = `query PartnerSync($after: Cursor) {
  sites(first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node {
      id number name
      contacts(first: 100) { edges { node {
        id email firstName lastName accessRole status contactTypes
        privileges { softwareAccess reporting entitlements manageAccess contactUpdates accountDocuments }
      } } }
    } }
  }
}`

// PartnerSiteRange returns the Sites [first, end) (0-based) granted to the partner: the
// PartnerSites after the large ones, or, when fewer Sites follow them, the last PartnerSites
// (the large ones among them; every Site when PartnerSites equals Sites).
func (o Options) PartnerSiteRange() (first, end int) {
	first = o.LargeSites
	if first+o.PartnerSites > o.Sites {
		first = o.Sites - o.PartnerSites
	}
	return first, first + o.PartnerSites
}

// SiteNumber is the number of the i-th Site (0-based): Sites 0 to LargeSites-1 are the large
// ones; PartnerSiteRange tells which are granted to the partner.
func SiteNumber(i int) string { return fmt.Sprintf("%07d", 1_000_000+i) }

// PrimaryEmail is the email of the PRIMARY of the i-th Site.
func PrimaryEmail(i int) string { return fmt.Sprintf("primary.%s@bench.example", SiteNumber(i)) }

// UserEmail is the email of the j-th contact (j >= 1) of the i-th Site.
func UserEmail(i, j int) string {
	return fmt.Sprintf("%s.%s.%d@%s.example", strings.ToLower(firstNames[(i+j)%len(firstNames)]),
		strings.ToLower(lastNames[(i*7+j)%len(lastNames)]), j, companySlug(i))
}

// Result reports what Seed wrote.
type Result struct {
	Sites, Contacts, Grants int
	Duration                time.Duration
}

// Seed writes the data set into an empty, migrated database in one transaction. It refuses a
// database that holds Sites already.
func Seed(ctx context.Context, sqlDB *sql.DB, opts Options) (Result, error) {
	start := time.Now()
	if err := opts.defaults(); err != nil {
		return Result{}, fmt.Errorf("seed-bench: %w", err)
	}
	d := db.DialectOf(sqlDB)
	if d == "" {
		return Result{}, errors.New("seed-bench: unsupported database driver")
	}
	tx, err := sqlDB.BeginTx(ctx, nil)
	if err != nil {
		return Result{}, fmt.Errorf("seed-bench: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+site.Table).Scan(&n); err != nil {
		return Result{}, fmt.Errorf("seed-bench: %w", err)
	}
	if n > 0 {
		return Result{}, fmt.Errorf("seed-bench: the database has %d Sites already; seed an empty database", n)
	}
	s := &seeder{ctx: ctx, tx: tx, d: d, o: opts, rng: rand.New(rand.NewPCG(opts.Seed, 0x5eed))}
	res, err := s.run()
	if err != nil {
		return Result{}, fmt.Errorf("seed-bench: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return Result{}, fmt.Errorf("seed-bench: commit: %w", err)
	}
	if d == dialect.Postgres {
		// The planner's statistics, which autovacuum would gather a little later.
		if _, err := sqlDB.ExecContext(ctx, "ANALYZE"); err != nil {
			return Result{}, fmt.Errorf("seed-bench: ANALYZE: %w", err)
		}
	}
	res.Duration = time.Since(start)
	return res, nil
}

type seeder struct {
	ctx context.Context
	tx  *sql.Tx
	d   string
	o   Options
	rng *rand.Rand
}

// batchRows keeps every INSERT under SQLite's and PostgreSQL's parameter limits (32,766 and
// 65,535) with the widest table (contacts, 30 columns).
const batchRows = 500

// inserter collects rows for one table and writes them batchRows at a time.
type inserter struct {
	s     *seeder
	table string
	cols  []string
	rows  [][]any
	total int
}

func (s *seeder) inserter(table string, cols ...string) *inserter {
	return &inserter{s: s, table: table, cols: cols}
}

func (in *inserter) add(values ...any) error {
	if len(values) != len(in.cols) {
		return fmt.Errorf("%s: %d values for %d columns", in.table, len(values), len(in.cols))
	}
	in.rows = append(in.rows, values)
	if len(in.rows) >= batchRows {
		return in.flush()
	}
	return nil
}

func (in *inserter) flush() error {
	if len(in.rows) == 0 {
		return nil
	}
	b := entsql.Dialect(in.s.d).Insert(in.table).Columns(in.cols...)
	for _, r := range in.rows {
		b.Values(r...)
	}
	query, args := b.Query()
	if _, err := in.s.tx.ExecContext(in.s.ctx, query, args...); err != nil {
		return fmt.Errorf("inserting into %s: %w", in.table, err)
	}
	in.total += len(in.rows)
	in.rows = in.rows[:0]
	return nil
}

func (s *seeder) run() (Result, error) {
	o := s.o
	sizes := s.rosterSizes()
	sites := s.inserter(site.Table, site.FieldCreatedAt, site.FieldUpdatedAt, site.FieldVersion, site.FieldNumber,
		site.FieldName, site.FieldCustomerNumber, site.FieldProgram, site.FieldStreet, site.FieldCity,
		site.FieldStateProvince, site.FieldPostalCode, site.FieldCountry, site.FieldStatus,
		site.FieldReviewIntervalDays, site.FieldLastReviewedAt, site.FieldLastReviewedBy, site.FieldReviewDueAt,
		site.FieldReviewReminderDueAt)
	for i := range o.Sites {
		created := o.Now.AddDate(0, 0, -400-s.rng.IntN(2000))
		reviewed := o.Now.Add(-time.Duration(s.rng.IntN(60*24)) * time.Hour)
		due := reviewed.AddDate(0, 0, 30) // about half are overdue
		city := cities[s.rng.IntN(len(cities))]
		program := domain.ProgramStandard
		if s.rng.IntN(4) == 0 {
			program = domain.ProgramExpress
		}
		if err := sites.add(created, created, 1, SiteNumber(i),
			companyName(i), fmt.Sprintf("C-%07d", 4_000_000+i), string(program),
			fmt.Sprintf("%d %s", 100+s.rng.IntN(9800), streets[s.rng.IntN(len(streets))]), city.name,
			city.state, city.postal, "US", string(domain.SiteActive),
			30, reviewed, PrimaryEmail(i), due, due.UTC()); err != nil {
			return Result{}, err
		}
	}
	if err := sites.flush(); err != nil {
		return Result{}, err
	}
	ids, err := s.siteIDs()
	if err != nil {
		return Result{}, err
	}

	contacts := s.inserter(contact.Table, contact.FieldCreatedAt, contact.FieldUpdatedAt, contact.FieldVersion,
		contact.FieldSiteID, contact.FieldEmail, contact.FieldEmailKey, contact.FieldFirstName, contact.FieldLastName,
		contact.FieldPhone, contact.FieldCity, contact.FieldStateProvince, contact.FieldPostalCode, contact.FieldStreet,
		contact.FieldCountry, contact.FieldJobTitle, contact.FieldLanguage, contact.FieldBusinessJustification,
		contact.FieldAccessRole, contact.FieldSoftwareAccess, contact.FieldReporting, contact.FieldEntitlements,
		contact.FieldManageAccess, contact.FieldContactUpdates, contact.FieldAccountDocuments,
		contact.FieldContactTypes, contact.FieldStatus, contact.FieldInvitedBy, contact.FieldInvitationExpiresAt,
		contact.FieldLastSignInAt)
	for i := range o.Sites {
		if err := s.roster(contacts, i, ids[SiteNumber(i)], sizes[i]); err != nil {
			return Result{}, err
		}
	}
	if err := contacts.flush(); err != nil {
		return Result{}, err
	}

	grants, err := s.partner(ids)
	if err != nil {
		return Result{}, err
	}
	if err := s.grantEvents(); err != nil {
		return Result{}, err
	}
	summary, _ := json.Marshal(map[string]any{"sites": o.Sites, "contacts": contacts.total, "partnerGrants": grants})
	audit := s.inserter(auditevent.Table, auditevent.FieldCreatedAt, auditevent.FieldActorKind, auditevent.FieldActor,
		auditevent.FieldAction, auditevent.FieldTargetType, auditevent.FieldTargetID, auditevent.FieldAfter)
	if err := audit.add(o.Now, string(domain.ActorSystem), "system", Action, "Database", 0, json.RawMessage(summary)); err != nil {
		return Result{}, err
	}
	if err := audit.flush(); err != nil {
		return Result{}, err
	}
	return Result{Sites: sites.total, Contacts: contacts.total, Grants: grants}, nil
}

// grantEvents writes the audit event of each grant as granting through the API does, so the
// partner's change feed (contactRoleChanges) starts with its grants.
func (s *seeder) grantEvents() error {
	const query = `INSERT INTO audit_events (created_at, actor_kind, actor, action, target_type, target_id,
  target_label, site_id, feed, feed_partner_id)
SELECT g.created_at, 'USER', g.granted_by, 'grantPartnerAccess', 'PartnerGrant', g.id, p.name, g.site_id,
  'ACCESS_GRANTED', g.partner_id
FROM partner_grants g JOIN partners p ON p.id = g.partner_id ORDER BY g.id`
	if _, err := s.tx.ExecContext(s.ctx, query); err != nil {
		return fmt.Errorf("writing the grants' audit events: %w", err)
	}
	return nil
}

// rosterSizes spreads Sites*ContactsPerSite contacts: LargeSiteContacts on each large Site,
// the rest as evenly as possible.
func (s *seeder) rosterSizes() []int {
	o := s.o
	sizes := make([]int, o.Sites)
	others := o.Sites - o.LargeSites
	rest := o.Sites*o.ContactsPerSite - o.LargeSites*o.LargeSiteContacts
	for i := range sizes {
		if i < o.LargeSites {
			sizes[i] = o.LargeSiteContacts
			continue
		}
		k := i - o.LargeSites
		sizes[i] = rest / others
		if k < rest%others {
			sizes[i]++
		}
	}
	return sizes
}

func (s *seeder) siteIDs() (map[string]int, error) {
	rows, err := s.tx.QueryContext(s.ctx, "SELECT "+site.FieldID+", "+site.FieldNumber+" FROM "+site.Table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := make(map[string]int, s.o.Sites)
	for rows.Next() {
		var id int
		var number string
		if err := rows.Scan(&id, &number); err != nil {
			return nil, err
		}
		ids[number] = id
	}
	return ids, rows.Err()
}

// secondaryProfiles and userProfiles are the privilege mixes handed out.
var secondaryProfiles = []domain.Privileges{
	{SoftwareAccess: domain.SoftwareFull, Reporting: domain.ViewView, Entitlements: domain.UpdateView,
		ManageAccess: domain.UpdateUpdate, ContactUpdates: domain.UpdateUpdate, AccountDocuments: domain.ViewView},
	{SoftwareAccess: domain.SoftwareDownloads, Reporting: domain.ViewView, Entitlements: domain.UpdateView,
		ManageAccess: domain.UpdateView, ContactUpdates: domain.UpdateUpdate, AccountDocuments: domain.ViewNone},
	{SoftwareAccess: domain.SoftwareNone, Reporting: domain.ViewNone, Entitlements: domain.UpdateNone,
		ManageAccess: domain.UpdateNone, ContactUpdates: domain.UpdateUpdate, AccountDocuments: domain.ViewNone},
	{SoftwareAccess: domain.SoftwareDownloadsMedia, Reporting: domain.ViewView, Entitlements: domain.UpdateUpdate,
		ManageAccess: domain.UpdateView, ContactUpdates: domain.UpdateView, AccountDocuments: domain.ViewView},
}

var userProfiles = []domain.Privileges{
	domain.NoPrivileges(),
	{SoftwareAccess: domain.SoftwareDownloads, Reporting: domain.ViewView, Entitlements: domain.UpdateNone,
		ManageAccess: domain.UpdateNone, ContactUpdates: domain.UpdateNone, AccountDocuments: domain.ViewNone},
	{SoftwareAccess: domain.SoftwareDownloadsMedia, Reporting: domain.ViewNone, Entitlements: domain.UpdateView,
		ManageAccess: domain.UpdateNone, ContactUpdates: domain.UpdateNone, AccountDocuments: domain.ViewView},
	{SoftwareAccess: domain.SoftwareFull, Reporting: domain.ViewView, Entitlements: domain.UpdateView,
		ManageAccess: domain.UpdateNone, ContactUpdates: domain.UpdateView, AccountDocuments: domain.ViewView},
	{SoftwareAccess: domain.SoftwareNone, Reporting: domain.ViewView, Entitlements: domain.UpdateNone,
		ManageAccess: domain.UpdateNone, ContactUpdates: domain.UpdateNone, AccountDocuments: domain.ViewView},
}

var nonPrimaryTypes = []domain.ContactType{domain.TypeSiteTechnical, domain.TypeAdministrative,
	domain.TypeRenewal, domain.TypeMediaShipping, domain.TypeBilling}

// roster writes the n contacts of the i-th Site.
func (s *seeder) roster(contacts *inserter, i, siteID, n int) error {
	o := s.o
	secondaries := min(4, (n-1)/3)
	// Each type other than PRIMARY has at most one holder: pick a holder (or none) per type.
	types := make([][]string, n)
	for _, t := range nonPrimaryTypes {
		if s.rng.IntN(10) < 8 {
			j := s.rng.IntN(min(n, 6))
			types[j] = append(types[j], string(t))
		}
	}
	company := companySlug(i)
	for j := range n {
		role, status := domain.RoleUser, domain.StatusActive
		var p domain.Privileges
		email := UserEmail(i, j)
		switch {
		case j == 0:
			role, p, email = domain.RolePrimary, domain.HighestPrivileges(), PrimaryEmail(i)
		case j <= secondaries:
			role, p = domain.RoleSecondary, secondaryProfiles[s.rng.IntN(len(secondaryProfiles))]
		default:
			p = userProfiles[s.rng.IntN(len(userProfiles))]
			switch r := s.rng.IntN(20); {
			case r < 2:
				status = domain.StatusInvited
			case r < 3:
				status = domain.StatusDeactivated
			}
		}
		first, last := firstNames[(i+j)%len(firstNames)], lastNames[(i*7+j)%len(lastNames)]
		if j == 0 {
			first, last = firstNames[(i*3)%len(firstNames)], lastNames[(i*11)%len(lastNames)]
		}
		created := o.Now.AddDate(0, 0, -30-s.rng.IntN(700))
		var invitedBy, jobTitle, language any
		var invitationExpires, lastSignIn any
		if status == domain.StatusInvited {
			invitedBy, invitationExpires = PrimaryEmail(i), o.Now.Add(time.Duration(1+s.rng.IntN(7*24))*time.Hour)
		} else {
			// A few have not signed in for more than 90 days (stale).
			lastSignIn = o.Now.Add(-time.Duration(s.rng.IntN(120*24)) * time.Hour)
		}
		if s.rng.IntN(4) > 0 {
			jobTitle = jobTitles[s.rng.IntN(len(jobTitles))]
		}
		if s.rng.IntN(3) > 0 {
			language = []string{"en-US", "en", "es-US", "fr-CA"}[s.rng.IntN(4)]
		}
		var ct any
		if len(types[j]) > 0 {
			b, _ := json.Marshal(types[j])
			ct = json.RawMessage(b)
		}
		city := cities[(i+j)%len(cities)]
		if err := contacts.add(created, created, 1, siteID, email, strings.ToLower(email), first, last,
			fmt.Sprintf("+1 %03d 555 01%02d", 200+s.rng.IntN(700), s.rng.IntN(100)), city.name, city.state, city.postal,
			fmt.Sprintf("%d %s", 1+s.rng.IntN(999), streets[(i+j)%len(streets)]), "US", jobTitle, language,
			justifications[s.rng.IntN(len(justifications))]+" ("+company+")",
			string(role), string(p.SoftwareAccess), string(p.Reporting), string(p.Entitlements),
			string(p.ManageAccess), string(p.ContactUpdates), string(p.AccountDocuments),
			ct, string(status), invitedBy, invitationExpires, lastSignIn); err != nil {
			return err
		}
	}
	return nil
}

// partner writes the benchmark partner and its grants on the Sites of PartnerSiteRange.
func (s *seeder) partner(ids map[string]int) (int, error) {
	o := s.o
	p := s.inserter(partner.Table, partner.FieldCreatedAt, partner.FieldUpdatedAt, partner.FieldName, partner.FieldClientID)
	if err := p.add(o.Now, o.Now, PartnerName, PartnerClientID); err != nil {
		return 0, err
	}
	if err := p.flush(); err != nil {
		return 0, err
	}
	var partnerID int
	query, args := entsql.Dialect(s.d).Select(partner.FieldID).From(entsql.Table(partner.Table)).
		Where(entsql.EQ(partner.FieldClientID, PartnerClientID)).Query()
	if err := s.tx.QueryRowContext(s.ctx, query, args...).Scan(&partnerID); err != nil {
		return 0, err
	}
	g := s.inserter(partnergrant.Table, partnergrant.FieldCreatedAt, partnergrant.FieldGrantedBy,
		partnergrant.FieldExpiresAt, partnergrant.FieldPartnerID, partnergrant.FieldSiteID)
	first, end := o.PartnerSiteRange()
	for i := first; i < end; i++ {
		if err := g.add(o.Now, PrimaryEmail(i), o.Now.AddDate(1, 0, 0), partnerID, ids[SiteNumber(i)]); err != nil {
			return 0, err
		}
	}
	if err := g.flush(); err != nil {
		return 0, err
	}
	return g.total, nil
}

func companyName(i int) string {
	return fmt.Sprintf("%s %s %d", companyWords[i%len(companyWords)], industries[(i/len(companyWords))%len(industries)], i)
}

func companySlug(i int) string {
	return fmt.Sprintf("%s-%d", strings.ToLower(companyWords[i%len(companyWords)]), i)
}

var (
	firstNames = []string{"Ada", "Ben", "Chloe", "Diego", "Emma", "Farid", "Grace", "Hiro", "Ines", "Jamal",
		"Kara", "Liam", "Mei", "Noah", "Olga", "Pablo", "Quinn", "Rosa", "Sanjay", "Tara", "Umar", "Vera",
		"Wes", "Ximena", "Yusuf", "Zoe"}
	lastNames = []string{"Anders", "Brooks", "Castillo", "Dubois", "Eriksen", "Fischer", "Garcia", "Hughes",
		"Ito", "Jensen", "Kowalski", "Lopez", "Mensah", "Nakamura", "Okafor", "Petrov", "Quint", "Rossi",
		"Schmidt", "Tanaka", "Ueda", "Varga", "Walsh", "Xu", "Young", "Zimmer"}
	companyWords = []string{"Acme", "Apex", "Beacon", "Cedar", "Delta", "Evergreen", "Falcon", "Granite",
		"Harbor", "Ion", "Juniper", "Keystone", "Lumen", "Meridian", "Nimbus", "Orion", "Pioneer", "Quarry",
		"Ridge", "Summit", "Tidal", "Union", "Vertex", "Willow"}
	industries = []string{"Manufacturing", "Logistics", "Health", "Foods", "Energy", "Retail", "Insurance",
		"Labs", "Media", "Motors"}
	streets   = []string{"Main Street", "Oak Avenue", "Industrial Parkway", "Market Street", "Harbor Road", "Elm Drive", "Commerce Way"}
	jobTitles = []string{"IT Manager", "Procurement Lead", "Systems Engineer", "CFO", "Operations Director",
		"License Administrator", "Database Administrator", "Buyer", "Network Engineer"}
	justifications = []string{"Downloads fixes for the plant's servers", "Renews the software subscriptions",
		"Reviews entitlements each quarter", "Receives media shipments", "Manages the team's access",
		"Pays the invoices"}
	cities = []struct{ name, state, postal string }{
		{"Dayton", "Ohio", "45402"}, {"Austin", "Texas", "78701"}, {"Denver", "Colorado", "80202"},
		{"Raleigh", "North Carolina", "27601"}, {"Madison", "Wisconsin", "53703"}, {"Tucson", "Arizona", "85701"},
		{"Albany", "New York", "12207"}, {"Boise", "Idaho", "83702"},
	}
)
