package db

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	atlas "ariga.io/atlas/sql/migrate"
	atlasschema "ariga.io/atlas/sql/schema"
	atlassqlite "ariga.io/atlas/sql/sqlite"
	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql/schema"

	"sitekeeper/ent"
	entmigrate "sitekeeper/ent/migrate"
	"sitekeeper/ent/migrate/migrations"
)

var discard = slog.New(slog.DiscardHandler)

func tempURL(t *testing.T) string {
	t.Helper()
	return "sqlite:" + filepath.Join(t.TempDir(), "sitekeeper.db")
}

func mustOpen(t *testing.T, url string) (*ent.Client, *sql.DB) {
	t.Helper()
	client, db, err := Open(context.Background(), url, discard)
	if err != nil {
		t.Fatalf("Open(%q): %v", url, err)
	}
	t.Cleanup(func() { _ = client.Close() })
	return client, db
}

func mustMigrate(t *testing.T, db *sql.DB) {
	t.Helper()
	if err := Migrate(context.Background(), db, discard); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
}

func embeddedFiles(t *testing.T) []atlas.File {
	t.Helper()
	dir, err := loadDir(migrations.SQLite, migrations.SQLiteDir)
	if err != nil {
		t.Fatal(err)
	}
	files, err := dir.Files()
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no embedded migrations")
	}
	return files
}

func TestParse(t *testing.T) {
	tests := []struct {
		url      string
		wantPath string
		wantErr  string
	}{
		{url: "sqlite:sitekeeper.db", wantPath: "sitekeeper.db"},
		{url: "sqlite://sitekeeper.db", wantPath: "sitekeeper.db"},
		{url: "sqlite:///var/lib/sitekeeper/data.db", wantPath: "/var/lib/sitekeeper/data.db"},
		{url: "file:data/sk.db?_cache_size=-2000", wantPath: "data/sk.db"},
		{url: "file:///srv/sk.db", wantPath: "/srv/sk.db"},
		{url: "sqlite:weird%3Fname.db", wantPath: "weird?name.db"},
		{url: "sqlite:sk.db?_synchronous=OFF&_txlock=deferred", wantPath: "sk.db"}, // required settings win
		{url: "postgres://u:secret@localhost/sitekeeper?pool_max_conns=x", wantErr: "pool_max_conns"},
		{url: "postgres://u:secret@localhost/sitekeeper?pool_max_conns=0", wantErr: "pool_max_conns"},
		{url: "postgres://u:secret@localhost:notaport/sitekeeper", wantErr: "not a valid postgres:// URL"},
		{url: "mysql://localhost/sitekeeper", wantErr: "unsupported scheme"},
		{url: "sitekeeper.db", wantErr: "want sqlite:PATH"},
		{url: "", wantErr: "want sqlite:PATH"},
		{url: "sqlite:", wantErr: "no file path"},
		{url: "sqlite::memory:", wantErr: "in-memory"},
		{url: "file:x?mode=memory", wantErr: "in-memory"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			src, err := Parse(tt.url)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Parse(%q) error = %v, want it to contain %q", tt.url, err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "secret") {
					t.Fatalf("Parse(%q) error %q shows the password", tt.url, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.url, err)
			}
			if src.Dialect != dialect.SQLite || src.Path != tt.wantPath {
				t.Fatalf("Parse(%q) = %+v, want sqlite %q", tt.url, src, tt.wantPath)
			}
			for _, p := range []string{"_journal_mode=WAL", "_synchronous=FULL", "_fk=1", "_busy_timeout=10000", "_txlock=immediate"} {
				if !strings.Contains(src.DSN, p) {
					t.Errorf("DSN %q lacks %s", src.DSN, p)
				}
			}
			if strings.Count(src.DSN, "_synchronous=") != 1 || strings.Count(src.DSN, "_txlock=") != 1 {
				t.Errorf("DSN %q repeats a required setting", src.DSN)
			}
		})
	}
}

func TestParsePostgres(t *testing.T) {
	tests := []struct {
		url, wantDSN, wantRedacted string
		wantMax                    int
	}{
		{"postgres://u:secret@db.example:5433/sitekeeper?sslmode=require", "postgres://u:secret@db.example:5433/sitekeeper?sslmode=require",
			"postgres://u@db.example:5433/sitekeeper", DefaultPostgresMaxConns},
		{"postgresql://localhost/sk?pool_max_conns=7&sslmode=disable", "postgresql://localhost/sk?sslmode=disable",
			"postgresql://localhost/sk", 7},
	}
	for _, tt := range tests {
		src, err := Parse(tt.url)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.url, err)
		}
		if src.Dialect != dialect.Postgres || src.DSN != tt.wantDSN || src.Redacted != tt.wantRedacted || src.MaxOpenConns != tt.wantMax {
			t.Errorf("Parse(%q) = %+v, want DSN %q, redacted %q, pool %d", tt.url, src, tt.wantDSN, tt.wantRedacted, tt.wantMax)
		}
	}
}

// sqliteOnly skips a test of SQLite's own behaviour in the PostgreSQL run of the suite, which
// would only repeat it (dbtest cannot be imported here: it imports this package).
func sqliteOnly(t *testing.T, why string) {
	t.Helper()
	if u := os.Getenv("SITEKEEPER_TEST_DATABASE_URL"); strings.HasPrefix(u, "postgres") {
		t.Skipf("SQLite only (%s); this run is on PostgreSQL, see postgres_test.go", why)
	}
}

// TestPragmas checks the settings on several pooled connections at once, not only the first.
func TestPragmas(t *testing.T) {
	sqliteOnly(t, "pragmas on pooled connections")
	_, db := mustOpen(t, tempURL(t))
	ctx := context.Background()
	var conns []*sql.Conn
	for range 4 {
		c, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	for i, c := range conns {
		for pragma, want := range map[string]string{
			"journal_mode": "wal", "synchronous": "2", "foreign_keys": "1", "busy_timeout": "10000",
		} {
			var got string
			if err := c.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("conn %d: PRAGMA %s = %q, want %q", i, pragma, got, want)
			}
		}
		_ = c.Close()
	}
}

func TestOpenAndMigrateTwice(t *testing.T) {
	sqliteOnly(t, "SQLite migrations")
	url := tempURL(t)
	ctx := context.Background()
	files := embeddedFiles(t)
	for round := 1; round <= 2; round++ {
		client, db, err := Open(ctx, url, discard)
		if err != nil {
			t.Fatalf("round %d: Open: %v", round, err)
		}
		if err := Migrate(ctx, db, discard); err != nil {
			t.Fatalf("round %d: Migrate: %v", round, err)
		}
		if err := Migrate(ctx, db, discard); err != nil { // and again on the same pool
			t.Fatalf("round %d: second Migrate: %v", round, err)
		}
		var n int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+MigrationsTable).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != len(files) {
			t.Fatalf("round %d: %d applied versions, want %d", round, n, len(files))
		}
		var last string
		if err := db.QueryRowContext(ctx, "SELECT MAX(version) FROM "+MigrationsTable).Scan(&last); err != nil {
			t.Fatal(err)
		}
		if want := files[len(files)-1].Version(); last != want {
			t.Fatalf("round %d: latest applied %q, want %q", round, last, want)
		}
		if err := client.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestMigratedSchemaEqualsSchemaCreate compares the schema the migration files build with the
// one ent creates directly from the ent schema: Atlas inspects both databases and must find no
// difference in tables, columns, indexes (partial ones included), checks and foreign keys; and
// the global-ID sequence starts must be equal.
func TestMigratedSchemaEqualsSchemaCreate(t *testing.T) {
	sqliteOnly(t, "SQLite migrations against Schema.Create")
	ctx := context.Background()
	_, migrated := mustOpen(t, tempURL(t))
	mustMigrate(t, migrated)

	client, created := mustOpen(t, tempURL(t))
	if err := client.Schema.Create(ctx); err != nil {
		t.Fatalf("Schema.Create: %v", err)
	}

	drv, err := atlassqlite.Open(migrated)
	if err != nil {
		t.Fatal(err)
	}
	from, to := inspectRealm(t, migrated), inspectRealm(t, created)
	if _, ok := to.Schemas[0].Table("contacts"); !ok {
		t.Fatalf("Schema.Create made no contacts table")
	}
	changes, err := drv.RealmDiff(from, to)
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

	a, b := sequences(t, migrated), sequences(t, created)
	if a != b {
		t.Fatalf("global-ID sequences differ:\nmigrated:\n%s\nSchema.Create:\n%s", a, b)
	}
	if !strings.Contains(a, "sites 21474836480") {
		t.Fatalf("unexpected sequences:\n%s", a)
	}
}

func inspectRealm(t *testing.T, db *sql.DB) *atlasschema.Realm {
	t.Helper()
	drv, err := atlassqlite.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	realm, err := drv.InspectRealm(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(realm.Schemas) != 1 {
		t.Fatalf("%d schemas", len(realm.Schemas))
	}
	s := realm.Schemas[0]
	tables := s.Tables[:0]
	for _, tbl := range s.Tables {
		if tbl.Name != MigrationsTable {
			tables = append(tables, tbl)
		}
	}
	s.Tables = tables
	return realm
}

func sequences(t *testing.T, db *sql.DB) string {
	t.Helper()
	var b strings.Builder
	rows, err := db.QueryContext(context.Background(), `SELECT name, seq FROM sqlite_sequence ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var n int64
		if err := rows.Scan(&name, &n); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %d\n", name, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestMigrationsMatchSchema fails when the ent schema changed without a new migration file. It
// runs the same diff as ent/migrate/main.go (keep the options in step) on a copy of the
// committed directory and expects it to write nothing.
func TestMigrationsMatchSchema(t *testing.T) {
	sqliteOnly(t, "the SQLite migration directory")
	tmp := t.TempDir()
	for _, f := range embeddedFiles(t) {
		if err := os.WriteFile(filepath.Join(tmp, f.Name()), f.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sum, err := migrations.SQLite.ReadFile(migrations.SQLiteDir + "/atlas.sum")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tmp, "atlas.sum"), sum, 0o644); err != nil {
		t.Fatal(err)
	}
	dir, err := atlas.NewLocalDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadDir(tmp)
	err = entmigrate.NamedDiff(context.Background(), "sqlite://file?mode=memory&_fk=1", "drift",
		schema.WithDir(dir),
		schema.WithMigrationMode(schema.ModeReplay),
		schema.WithDialect(dialect.SQLite),
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
		t.Fatalf("the ent schema changed but no migration was generated for it; run `go generate ./...` "+
			"and commit the new file in ent/migrate/migrations/sqlite. Pending changes:\n%s", strings.Join(added, "\n"))
	}
}

func TestMigrateRejectsEditedMigration(t *testing.T) {
	files := embeddedFiles(t)
	sum, err := migrations.SQLite.ReadFile(migrations.SQLiteDir + "/atlas.sum")
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{"sqlite/atlas.sum": {Data: sum}}
	for _, f := range files {
		fsys["sqlite/"+f.Name()] = &fstest.MapFile{Data: f.Bytes()}
	}
	if _, err := loadDir(fsys, "sqlite"); err != nil {
		t.Fatalf("unchanged copy: %v", err)
	}
	first := "sqlite/" + files[0].Name()
	fsys[first] = &fstest.MapFile{Data: append(append([]byte{}, files[0].Bytes()...), "\nDROP TABLE contacts;\n"...)}
	_, err = loadDir(fsys, "sqlite")
	if err == nil || !strings.Contains(err.Error(), files[0].Name()) || !strings.Contains(err.Error(), "edited") {
		t.Fatalf("loadDir with an edited file: error = %v, want it to name %s as edited", err, files[0].Name())
	}
	delete(fsys, "sqlite/atlas.sum")
	if _, err := loadDir(fsys, "sqlite"); err == nil {
		t.Fatal("loadDir without atlas.sum: no error")
	}
}

func TestMigrateRefusesNewerDatabase(t *testing.T) {
	sqliteOnly(t, "SQLite migrations")
	_, db := mustOpen(t, tempURL(t))
	mustMigrate(t, db)
	if _, err := db.Exec("INSERT INTO "+MigrationsTable+" (version, applied_at) VALUES ('99991231235959', ?)", time.Now()); err != nil {
		t.Fatal(err)
	}
	err := Migrate(context.Background(), db, discard)
	if err == nil || !strings.Contains(err.Error(), "newer Sitekeeper") {
		t.Fatalf("Migrate = %v, want a refusal naming a newer Sitekeeper", err)
	}
}

// TestConcurrentWritersQueue runs read-then-write transactions from many goroutines. With
// deferred transactions in WAL mode the upgrade from reader to writer fails at once with
// "database is locked" (the busy handler is not used for it); with immediate transactions the
// writers queue on the busy timeout and all succeed.
func TestConcurrentWritersQueue(t *testing.T) {
	sqliteOnly(t, "immediate transactions and the busy timeout")
	_, db := mustOpen(t, tempURL(t))
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "INSERT INTO counter (id, n) VALUES (1, 0)"); err != nil {
		t.Fatal(err)
	}
	const workers, each = 12, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for range workers {
		wg.Go(func() {
			for range each {
				if err := increment(ctx, db); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent writer: %v", err)
	}
	var n int
	if err := db.QueryRowContext(ctx, "SELECT n FROM counter WHERE id = 1").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != workers*each {
		t.Fatalf("counter = %d, want %d (lost updates)", n, workers*each)
	}
}

func increment(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT n FROM counter WHERE id = 1").Scan(&n); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE counter SET n = ? WHERE id = 1", n+1); err != nil {
		return err
	}
	return tx.Commit()
}

func TestBackupRestore(t *testing.T) {
	sqliteOnly(t, "VACUUM INTO backup")
	ctx := context.Background()
	_, db := mustOpen(t, tempURL(t))
	mustMigrate(t, db)
	insertSite := func(number string) error {
		now := time.Now().UTC()
		_, err := db.ExecContext(ctx, `INSERT INTO sites (created_at, updated_at, number, name, customer_number, review_due_at)
			VALUES (?, ?, ?, ?, ?, ?)`, now, now, number, "Site "+number, "C"+number, now.Add(30*24*time.Hour))
		return err
	}
	for i := range 50 {
		if err := insertSite(fmt.Sprintf("1%06d", i)); err != nil {
			t.Fatal(err)
		}
	}
	// Keep writing while the backup runs: the copy must still be consistent.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if err := insertSite(fmt.Sprintf("2%06d", i)); err != nil {
				t.Errorf("writer during backup: %v", err)
				return
			}
		}
	})
	dest := filepath.Join(t.TempDir(), "backup.db")
	err := Backup(ctx, db, dest)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatalf("Backup: %v", err)
	}
	if err := Backup(ctx, db, dest); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("Backup over an existing file: %v, want a refusal", err)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(dest), ".backup.db.tmp-*")); len(leftovers) > 0 {
		t.Fatalf("temporary files left behind: %v", leftovers)
	}

	// Restore: the copy opens with the production settings, passes the integrity check, is at the
	// current migration, and holds the rows written before the backup started.
	_, restored := mustOpen(t, "sqlite:"+dest)
	var check string
	if err := restored.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&check); err != nil {
		t.Fatal(err)
	}
	if check != "ok" {
		t.Fatalf("integrity_check = %q", check)
	}
	if err := Migrate(ctx, restored, discard); err != nil {
		t.Fatalf("Migrate on the restored copy: %v", err)
	}
	var before int
	if err := restored.QueryRowContext(ctx, "SELECT COUNT(*) FROM sites WHERE number LIKE '1%'").Scan(&before); err != nil {
		t.Fatal(err)
	}
	if before != 50 {
		t.Fatalf("restored copy has %d of the 50 sites written before the backup", before)
	}
	var minID int64
	if err := restored.QueryRowContext(ctx, "SELECT MIN(id) FROM sites").Scan(&minID); err != nil {
		t.Fatal(err)
	}
	if minID <= 21474836480 {
		t.Fatalf("site ids start at %d, want the global-ID range above 21474836480", minID)
	}
}

// TestAuditTargetLabelBackfill: the migration that adds audit_events.target_label names the
// targets of the events recorded before it, a deleted contact by the names it had.
func TestAuditTargetLabelBackfill(t *testing.T) {
	sqliteOnly(t, "the SQLite migration's backfill")
	ctx := context.Background()
	_, db := mustOpen(t, tempURL(t))
	files := embeddedFiles(t)
	first := &atlas.MemDir{}
	if err := first.WriteFile(files[0].Name(), files[0].Bytes()); err != nil {
		t.Fatal(err)
	}
	if err := migrateSQLite(ctx, db, first, discard); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`INSERT INTO sites (id, created_at, updated_at, version, number, name, customer_number, program, status, review_interval_days, review_due_at) VALUES (1, '2026-01-01', '2026-01-01', 1, '1234567', 'Acme', 'C', 'STANDARD', 'ACTIVE', 30, '2026-02-01')`,
		`INSERT INTO contacts (id, created_at, updated_at, version, site_id, email, email_key, first_name, last_name, phone, city, state_province, postal_code, business_justification, access_role, software_access, reporting, entitlements, manage_access, contact_updates, account_documents, status) VALUES (2, '2026-01-01', '2026-01-01', 1, 1, 'a@x.example', 'a@x.example', 'Ann', 'Archer', '', '', '', '', 'j', 'USER', 'NONE', 'NONE', 'NONE', 'NONE', 'NONE', 'NONE', 'ACTIVE')`,
		`INSERT INTO audit_events (created_at, actor_kind, actor, action, target_type, target_id, site_id) VALUES ('2026-01-01', 'USER', 'p@x.example', 'updateContact', 'Contact', 2, 1)`,
		`INSERT INTO audit_events (created_at, actor_kind, actor, action, target_type, target_id, site_id, before) VALUES ('2026-01-01', 'USER', 'p@x.example', 'removeContact', 'Contact', 9, 1, '{"first_name":"Gone","last_name":"Person"}')`,
		`INSERT INTO audit_events (created_at, actor_kind, actor, action, target_type, target_id, site_id) VALUES ('2026-01-01', 'USER', 'p@x.example', 'markSiteReviewed', 'Site', 1, 1)`,
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	mustMigrate(t, db)
	rows, err := db.QueryContext(ctx, `SELECT target_label FROM audit_events ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var label string
		if err := rows.Scan(&label); err != nil {
			t.Fatal(err)
		}
		got = append(got, label)
	}
	if strings.Join(got, "|") != "Ann Archer|Gone Person|1234567 Acme" {
		t.Fatalf("backfilled labels: %q", got)
	}
}

// TestReviewReminderBackfill: the migration that adds sites.review_reminder_due_at gives every
// active Site not reminded since its due date that reminder to come (in UTC, whatever offset the
// due date was stored with), and none to a Site reminded already or an inactive one.
func TestReviewReminderBackfill(t *testing.T) {
	sqliteOnly(t, "the SQLite migration's backfill")
	ctx := context.Background()
	_, db := mustOpen(t, tempURL(t))
	before := &atlas.MemDir{}
	for _, f := range embeddedFiles(t) {
		if strings.Contains(f.Name(), "review_reminders") {
			break
		}
		if err := before.WriteFile(f.Name(), f.Bytes()); err != nil {
			t.Fatal(err)
		}
	}
	if err := migrateSQLite(ctx, db, before, discard); err != nil {
		t.Fatal(err)
	}
	site := `INSERT INTO sites (id, created_at, updated_at, version, number, name, customer_number, program, status, review_interval_days, review_due_at) VALUES (?, '2026-01-01', '2026-01-01', 1, ?, 'S', 'C', 'STANDARD', ?, 30, ?)`
	reminder := `INSERT INTO notifications (created_at, kind, recipient, subject, body, status, next_attempt_at, site_id) VALUES (?, 'REVIEW_OVERDUE', 'p@x.example', 's', 'b', 'SENT', ?, ?)`
	for _, args := range [][]any{
		{site, 1, "1000001", "ACTIVE", "2026-02-01 10:00:00+02:00"}, // reminded at 09:00 UTC, after its due 08:00 UTC
		{reminder, "2026-02-01 09:00:00+00:00", "2026-02-01 09:00:00+00:00", 1},
		{site, 2, "1000002", "ACTIVE", "2026-02-01 10:00:00.5+02:00"}, // reminded for an earlier due date only
		{reminder, "2026-01-01 09:00:00+00:00", "2026-01-01 09:00:00+00:00", 2},
		{site, 3, "1000003", "INACTIVE", "2026-02-01 10:00:00+00:00"},
		{site, 4, "1000004", "ACTIVE", "2027-02-01 10:00:00+00:00"}, // not due yet
	} {
		if _, err := db.ExecContext(ctx, args[0].(string), args[1:]...); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
	}
	mustMigrate(t, db)
	want := map[int]string{1: "", 2: "2026-02-01T08:00:00.5Z", 3: "", 4: "2027-02-01T10:00:00Z"}
	for id, due := range want {
		var got sql.NullTime
		if err := db.QueryRowContext(ctx, `SELECT review_reminder_due_at FROM sites WHERE id = ?`, id).Scan(&got); err != nil {
			t.Fatal(err)
		}
		switch {
		case due == "" && got.Valid:
			t.Errorf("site %d: a reminder due at %v, want none", id, got.Time)
		case due != "" && (!got.Valid || got.Time.UTC().Format(time.RFC3339Nano) != due):
			t.Errorf("site %d: reminder due at %v (valid %v), want %s", id, got.Time, got.Valid, due)
		}
	}
}
