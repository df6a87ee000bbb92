package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Backup writes a consistent copy of the live database to dest while the server keeps serving.
//
// PostgreSQL: refused with ErrBackupPostgres; the server's own tools (pg_dump, or continuous
// archiving) do it better than a copy through the application could.
//
// SQLite: VACUUM INTO writes a transactionally consistent, compacted snapshot into a temporary
// file next to dest, which is then synced and renamed into place, so dest is either absent or a
// complete database. dest must not exist yet.
func Backup(ctx context.Context, db *sql.DB, dest string) error {
	if isPostgres(db) {
		return ErrBackupPostgres
	}
	if dest == "" {
		return errors.New("backup: no destination file given")
	}
	if _, err := os.Lstat(dest); err == nil {
		return fmt.Errorf("backup: %s already exists; choose a new file", dest)
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("backup: %w", err)
	}
	switch {
	case isSQLite(db):
		return backupSQLite(ctx, db, dest)
	default:
		return fmt.Errorf("backup: unsupported database driver %T", db.Driver())
	}
}

// ErrBackupPostgres is Backup's answer on PostgreSQL.
var ErrBackupPostgres = errors.New("backup: sitekeeper backup copies SQLite databases only; back up PostgreSQL " +
	"with its own tools, for example pg_dump --format=custom --file=FILE \"$SITEKEEPER_DATABASE_URL\"")

func backupSQLite(ctx context.Context, db *sql.DB, dest string) (err error) {
	abs, err := filepath.Abs(dest)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	dir := filepath.Dir(abs)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(abs)+".tmp-*")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	tmpName := tmp.Name()
	// VACUUM INTO accepts an existing file only when it is empty, which the fresh temp file is.
	_ = tmp.Close()
	defer func() {
		if err != nil {
			_ = os.Remove(tmpName)
		}
	}()
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", tmpName); err != nil {
		return fmt.Errorf("backup: VACUUM INTO: %w", err)
	}
	// SQLite does not fsync the file VACUUM INTO writes.
	if err := syncFile(tmpName); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if _, err := os.Lstat(abs); err == nil {
		return fmt.Errorf("backup: %s appeared while the backup ran; not overwriting it", dest)
	}
	if err := os.Rename(tmpName, abs); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := syncFile(dir); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

func syncFile(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
