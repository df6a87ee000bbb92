// Package check inspects a Sitekeeper database: SQLite's own integrity and foreign-key checks,
// then the invariants of the roster that the application keeps (SPEC sections 2 and 3). It reads
// only; `sitekeeper check` prints its report. It checks SQLite databases; PostgreSQL keeps its
// own integrity and is not covered yet.
package check

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// DefaultMaxSecondary is how many SECONDARY contacts a Site may have unless configured.
const DefaultMaxSecondary = 4

// MaxGrant is the longest a partner grant may run: 2 years (of 365 days) from its creation.
const MaxGrant = 2 * 365 * 24 * time.Hour

// grantSlack allows for the moments between a grant's validation and its creation time.
const grantSlack = time.Minute

// maxIntegrityRows bounds what integrity_check reports; it stops after that many problems.
const maxIntegrityRows = 100

// Problem is one thing wrong with the database.
type Problem struct {
	// Check names the check that found it: integrity, foreign-keys, primary, secondary-cap,
	// email, contact-type, partner-grant.
	Check string
	// Message says what is wrong, in plain words, naming the records.
	Message string
}

func (p Problem) String() string { return p.Check + ": " + p.Message }

// Report is the outcome of Run.
type Report struct {
	// Checks lists the checks that ran, in order.
	Checks   []string
	Problems []Problem
}

// OK reports whether no problem was found.
func (r Report) OK() bool { return len(r.Problems) == 0 }

// String renders the report for people: one line per problem, or a line saying all is well.
func (r Report) String() string {
	var b strings.Builder
	if r.OK() {
		fmt.Fprintf(&b, "ok: %d checks found no problem (%s)\n", len(r.Checks), strings.Join(r.Checks, ", "))
		return b.String()
	}
	fmt.Fprintf(&b, "%d problem(s) found:\n", len(r.Problems))
	for _, p := range r.Problems {
		fmt.Fprintf(&b, "- %s\n", p)
	}
	return b.String()
}

// Option adjusts Run.
type Option func(*options)

type options struct {
	maxSecondary int
}

// MaxSecondary sets the configured SECONDARY cap (SITEKEEPER_MAX_SECONDARY); DefaultMaxSecondary
// when n is not positive.
func MaxSecondary(n int) Option {
	return func(o *options) {
		if n > 0 {
			o.maxSecondary = n
		}
	}
}

// Run checks the database behind db. The error is for a check that could not run (a closed
// database, a missing table); what the checks find is in the Report.
func Run(ctx context.Context, db *sql.DB, opts ...Option) (Report, error) {
	if _, ok := db.Driver().(*sqlite3.SQLiteDriver); !ok {
		return Report{}, fmt.Errorf("check: only SQLite databases can be checked so far, not %T", db.Driver())
	}
	o := options{maxSecondary: DefaultMaxSecondary}
	for _, opt := range opts {
		opt(&o)
	}
	var r Report
	checks := []struct {
		name string
		run  func(context.Context, *sql.DB) ([]string, error)
	}{
		{"integrity", integrity},
		{"foreign-keys", foreignKeys},
		{"primary", primary},
		{"secondary-cap", func(ctx context.Context, db *sql.DB) ([]string, error) {
			return secondaryCap(ctx, db, o.maxSecondary)
		}},
		{"email", emails},
		{"contact-type", contactTypes},
		{"partner-grant", partnerGrants},
	}
	for i, c := range checks {
		msgs, err := c.run(ctx, db)
		if err != nil {
			if i == 0 || ctx.Err() != nil {
				// Not even SQLite's own check runs: there is no database to speak of.
				return r, fmt.Errorf("check %s: %w", c.name, err)
			}
			// A damaged database can fail a later check's query; that is a finding too.
			msgs = []string{"the check could not run: " + err.Error()}
		}
		r.Checks = append(r.Checks, c.name)
		for _, m := range msgs {
			r.Problems = append(r.Problems, Problem{Check: c.name, Message: m})
		}
	}
	return r, nil
}

// rowsOf runs query and renders each row with scan; an empty rendering is no problem.
func rowsOf(ctx context.Context, db *sql.DB, query string, scan func(*sql.Rows) (string, error)) ([]string, error) {
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		s, err := scan(rows)
		if err != nil {
			return nil, err
		}
		if s != "" {
			out = append(out, s)
		}
	}
	return out, rows.Err()
}

func integrity(ctx context.Context, db *sql.DB) ([]string, error) {
	return rowsOf(ctx, db, fmt.Sprintf("PRAGMA integrity_check(%d)", maxIntegrityRows), func(rows *sql.Rows) (string, error) {
		var line string
		if err := rows.Scan(&line); err != nil {
			return "", err
		}
		if line == "ok" {
			return "", nil
		}
		return "SQLite integrity check: " + line, nil
	})
}

func foreignKeys(ctx context.Context, db *sql.DB) ([]string, error) {
	return rowsOf(ctx, db, "PRAGMA foreign_key_check", func(rows *sql.Rows) (string, error) {
		var (
			table, parent string
			rowid         sql.NullInt64
			fkid          int
		)
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err != nil {
			return "", err
		}
		return fmt.Sprintf("%s row %d refers to a missing row of %s", table, rowid.Int64, parent), nil
	})
}

// primary: every Site has exactly one PRIMARY, and it is ACTIVE.
func primary(ctx context.Context, db *sql.DB) ([]string, error) {
	counts, err := rowsOf(ctx, db, `
		SELECT s.id, s.number, COUNT(c.id)
		FROM sites s LEFT JOIN contacts c ON c.site_id = s.id AND c.access_role = 'PRIMARY'
		GROUP BY s.id HAVING COUNT(c.id) <> 1 ORDER BY s.id`,
		func(rows *sql.Rows) (string, error) {
			var (
				id     int64
				number string
				n      int
			)
			if err := rows.Scan(&id, &number, &n); err != nil {
				return "", err
			}
			if n == 0 {
				return fmt.Sprintf("Site %s (id %d) has no PRIMARY contact", number, id), nil
			}
			return fmt.Sprintf("Site %s (id %d) has %d PRIMARY contacts, want exactly one", number, id, n), nil
		})
	if err != nil {
		return nil, err
	}
	inactive, err := rowsOf(ctx, db, `
		SELECT s.number, c.id, c.email, c.status
		FROM contacts c JOIN sites s ON s.id = c.site_id
		WHERE c.access_role = 'PRIMARY' AND c.status <> 'ACTIVE' ORDER BY c.id`,
		func(rows *sql.Rows) (string, error) {
			var (
				number, email, status string
				id                    int64
			)
			if err := rows.Scan(&number, &id, &email, &status); err != nil {
				return "", err
			}
			return fmt.Sprintf("the PRIMARY contact %s (id %d) of Site %s is %s, not ACTIVE", email, id, number, status), nil
		})
	return append(counts, inactive...), err
}

// secondaryCap: at most max SECONDARY contacts per Site.
func secondaryCap(ctx context.Context, db *sql.DB, limit int) ([]string, error) {
	rows, err := db.QueryContext(ctx, `
		SELECT s.id, s.number, COUNT(*)
		FROM contacts c JOIN sites s ON s.id = c.site_id
		WHERE c.access_role = 'SECONDARY'
		GROUP BY s.id HAVING COUNT(*) > ? ORDER BY s.id`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var (
			id     int64
			number string
			n      int
		)
		if err := rows.Scan(&id, &number, &n); err != nil {
			return nil, err
		}
		out = append(out, fmt.Sprintf("Site %s (id %d) has %d SECONDARY contacts, more than the %d allowed", number, id, n, limit))
	}
	return out, rows.Err()
}

// emails: (site, lower-cased email) is unique, and the stored lookup key is the lower-cased email.
func emails(ctx context.Context, db *sql.DB) ([]string, error) {
	dups, err := rowsOf(ctx, db, `
		SELECT s.number, lower(c.email), COUNT(*), group_concat(c.id, ', ')
		FROM contacts c JOIN sites s ON s.id = c.site_id
		GROUP BY c.site_id, lower(c.email) HAVING COUNT(*) > 1 ORDER BY c.site_id, lower(c.email)`,
		func(rows *sql.Rows) (string, error) {
			var (
				number, email, ids string
				n                  int
			)
			if err := rows.Scan(&number, &email, &n, &ids); err != nil {
				return "", err
			}
			return fmt.Sprintf("Site %s has %d contacts with the email %s (ids %s); an email is unique per Site", number, n, email, ids), nil
		})
	if err != nil {
		return nil, err
	}
	keys, err := rowsOf(ctx, db, `
		SELECT c.id, c.email FROM contacts c WHERE c.email_key <> lower(c.email) ORDER BY c.id`,
		func(rows *sql.Rows) (string, error) {
			var (
				id    int64
				email string
			)
			if err := rows.Scan(&id, &email); err != nil {
				return "", err
			}
			return fmt.Sprintf("contact %d: its email lookup key does not match its email %s", id, email), nil
		})
	return append(dups, keys...), err
}

// contactTypes: each type other than PRIMARY has at most one holder per Site, and PRIMARY is
// never stored (it follows the primary role).
func contactTypes(ctx context.Context, db *sql.DB) ([]string, error) {
	bad, err := rowsOf(ctx, db, `
		SELECT c.id, c.email FROM contacts c
		WHERE c.contact_types IS NOT NULL AND json_valid(c.contact_types) = 0 ORDER BY c.id`,
		func(rows *sql.Rows) (string, error) {
			var (
				id    int64
				email string
			)
			if err := rows.Scan(&id, &email); err != nil {
				return "", err
			}
			return fmt.Sprintf("contact %s (id %d): its contact types are not a JSON array", email, id), nil
		})
	if err != nil {
		return nil, err
	}
	holders, err := rowsOf(ctx, db, `
		SELECT s.number, t.value, COUNT(DISTINCT c.id), group_concat(DISTINCT c.id)
		FROM contacts c JOIN sites s ON s.id = c.site_id, json_each(c.contact_types) t
		WHERE json_valid(c.contact_types) AND json_type(c.contact_types) = 'array' AND t.value <> 'PRIMARY'
		GROUP BY c.site_id, t.value HAVING COUNT(DISTINCT c.id) > 1 ORDER BY c.site_id, t.value`,
		func(rows *sql.Rows) (string, error) {
			var (
				number, typ, ids string
				n                int
			)
			if err := rows.Scan(&number, &typ, &n, &ids); err != nil {
				return "", err
			}
			return fmt.Sprintf("Site %s: the contact type %s has %d holders (contacts %s), at most one allowed", number, typ, n, ids), nil
		})
	if err != nil {
		return nil, err
	}
	stored, err := rowsOf(ctx, db, `
		SELECT s.number, c.id, c.email
		FROM contacts c JOIN sites s ON s.id = c.site_id, json_each(c.contact_types) t
		WHERE json_valid(c.contact_types) AND json_type(c.contact_types) = 'array'
			AND t.value = 'PRIMARY' AND c.access_role <> 'PRIMARY' ORDER BY c.id`,
		func(rows *sql.Rows) (string, error) {
			var (
				number, email string
				id            int64
			)
			if err := rows.Scan(&number, &id, &email); err != nil {
				return "", err
			}
			return fmt.Sprintf("Site %s: contact %s (id %d) holds the PRIMARY contact type without being the PRIMARY", number, email, id), nil
		})
	return append(append(bad, holders...), stored...), err
}

// partnerGrants: no grant runs longer than MaxGrant from its creation.
func partnerGrants(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, `
		SELECT g.id, s.number, p.name, g.created_at, g.expires_at
		FROM partner_grants g JOIN sites s ON s.id = g.site_id JOIN partners p ON p.id = g.partner_id
		ORDER BY g.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var (
			id               int64
			number, partner  string
			created, expires time.Time
		)
		if err := rows.Scan(&id, &number, &partner, &created, &expires); err != nil {
			return nil, err
		}
		if expires.Sub(created) > MaxGrant+grantSlack {
			out = append(out, fmt.Sprintf("partner grant %d (%s on Site %s) runs from %s to %s, longer than 2 years",
				id, partner, number, created.UTC().Format(time.DateOnly), expires.UTC().Format(time.DateOnly)))
		}
	}
	return out, rows.Err()
}
