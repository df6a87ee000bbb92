// Package dbtest gives tests in other packages a fresh, migrated database.
//
// SQLite is the default: a file under t.TempDir() opened with the production DSN settings (WAL,
// synchronous=FULL, foreign keys, busy timeout, immediate transactions).
//
// With SITEKEEPER_TEST_DATABASE_URL set to a postgres:// URL (an account that may create
// databases, for example the throwaway server scripts/with-postgres starts), every test gets a
// new database on that server instead (CREATE DATABASE sk_test_<random>), migrated with the
// embedded PostgreSQL migrations and dropped when the test ends. The whole suite runs a second
// time that way in scripts/test.
//
// Either way the database is migrated with the embedded migrations and closed when the test
// ends.
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
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"sitekeeper/ent"
	"sitekeeper/ent/privacy"
	"sitekeeper/internal/db"
	"sitekeeper/internal/viewer"
)

// EnvURL names the variable that switches the tests to PostgreSQL.
const EnvURL = "SITEKEEPER_TEST_DATABASE_URL"

// Open returns an ent client over a fresh migrated database.
func Open(t testing.TB) *ent.Client {
	t.Helper()
	client, _ := open(t)
	return client
}

// OpenDB is Open for tests that need the *sql.DB as well, for example to wrap the driver or to
// check rows with plain SQL (write them with ? placeholders and pass them through Rebind). Both
// share one pool; it is closed when the test ends.
func OpenDB(t testing.TB) (*ent.Client, *sql.DB) {
	t.Helper()
	return open(t)
}

func open(t testing.TB) (*ent.Client, *sql.DB) {
	t.Helper()
	ctx := context.Background()
	url := URL(t)
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

// Dialect is the dialect the tests run on: dialect.Postgres when SITEKEEPER_TEST_DATABASE_URL
// is a postgres:// URL, dialect.SQLite otherwise.
func Dialect() string {
	if adminURL() != "" {
		return dialect.Postgres
	}
	return dialect.SQLite
}

// Postgres reports whether the tests run on PostgreSQL.
func Postgres() bool { return Dialect() == dialect.Postgres }

// SQLiteOnly skips t when the tests run on PostgreSQL, for tests of SQLite's own behaviour
// (pragmas, VACUUM INTO, file URLs). why says what the test is about.
func SQLiteOnly(t testing.TB, why string) {
	t.Helper()
	if Postgres() {
		t.Skipf("SQLite only (%s); this run is on PostgreSQL", why)
	}
}

// PostgresOnly skips t unless the tests run on PostgreSQL.
func PostgresOnly(t testing.TB, why string) {
	t.Helper()
	if !Postgres() {
		t.Skipf("PostgreSQL only (%s); set %s=postgres://... (scripts/with-postgres does)", why, EnvURL)
	}
}

// Rebind rewrites a statement written with ? placeholders for the dialect of the run.
func Rebind(query string) string { return db.Rebind(Dialect(), query) }

func adminURL() string {
	u := strings.TrimSpace(os.Getenv(EnvURL))
	if strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://") {
		return u
	}
	return ""
}

// URL returns the SITEKEEPER_DATABASE_URL of a fresh, empty and not yet migrated database that
// exists until t ends: a file under t.TempDir(), or a new database on the PostgreSQL server.
func URL(t testing.TB) string {
	t.Helper()
	admin := adminURL()
	if admin == "" {
		return "sqlite:" + filepath.Join(t.TempDir(), "test.db")
	}
	return postgresURL(t, admin)
}

var (
	adminOnce sync.Once
	adminDB   *sql.DB
	adminErr  error
)

// adminConn is one small pool per test binary for CREATE and DROP DATABASE.
func adminConn(admin string) (*sql.DB, error) {
	adminOnce.Do(func() {
		src, err := db.Parse(admin)
		if err != nil {
			adminErr = fmt.Errorf("%s: %w", EnvURL, err)
			return
		}
		adminDB, err = sql.Open("pgx", src.DSN)
		if err != nil {
			adminErr = err
			return
		}
		adminDB.SetMaxOpenConns(4)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := adminDB.PingContext(ctx); err != nil {
			adminErr = fmt.Errorf("connecting to %s (%s): %w", EnvURL, src.Redacted, err)
		}
	})
	return adminDB, adminErr
}

func postgresURL(t testing.TB, admin string) string {
	t.Helper()
	conn, err := adminConn(admin)
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	name := "sk_test_" + hex.EncodeToString(b)
	ctx := context.Background()
	if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("dbtest: CREATE DATABASE %s: %v", name, err)
	}
	// Registered before the test opens its pool, so it runs after that pool is closed; FORCE
	// ends any connection still open (a server the test started and did not stop).
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if _, err := conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("dbtest: DROP DATABASE %s: %v", name, err)
		}
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("dbtest: %s: %v", EnvURL, err)
	}
	u.Path = "/" + name
	return u.String()
}

// Sys is a context that acts as Sitekeeper itself, past the privacy rules, for fixtures and checks.
func Sys() context.Context {
	return privacy.DecisionContext(viewer.NewContext(context.Background(), viewer.SystemViewer), privacy.Allow)
}
