package dbtest_test

import (
	"context"
	"testing"

	"entgo.io/ent/dialect"

	"sitekeeper/internal/db"
	"sitekeeper/internal/db/dbtest"
)

func TestOpenDB(t *testing.T) {
	ctx := context.Background()
	_, a := dbtest.OpenDB(t)
	_, b := dbtest.OpenDB(t)
	if got := db.DialectOf(a); got != dbtest.Dialect() {
		t.Fatalf("dbtest opened %q, want %q", got, dbtest.Dialect())
	}
	var n int
	if err := a.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+db.MigrationsTable).Scan(&n); err != nil || n == 0 {
		t.Fatalf("not migrated: %d versions, %v", n, err)
	}
	if _, err := a.ExecContext(ctx, "CREATE TABLE only_in_a (x integer)"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.ExecContext(ctx, "SELECT * FROM only_in_a"); err == nil {
		t.Fatal("two dbtest databases share state")
	}
	if dbtest.Dialect() == dialect.SQLite {
		var fk int
		if err := b.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
			t.Fatalf("foreign_keys = %d, %v", fk, err)
		}
	}
	// Foreign keys are enforced on either dialect.
	if _, err := b.ExecContext(ctx, dbtest.Rebind(`INSERT INTO partner_grants (created_at, granted_by, expires_at, partner_id, site_id)
		VALUES (?, 'x', ?, 1, 1)`), "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z"); err == nil {
		t.Fatal("a partner grant without its partner and site was stored: foreign keys are off")
	}
	if client := dbtest.Open(t); client == nil {
		t.Fatal("Open returned nil")
	}
}

// TestPostgresDatabasesAreDropped checks that a test's database is gone after the test.
func TestPostgresDatabasesAreDropped(t *testing.T) {
	dbtest.PostgresOnly(t, "per-test databases")
	var name string
	t.Run("inner", func(t *testing.T) {
		_, sqlDB := dbtest.OpenDB(t)
		if err := sqlDB.QueryRow("SELECT current_database()").Scan(&name); err != nil {
			t.Fatal(err)
		}
	})
	_, other := dbtest.OpenDB(t)
	var n int
	if err := other.QueryRow("SELECT COUNT(*) FROM pg_database WHERE datname = $1", name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if name == "" || n != 0 {
		t.Fatalf("database %q of a finished test still exists (%d)", name, n)
	}
}

func TestRebind(t *testing.T) {
	for _, tt := range []struct{ d, in, want string }{
		{dialect.SQLite, "SELECT ? WHERE a = ?", "SELECT ? WHERE a = ?"},
		{dialect.Postgres, "SELECT ? WHERE a = ?", "SELECT $1 WHERE a = $2"},
		{dialect.Postgres, "SELECT '?', \"a?\" FROM t WHERE x = ?", "SELECT '?', \"a?\" FROM t WHERE x = $1"},
		{dialect.Postgres, "SELECT 1", "SELECT 1"},
	} {
		if got := db.Rebind(tt.d, tt.in); got != tt.want {
			t.Errorf("Rebind(%s, %q) = %q, want %q", tt.d, tt.in, got, tt.want)
		}
	}
}
