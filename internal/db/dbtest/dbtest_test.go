package dbtest_test

import (
	"context"
	"testing"

	"sitekeeper/internal/db"
	"sitekeeper/internal/db/dbtest"
)

func TestOpenDB(t *testing.T) {
	ctx := context.Background()
	_, a := dbtest.OpenDB(t)
	_, b := dbtest.OpenDB(t)
	var n int
	if err := a.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+db.MigrationsTable).Scan(&n); err != nil || n == 0 {
		t.Fatalf("not migrated: %d versions, %v", n, err)
	}
	if _, err := a.ExecContext(ctx, "CREATE TABLE only_in_a (x)"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.ExecContext(ctx, "SELECT * FROM only_in_a"); err == nil {
		t.Fatal("two dbtest databases share state")
	}
	var fk int
	if err := b.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Fatalf("foreign_keys = %d, %v", fk, err)
	}
	if client := dbtest.Open(t); client == nil {
		t.Fatal("Open returned nil")
	}
}
