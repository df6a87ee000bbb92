package db

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	atlas "ariga.io/atlas/sql/migrate"
)

// migrationLockKey is the pg_advisory_xact_lock key that serialises migrators on one
// PostgreSQL database ("SITEKEEP" in ASCII).
const migrationLockKey int64 = 0x534954454b454550

// migratePostgres applies every pending file in one transaction. PostgreSQL's DDL is
// transactional, so a failing file leaves the database as it was. The transaction first takes
// a transaction-scoped advisory lock: a second instance starting at the same time waits, then
// finds everything applied. The lock ends with the transaction, so no pooled connection can
// keep it by accident.
func migratePostgres(ctx context.Context, db *sql.DB, dir atlas.Dir, logger *slog.Logger) (err error) {
	files, err := dir.Files()
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	waitStart := time.Now()
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, migrationLockKey); err != nil {
		return fmt.Errorf("migrate: taking the migration lock: %w", err)
	}
	if waited := time.Since(waitStart); waited > time.Second {
		logger.InfoContext(ctx, "waited for another instance's migration", "duration", waited)
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS `+MigrationsTable+
		` (version text PRIMARY KEY, applied_at timestamptz NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: creating %s: %w", MigrationsTable, err)
	}
	applied, err := appliedVersions(ctx, tx)
	if err != nil {
		return err
	}
	pending, latest, err := plan(files, applied)
	if err != nil {
		return err
	}
	for _, f := range pending {
		start := time.Now()
		stmts, err := f.Stmts()
		if err != nil {
			return fmt.Errorf("migrate: %s: %w", f.Name(), err)
		}
		for i, s := range stmts {
			if _, err := tx.ExecContext(ctx, s); err != nil {
				return fmt.Errorf("migrate: %s: statement %d (%s): %w", f.Name(), i+1, summarize(s), err)
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO `+MigrationsTable+` (version, applied_at) VALUES ($1, $2)`,
			f.Version(), time.Now().UTC()); err != nil {
			return fmt.Errorf("migrate: %s: recording it: %w", f.Name(), err)
		}
		logger.InfoContext(ctx, "migration applied", "migration", f.Name(), "duration", time.Since(start))
		latest = f.Version()
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate: commit: %w", err)
	}
	logger.InfoContext(ctx, "database schema up to date", "version", latest, "applied_now", len(pending))
	return nil
}
