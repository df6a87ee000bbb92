package adversarial_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"sitekeeper/graph"
	"sitekeeper/internal/db"
	"sitekeeper/internal/db/dbtest"
	"sitekeeper/internal/testkit/apitest"
)

// slowCount counts to a billion: tens of seconds of SQLite work.
const slowCount = `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 1000000000) SELECT COUNT(*) FROM c`

// TestDeadlineInterruptsSQLite: a statement running under a context deadline stops when the
// deadline passes (mattn/go-sqlite3 calls sqlite3_interrupt), it does not run on in the background.
func TestDeadlineInterruptsSQLite(t *testing.T) {
	dbtest.SQLiteOnly(t, "sqlite3_interrupt")
	_, sqlDB, err := db.Open(context.Background(), dbtest.URL(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer sqlDB.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	var n int64
	err = sqlDB.QueryRowContext(ctx, slowCount).Scan(&n)
	took := time.Since(start)
	t.Logf("a billion-row count under a 100 ms deadline returned after %s: %v", took, err)
	if err == nil || took > time.Second {
		t.Fatalf("count returned %d, %v after %s; want an error soon after 100 ms", n, err, took)
	}
}

// TestRequestDeadlineCancelsDatabaseWork: a mutation whose SQL runs past the request's deadline
// is stopped and rolled back, and the database is free for the next request at once.
func TestRequestDeadlineCancelsDatabaseWork(t *testing.T) {
	dbtest.SQLiteOnly(t, "the slow trigger is SQLite SQL")
	s := newStack(t, graph.Options{Timeout: 300 * time.Millisecond})
	primary := s.TokenFor(apitest.Primary)
	userB := s.R.A.ContactID(apitest.UserB)
	// Every update of a contact now runs the slow count inside the mutation's transaction.
	s.ExecSQL(`CREATE TRIGGER slow_update AFTER UPDATE ON contacts BEGIN SELECT COUNT(*) FROM (` + slowCount + `); END`)
	before := s.Dump()
	res := s.post(primary, updateContact, map[string]any{"id": userB, "v": 2, "in": map[string]any{"jobTitle": "Slow"}})
	t.Logf("the slow mutation answered after %s: HTTP %d %s", res.took, res.Status, res.Body)
	expect(t, "slow mutation", res, http.StatusOK, "INTERNAL", "the request took too long")
	if res.took > 3*time.Second {
		t.Fatalf("the deadline of 300 ms answered after %s", res.took)
	}
	s.unchanged(t, before, "a mutation past its deadline")
	// Had the count gone on, it would hold the write lock for tens of seconds.
	s.ExecSQL(`DROP TRIGGER slow_update`)
	start := time.Now()
	res = s.post(primary, updateContact, map[string]any{"id": userB, "v": 2, "in": map[string]any{"jobTitle": "Fast"}})
	if res.Status != http.StatusOK || len(res.Errors) > 0 || time.Since(start) > 2*time.Second {
		t.Fatalf("the next write: HTTP %d %+v after %s", res.Status, res.Errors, time.Since(start))
	}
}

// TestMultiFieldMutationIsAllOrNothing: a mutation's root fields run in one transaction; when a
// later one fails, the earlier ones are rolled back and the answer has no data.
func TestMultiFieldMutationIsAllOrNothing(t *testing.T) {
	s := newStack(t, graph.Options{})
	primary := s.TokenFor(apitest.Primary)
	a := s.R.A
	before := s.Dump()
	q := fmt.Sprintf(`mutation {
		first: updateContact(id:%d, expectedVersion:2, input:{jobTitle:"Changed"}) { id jobTitle }
		reviewed: markSiteReviewed(siteId:%d) { id }
		second: updateContact(id:%d, expectedVersion:99, input:{jobTitle:"Stale"}) { id }
	}`, a.ContactID(apitest.UserA), a.ID, a.ContactID(apitest.UserB))
	res := s.post(primary, q, nil)
	expect(t, "second field fails", res, http.StatusOK, "CONFLICT", "version")
	if string(res.Data) != "" && string(res.Data) != "null" {
		t.Fatalf("a rolled-back mutation reports data: %s", res.Data)
	}
	s.unchanged(t, before, "a mutation whose last field failed")
	// Without the failing field, both changes land.
	q = fmt.Sprintf(`mutation {
		first: updateContact(id:%d, expectedVersion:2, input:{jobTitle:"Changed"}) { jobTitle }
		reviewed: markSiteReviewed(siteId:%d) { id } }`, a.ContactID(apitest.UserA), a.ID)
	if res := s.post(primary, q, nil); res.Status != http.StatusOK || len(res.Errors) > 0 {
		t.Fatalf("both fields: HTTP %d %+v", res.Status, res.Errors)
	}
	var job string
	if err := s.QueryRow(`SELECT job_title FROM contacts WHERE id = ?`, a.ContactID(apitest.UserA)).Scan(&job); err != nil || job != "Changed" {
		t.Fatalf("job title %q, %v", job, err)
	}
}
