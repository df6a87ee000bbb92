// Command bench measures Sitekeeper against the plain-SQL limit, on SQLite and on PostgreSQL,
// and writes docs/benchmarks.md. It is started by `make bench` (scripts/bench), which provides a
// throwaway PostgreSQL server with durable settings.
//
// For each dialect it builds the sitekeeper binary, seeds a database with
// `sitekeeper seed-bench`, times the binary from start to a healthy /healthz, and then runs the
// scenarios against the real HTTP stack (middleware, bearer-token authentication, GraphQL
// handler, ent with privacy rules and hooks) assembled in this process on 127.0.0.1, next to the
// baseline: a plain net/http + database/sql handler that answers the contacts page with
// hand-written SQL and the same JSON. Running both in-process lets one driver wrapper count the
// SQL statements per request and one profiler see where the time goes; the load generator shares
// the process (and the two cores) with both, equally.
//
//	go run ./bench [-sites 10000] [-contacts-per-site 10] [-duration 10s] [-dialects sqlite,postgres]
//	               [-postgres postgres://...] [-out docs/benchmarks.md]
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"sitekeeper/internal/server"
)

type options struct {
	sites, contactsPerSite int
	duration, warmup       time.Duration
	starts                 int
	dialects               []string
	postgresAdmin          string
	out                    string
	work                   string
	keepProfiles           string
	parallelWrites         bool
	idleSettle, idleWindow time.Duration
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("bench: ")
	var o options
	var dialects string
	flag.IntVar(&o.sites, "sites", 10_000, "Sites in the data set")
	flag.IntVar(&o.contactsPerSite, "contacts-per-site", 10, "average contacts per Site")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "measured time of each scenario")
	flag.DurationVar(&o.warmup, "warmup", 2*time.Second, "unmeasured time before each scenario")
	flag.IntVar(&o.starts, "starts", 5, "server starts timed per dialect")
	flag.StringVar(&dialects, "dialects", "sqlite,postgres", "dialects to run, comma-separated")
	flag.StringVar(&o.postgresAdmin, "postgres", os.Getenv("SITEKEEPER_TEST_DATABASE_URL"),
		"PostgreSQL server URL whose user may create databases (scripts/with-postgres sets SITEKEEPER_TEST_DATABASE_URL)")
	flag.StringVar(&o.out, "out", "docs/benchmarks.md", "report file")
	flag.StringVar(&o.keepProfiles, "profiles", "", "also keep the CPU profiles (pprof files) in this directory")
	flag.DurationVar(&o.idleSettle, "idle-settle", 30*time.Second, "time the idle server runs before its CPU is measured (its first run reminds every overdue Site)")
	flag.DurationVar(&o.idleWindow, "idle-window", time.Minute, "time the idle server's CPU is measured (0: not measured)")
	flag.BoolVar(&o.parallelWrites, "parallel-writes", false,
		"experiment: run the in-process server over plain entsql.OpenDB, without db.NewDriver's queue of SQLite's write transactions")
	flag.Parse()
	o.dialects = strings.Split(dialects, ",")
	server.TuneGC(slog.New(slog.DiscardHandler)) // as sitekeeper serve does
	if _, err := os.Stat("go.mod"); err != nil {
		log.Fatal("run it from the repository root (make bench)")
	}

	if err := benchAll(o); err != nil {
		log.Fatal(err)
	}
}

// benchAll runs every dialect and writes the report; its servers, databases and temporary files
// are gone when it returns, also after an error or an interrupt.
func benchAll(o options) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	work, err := os.MkdirTemp("", "sitekeeper-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	o.work = work

	rep := &report{opts: o, started: time.Now(), machine: describeMachine(), loadBefore: loadAverage()}
	bin := filepath.Join(work, "sitekeeper")
	log.Printf("building %s", bin)
	if err := run(ctx, nil, "go", "build", "-o", bin, "."); err != nil {
		return err
	}
	for _, d := range o.dialects {
		d = strings.TrimSpace(d)
		if d == "postgres" && o.postgresAdmin == "" {
			rep.skipped = append(rep.skipped, "PostgreSQL: no server given (-postgres or SITEKEEPER_TEST_DATABASE_URL; make bench starts one)")
			continue
		}
		res, err := benchDialect(ctx, o, bin, d)
		if err != nil {
			return fmt.Errorf("%s: %w", d, err)
		}
		rep.results = append(rep.results, res)
	}
	rep.finished = time.Now()
	rep.loadAfter = loadAverage()
	if err := rep.write(o.out); err != nil {
		return err
	}
	log.Printf("wrote %s", o.out)
	fmt.Print(rep.summary())
	return nil
}

// benchDialect prepares, seeds and measures one dialect.
func benchDialect(ctx context.Context, o options, bin, d string) (*dialectResult, error) {
	res := &dialectResult{dialect: d}
	var url string
	var cleanup func()
	var err error
	switch d {
	case "sqlite":
		url = "sqlite:" + filepath.Join(o.work, "bench.db")
		cleanup = func() {}
	case "postgres":
		url, cleanup, err = createPostgresDatabase(ctx, o.postgresAdmin)
		if err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("unknown dialect %q (want sqlite or postgres)", d)
	}
	defer cleanup()

	log.Printf("%s: seeding %d Sites x %d contacts", d, o.sites, o.contactsPerSite)
	began := time.Now()
	env := []string{"SITEKEEPER_DATABASE_URL=" + url, "SITEKEEPER_LOG_FORMAT=json"}
	if err := run(ctx, env, bin, "seed-bench", "-sites", fmt.Sprint(o.sites),
		"-contacts-per-site", fmt.Sprint(o.contactsPerSite), "-partner-sites", fmt.Sprint(o.sites)); err != nil {
		return nil, fmt.Errorf("seed-bench: %w", err)
	}
	res.seedTime = time.Since(began)

	idp, err := startIssuer(ctx, o)
	if err != nil {
		return nil, err
	}
	defer idp.close()

	res.starts, err = timeStarts(ctx, bin, url, idp, o.starts)
	if err != nil {
		return nil, err
	}
	env2, err := newEnv(ctx, url, idp, o.parallelWrites)
	if err != nil {
		return nil, err
	}
	defer env2.close()
	res.database = env2.describeDatabase(ctx)
	if err := env2.measure(ctx, o, res); err != nil {
		return nil, err
	}
	if o.idleWindow > 0 {
		if res.idle, err = measureIdle(ctx, bin, url, env2.sqlDB, d, idp, o.idleSettle, o.idleWindow); err != nil {
			return nil, err
		}
	}
	return res, nil
}
