package graph_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"sitekeeper/internal/domain"
	"sitekeeper/internal/testkit/apitest"
)

// outcome is one concurrent request's answer, read without the harness (whose failures must not
// be raised from other goroutines).
type outcome struct {
	Status int
	Data   json.RawMessage `json:"data"`
	Errors []apitest.Error `json:"errors"`
	err    error
}

func (o outcome) code() string {
	if len(o.Errors) == 0 {
		return ""
	}
	return o.Errors[0].Extensions.Code
}

func (o outcome) ok() bool { return o.err == nil && o.Status == http.StatusOK && len(o.Errors) == 0 }

// call is one request a burst makes.
type call struct {
	token, query string
	vars         map[string]any
	header       map[string]string
}

// burst sends every call at once (all goroutines wait on one start signal) and returns the
// answers in the calls' order and the burst's wall time.
func burst(e *apitest.Env, calls []call) ([]outcome, time.Duration) {
	out := make([]outcome, len(calls))
	start := make(chan struct{})
	var ready, done sync.WaitGroup
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: len(calls)}, Timeout: 30 * time.Second}
	for i, c := range calls {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			body, _ := json.Marshal(map[string]any{"query": c.query, "variables": c.vars})
			req, _ := http.NewRequest(http.MethodPost, e.URL, bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+c.token)
			for k, v := range c.header {
				req.Header.Set(k, v)
			}
			ready.Done()
			<-start
			resp, err := client.Do(req)
			if err != nil {
				out[i].err = err
				return
			}
			defer resp.Body.Close()
			raw, _ := io.ReadAll(resp.Body)
			out[i].Status = resp.StatusCode
			if err := json.Unmarshal(raw, &out[i]); err != nil {
				out[i].err = fmt.Errorf("HTTP %d %q: %w", resp.StatusCode, raw, err)
			}
		}()
	}
	ready.Wait()
	began := time.Now()
	close(start)
	done.Wait()
	return out, time.Since(began)
}

// tally counts successes and error codes, and fails t on transport errors, non-200 answers,
// INTERNAL errors or any error that mentions a locked or busy database.
func tally(t *testing.T, what string, outs []outcome) (ok int, codes map[string]int) {
	t.Helper()
	codes = map[string]int{}
	msgs := map[string]int{}
	for i, o := range outs {
		if o.err != nil {
			t.Errorf("%s #%d: %v", what, i, o.err)
			continue
		}
		if o.Status != http.StatusOK {
			t.Errorf("%s #%d: HTTP %d %+v", what, i, o.Status, o.Errors)
		}
		for _, er := range o.Errors {
			msg := strings.ToLower(er.Message)
			if er.Extensions.Code == "INTERNAL" || strings.Contains(msg, "locked") || strings.Contains(msg, "busy") || strings.Contains(msg, "database") {
				t.Errorf("%s #%d: %s %q", what, i, er.Extensions.Code, er.Message)
			}
		}
		if o.ok() {
			ok++
		} else {
			codes[o.code()]++
			if len(o.Errors) > 0 {
				msgs[o.code()+": "+o.Errors[0].Message]++
			}
		}
	}
	t.Logf("%s answers: %d ok, %v", what, ok, msgs)
	return ok, codes
}

// seedFreshSite seeds a Site with a PRIMARY and n ACTIVE USERs (emails user-NN@x.example), signs
// them all in when signIn is set, and returns the Site and the USERs' emails in order.
func seedFreshSite(t *testing.T, e *apitest.Env, number string, n int, signIn bool) (*apitest.Site, []string) {
	t.Helper()
	people := []apitest.Person{{Email: apitest.Primary, Role: domain.RolePrimary, Privileges: domain.HighestPrivileges()}}
	var users []string
	for i := range n {
		email := fmt.Sprintf("user-%02d@x.example", i)
		users = append(users, email)
		people = append(people, apitest.Person{Email: email, Role: domain.RoleUser, Privileges: domain.NoPrivileges()})
	}
	s := e.SeedSite(number, people...)
	e.SignIn(apitest.Primary)
	if signIn {
		for _, u := range users {
			e.SignIn(u)
		}
	}
	return s, users
}

func countRole(t *testing.T, e *apitest.Env, siteID int, role domain.AccessRole) int {
	t.Helper()
	var n int
	if err := e.QueryRow(`SELECT count(*) FROM contacts WHERE site_id=? AND access_role=?`, siteID, string(role)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

type contactRow struct {
	Role, Status string
	Version      int
	UserLinked   bool
}

func contactState(t *testing.T, e *apitest.Env, id int) contactRow {
	t.Helper()
	var r contactRow
	if err := e.QueryRow(`SELECT access_role, status, version, user_id IS NOT NULL FROM contacts WHERE id=?`, id).
		Scan(&r.Role, &r.Status, &r.Version, &r.UserLinked); err != nil {
		t.Fatalf("contact %d: %v", id, err)
	}
	return r
}

const transferMutation = `mutation($s:ID!, $to:ID!) { transferPrimary(siteId:$s, toContactId:$to) { id } }`

func TestConcurrentTransfersKeepOnePrimary(t *testing.T) {
	e := apitest.New(t)
	s, users := seedFreshSite(t, e, "3000003", 20, true)
	primaryID := s.ContactID(apitest.Primary)
	token := e.TokenFor(apitest.Primary)
	var calls []call
	for _, u := range users {
		calls = append(calls, call{token: token, query: transferMutation, vars: map[string]any{"s": s.ID, "to": s.ContactID(u)}})
	}
	outs, took := burst(e, calls)
	ok, codes := tally(t, "transferPrimary", outs)
	t.Logf("20 concurrent transfers: %d ok, errors %v, %v", ok, codes, took)
	if ok != 1 || codes["CONFLICT"]+codes["FORBIDDEN"] != 19 {
		t.Errorf("want 1 success and 19 CONFLICT/FORBIDDEN, got %d successes, errors %v", ok, codes)
	}
	if n := countRole(t, e, s.ID, domain.RolePrimary); n != 1 {
		t.Fatalf("the Site has %d PRIMARY contacts, want 1", n)
	}
	for i, o := range outs {
		target := contactState(t, e, s.ContactID(users[i]))
		switch {
		case o.ok() && (target.Role != "PRIMARY" || target.Status != "ACTIVE"):
			t.Errorf("transfer to %s succeeded but it is %+v", users[i], target)
		case !o.ok() && target.Role != "USER":
			t.Errorf("transfer to %s failed but it is %+v", users[i], target)
		}
	}
	if old := contactState(t, e, primaryID); old.Role != "SECONDARY" || old.Status != "ACTIVE" {
		t.Errorf("the old PRIMARY is %+v, want an ACTIVE SECONDARY", old)
	}
}

func TestConcurrentTransfersAndReassignKeepOnePrimary(t *testing.T) {
	e := apitest.New(t)
	s, users := seedFreshSite(t, e, "3000004", 21, true)
	primaryID := s.ContactID(apitest.Primary)
	reassignTo := s.ContactID(users[20])
	token := e.TokenFor(apitest.Primary)
	var calls []call
	for _, u := range users[:20] {
		calls = append(calls, call{token: token, query: transferMutation, vars: map[string]any{"s": s.ID, "to": s.ContactID(u)}})
	}
	reassign := call{token: e.OperatorToken(), query: `mutation($s:ID!, $to:ID!) { reassignPrimary(siteId:$s, toContactId:$to, reason:"The primary contact left the company") { id } }`,
		vars: map[string]any{"s": s.ID, "to": reassignTo}}
	calls = append(calls[:10], append([]call{reassign}, calls[10:]...)...)
	outs, took := burst(e, calls)
	reassignOut := outs[10]
	transfers := append(append([]outcome(nil), outs[:10]...), outs[11:]...)
	ok, codes := tally(t, "transferPrimary", transfers)
	tally(t, "reassignPrimary", []outcome{reassignOut})
	t.Logf("20 transfers racing a reassignment: reassign ok=%v, transfers %d ok, errors %v, %v", reassignOut.ok(), ok, codes, took)
	if !reassignOut.ok() {
		t.Fatalf("reassignPrimary failed: %+v", reassignOut.Errors)
	}
	// However they interleave, the reassignment wins last: a transfer after it finds its viewer
	// no longer PRIMARY, and at most one transfer ran before it. A transfer authenticated after
	// the reassignment deactivated the old PRIMARY comes from someone who no longer sees the Site:
	// NOT_FOUND (no existence leak). That can only happen when no transfer won, since a winning
	// transfer leaves the old PRIMARY an ACTIVE SECONDARY (FORBIDDEN).
	if ok > 1 || ok+codes["CONFLICT"]+codes["FORBIDDEN"]+codes["NOT_FOUND"] != 20 {
		t.Errorf("want at most 1 transfer to succeed and the rest CONFLICT/FORBIDDEN/NOT_FOUND, got %d, %v", ok, codes)
	}
	if ok == 1 && codes["NOT_FOUND"] != 0 {
		t.Errorf("a transfer won, yet %d transfers answered NOT_FOUND: %v", codes["NOT_FOUND"], codes)
	}
	if n := countRole(t, e, s.ID, domain.RolePrimary); n != 1 {
		t.Fatalf("the Site has %d PRIMARY contacts, want 1", n)
	}
	if c := contactState(t, e, reassignTo); c.Role != "PRIMARY" || c.Status != "ACTIVE" {
		t.Errorf("the reassignment's target is %+v, want the ACTIVE PRIMARY", c)
	}
	old := contactState(t, e, primaryID)
	var winner string
	for i, o := range transfers {
		email := users[i]
		c := contactState(t, e, s.ContactID(email))
		if o.ok() {
			winner = email
			// The winner was PRIMARY when the operator reassigned: it is now a deactivated USER.
			if c.Role != "USER" || c.Status != "DEACTIVATED" {
				t.Errorf("transfer winner %s is %+v, want a deactivated USER", email, c)
			}
		} else if c.Role != "USER" || c.Status != "ACTIVE" {
			t.Errorf("transfer to %s failed but it is %+v", email, c)
		}
	}
	switch {
	case winner != "" && (old.Role != "SECONDARY" || old.Status != "ACTIVE"):
		t.Errorf("a transfer won, so the old PRIMARY should be an ACTIVE SECONDARY; it is %+v", old)
	case winner == "" && (old.Role != "USER" || old.Status != "DEACTIVATED"):
		t.Errorf("the operator reassigned first, so the old PRIMARY should be a deactivated USER; it is %+v", old)
	}
}

func TestConcurrentUpdatesSameVersion(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	id := r.A.ContactID(apitest.UserB)
	v := contactState(t, e, id).Version
	countEvents := func() int {
		var n int
		if err := e.QueryRow(`SELECT count(*) FROM audit_events WHERE action='updateContact' AND target_id=?`, id).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := countEvents(); n != 0 {
		t.Fatalf("%d updateContact events before the test", n)
	}
	token := e.TokenFor(apitest.Primary)
	var calls []call
	for i := range 40 {
		calls = append(calls, call{token: token, query: `mutation($id:ID!, $v:Int!, $t:String!) { updateContact(id:$id, expectedVersion:$v, input:{jobTitle:$t}) { jobTitle version } }`,
			vars: map[string]any{"id": id, "v": v, "t": fmt.Sprintf("Title %02d", i)}})
	}
	outs, took := burst(e, calls)
	ok, codes := tally(t, "updateContact", outs)
	t.Logf("40 concurrent updates at version %d: %d ok, errors %v, %v", v, ok, codes, took)
	if ok != 1 || codes["CONFLICT"] != 39 {
		t.Errorf("want 1 success and 39 CONFLICT, got %d, %v", ok, codes)
	}
	var winner string
	for i, o := range outs {
		if !o.ok() {
			continue
		}
		var data struct {
			UpdateContact struct {
				JobTitle string
				Version  int
			}
		}
		if err := json.Unmarshal(o.Data, &data); err != nil {
			t.Fatal(err)
		}
		winner = fmt.Sprintf("Title %02d", i)
		if data.UpdateContact.JobTitle != winner || data.UpdateContact.Version != v+1 {
			t.Errorf("winner answered %+v, want %s at version %d", data.UpdateContact, winner, v+1)
		}
	}
	var title string
	var version int
	if err := e.QueryRow(`SELECT job_title, version FROM contacts WHERE id=?`, id).Scan(&title, &version); err != nil {
		t.Fatal(err)
	}
	if version != v+1 || title != winner {
		t.Errorf("contact is at version %d with job title %q, want version %d and %q", version, title, v+1, winner)
	}
	if n := countEvents(); n != 1 {
		t.Errorf("%d updateContact audit events, want 1", n)
	}
}

func TestSecondaryCapUnderConcurrency(t *testing.T) {
	e := apitest.New(t)
	s, users := seedFreshSite(t, e, "3000005", 10, false)
	token := e.TokenFor(apitest.Primary)
	var calls []call
	for _, u := range users {
		calls = append(calls, call{token: token, query: `mutation($id:ID!) { setAccessRole(id:$id, accessRole:SECONDARY) { accessRole } }`,
			vars: map[string]any{"id": s.ContactID(u)}})
	}
	outs, took := burst(e, calls)
	ok, codes := tally(t, "setAccessRole", outs)
	t.Logf("10 concurrent promotions: %d ok, errors %v, %v", ok, codes, took)
	if ok != 4 || codes["CONFLICT"] != 6 {
		t.Errorf("want 4 successes and 6 CONFLICT, got %d, %v", ok, codes)
	}
	if n := countRole(t, e, s.ID, domain.RoleSecondary); n != 4 {
		t.Errorf("the Site has %d SECONDARY contacts, want 4", n)
	}
	for i, o := range outs {
		want := "USER"
		if o.ok() {
			want = "SECONDARY"
		}
		if c := contactState(t, e, s.ContactID(users[i])); c.Role != want {
			t.Errorf("%s is %s, want %s (answer %+v)", users[i], c.Role, want, o.Errors)
		}
	}
}
