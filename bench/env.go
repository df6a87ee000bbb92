package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"sitekeeper/ent"
	_ "sitekeeper/ent/runtime" // privacy policies, hooks and defaults, as in server.go
	"sitekeeper/graph"
	"sitekeeper/internal/config"
	"sitekeeper/internal/db"
	"sitekeeper/internal/metrics"
	"sitekeeper/internal/server"
	"sitekeeper/internal/testkit/sqlcount"
)

// env is Sitekeeper and the baseline, each listening on 127.0.0.1, over one seeded database.
type env struct {
	dialect   string
	dbURL     string
	sqlDB     *sql.DB
	client    *ent.Client
	counter   *sqlcount.Driver
	iss       *issuer
	gqlURL    string
	baseURL   string
	servers   []*http.Server
	baseStmts *stmtCounter
}

// rateUnlimited is the per-principal cost budget of the benchmark's server: the scenarios
// measure throughput, and a few principals send thousands of requests a minute. The limiter
// still runs; it never refuses.
const rateUnlimited = 1 << 40

// newEnv assembles the server as serve does (server.go) outside dev mode, metrics included,
// with the SQL statements counted, and starts the baseline next to it. Left out: the
// notification worker (a background job), the review calendar route and the dashboard's assets,
// which the measured requests do not reach.
func newEnv(ctx context.Context, dbURL string, iss *issuer, parallelWrites bool) (*env, error) {
	quiet := slog.New(slog.DiscardHandler)
	plain, sqlDB, err := db.Open(ctx, dbURL, quiet)
	if err != nil {
		return nil, err
	}
	_ = plain // shares sqlDB with the counting client below
	if err := db.Migrate(ctx, sqlDB, quiet); err != nil {
		_ = sqlDB.Close()
		return nil, err
	}
	e := &env{dialect: db.DialectOf(sqlDB), dbURL: dbURL, sqlDB: sqlDB, iss: iss}
	drv := db.NewDriver(sqlDB)
	if parallelWrites {
		drv = entsql.OpenDB(e.dialect, sqlDB)
	}
	e.counter = sqlcount.Wrap(drv)
	e.counter.Record(false)
	e.client = ent.NewClient(ent.Driver(e.counter))

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		e.close()
		return nil, err
	}
	vars := iss.serverEnv(dbURL, ln.Addr().String())
	cfg, err := config.Load(nil, func(k string) string { return vars[k] })
	if err != nil {
		e.close()
		return nil, err
	}
	// The access log is written (as JSON, like production) and thrown away.
	logger := server.NewLogger(io.Discard, config.LogJSON)
	id, err := server.NewIdentity(ctx, cfg, e.client, logger, server.IdentityOptions{})
	if err != nil {
		e.close()
		return nil, err
	}
	meters := metrics.New(sqlDB)
	gql := graph.NewHandler(e.client, graph.Options{
		MaxSecondary: cfg.MaxSecondary, Logger: logger, Metrics: meters,
		CostPerMinute: rateUnlimited, CostBurst: rateUnlimited,
	})
	deps := server.Deps{DB: sqlDB, GraphQL: gql, Logger: logger, Metrics: meters}
	id.Wire(&deps)
	deps.Jobs = nil // session cleanup: not part of what is measured
	hs := server.New(cfg, deps).HTTPServer()
	go func() { _ = hs.Serve(ln) }()
	e.servers = append(e.servers, hs)
	e.gqlURL = "http://" + ln.Addr().String() + "/graphql"

	base, err := newBaseline(ctx, sqlDB, e.dialect, iss.url, apiAudience)
	if err != nil {
		e.close()
		return nil, err
	}
	e.baseStmts = base.stmts
	bl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		e.close()
		return nil, err
	}
	bs := &http.Server{Handler: base, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = bs.Serve(bl) }()
	e.servers = append(e.servers, bs)
	e.baseURL = "http://" + bl.Addr().String() + "/contacts"
	return e, nil
}

func (e *env) close() {
	for _, s := range e.servers {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = s.Shutdown(ctx)
		cancel()
	}
	if e.client != nil {
		_ = e.client.Close() // closes sqlDB
	} else if e.sqlDB != nil {
		_ = e.sqlDB.Close()
	}
}

// describeDatabase names the database's size and durability settings for the report.
func (e *env) describeDatabase(ctx context.Context) string {
	switch e.dialect {
	case dialect.SQLite:
		path := strings.TrimPrefix(e.dbURL, "sqlite:")
		var size int64
		for _, suffix := range []string{"", "-wal"} {
			if fi, err := os.Stat(path + suffix); err == nil {
				size += fi.Size()
			}
		}
		var version string
		_ = e.sqlDB.QueryRowContext(ctx, "SELECT sqlite_version()").Scan(&version)
		return fmt.Sprintf("SQLite %s (mattn/go-sqlite3), file of %.0f MB, WAL, synchronous=FULL, busy timeout, immediate transactions",
			version, float64(size)/1e6)
	case dialect.Postgres:
		var version, fsync, syncCommit, buffers string
		var size int64
		_ = e.sqlDB.QueryRowContext(ctx, `SELECT current_setting('server_version'), current_setting('fsync'),
			current_setting('synchronous_commit'), current_setting('shared_buffers'), pg_database_size(current_database())`).
			Scan(&version, &fsync, &syncCommit, &buffers, &size)
		return fmt.Sprintf("PostgreSQL %s (pgx v5, pool of %d), database of %.0f MB, fsync=%s, synchronous_commit=%s, shared_buffers=%s, on the same machine",
			version, db.DefaultPostgresMaxConns, float64(size)/1e6, fsync, syncCommit, buffers)
	}
	return e.dialect
}

// createPostgresDatabase makes a new database on the server at admin and returns its URL and a
// function that drops it.
func createPostgresDatabase(ctx context.Context, admin string) (string, func(), error) {
	src, err := db.Parse(admin)
	if err != nil {
		return "", nil, err
	}
	conn, err := sql.Open("pgx", src.DSN)
	if err != nil {
		return "", nil, err
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "sk_bench_" + hex.EncodeToString(b)
	if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		_ = conn.Close()
		return "", nil, fmt.Errorf("CREATE DATABASE on %s: %w", src.Redacted, err)
	}
	u, _ := url.Parse(admin)
	u.Path = "/" + name
	return u.String(), func() {
		_, _ = conn.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		_ = conn.Close()
	}, nil
}
