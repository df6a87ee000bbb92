package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"strings"
	"time"

	atlas "ariga.io/atlas/sql/migrate"

	"sitekeeper/ent/migrate/migrations"
)

// MigrationsTable records the applied migration versions.
const MigrationsTable = "sitekeeper_schema_migrations"

// Migrate brings the database schema up to date with the migration files embedded in the
// binary for its dialect (ent/migrate/migrations/sqlite or .../postgres). It first checks the
// files against atlas.sum, so a migration edited by hand fails here, then applies the pending
// files in version order and records each in MigrationsTable. Running it again applies nothing;
// several instances starting at once apply every file exactly once (SQLite: each file in its
// own immediate transaction; PostgreSQL: all pending files in one transaction under an
// advisory lock).
//
// It refuses to run when the database holds a version this binary does not know (it was
// migrated by a newer Sitekeeper) or when a pending file is older than the newest applied one.
func Migrate(ctx context.Context, db *sql.DB, logger *slog.Logger) error {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	switch {
	case isSQLite(db):
		dir, err := loadDir(migrations.SQLite, migrations.SQLiteDir)
		if err != nil {
			return err
		}
		return migrateSQLite(ctx, db, dir, logger)
	case isPostgres(db):
		dir, err := loadDir(migrations.Postgres, migrations.PostgresDir)
		if err != nil {
			return err
		}
		return migratePostgres(ctx, db, dir, logger)
	default:
		return fmt.Errorf("migrate: unsupported database driver %T", db.Driver())
	}
}

// loadDir copies an embedded migration directory into an Atlas in-memory directory and checks
// it against its atlas.sum.
func loadDir(fsys fs.FS, root string) (*atlas.MemDir, error) {
	entries, err := fs.ReadDir(fsys, root)
	if err != nil {
		return nil, fmt.Errorf("migrate: reading embedded migrations: %w", err)
	}
	dir := &atlas.MemDir{}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := fs.ReadFile(fsys, path.Join(root, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("migrate: reading embedded migrations: %w", err)
		}
		if err := dir.WriteFile(e.Name(), b); err != nil {
			return nil, fmt.Errorf("migrate: %w", err)
		}
	}
	if err := atlas.Validate(dir); err != nil {
		var ce *atlas.ChecksumError
		if errors.As(err, &ce) {
			return nil, fmt.Errorf("migrate: migration file %s was %s since atlas.sum was written; "+
				"never edit a migration by hand, change the ent schema and run go generate ./...: %w",
				ce.File, ce.Reason, err)
		}
		return nil, fmt.Errorf("migrate: the migration directory does not match atlas.sum: %w", err)
	}
	return dir, nil
}

func migrateSQLite(ctx context.Context, db *sql.DB, dir atlas.Dir, logger *slog.Logger) error {
	files, err := dir.Files()
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS `+MigrationsTable+
		` (version TEXT PRIMARY KEY, applied_at DATETIME NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: creating %s: %w", MigrationsTable, err)
	}
	applied, err := appliedVersions(ctx, db)
	if err != nil {
		return err
	}
	pending, latest, err := plan(files, applied)
	if err != nil {
		return err
	}
	for _, f := range pending {
		start := time.Now()
		ran, err := applySQLite(ctx, db, f)
		if err != nil {
			return err
		}
		if ran {
			logger.InfoContext(ctx, "migration applied", "migration", f.Name(), "duration", time.Since(start))
			latest = f.Version()
		}
	}
	logger.InfoContext(ctx, "database schema up to date", "version", latest, "applied_now", len(pending))
	return nil
}

// plan checks the applied versions against the files and returns the files still to apply and
// the newest applied version.
func plan(files []atlas.File, applied map[string]bool) ([]atlas.File, string, error) {
	known := make(map[string]bool, len(files))
	for _, f := range files {
		if err := atlas.CheckVersion(f.Version()); err != nil {
			return nil, "", fmt.Errorf("migrate: %s: %w", f.Name(), err)
		}
		known[f.Version()] = true
	}
	latest := ""
	for v := range applied {
		if !known[v] {
			return nil, "", fmt.Errorf("migrate: the database has migration %s applied, which this binary does not know: "+
				"it was migrated by a newer Sitekeeper; refusing to run an older binary against it", v)
		}
		latest = max(latest, v)
	}
	var pending []atlas.File
	for _, f := range files {
		if applied[f.Version()] {
			continue
		}
		if f.Version() < latest {
			return nil, "", fmt.Errorf("migrate: migration %s is pending but the newer %s is already applied; "+
				"regenerate it with a newer version", f.Name(), latest)
		}
		pending = append(pending, f)
	}
	return pending, latest, nil
}

func appliedVersions(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) (map[string]bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT version FROM `+MigrationsTable)
	if err != nil {
		return nil, fmt.Errorf("migrate: reading %s: %w", MigrationsTable, err)
	}
	defer rows.Close()
	applied := map[string]bool{}
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("migrate: reading %s: %w", MigrationsTable, err)
		}
		applied[v] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("migrate: reading %s: %w", MigrationsTable, err)
	}
	return applied, nil
}

// applySQLite runs one file in one transaction. It reports false when another process applied
// the file first.
//
// Foreign keys are switched off on the migration's connection for the duration, as SQLite's
// documented table-rebuild procedure requires (PRAGMA foreign_keys is a no-op inside a
// transaction, and with it on, dropping a rebuilt table would cascade into its children);
// PRAGMA foreign_key_check then proves the result consistent before the commit.
func applySQLite(ctx context.Context, db *sql.DB, f atlas.File) (ran bool, err error) {
	stmts, err := f.Stmts()
	if err != nil {
		return false, fmt.Errorf("migrate: %s: %w", f.Name(), err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return false, fmt.Errorf("migrate: %w", err)
	}
	defer func() {
		// The connection goes back to the pool only with foreign keys on again.
		if _, ferr := conn.ExecContext(ctx, "PRAGMA foreign_keys = ON"); ferr != nil || !foreignKeysOn(ctx, conn) {
			_ = conn.Raw(func(any) error { return driver.ErrBadConn }) // discard it
			if err == nil {
				err = fmt.Errorf("migrate: %s: could not switch foreign keys back on: %v", f.Name(), ferr)
			}
		}
		_ = conn.Close()
	}()
	if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
		return false, fmt.Errorf("migrate: %s: %w", f.Name(), err)
	}
	tx, err := conn.BeginTx(ctx, nil) // BEGIN IMMEDIATE (DSN): one migrator at a time
	if err != nil {
		return false, fmt.Errorf("migrate: %s: %w", f.Name(), err)
	}
	defer func() {
		if err != nil || !ran {
			_ = tx.Rollback()
		}
	}()
	// Under the write lock, check again: another process may have applied it meanwhile.
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+MigrationsTable+` WHERE version = ?`, f.Version()).Scan(&n); err != nil {
		return false, fmt.Errorf("migrate: %s: %w", f.Name(), err)
	}
	if n > 0 {
		return false, nil
	}
	for i, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return false, fmt.Errorf("migrate: %s: statement %d (%s): %w", f.Name(), i+1, summarize(s), err)
		}
	}
	if err := foreignKeyCheck(ctx, tx); err != nil {
		return false, fmt.Errorf("migrate: %s: %w", f.Name(), err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO `+MigrationsTable+` (version, applied_at) VALUES (?, ?)`,
		f.Version(), time.Now().UTC()); err != nil {
		return false, fmt.Errorf("migrate: %s: recording it: %w", f.Name(), err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("migrate: %s: commit: %w", f.Name(), err)
	}
	return true, nil
}

func foreignKeysOn(ctx context.Context, conn *sql.Conn) bool {
	var on int
	return conn.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&on) == nil && on == 1
}

func foreignKeyCheck(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return fmt.Errorf("PRAGMA foreign_key_check: %w", err)
	}
	defer rows.Close()
	var bad []string
	for rows.Next() {
		var (
			table, parent string
			rowid         sql.NullInt64
			fkid          int
		)
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err != nil {
			return fmt.Errorf("PRAGMA foreign_key_check: %w", err)
		}
		bad = append(bad, fmt.Sprintf("%s row %d -> %s", table, rowid.Int64, parent))
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("PRAGMA foreign_key_check: %w", err)
	}
	if len(bad) > 0 {
		return fmt.Errorf("foreign key violations after migration: %s", strings.Join(bad, ", "))
	}
	return nil
}

// summarize shortens a statement for an error message.
func summarize(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 80 {
		s = s[:80] + "..."
	}
	return s
}
