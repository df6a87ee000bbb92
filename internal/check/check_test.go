package check_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"sitekeeper/internal/check"
	"sitekeeper/internal/db"
	"sitekeeper/internal/db/dbtest"
)

// fixture is a migrated database written with plain SQL, so that the tests can put in it what
// the application would never write.
type fixture struct {
	t   *testing.T
	db  *sql.DB
	url string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dbtest.SQLiteOnly(t, "check reads SQLite's pragmas")
	url := dbtest.URL(t)
	_, sqlDB, err := db.Open(context.Background(), url, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sqlDB.Close() })
	if err := db.Migrate(context.Background(), sqlDB, nil); err != nil {
		t.Fatal(err)
	}
	// One connection: the per-connection pragmas some tests set stay in effect.
	sqlDB.SetMaxOpenConns(1)
	return &fixture{t: t, db: sqlDB, url: url}
}

func (f *fixture) exec(query string, args ...any) {
	f.t.Helper()
	if _, err := f.db.Exec(query, args...); err != nil {
		f.t.Fatalf("%s: %v", query, err)
	}
}

func (f *fixture) site(number string) int64 {
	f.t.Helper()
	now := time.Now().UTC()
	res, err := f.db.Exec(`INSERT INTO sites (created_at, updated_at, number, name, customer_number, review_due_at)
		VALUES (?, ?, ?, ?, ?, ?)`, now, now, number, "Site "+number, "C-"+number, now.AddDate(0, 0, 30))
	if err != nil {
		f.t.Fatal(err)
	}
	id, _ := res.LastInsertId()
	return id
}

func (f *fixture) contact(siteID int64, email, role, status, types string) int64 {
	f.t.Helper()
	now := time.Now().UTC()
	var typesArg any
	if types != "" {
		typesArg = types
	}
	res, err := f.db.Exec(`INSERT INTO contacts (created_at, updated_at, email, email_key, first_name, last_name,
		business_justification, access_role, status, contact_types, site_id)
		VALUES (?, ?, ?, ?, 'First', 'Last', 'test', ?, ?, ?, ?)`,
		now, now, email, strings.ToLower(email), role, status, typesArg, siteID)
	if err != nil {
		f.t.Fatalf("contact %s: %v", email, err)
	}
	id, _ := res.LastInsertId()
	return id
}

// healthySite is a Site as the application keeps it.
func (f *fixture) healthySite(number string) int64 {
	id := f.site(number)
	f.contact(id, "primary-"+number+"@x.example", "PRIMARY", "ACTIVE", `["RENEWAL"]`)
	f.contact(id, "secondary-"+number+"@x.example", "SECONDARY", "ACTIVE", `["BILLING","SITE_TECHNICAL"]`)
	f.contact(id, "user-"+number+"@x.example", "USER", "INVITED", "")
	return id
}

func (f *fixture) run() check.Report {
	f.t.Helper()
	r, err := check.Run(context.Background(), f.db)
	if err != nil {
		f.t.Fatalf("Run: %v", err)
	}
	return r
}

// expect fails unless the report holds exactly one problem, of the check named, whose message
// contains every fragment.
func (f *fixture) expect(r check.Report, name string, fragments ...string) {
	f.t.Helper()
	if len(r.Problems) != 1 {
		f.t.Fatalf("want exactly one %s problem, got %d:\n%s", name, len(r.Problems), r)
	}
	p := r.Problems[0]
	if p.Check != name {
		f.t.Fatalf("problem from check %q, want %q: %s", p.Check, name, p)
	}
	for _, frag := range fragments {
		if !strings.Contains(p.Message, frag) {
			f.t.Errorf("message %q lacks %q", p.Message, frag)
		}
	}
	if !strings.Contains(r.String(), p.Message) || r.OK() {
		f.t.Errorf("the rendered report does not show the problem:\n%s", r)
	}
}

func TestHealthyDatabase(t *testing.T) {
	f := newFixture(t)
	f.healthySite("1000001")
	f.healthySite("1000002")
	r := f.run()
	if !r.OK() {
		t.Fatalf("a healthy database has problems:\n%s", r)
	}
	if want := []string{"integrity", "foreign-keys", "primary", "secondary-cap", "email", "contact-type", "partner-grant"}; strings.Join(r.Checks, ",") != strings.Join(want, ",") {
		t.Fatalf("checks run: %v, want %v", r.Checks, want)
	}
	if !strings.HasPrefix(r.String(), "ok: 7 checks") {
		t.Fatalf("report: %q", r.String())
	}
}

func TestEachViolationIsReported(t *testing.T) {
	cases := []struct {
		name      string
		check     string
		fragments []string
		violate   func(f *fixture, site int64)
	}{
		{"a Site without a PRIMARY", "primary", []string{"Site 2000002", "has no PRIMARY"}, func(f *fixture, _ int64) {
			s := f.site("2000002")
			f.contact(s, "only-user@x.example", "USER", "ACTIVE", "")
		}},
		{"two PRIMARY contacts", "primary", []string{"Site 1000001", "has 2 PRIMARY contacts"}, func(f *fixture, site int64) {
			f.exec("DROP INDEX contact_one_primary_per_site")
			f.contact(site, "second-primary@x.example", "PRIMARY", "ACTIVE", "")
		}},
		{"a PRIMARY that is not ACTIVE", "primary", []string{"primary-1000001@x.example", "DEACTIVATED", "not ACTIVE"}, func(f *fixture, _ int64) {
			f.exec("PRAGMA ignore_check_constraints = ON")
			f.exec("UPDATE contacts SET status = 'DEACTIVATED' WHERE access_role = 'PRIMARY'")
		}},
		{"too many SECONDARY", "secondary-cap", []string{"Site 1000001", "has 5 SECONDARY contacts", "more than the 4 allowed"}, func(f *fixture, site int64) {
			for i := range 4 {
				f.contact(site, fmt.Sprintf("extra-%d@x.example", i), "SECONDARY", "ACTIVE", "")
			}
		}},
		{"the same email twice on a Site", "email", []string{"Site 1000001", "2 contacts", "user-1000001@x.example"}, func(f *fixture, site int64) {
			f.exec("DROP INDEX contact_site_id_email_key")
			f.contact(site, "USER-1000001@x.example", "USER", "ACTIVE", "")
		}},
		{"an email key that is not the lower-cased email", "email", []string{"lookup key", "Mixed@x.example"}, func(f *fixture, site int64) {
			id := f.contact(site, "Mixed@x.example", "USER", "ACTIVE", "")
			f.exec("UPDATE contacts SET email_key = 'someone-else@x.example' WHERE id = ?", id)
		}},
		{"a contact type with two holders", "contact-type", []string{"Site 1000001", "BILLING", "2 holders"}, func(f *fixture, site int64) {
			f.exec(`UPDATE contacts SET contact_types = '["BILLING"]' WHERE email = 'user-1000001@x.example'`)
		}},
		{"the PRIMARY type on another contact", "contact-type", []string{"user-1000001@x.example", "PRIMARY contact type"}, func(f *fixture, site int64) {
			f.exec(`UPDATE contacts SET contact_types = '["PRIMARY"]' WHERE email = 'user-1000001@x.example'`)
		}},
		{"contact types that are not JSON", "contact-type", []string{"user-1000001@x.example", "not a JSON array"}, func(f *fixture, site int64) {
			f.exec(`UPDATE contacts SET contact_types = 'BILLING,RENEWAL' WHERE email = 'user-1000001@x.example'`)
		}},
		{"a partner grant longer than 2 years", "partner-grant", []string{"Reseller", "Site 1000001", "longer than 2 years"}, func(f *fixture, site int64) {
			now := time.Now().UTC()
			res, err := f.db.Exec(`INSERT INTO partners (created_at, updated_at, name, client_id) VALUES (?, ?, 'Reseller', 'client-1')`, now, now)
			if err != nil {
				f.t.Fatal(err)
			}
			partner, _ := res.LastInsertId()
			f.exec(`INSERT INTO partner_grants (created_at, granted_by, expires_at, partner_id, site_id) VALUES (?, 'p@x.example', ?, ?, ?)`,
				now, now.AddDate(1, 0, 0), partner, site) // a legal one
			f.exec(`INSERT INTO partner_grants (created_at, granted_by, expires_at, partner_id, site_id) VALUES (?, 'p@x.example', ?, ?, ?)`,
				now, now.AddDate(2, 0, 2), partner, site)
		}},
		{"a contact of a missing Site", "foreign-keys", []string{"contacts row", "missing row of sites"}, func(f *fixture, _ int64) {
			f.exec("PRAGMA foreign_keys = OFF")
			f.contact(999, "orphan@x.example", "USER", "ACTIVE", "")
			f.exec("PRAGMA foreign_keys = ON")
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			site := f.healthySite("1000001")
			if r := f.run(); !r.OK() {
				t.Fatalf("problems before the violation:\n%s", r)
			}
			tc.violate(f, site)
			f.expect(f.run(), tc.check, tc.fragments...)
		})
	}
}

func TestConfiguredSecondaryCap(t *testing.T) {
	f := newFixture(t)
	site := f.healthySite("1000001")
	f.contact(site, "second-secondary@x.example", "SECONDARY", "ACTIVE", "")
	r, err := check.Run(context.Background(), f.db, check.MaxSecondary(1))
	if err != nil {
		t.Fatal(err)
	}
	f.expect(r, "secondary-cap", "has 2 SECONDARY contacts", "more than the 1 allowed")
	if r := f.run(); !r.OK() {
		t.Fatalf("2 SECONDARY under the default cap of 4:\n%s", r)
	}
}

// TestCorruptionIsReported damages an index behind SQLite's back (its definition no longer
// matches its entries) and expects the integrity check to say so.
func TestCorruptionIsReported(t *testing.T) {
	f := newFixture(t)
	f.healthySite("1000001")
	f.healthySite("1000002")
	f.exec("PRAGMA writable_schema = ON")
	f.exec(`UPDATE sqlite_master SET sql = 'CREATE UNIQUE INDEX sites_number_key ON sites (name)' WHERE name = 'sites_number_key'`)
	f.exec("PRAGMA writable_schema = OFF")
	_ = f.db.Close()
	_, reopened, err := db.Open(context.Background(), f.url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer reopened.Close()
	r, err := check.Run(context.Background(), reopened)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	var integrity []check.Problem
	for _, p := range r.Problems {
		if p.Check == "integrity" {
			integrity = append(integrity, p)
		}
	}
	if len(integrity) == 0 || !strings.Contains(integrity[0].Message, "sites_number_key") {
		t.Fatalf("corrupted index not reported:\n%s", r)
	}
}

func TestClosedDatabaseIsAnError(t *testing.T) {
	f := newFixture(t)
	_ = f.db.Close()
	if _, err := check.Run(context.Background(), f.db); err == nil {
		t.Fatal("Run on a closed database: no error")
	}
}
