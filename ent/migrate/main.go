//go:build ignore

// main writes a new versioned migration file, per dialect, when the ent schema differs from the
// state that the committed migration directory produces. It runs from the repository root
// through `go generate ./...` (see generate.go); a run without schema changes writes nothing.
//
//	go run -mod=mod ./ent/migrate/main.go [name]
//
// The name defaults to "changes"; the file is named <timestamp>_<name>.sql.
//
// SQLite (ent/migrate/migrations/sqlite) is diffed on an in-memory scratch database, always.
//
// PostgreSQL (ent/migrate/migrations/postgres) needs a real server to replay the directory on:
// set SITEKEEPER_PG_DEV_URL to a postgres:// URL whose user may create databases (for example
// the throwaway server of scripts/with-postgres). A scratch database is created there for the
// diff and dropped afterwards. Without the variable the PostgreSQL directory is left untouched
// (so `go generate ./...` works without a server); the PostgreSQL test run fails when that
// directory is behind the ent schema (internal/db TestMigrationsMatchSchema).
package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"log"
	"net/url"
	"os"

	atlas "ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/schema"
	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "github.com/mattn/go-sqlite3"

	"sitekeeper/ent/migrate"
)

// The committed migration directories, relative to the repository root.
const (
	sqliteDir   = "ent/migrate/migrations/sqlite"
	postgresDir = "ent/migrate/migrations/postgres"
)

// sqliteDevURL is the scratch database on which the SQLite directory is replayed.
const sqliteDevURL = "sqlite://file?mode=memory&_fk=1"

// envPGDevURL names the PostgreSQL server used for the PostgreSQL diff.
const envPGDevURL = "SITEKEEPER_PG_DEV_URL"

func main() {
	name := "changes"
	if len(os.Args) > 1 && os.Args[1] != "" {
		name = os.Args[1]
	}
	ctx := context.Background()
	// Global unique IDs come from the sql/globalid feature: every table carries an
	// IncrementStart annotation (see ent/internal/globalid.go), which the diff turns into
	// sqlite_sequence rows on SQLite and identity columns starting at the table's range on
	// PostgreSQL. schema.WithGlobalUniqueID is the older, table-based mechanism and must not be
	// passed together with it. Keep these options in step with internal/db's
	// TestMigrationsMatchSchema.
	dir := openDir(sqliteDir)
	if err := migrate.NamedDiff(ctx, sqliteDevURL, name, options(dir, dialect.SQLite)...); err != nil {
		log.Fatalf("ent/migrate: computing the SQLite migration diff: %v", err)
	}

	devURL := os.Getenv(envPGDevURL)
	if devURL == "" {
		fmt.Fprintf(os.Stderr, "ent/migrate: %s is not set; %s was not diffed (set it to a PostgreSQL server URL, "+
			"for example through scripts/with-postgres, after changing the ent schema)\n", envPGDevURL, postgresDir)
		return
	}
	if err := diffPostgres(ctx, devURL, name); err != nil {
		log.Fatalf("ent/migrate: computing the PostgreSQL migration diff: %v", err)
	}
}

func options(dir atlas.Dir, d string) []schema.MigrateOption {
	return []schema.MigrateOption{
		schema.WithDir(dir),
		schema.WithMigrationMode(schema.ModeReplay),
		schema.WithDialect(d),
		schema.WithFormatter(atlas.DefaultFormatter),
	}
}

func openDir(path string) *atlas.LocalDir {
	if err := os.MkdirAll(path, 0o755); err != nil {
		log.Fatalf("ent/migrate: %v", err)
	}
	dir, err := atlas.NewLocalDir(path)
	if err != nil {
		log.Fatalf("ent/migrate: opening %s: %v", path, err)
	}
	return dir
}

// diffPostgres replays the PostgreSQL directory on a scratch database created on the server
// at adminURL and writes the difference to the ent schema as a new file.
func diffPostgres(ctx context.Context, adminURL, name string) (err error) {
	scratch, drop, err := scratchDatabase(ctx, adminURL)
	if err != nil {
		return err
	}
	defer func() {
		if derr := drop(); derr != nil && err == nil {
			err = derr
		}
	}()
	db, err := sql.Open("pgx", scratch)
	if err != nil {
		return err
	}
	defer db.Close()
	dir := openDir(postgresDir)
	return migrate.NewSchema(entsql.OpenDB(dialect.Postgres, db)).
		NamedDiff(ctx, name, options(dir, dialect.Postgres)...)
}

// scratchDatabase creates an empty database on the server at adminURL and returns its URL and
// a function that drops it.
func scratchDatabase(ctx context.Context, adminURL string) (string, func() error, error) {
	u, err := url.Parse(adminURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", nil, fmt.Errorf("%s: want a postgres:// URL", envPGDevURL)
	}
	admin, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return "", nil, fmt.Errorf("connecting to %s: %w", envPGDevURL, err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "sk_migrate_dev_" + hex.EncodeToString(b)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		_ = admin.Close(ctx)
		return "", nil, fmt.Errorf("creating the scratch database: %w", err)
	}
	drop := func() error {
		defer admin.Close(ctx)
		if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			return fmt.Errorf("dropping the scratch database %s: %w", name, err)
		}
		return nil
	}
	scratch := *u
	scratch.Path = "/" + name
	return scratch.String(), drop, nil
}
