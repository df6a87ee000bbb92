package sqlcount_test

import (
	"testing"

	"sitekeeper/internal/testkit/apitest"
	"sitekeeper/internal/testkit/sqlcount"
)

func TestCountsInsideAndOutsideTransactions(t *testing.T) {
	client, _, d := sqlcount.Open(t)
	ctx := apitest.Sys()
	d.Reset()
	if _, err := client.Site.Query().Count(ctx); err != nil {
		t.Fatal(err)
	}
	if n := d.Count(); n != 1 {
		t.Fatalf("one query counted as %d: %q", n, d.Statements())
	}
	tx, err := client.Tx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	d.Reset()
	if _, err := tx.Site.Query().Count(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Site.Query().IDs(ctx); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if n := d.Count(); n != 2 {
		t.Fatalf("two queries in a transaction counted as %d: %q", n, d.Statements())
	}
}

func TestCountsTransactions(t *testing.T) {
	client, _, d := sqlcount.Open(t)
	ctx := apitest.Sys()
	d.Reset()
	for range 2 {
		tx, err := client.Tx(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := tx.Rollback(); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := client.Site.Query().Count(ctx); err != nil {
		t.Fatal(err)
	}
	if n := d.Transactions(); n != 2 {
		t.Fatalf("two transactions counted as %d", n)
	}
}
