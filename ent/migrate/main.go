//go:build ignore

// main writes a new versioned migration file when the ent schema differs from the state that
// the committed migration directory produces. It runs from the repository root through
// `go generate ./...` (see generate.go); a run without schema changes writes nothing.
//
//	go run -mod=mod ./ent/migrate/main.go [name]
//
// The name defaults to "changes"; the file is named <timestamp>_<name>.sql.
package main

import (
	"context"
	"log"
	"os"

	atlas "ariga.io/atlas/sql/migrate"
	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql/schema"
	_ "github.com/mattn/go-sqlite3"

	"sitekeeper/ent/migrate"
)

// sqliteDir is the committed migration directory for SQLite, relative to the repository root.
// A PostgreSQL directory will sit next to it (ent/migrate/migrations/postgres).
const sqliteDir = "ent/migrate/migrations/sqlite"

// devURL is the scratch database on which the directory is replayed to compute the current state.
const devURL = "sqlite://file?mode=memory&_fk=1"

func main() {
	name := "changes"
	if len(os.Args) > 1 && os.Args[1] != "" {
		name = os.Args[1]
	}
	if err := os.MkdirAll(sqliteDir, 0o755); err != nil {
		log.Fatalf("ent/migrate: %v", err)
	}
	dir, err := atlas.NewLocalDir(sqliteDir)
	if err != nil {
		log.Fatalf("ent/migrate: opening %s: %v", sqliteDir, err)
	}
	// Global unique IDs come from the sql/globalid feature: every table carries an
	// IncrementStart annotation (see ent/internal/globalid.go), which the diff turns into
	// sqlite_sequence rows. schema.WithGlobalUniqueID is the older, table-based mechanism and
	// must not be passed together with it.
	opts := []schema.MigrateOption{
		schema.WithDir(dir),
		schema.WithMigrationMode(schema.ModeReplay),
		schema.WithDialect(dialect.SQLite),
		schema.WithFormatter(atlas.DefaultFormatter),
	}
	if err := migrate.NamedDiff(context.Background(), devURL, name, opts...); err != nil {
		log.Fatalf("ent/migrate: computing the migration diff: %v", err)
	}
}
