// Package dbtest gives tests in other packages a fresh, migrated database.
//
// The database is a file under t.TempDir() opened with the production DSN settings (WAL,
// synchronous=FULL, foreign keys, busy timeout, immediate transactions), migrated with the
// embedded migrations, and closed when the test ends.
//
// Hooks, privacy policies and field defaults register in sitekeeper/ent/runtime; a test that
// creates entities through the client must import it:
//
//	import _ "sitekeeper/ent/runtime"
//
// dbtest does not import it itself, so that packages the ent schema depends on can use dbtest
// in their own tests without an import cycle.
package dbtest

import (
	"context"
	"database/sql"
	"log/slog"
	"path/filepath"
	"testing"

	"sitekeeper/ent"
	"sitekeeper/internal/db"
)

// Open returns an ent client over a fresh migrated database.
func Open(t testing.TB) *ent.Client {
	t.Helper()
	client, _ := open(t)
	return client
}

// OpenDB is Open for tests that need the *sql.DB as well, for example to wrap the driver or to
// check rows with plain SQL. Both share one pool; it is closed when the test ends.
func OpenDB(t testing.TB) (*ent.Client, *sql.DB) {
	t.Helper()
	return open(t)
}

func open(t testing.TB) (*ent.Client, *sql.DB) {
	t.Helper()
	ctx := context.Background()
	url := "sqlite:" + filepath.Join(t.TempDir(), "test.db")
	logger := slog.New(slog.DiscardHandler)
	client, sqlDB, err := db.Open(ctx, url, logger)
	if err != nil {
		t.Fatalf("dbtest: open: %v", err)
	}
	t.Cleanup(func() { _ = client.Close() })
	if err := db.Migrate(ctx, sqlDB, logger); err != nil {
		t.Fatalf("dbtest: migrate: %v", err)
	}
	return client, sqlDB
}
