// Package db opens Sitekeeper's database, applies the embedded versioned migrations and takes
// online backups.
//
// SQLite (mattn/go-sqlite3) is the default; PostgreSQL (pgx) serves several instances from one
// database. Every place that depends on the dialect switches on it explicitly (see Open,
// Migrate, Backup and Rebind); each dialect has its own migration directory.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strconv"
	"strings"

	"entgo.io/ent/dialect"
	"github.com/jackc/pgx/v5/stdlib"
	sqlite3 "github.com/mattn/go-sqlite3"

	"sitekeeper/ent"
)

// BusyTimeoutMillis is how long a connection waits for another writer's lock before giving up.
// With immediate transactions writers queue on this timeout instead of failing.
const BusyTimeoutMillis = 10_000

// maxOpenConns bounds the pool: SQLite serialises writers anyway, and every connection holds a
// file handle and its own page cache.
const maxOpenConns = 16

// Source is a parsed database URL.
type Source struct {
	// Dialect is dialect.SQLite or dialect.Postgres.
	Dialect string
	// Path is the SQLite database file.
	Path string
	// DSN is what database/sql receives (SQLite), or the connection URL without Sitekeeper's
	// own parameters (PostgreSQL). It may hold a password: never log it; log Redacted.
	DSN string
	// Redacted names the database for logs and errors, without a password.
	Redacted string
	// MaxOpenConns bounds the connection pool.
	MaxOpenConns int
}

// Parse turns a SITEKEEPER_DATABASE_URL value into a Source. Accepted SQLite forms are
// sqlite:PATH, sqlite://PATH and file:PATH, each optionally followed by ?query parameters that
// are passed on to the driver (the durability settings below always win). PostgreSQL URLs are
// postgres://USER:PASSWORD@HOST:PORT/DATABASE?PARAMS (or postgresql://), with the parameters
// libpq and pgx know (sslmode, ...) and pool_max_conns=N for the size of the pool.
func Parse(raw string) (Source, error) {
	scheme, rest, ok := strings.Cut(raw, ":")
	if !ok || scheme == "" {
		return Source{}, fmt.Errorf("database URL %q: want sqlite:PATH (for example sqlite:sitekeeper.db) or a postgres:// URL", raw)
	}
	switch strings.ToLower(scheme) {
	case "sqlite", "sqlite3", "file":
		return parseSQLite(raw, rest)
	case "postgres", "postgresql":
		return parsePostgres(raw)
	default:
		return Source{}, fmt.Errorf("database URL: unsupported scheme %q; use sqlite:PATH or a postgres:// URL", scheme)
	}
}

func parseSQLite(raw, rest string) (Source, error) {
	rest = strings.TrimPrefix(rest, "//") // sqlite://PATH, sqlite:///abs/path, file:///abs/path
	path, query, _ := strings.Cut(rest, "?")
	params, err := url.ParseQuery(query)
	if err != nil {
		return Source{}, fmt.Errorf("database URL %q: bad query: %w", raw, err)
	}
	if unescaped, err := url.PathUnescape(path); err == nil {
		path = unescaped
	}
	switch {
	case path == "":
		return Source{}, fmt.Errorf("database URL %q: no file path; want sqlite:PATH", raw)
	case strings.HasPrefix(path, ":memory:") || params.Get("mode") == "memory":
		// Every pooled connection would see its own empty database, and nothing would survive
		// a restart. Tests use a file under t.TempDir() (see dbtest).
		return Source{}, fmt.Errorf("database URL %q: in-memory SQLite is not supported; use a file path", raw)
	}
	// The durability and concurrency settings the SPEC requires (section 8). mattn/go-sqlite3
	// applies them to every new connection, so every connection in the pool has them.
	params.Set("_journal_mode", "WAL") // readers never block the writer
	params.Set("_synchronous", "FULL") // an acknowledged commit survives power loss (WAL would default to NORMAL)
	params.Set("_fk", "1")             // foreign keys enforced
	params.Set("_busy_timeout", strconv.Itoa(BusyTimeoutMillis))
	params.Set("_txlock", "immediate") // BEGIN IMMEDIATE: take the write lock up front, so writers queue on the busy timeout
	dsn := "file:" + escapeURIPath(path) + "?" + params.Encode()
	return Source{Dialect: dialect.SQLite, Path: path, DSN: dsn, Redacted: "sqlite:" + path, MaxOpenConns: maxOpenConns}, nil
}

// escapeURIPath escapes what would otherwise end or alter the path of an SQLite URI filename.
func escapeURIPath(p string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(p)
}

// Open connects to the database named by url, checks that the connection settings took effect
// and returns an ent client over it together with the underlying *sql.DB. It does not migrate;
// call Migrate. Closing the client closes the *sql.DB.
func Open(ctx context.Context, url string, logger *slog.Logger) (*ent.Client, *sql.DB, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	src, err := Parse(url)
	if err != nil {
		return nil, nil, err
	}
	switch src.Dialect {
	case dialect.SQLite:
		db, err := openSQLite(ctx, src)
		if err != nil {
			return nil, nil, err
		}
		logger.InfoContext(ctx, "database opened", "dialect", src.Dialect, "path", src.Path,
			"journal_mode", "wal", "synchronous", "full", "busy_timeout_ms", BusyTimeoutMillis)
		return ent.NewClient(ent.Driver(NewDriver(db))), db, nil
	case dialect.Postgres:
		db, info, err := openPostgres(ctx, src)
		if err != nil {
			return nil, nil, err
		}
		logger.InfoContext(ctx, "database opened", "dialect", src.Dialect, "database", src.Redacted,
			"server_version", info.version, "max_open_conns", src.MaxOpenConns)
		for _, w := range info.warnings {
			logger.WarnContext(ctx, w, "database", src.Redacted)
		}
		return ent.NewClient(ent.Driver(NewDriver(db))), db, nil
	default:
		return nil, nil, fmt.Errorf("database: dialect %q is not supported", src.Dialect)
	}
}

func openSQLite(ctx context.Context, src Source) (*sql.DB, error) {
	db, err := sql.Open("sqlite3", src.DSN)
	if err != nil {
		return nil, fmt.Errorf("database %s: %w", src.Path, err)
	}
	db.SetMaxOpenConns(src.MaxOpenConns)
	db.SetMaxIdleConns(src.MaxOpenConns)
	if err := verifySQLite(ctx, db); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("database %s: %w", src.Path, err)
	}
	return db, nil
}

// verifySQLite reads back the pragmas on one connection (all connections share the DSN) and
// fails when one did not take effect, for example WAL on a file system that cannot do it.
func verifySQLite(ctx context.Context, db *sql.DB) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	checks := []struct {
		pragma string
		want   string
	}{
		{"journal_mode", "wal"},
		{"synchronous", "2"}, // FULL
		{"foreign_keys", "1"},
		{"busy_timeout", strconv.Itoa(BusyTimeoutMillis)},
	}
	for _, c := range checks {
		var got string
		if err := conn.QueryRowContext(ctx, "PRAGMA "+c.pragma).Scan(&got); err != nil {
			return fmt.Errorf("reading PRAGMA %s: %w", c.pragma, err)
		}
		if !strings.EqualFold(got, c.want) {
			return fmt.Errorf("PRAGMA %s is %q, want %q: the database cannot run with the required durability settings", c.pragma, got, c.want)
		}
	}
	return nil
}

// isSQLite reports whether db is backed by mattn/go-sqlite3.
func isSQLite(db *sql.DB) bool {
	_, ok := db.Driver().(*sqlite3.SQLiteDriver)
	return ok
}

// isPostgres reports whether db is backed by pgx.
func isPostgres(db *sql.DB) bool {
	_, ok := db.Driver().(*stdlib.Driver)
	return ok
}

// DialectOf is the ent dialect of a database opened by Open (dialect.SQLite or
// dialect.Postgres), or "" for any other driver.
func DialectOf(db *sql.DB) string {
	switch {
	case isSQLite(db):
		return dialect.SQLite
	case isPostgres(db):
		return dialect.Postgres
	}
	return ""
}

// Rebind rewrites a statement written with ? placeholders for the given dialect: PostgreSQL
// numbers them ($1, $2, ...). Question marks inside quoted strings and identifiers are kept.
// It is for the few hand-written statements (tests, tools); ent builds its own.
func Rebind(d, query string) string {
	if d != dialect.Postgres || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	n := 0
	var quote byte
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// CheckExists fails when the database named by url does not exist yet, for commands such as
// backup that must not create an empty one by opening it.
func CheckExists(url string) error {
	src, err := Parse(url)
	if err != nil {
		return err
	}
	switch src.Dialect {
	case dialect.SQLite:
		info, err := os.Stat(src.Path)
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("database %s does not exist", src.Path)
		}
		if err != nil {
			return fmt.Errorf("database: %w", err)
		}
		if !info.Mode().IsRegular() {
			return fmt.Errorf("database %s is not a regular file", src.Path)
		}
		return nil
	default:
		// Connecting to a PostgreSQL database that does not exist fails; nothing is created.
		return nil
	}
}
