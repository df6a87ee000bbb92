package db

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"entgo.io/ent/dialect"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Pool settings for PostgreSQL. Every instance holds up to DefaultPostgresMaxConns connections;
// several instances share the server's max_connections (100 by default), so the default stays
// well below it. pool_max_conns=N in the URL overrides it.
const (
	DefaultPostgresMaxConns = 20
	postgresMaxIdleTime     = 5 * time.Minute
	postgresMaxLifetime     = time.Hour
	// minPostgresVersion is the oldest server the migrations run on (identity columns, jsonb,
	// partial unique indexes): PostgreSQL 12.
	minPostgresVersion = 120000
)

// poolMaxConnsParam is Sitekeeper's own URL parameter; it is removed before pgx sees the URL,
// which would send any unknown parameter to the server as a run-time setting.
const poolMaxConnsParam = "pool_max_conns"

func parsePostgres(raw string) (Source, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// url's error quotes the whole URL, password included.
		return Source{}, fmt.Errorf("database URL: not a valid postgres:// URL")
	}
	redacted := redactedURL(u)
	q := u.Query()
	maxConns := DefaultPostgresMaxConns
	if v := q.Get(poolMaxConnsParam); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return Source{}, fmt.Errorf("database URL %s: %s=%q: want a number from 1 to 1000", redacted, poolMaxConnsParam, v)
		}
		maxConns = n
	}
	q.Del(poolMaxConnsParam)
	u.RawQuery = q.Encode()
	dsn := u.String()
	if _, err := pgx.ParseConfig(dsn); err != nil {
		return Source{}, fmt.Errorf("database URL %s: %w", redacted, err)
	}
	return Source{Dialect: dialect.Postgres, DSN: dsn, Redacted: redacted, MaxOpenConns: maxConns}, nil
}

// redactedURL names a PostgreSQL database without its password or parameters.
func redactedURL(u *url.URL) string {
	c := *u
	if c.User != nil {
		c.User = url.User(c.User.Username())
	}
	c.RawQuery = ""
	return c.String()
}

// postgresInfo is what openPostgres learned about the server.
type postgresInfo struct {
	version  string
	warnings []string
}

func openPostgres(ctx context.Context, src Source) (*sql.DB, postgresInfo, error) {
	cfg, err := pgx.ParseConfig(src.DSN)
	if err != nil {
		return nil, postgresInfo{}, fmt.Errorf("database %s: %w", src.Redacted, err)
	}
	if cfg.RuntimeParams["application_name"] == "" {
		cfg.RuntimeParams["application_name"] = "sitekeeper"
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(src.MaxOpenConns)
	db.SetMaxIdleConns(src.MaxOpenConns)
	db.SetConnMaxIdleTime(postgresMaxIdleTime)
	db.SetConnMaxLifetime(postgresMaxLifetime)
	info, err := verifyPostgres(ctx, db)
	if err != nil {
		_ = db.Close()
		return nil, postgresInfo{}, fmt.Errorf("database %s: %w", src.Redacted, err)
	}
	return db, info, nil
}

// verifyPostgres connects once, checks the server version and reports settings under which an
// acknowledged write could be lost.
func verifyPostgres(ctx context.Context, db *sql.DB) (postgresInfo, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var info postgresInfo
	var num int
	var fsync, syncCommit string
	err := db.QueryRowContext(ctx, `SELECT current_setting('server_version'), current_setting('server_version_num')::int,
		current_setting('fsync'), current_setting('synchronous_commit')`).Scan(&info.version, &num, &fsync, &syncCommit)
	if err != nil {
		return info, fmt.Errorf("connecting: %w", err)
	}
	if num < minPostgresVersion {
		return info, fmt.Errorf("PostgreSQL %s is too old; Sitekeeper needs 12 or newer", info.version)
	}
	if fsync != "on" {
		info.warnings = append(info.warnings, "database: the PostgreSQL server runs with fsync=off; a crash can lose or corrupt acknowledged writes (fine for a throwaway test server only)")
	}
	if syncCommit == "off" {
		info.warnings = append(info.warnings, "database: the PostgreSQL server runs with synchronous_commit=off; a crash can lose the last acknowledged writes")
	}
	return info, nil
}
