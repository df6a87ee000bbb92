package db_test

// PostgreSQL tests of Open, Migrate and Backup. They run when SITEKEEPER_TEST_DATABASE_URL is a
// postgres:// URL (scripts/with-postgres sets it) and skip otherwise.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	atlas "ariga.io/atlas/sql/migrate"
	atlaspg "ariga.io/atlas/sql/postgres"
	atlasschema "ariga.io/atlas/sql/schema"
	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/schema"

	"sitekeeper/ent"
	entmigrate "sitekeeper/ent/migrate"
	"sitekeeper/ent/migrate/migrations"
	"sitekeeper/internal/db"
	"sitekeeper/internal/db/dbtest"
	"sitekeeper/internal/invariant"
)

var discard = slog.New(slog.DiscardHandler)

// openPG opens url like the server does and closes it when t ends.
func openPG(t *testing.T, url string) (*ent.Client, *sql.DB) {
	t.Helper()
	client, sqlDB, err := db.Open(context.Background(), url, discard)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = client.Close() })
	return client, sqlDB
}

func postgresFiles(t *testing.T) []string {
	t.Helper()
	entries, err := fs.Glob(migrations.Postgres, migrations.PostgresDir+"/*.sql")
	if err != nil || len(entries) == 0 {
		t.Fatalf("no embedded PostgreSQL migrations: %v", err)
	}
	return entries
}

func TestPostgresOpenAndMigrateTwice(t *testing.T) {
	dbtest.PostgresOnly(t, "PostgreSQL migrations")
	ctx := context.Background()
	url := dbtest.URL(t)
	for round := 1; round <= 2; round++ {
		client, sqlDB, err := db.Open(ctx, url, discard)
		if err != nil {
			t.Fatalf("round %d: Open: %v", round, err)
		}
		if db.DialectOf(sqlDB) != dialect.Postgres {
			t.Fatalf("opened %T", sqlDB.Driver())
		}
		for range 2 {
			if err := db.Migrate(ctx, sqlDB, discard); err != nil {
				t.Fatalf("round %d: Migrate: %v", round, err)
			}
		}
		var n int
		if err := sqlDB.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+db.MigrationsTable).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if want := len(postgresFiles(t)); n != want {
			t.Fatalf("round %d: %d applied versions, want %d", round, n, want)
		}
		_ = client.Close()
	}
}

// TestPostgresConcurrentMigrate starts several "instances" (pools) on one empty database at
// once: the advisory lock lets one migrate and the others find the work done.
func TestPostgresConcurrentMigrate(t *testing.T) {
	dbtest.PostgresOnly(t, "the migration lock")
	ctx := context.Background()
	url := dbtest.URL(t)
	const instances = 4
	var wg sync.WaitGroup
	errs := make(chan error, instances)
	for range instances {
		_, sqlDB := openPG(t, url)
		wg.Go(func() { errs <- db.Migrate(ctx, sqlDB, discard) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent Migrate: %v", err)
		}
	}
	_, sqlDB := openPG(t, url)
	var n int
	if err := sqlDB.QueryRow("SELECT COUNT(*) FROM " + db.MigrationsTable).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if want := len(postgresFiles(t)); n != want {
		t.Fatalf("%d applied versions, want %d", n, want)
	}
}

func TestPostgresMigrateRefusesNewerDatabase(t *testing.T) {
	dbtest.PostgresOnly(t, "PostgreSQL migrations")
	_, sqlDB := dbtest.OpenDB(t)
	if _, err := sqlDB.Exec("INSERT INTO " + db.MigrationsTable + " (version, applied_at) VALUES ('99991231235959', now())"); err != nil {
		t.Fatal(err)
	}
	err := db.Migrate(context.Background(), sqlDB, discard)
	if err == nil || !strings.Contains(err.Error(), "newer Sitekeeper") {
		t.Fatalf("Migrate = %v, want a refusal naming a newer Sitekeeper", err)
	}
}

// TestPostgresMigratedSchemaEqualsSchemaCreate compares the schema the PostgreSQL migration
// files build with the one ent creates directly from the ent schema, and the identity starts
// that give every table its own global-ID range.
func TestPostgresMigratedSchemaEqualsSchemaCreate(t *testing.T) {
	dbtest.PostgresOnly(t, "PostgreSQL migrations")
	ctx := context.Background()
	_, migrated := dbtest.OpenDB(t)
	client, created := openPG(t, dbtest.URL(t))
	if err := client.Schema.Create(ctx); err != nil {
		t.Fatalf("Schema.Create: %v", err)
	}
	from, to := inspectPG(t, migrated), inspectPG(t, created)
	if _, ok := to.Table("contacts"); !ok {
		t.Fatal("Schema.Create made no contacts table")
	}
	drv, err := atlaspg.Open(migrated)
	if err != nil {
		t.Fatal(err)
	}
	changes, err := drv.SchemaDiff(from, to)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) > 0 {
		plan, err := drv.PlanChanges(ctx, "diff", changes)
		if err != nil {
			t.Fatalf("%d differences (cannot print them: %v)", len(changes), err)
		}
		var stmts []string
		for _, c := range plan.Changes {
			stmts = append(stmts, c.Cmd)
		}
		t.Fatalf("the migrated schema differs from Schema.Create; to turn one into the other:\n%s", strings.Join(stmts, ";\n"))
	}
	a, b := identityStarts(t, migrated), identityStarts(t, created)
	if a != b {
		t.Fatalf("identity starts differ:\nmigrated:\n%s\nSchema.Create:\n%s", a, b)
	}
	if !strings.Contains(a, "sites 21474836480") || !strings.Contains(a, "contacts 8589934592") {
		t.Fatalf("unexpected identity starts:\n%s", a)
	}
}

func inspectPG(t *testing.T, sqlDB *sql.DB) *atlasschema.Schema {
	t.Helper()
	drv, err := atlaspg.Open(sqlDB)
	if err != nil {
		t.Fatal(err)
	}
	s, err := drv.InspectSchema(context.Background(), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	tables := s.Tables[:0]
	for _, tbl := range s.Tables {
		if tbl.Name != db.MigrationsTable {
			tables = append(tables, tbl)
		}
	}
	s.Tables = tables
	return s
}

func identityStarts(t *testing.T, sqlDB *sql.DB) string {
	t.Helper()
	rows, err := sqlDB.Query(`SELECT c.relname, s.seqstart FROM pg_sequence s
		JOIN pg_class q ON q.oid = s.seqrelid
		JOIN pg_depend d ON d.objid = q.oid AND d.deptype = 'i'
		JOIN pg_class c ON c.oid = d.refobjid
		ORDER BY c.relname`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var name string
		var start int64
		if err := rows.Scan(&name, &start); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %d\n", name, start)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestPostgresMigrationsMatchSchema fails when the ent schema changed without a new PostgreSQL
// migration file. It runs the same diff as ent/migrate/main.go (keep the options in step) on a
// copy of the committed directory and expects it to write nothing.
func TestPostgresMigrationsMatchSchema(t *testing.T) {
	dbtest.PostgresOnly(t, "the PostgreSQL migration directory needs a server to replay on")
	tmp := t.TempDir()
	entries, err := fs.ReadDir(migrations.Postgres, migrations.PostgresDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := fs.ReadFile(migrations.Postgres, migrations.PostgresDir+"/"+e.Name())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(tmp, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dir, err := atlas.NewLocalDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadDir(tmp)
	_, scratch := openPG(t, dbtest.URL(t)) // empty: the replay needs a clean database
	err = entmigrate.NewSchema(entsql.OpenDB(dialect.Postgres, scratch)).NamedDiff(context.Background(), "drift",
		schema.WithDir(dir),
		schema.WithMigrationMode(schema.ModeReplay),
		schema.WithDialect(dialect.Postgres),
		schema.WithFormatter(atlas.DefaultFormatter),
	)
	if err != nil {
		t.Fatalf("NamedDiff: %v", err)
	}
	after, _ := os.ReadDir(tmp)
	if len(after) != len(before) {
		var added []string
		for _, e := range after {
			if strings.HasSuffix(e.Name(), "_drift.sql") {
				b, _ := os.ReadFile(filepath.Join(tmp, e.Name()))
				added = append(added, string(b))
			}
		}
		t.Fatalf("the ent schema changed but no PostgreSQL migration was generated for it; run "+
			"`./scripts/with-postgres go generate ./...` (or make migration NAME=...) and commit the new file in "+
			"ent/migrate/migrations/postgres. Pending changes:\n%s", strings.Join(added, "\n"))
	}
}

// TestPostgresGlobalIDs checks that rows get ids in their table's range, so a global ID names
// its type, as on SQLite.
func TestPostgresGlobalIDs(t *testing.T) {
	dbtest.PostgresOnly(t, "identity columns")
	_, sqlDB := dbtest.OpenDB(t)
	var id int64
	err := sqlDB.QueryRow(`INSERT INTO sites (created_at, updated_at, number, name, customer_number, review_due_at)
		VALUES (now(), now(), '1000001', 'A', 'C1', now()) RETURNING id`).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	if id != 21474836480 {
		t.Fatalf("first site id %d, want 21474836480 (1<<32 * the sites table's index)", id)
	}
}

func TestPostgresBackupRefused(t *testing.T) {
	dbtest.PostgresOnly(t, "backup on PostgreSQL")
	_, sqlDB := dbtest.OpenDB(t)
	dest := filepath.Join(t.TempDir(), "copy.db")
	err := db.Backup(context.Background(), sqlDB, dest)
	if !errors.Is(err, db.ErrBackupPostgres) || !strings.Contains(err.Error(), "pg_dump") {
		t.Fatalf("Backup on PostgreSQL = %v, want the pg_dump advice", err)
	}
	if _, err := os.Stat(dest); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Backup left a file behind: %v", err)
	}
}

// TestPostgresOpenRefusals: a server that does not answer, and a database that does not exist,
// fail at Open with the database named and no password shown.
func TestPostgresOpenRefusals(t *testing.T) {
	dbtest.PostgresOnly(t, "connection errors")
	u := dbtest.URL(t)
	missing := strings.Replace(u, "/sk_test_", "/sk_missing_", 1)
	for _, url := range []string{missing, "postgres://nobody:secret@127.0.0.1:1/none?connect_timeout=2"} {
		_, _, err := db.Open(context.Background(), url, discard)
		if err == nil {
			t.Fatalf("Open(%s) worked", url)
		}
		if strings.Contains(err.Error(), "secret") {
			t.Fatalf("Open error shows the password: %v", err)
		}
	}
}

// TestPostgresSiteLocks: write transactions run in parallel on PostgreSQL, also from another
// pool (an instance of its own); a roster change waits only for the lock of its own Site.
func TestPostgresSiteLocks(t *testing.T) {
	dbtest.PostgresOnly(t, "the Site locks")
	url := dbtest.URL(t)
	a, sqlDB := openPG(t, url)
	if err := db.Migrate(context.Background(), sqlDB, discard); err != nil {
		t.Fatal(err)
	}
	b, _ := openPG(t, url)
	ctx := context.Background()
	first, err := a.Tx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Rollback()
	if err := invariant.LockSite(ctx, first.Client(), 1); err != nil {
		t.Fatal(err)
	}

	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	other, err := b.Tx(short)
	if err != nil {
		t.Fatalf("a second write transaction waited for the first: %v", err)
	}
	if err := invariant.LockSite(short, other.Client(), 2); err != nil {
		t.Fatalf("another Site's lock waited: %v", err)
	}
	if err := invariant.LockSite(short, other.Client(), 1); err == nil {
		t.Fatal("took the lock of a Site another transaction holds")
	}
	_ = other.Rollback()

	if err := invariant.LockSite(ctx, first.Client(), 1); err != nil {
		t.Fatalf("taking a held lock again: %v", err)
	}
	if err := first.Commit(); err != nil {
		t.Fatal(err)
	}
	third, err := b.Tx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer third.Rollback()
	done, cancel2 := context.WithTimeout(ctx, 5*time.Second)
	defer cancel2()
	if err := invariant.LockSite(done, third.Client(), 1); err != nil {
		t.Fatalf("after the commit the lock is still held: %v", err)
	}
}
