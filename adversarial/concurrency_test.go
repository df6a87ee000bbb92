package adversarial_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"sitekeeper/ent"
	"sitekeeper/ent/contact"
	"sitekeeper/internal/check"
	"sitekeeper/internal/db/dbtest"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/testkit/apitest"
)

var seedFlag = flag.Uint64("seed", 0, "seed of TestRandomizedConcurrency (0: a new one, printed)")

const (
	workers      = 8
	opsPerWorker = 250
	siteCount    = 3
)

// ack is one acknowledged change: the mutation and a record it changed.
type ack struct {
	action string
	target int
}

// chaos is the shared state of the randomized test.
type chaos struct {
	t      *testing.T
	e      *apitest.Env
	sites  []*apitest.Site
	tokens map[string]string // by email
	client *http.Client

	mu   sync.Mutex
	acks []ack
	// outcomes counts answers by mutation and code ("" for success).
	outcomes map[string]int
	failures []string
	n        atomic.Int64
}

// TestRandomizedConcurrency: 8 workers send 2,000 random roster changes (transfers, role and
// privilege changes, removals, bulk updates) to 3 Sites at once, each as the person the change
// needs. Afterwards the database's invariants hold and every acknowledged change is audited.
func TestRandomizedConcurrency(t *testing.T) {
	seed := *seedFlag
	if seed == 0 {
		seed = rand.Uint64()
	}
	t.Logf("seed %d (rerun with go test ./adversarial -run TestRandomizedConcurrency -seed %d)", seed, seed)
	defer func() {
		if t.Failed() {
			t.Logf("FAILED with seed %d", seed)
		}
	}()
	e := apitest.New(t)
	c := &chaos{t: t, e: e, tokens: map[string]string{}, outcomes: map[string]int{},
		client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}, Timeout: 60 * time.Second}}
	none := domain.NoPrivileges()
	for i := range siteCount {
		number := fmt.Sprintf("%07d", 3000001+i)
		people := []apitest.Person{{Email: email(i, "primary"), Role: domain.RolePrimary, Privileges: domain.HighestPrivileges()}}
		for j := range 2 {
			people = append(people, apitest.Person{Email: email(i, fmt.Sprintf("secondary-%d", j)), Role: domain.RoleSecondary, Privileges: none})
		}
		for j := range 6 {
			people = append(people, apitest.Person{Email: email(i, fmt.Sprintf("user-%d", j)), Role: domain.RoleUser, Privileges: none})
		}
		site := e.SeedSite(number, people...)
		c.sites = append(c.sites, site)
		for _, p := range people {
			c.tokens[p.Email] = e.SignIn(p.Email)
		}
	}
	c.tokens["operator"] = e.OperatorToken()

	start := time.Now()
	var wg sync.WaitGroup
	for w := range workers {
		rng := rand.New(rand.NewPCG(seed, uint64(w)))
		wg.Go(func() {
			for i := range opsPerWorker {
				c.step(rng, w, i)
			}
		})
	}
	wg.Wait()
	t.Logf("%d operations (%d requests) in %s; outcomes %v", workers*opsPerWorker, c.n.Load(), time.Since(start).Round(time.Millisecond), c.outcomes)
	for _, f := range c.failures {
		t.Error(f)
	}
	succeeded := 0
	for k, n := range c.outcomes {
		if strings.HasSuffix(k, " ok") {
			succeeded += n
		}
	}
	if succeeded < workers*opsPerWorker/4 {
		t.Errorf("only %d changes succeeded: the test exercised little", succeeded)
	}

	if !dbtest.Postgres() {
		report, err := check.Run(apitest.Sys(), e.DB)
		if err != nil {
			t.Fatal(err)
		}
		if !report.OK() {
			t.Errorf("invariants broken after the run:\n%s", report)
		}
	}
	c.checkInvariants()
	c.checkAudit()
}

func email(site int, who string) string { return fmt.Sprintf("%s-s%d@x.example", who, site) }

// gql posts as email and reports the answer; transport failures and non-200 answers are
// failures of the test.
func (c *chaos) gql(email, query string, vars map[string]any) (json.RawMessage, string) {
	c.n.Add(1)
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, c.e.URL, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.tokens[email])
	resp, err := c.client.Do(req)
	if err != nil {
		c.fail("%s: %v", query, err)
		return nil, "TRANSPORT"
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out struct {
		Data   json.RawMessage
		Errors []struct {
			Message    string
			Extensions struct{ Code string }
		}
	}
	if err := json.Unmarshal(raw, &out); err != nil || resp.StatusCode != http.StatusOK {
		c.fail("HTTP %d %.300s", resp.StatusCode, raw)
		return nil, "HTTP"
	}
	if len(out.Errors) == 0 {
		return out.Data, ""
	}
	code := out.Errors[0].Extensions.Code
	msg := strings.ToLower(out.Errors[0].Message)
	if !slices.Contains([]string{"FORBIDDEN", "CONFLICT", "NOT_FOUND", "BAD_USER_INPUT"}, code) ||
		strings.Contains(msg, "locked") || strings.Contains(msg, "busy") || strings.Contains(msg, "sql") {
		c.fail("%s -> %s %q", query, code, out.Errors[0].Message)
	}
	return nil, code
}

func (c *chaos) fail(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.failures) < 20 {
		c.failures = append(c.failures, fmt.Sprintf(format, args...))
	}
}

// record notes an answer, and the acknowledged changes of a success.
// recordIdempotent records a change that is a no-op when another worker made it first: it is
// acknowledged as a change only when the record's version moved by exactly this one update
// since it was read, so that its state before was the state read and the change was real.
func (c *chaos) recordIdempotent(action, code string, target *ent.Contact, data json.RawMessage) {
	if code != "" {
		c.record(action, code)
		return
	}
	var out map[string]struct{ Version int }
	if err := json.Unmarshal(data, &out); err != nil || len(out) != 1 {
		c.fail("%s answer %s", action, data)
		return
	}
	if out[action].Version != target.Version+1 {
		c.record(action, "ok, raced") // maybe a no-op: nothing to audit
		return
	}
	c.record(action, "", target.ID)
}

func (c *chaos) record(action, code string, targets ...int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if code == "" {
		c.outcomes[action+" ok"]++
		for _, id := range targets {
			c.acks = append(c.acks, ack{action, id})
		}
		return
	}
	c.outcomes[action+" "+code]++
}

// roster reads a Site's contacts as they are now (another worker may change them next).
func (c *chaos) roster(site *apitest.Site) []*ent.Contact {
	list, err := c.e.Client.Contact.Query().Where(contact.SiteID(site.ID)).Order(contact.ByID()).All(apitest.Sys())
	if err != nil {
		c.fail("roster: %v", err)
	}
	return list
}

func pick[T any](rng *rand.Rand, list []T) (T, bool) {
	var zero T
	if len(list) == 0 {
		return zero, false
	}
	return list[rng.IntN(len(list))], true
}

func filter(list []*ent.Contact, keep func(*ent.Contact) bool) []*ent.Contact {
	var out []*ent.Contact
	for _, x := range list {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}

// step runs one random change on a random Site as the person who may make it.
func (c *chaos) step(rng *rand.Rand, worker, i int) {
	site := c.sites[rng.IntN(len(c.sites))]
	list := c.roster(site)
	primary, ok := pick(rng, filter(list, func(x *ent.Contact) bool { return x.AccessRole == domain.RolePrimary }))
	if !ok {
		c.fail("Site %s has no PRIMARY", site.Number)
		return
	}
	others := filter(list, func(x *ent.Contact) bool { return x.ID != primary.ID })
	as := primary.Email
	tag := fmt.Sprintf("w%d-%d", worker, i)
	switch r := rng.IntN(100); {
	case r < 12: // transfer the primary role to an ACTIVE contact who has signed in
		to, ok := pick(rng, filter(others, func(x *ent.Contact) bool { return x.Status == domain.StatusActive && x.UserID != nil }))
		if !ok {
			return
		}
		_, code := c.gql(as, `mutation($s:ID!, $to:ID!) { transferPrimary(siteId:$s, toContactId:$to) { id } }`, map[string]any{"s": site.ID, "to": to.ID})
		c.record("transferPrimary", code, to.ID, primary.ID)
	case r < 15: // break-glass reassignment by an operator
		to, ok := pick(rng, filter(others, func(x *ent.Contact) bool { return x.Status == domain.StatusActive && x.UserID != nil }))
		if !ok {
			return
		}
		_, code := c.gql("operator", `mutation($s:ID!, $to:ID!) { reassignPrimary(siteId:$s, toContactId:$to, reason:"the primary contact left") { id } }`,
			map[string]any{"s": site.ID, "to": to.ID})
		c.record("reassignPrimary", code, to.ID) // the old PRIMARY is whoever it was by then
	case r < 35: // SECONDARY <-> USER (the cap of 4 refuses some)
		target, ok := pick(rng, others)
		if !ok {
			return
		}
		role := "SECONDARY"
		if target.AccessRole == domain.RoleSecondary {
			role = "USER"
		}
		data, code := c.gql(as, `mutation($id:ID!, $r:AccessRole!) { setAccessRole(id:$id, accessRole:$r) { version } }`, map[string]any{"id": target.ID, "r": role})
		c.recordIdempotent("setAccessRole", code, target, data)
	case r < 55: // privileges, with the version just read (a concurrent change makes it stale)
		target, ok := pick(rng, others)
		if !ok {
			return
		}
		level := "VIEW"
		if target.Reporting == domain.ViewView {
			level = "NONE"
		}
		_, code := c.gql(as, `mutation($id:ID!, $v:Int!, $p:PrivilegesInput!) { setPrivileges(id:$id, expectedVersion:$v, privileges:$p) { id } }`,
			map[string]any{"id": target.ID, "v": target.Version, "p": map[string]any{"reporting": level}})
		c.record("setPrivileges", code, target.ID)
	case r < 70: // deactivate, then remove; or reactivate one deactivated earlier
		target, ok := pick(rng, others)
		if !ok {
			return
		}
		if target.Status == domain.StatusDeactivated {
			if rng.IntN(2) == 0 {
				data, code := c.gql(as, `mutation($id:ID!) { reactivateContact(id:$id) { version } }`, map[string]any{"id": target.ID})
				c.recordIdempotent("reactivateContact", code, target, data)
			} else {
				_, code := c.gql(as, `mutation($id:ID!) { removeContact(id:$id) }`, map[string]any{"id": target.ID})
				c.record("removeContact", code, target.ID)
			}
			return
		}
		data, code := c.gql(as, `mutation($id:ID!) { deactivateContact(id:$id) { version } }`, map[string]any{"id": target.ID})
		c.recordIdempotent("deactivateContact", code, target, data)
	case r < 78: // a new contact, so that removals do not empty the Sites
		data, code := c.gql(as, `mutation($in:AddContactInput!) { addContact(input:$in) { id } }`, map[string]any{"in": map[string]any{
			"siteId": site.ID, "accessRole": "USER", "businessJustification": "joins the team",
			"details": map[string]any{"email": tag + "@x.example", "firstName": "New", "lastName": tag, "phone": "+1 914 555 0100",
				"city": "Austin", "stateProvince": "TX", "postalCode": "73301"}}})
		var out struct {
			AddContact struct {
				ID int `json:",string"`
			}
		}
		if code == "" && json.Unmarshal(data, &out) != nil {
			c.fail("addContact answer %s", data)
		}
		c.record("addContact", code, out.AddContact.ID)
	case r < 90: // one patch for several contacts
		n := 1 + rng.IntN(3)
		var ids []int
		for _, x := range others {
			if len(ids) < n && rng.IntN(2) == 0 {
				ids = append(ids, x.ID)
			}
		}
		if len(ids) == 0 {
			return
		}
		_, code := c.gql(as, `mutation($in:UpdateContactsInput!) { updateContacts(input:$in) { id } }`,
			map[string]any{"in": map[string]any{"siteId": site.ID, "ids": ids, "details": map[string]any{"city": "City " + tag}}})
		c.record("updateContacts", code, ids...)
	default: // one contact's details, with the version just read
		target, ok := pick(rng, list)
		if !ok {
			return
		}
		_, code := c.gql(as, `mutation($id:ID!, $v:Int!, $t:String) { updateContact(id:$id, expectedVersion:$v, input:{jobTitle:$t}) { id } }`,
			map[string]any{"id": target.ID, "v": target.Version, "t": "Title " + tag})
		c.record("updateContact", code, target.ID)
	}
}

// checkInvariants asserts SPEC section 3's invariants through the API's own model (also on
// PostgreSQL, where the check package does not run).
func (c *chaos) checkInvariants() {
	for _, site := range c.sites {
		list := c.roster(site)
		primaries := filter(list, func(x *ent.Contact) bool { return x.AccessRole == domain.RolePrimary })
		if len(primaries) != 1 || primaries[0].Status != domain.StatusActive {
			c.t.Errorf("Site %s: %d PRIMARY contacts (%v)", site.Number, len(primaries), primaries)
		}
		if n := len(filter(list, func(x *ent.Contact) bool { return x.AccessRole == domain.RoleSecondary })); n > 4 {
			c.t.Errorf("Site %s: %d SECONDARY contacts", site.Number, n)
		}
		if primaries[0].Reporting != domain.ViewView || primaries[0].ManageAccess != domain.UpdateUpdate {
			c.t.Errorf("Site %s: the PRIMARY lost privileges: %+v", site.Number, primaries[0])
		}
	}
}

// checkAudit asserts that every acknowledged change has its audit event (same mutation, same
// record), as many times as it was acknowledged.
func (c *chaos) checkAudit() {
	rows, err := c.e.Query(`SELECT action, target_id FROM audit_events WHERE target_type = 'Contact'`)
	if err != nil {
		c.t.Fatal(err)
	}
	defer rows.Close()
	audited := map[ack]int{}
	for rows.Next() {
		var a ack
		if err := rows.Scan(&a.action, &a.target); err != nil {
			c.t.Fatal(err)
		}
		audited[a]++
	}
	acked := map[ack]int{}
	for _, a := range c.acks {
		acked[a]++
	}
	missing := 0
	for a, n := range acked {
		if audited[a] < n {
			missing++
			if missing <= 10 {
				c.t.Errorf("%s on contact %d acknowledged %d times, audited %d times", a.action, a.target, n, audited[a])
			}
		}
	}
	c.t.Logf("%d acknowledged changes of %d records, each audited", len(c.acks), len(acked))
}
