package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"

	"sitekeeper/internal/db"
)

// baseline is the plain-SQL limit for the contacts page: net/http and database/sql with
// hand-written SQL, no GraphQL, no ORM, no privacy layer. It still does what any correct
// implementation must: it verifies the bearer token (go-oidc, as Sitekeeper does), checks in SQL
// that the caller may list the Site's contacts (an ACTIVE contact of the Site who is its PRIMARY
// or holds manageAccess or contactUpdates at VIEW or more), reads the Site and 50 contacts, and
// writes the JSON the GraphQL query answers, byte for byte.
//
//	GET /contacts?site=NUMBER   Authorization: Bearer JWT
type baseline struct {
	verifier *oidc.IDTokenVerifier
	access   *sql.Stmt
	page     *sql.Stmt
	stmts    *stmtCounter
}

// stmtCounter counts the baseline's SQL statements.
type stmtCounter struct{ n atomic.Int64 }

func (c *stmtCounter) add()         { c.n.Add(1) }
func (c *stmtCounter) count() int64 { return c.n.Load() }
func (c *stmtCounter) reset()       { c.n.Store(0) }

const pageSize = 50

func newBaseline(ctx context.Context, sqlDB *sql.DB, d, issuerURL, audience string) (*baseline, error) {
	provider, err := oidc.NewProvider(ctx, issuerURL)
	if err != nil {
		return nil, err
	}
	b := &baseline{
		verifier: provider.Verifier(&oidc.Config{ClientID: audience, SupportedSigningAlgs: []string{oidc.RS256}}),
		stmts:    &stmtCounter{},
	}
	b.access, err = sqlDB.PrepareContext(ctx, db.Rebind(d, `SELECT s.id, s.number, s.name FROM sites s
		JOIN contacts v ON v.site_id = s.id
		WHERE s.number = ? AND v.email_key = ? AND v.status = 'ACTIVE'
		AND (v.access_role = 'PRIMARY' OR v.manage_access IN ('VIEW', 'UPDATE') OR v.contact_updates IN ('VIEW', 'UPDATE'))`))
	if err != nil {
		return nil, err
	}
	b.page, err = sqlDB.PrepareContext(ctx, db.Rebind(d, `SELECT id, email, first_name, last_name, phone, city,
		state_province, postal_code, street, country, job_title, language, business_justification, access_role,
		status, version, last_sign_in_at, contact_types, software_access, reporting, entitlements, manage_access,
		contact_updates, account_documents
		FROM contacts WHERE site_id = ? ORDER BY id LIMIT `+strconv.Itoa(pageSize)))
	return b, err
}

// The JSON of the GraphQL contacts page query (see contactsPageQuery), field for field.
type (
	pageJSON struct {
		Data struct {
			Site *siteJSON `json:"site"`
		} `json:"data"`
	}
	siteRef struct {
		ID     string `json:"id"`
		Number string `json:"number"`
		Name   string `json:"name"`
	}
	siteJSON struct {
		siteRef
		Contacts struct {
			Edges []edgeJSON `json:"edges"`
		} `json:"contacts"`
	}
	edgeJSON struct {
		Node contactJSON `json:"node"`
	}
	contactJSON struct {
		ID                    string         `json:"id"`
		Email                 string         `json:"email"`
		FirstName             string         `json:"firstName"`
		LastName              string         `json:"lastName"`
		Phone                 string         `json:"phone"`
		City                  string         `json:"city"`
		StateProvince         string         `json:"stateProvince"`
		PostalCode            string         `json:"postalCode"`
		Street                string         `json:"street"` // optional: "" when unset, as ent reads it
		Country               string         `json:"country"`
		JobTitle              string         `json:"jobTitle"`
		Language              string         `json:"language"`
		BusinessJustification string         `json:"businessJustification"`
		AccessRole            string         `json:"accessRole"`
		Status                string         `json:"status"`
		Version               int            `json:"version"`
		LastSignInAt          *string        `json:"lastSignInAt"`
		ContactTypes          []string       `json:"contactTypes"`
		Privileges            privilegesJSON `json:"privileges"`
		Site                  siteRef        `json:"site"`
	}
	privilegesJSON struct {
		SoftwareAccess   string `json:"softwareAccess"`
		Reporting        string `json:"reporting"`
		Entitlements     string `json:"entitlements"`
		ManageAccess     string `json:"manageAccess"`
		ContactUpdates   string `json:"contactUpdates"`
		AccountDocuments string `json:"accountDocuments"`
	}
)

func (b *baseline) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		http.Error(w, `{"errors":[{"message":"no token"}]}`, http.StatusUnauthorized)
		return
	}
	tok, err := b.verifier.Verify(ctx, raw)
	if err != nil {
		http.Error(w, `{"errors":[{"message":"invalid token"}]}`, http.StatusUnauthorized)
		return
	}
	var claims struct {
		Email    string `json:"email"`
		Verified bool   `json:"email_verified"`
	}
	if err := tok.Claims(&claims); err != nil || !claims.Verified {
		http.Error(w, `{"errors":[{"message":"no verified email"}]}`, http.StatusUnauthorized)
		return
	}
	var out pageJSON
	var site siteJSON
	var siteID int64
	b.stmts.add()
	err = b.access.QueryRowContext(ctx, r.URL.Query().Get("site"), strings.ToLower(claims.Email)).
		Scan(&siteID, &site.Number, &site.Name)
	switch {
	case err == sql.ErrNoRows:
		writeJSON(w, out) // {"data":{"site":null}}: not visible, as if it did not exist
		return
	case err != nil:
		http.Error(w, `{"errors":[{"message":"internal error"}]}`, http.StatusInternalServerError)
		return
	}
	site.ID = strconv.FormatInt(siteID, 10)
	b.stmts.add()
	rows, err := b.page.QueryContext(ctx, siteID)
	if err != nil {
		http.Error(w, `{"errors":[{"message":"internal error"}]}`, http.StatusInternalServerError)
		return
	}
	defer rows.Close()
	site.Contacts.Edges = make([]edgeJSON, 0, pageSize)
	for rows.Next() {
		var c contactJSON
		var id int64
		var street, country, jobTitle, language sql.NullString
		var lastSignIn sql.NullTime
		var types []byte
		var p privilegesJSON
		if err := rows.Scan(&id, &c.Email, &c.FirstName, &c.LastName, &c.Phone, &c.City, &c.StateProvince, &c.PostalCode,
			&street, &country, &jobTitle, &language, &c.BusinessJustification, &c.AccessRole, &c.Status, &c.Version,
			&lastSignIn, &types, &p.SoftwareAccess, &p.Reporting, &p.Entitlements, &p.ManageAccess, &p.ContactUpdates,
			&p.AccountDocuments); err != nil {
			http.Error(w, `{"errors":[{"message":"internal error"}]}`, http.StatusInternalServerError)
			return
		}
		c.ID = strconv.FormatInt(id, 10)
		c.Street, c.Country, c.JobTitle, c.Language = street.String, country.String, jobTitle.String, language.String
		if lastSignIn.Valid {
			s := lastSignIn.Time.Format(time.RFC3339Nano)
			c.LastSignInAt = &s
		}
		// PRIMARY follows the access role; the column holds the other types.
		c.ContactTypes = []string{}
		if c.AccessRole == "PRIMARY" {
			c.ContactTypes = append(c.ContactTypes, "PRIMARY")
		}
		var stored []string
		if len(types) > 0 {
			_ = json.Unmarshal(types, &stored)
		}
		for _, t := range stored {
			if !slices.Contains(c.ContactTypes, t) {
				c.ContactTypes = append(c.ContactTypes, t)
			}
		}
		c.Privileges = p
		c.Site = site.siteRef
		site.Contacts.Edges = append(site.Contacts.Edges, edgeJSON{Node: c})
	}
	if rows.Err() != nil {
		http.Error(w, `{"errors":[{"message":"internal error"}]}`, http.StatusInternalServerError)
		return
	}
	out.Data.Site = &site
	writeJSON(w, out)
}

func writeJSON(w http.ResponseWriter, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // as gqlgen writes strings
	_ = enc.Encode(v)
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(bytes.TrimRight(buf.Bytes(), "\n"))
}
