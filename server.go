// Command sitekeeper serves the Sitekeeper GraphQL API. It only parses the command line and
// wires the internal packages together.
//
//	sitekeeper [serve] [flags]     run the server (the default)
//	sitekeeper migrate [flags]     apply pending database migrations and exit
//	sitekeeper backup [flags] FILE write an online, consistent copy of the database to FILE
//	sitekeeper check [flags]       check the database's integrity and invariants; exit 1 on problems
//	sitekeeper seed-demo [flags]   write the demo data into the database (if it has none)
//	sitekeeper token -as EMAIL     dev mode: print a bearer token for a demo person
//	sitekeeper seed-bench [flags]  write the benchmark data set into an empty database
package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"sitekeeper/ent"
	_ "sitekeeper/ent/runtime" // privacy policies, hooks and defaults register here
	"sitekeeper/frontend"
	"sitekeeper/graph"
	"sitekeeper/internal/benchseed"
	"sitekeeper/internal/check"
	"sitekeeper/internal/config"
	"sitekeeper/internal/db"
	"sitekeeper/internal/demo"
	"sitekeeper/internal/metrics"
	"sitekeeper/internal/notify"
	"sitekeeper/internal/reminder"
	"sitekeeper/internal/review"
	"sitekeeper/internal/server"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	if cmd == "help" {
		usage(os.Stdout)
		return 0
	}
	var err error
	var as string
	if cmd == "token" {
		if as, args, err = takeFlag(args, "as"); err != nil {
			fmt.Fprintf(os.Stderr, "sitekeeper token: %v\n", err)
			return 2
		}
	}
	var benchOpts benchseed.Options
	if cmd == "seed-bench" {
		if benchOpts, args, err = benchseed.TakeFlags(args); err != nil {
			fmt.Fprintf(os.Stderr, "sitekeeper seed-bench: %v\n", err)
			return 2
		}
	}
	cfg, err := config.Load(args, os.Getenv)
	if errors.Is(err, config.ErrHelp) {
		usage(os.Stdout)
		return 0
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "sitekeeper: %v\n(run sitekeeper -h for usage)\n", err)
		return 2
	}
	logger := server.NewLogger(os.Stderr, cfg.LogFormat)
	slog.SetDefault(logger)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	switch cmd {
	case "serve":
		err = serve(ctx, cfg, logger)
	case "migrate":
		err = migrate(ctx, cfg, logger)
	case "backup":
		err = backup(ctx, cfg, logger)
	case "check":
		err = checkDB(ctx, cfg, logger, os.Stdout)
	case "seed-demo":
		err = seedDemo(ctx, cfg, logger)
	case "token":
		err = token(ctx, cfg, as, os.Stdout)
	case "seed-bench":
		err = seedBench(ctx, cfg, benchOpts, logger)
	default:
		fmt.Fprintf(os.Stderr, "sitekeeper: unknown command %q\n", cmd)
		usage(os.Stderr)
		return 2
	}
	if err != nil {
		logger.Error("sitekeeper "+cmd+" failed", "err", err)
		return 1
	}
	return 0
}

func serve(ctx context.Context, cfg config.Config, logger *slog.Logger) error {
	if len(cfg.Args) > 0 {
		return fmt.Errorf("serve takes no arguments, got %q", cfg.Args)
	}
	if err := cfg.CheckServe(); err != nil {
		return err
	}
	logger.Info("starting sitekeeper", "config", cfg)
	server.TuneGC(logger)
	if cfg.DevMode() {
		logger.Warn("DEV MODE: " + config.EnvOIDCIssuer + " is not set; people sign in through the built-in " +
			"provider at " + cfg.PublicURL + server.DevIDPPath + " as demo people, without a password. Never use " +
			"it with real data; it listens on loopback only.")
	}
	for _, w := range cfg.Warnings() {
		logger.Warn(w)
	}
	client, sqlDB, err := openMigrated(ctx, cfg, logger)
	if err != nil {
		return err
	}
	if cfg.DevMode() {
		seeded, err := demo.Seed(ctx, client)
		if err != nil {
			_ = client.Close()
			return fmt.Errorf("seeding the demo data: %w", err)
		}
		if seeded {
			logger.Warn("DEV MODE: the database was empty; demo Sites, contacts and a partner were seeded")
		}
	}
	id, err := server.NewIdentity(ctx, cfg, client, logger, server.IdentityOptions{})
	if err != nil {
		_ = client.Close()
		return err
	}
	worker, err := notify.NewWorker(client, cfg.SMTPURL, cfg.DevMode(), logger)
	if err != nil {
		_ = client.Close()
		return fmt.Errorf("%s: %w", config.EnvSMTPURL, err)
	}
	worker.PublicURL = cfg.PublicURL
	meters := metrics.New(sqlDB)
	gql := graph.NewHandler(client, graph.Options{DevMode: cfg.DevMode(), MaxSecondary: cfg.MaxSecondary, Logger: logger, Metrics: meters})
	deps := server.Deps{
		DB: sqlDB, GraphQL: gql, Logger: logger,
		Routes:  routes(client, cfg),
		Jobs:    []func(context.Context){worker.Run},
		SPA:     frontend.Handler(),
		Metrics: meters,
	}
	id.Wire(&deps)
	if cfg.DevMode() {
		logger.Warn("DEV MODE: open " + cfg.PublicURL + "/ and sign in as a demo person at " +
			cfg.PublicURL + "/auth/login; bearer tokens for curl: sitekeeper token --as EMAIL")
	}
	if !frontend.Built {
		logger.Warn("the dashboard is not built into this binary: run ./scripts/run, or npm ci && npm run build, then go build -tags spa")
	}
	srv := server.New(cfg, deps)
	return srv.Run(ctx) // closes the database when it stops
}

// routes are the application routes besides /graphql, served behind the session, bearer and
// CSRF middlewares.
func routes(client *ent.Client, cfg config.Config) map[string]http.Handler {
	return map[string]http.Handler{
		"GET /sites/{number}/review.ics": reminder.Handler(client, reminder.WithPublicURL(cfg.PublicURL)),
		// The URLs Review.evidenceCsvUrl and evidenceHtmlUrl give (review.EvidenceURL).
		"GET /reviews/{id}/evidence.csv":  review.EvidenceHandler(client, review.EvidenceCSV),
		"GET /reviews/{id}/evidence.html": review.EvidenceHandler(client, review.EvidenceHTML),
	}
}

// openMigrated opens the configured database and applies the pending migrations.
func openMigrated(ctx context.Context, cfg config.Config, logger *slog.Logger) (*ent.Client, *sql.DB, error) {
	client, sqlDB, err := db.Open(ctx, cfg.DatabaseURL, logger)
	if err != nil {
		return nil, nil, err
	}
	if err := db.Migrate(ctx, sqlDB, logger); err != nil {
		_ = client.Close()
		return nil, nil, err
	}
	return client, sqlDB, nil
}

// seedDemo writes the demo data into the configured database, once: a database that has the
// demo Site already is left alone.
func seedDemo(ctx context.Context, cfg config.Config, logger *slog.Logger) error {
	if len(cfg.Args) > 0 {
		return fmt.Errorf("seed-demo takes no arguments, got %q", cfg.Args)
	}
	client, _, err := openMigrated(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer client.Close()
	if !cfg.DevMode() {
		logger.Warn("seeding demo data (fictitious Sites, contacts and a partner) into a database served with a real issuer",
			"issuer", cfg.OIDCIssuer)
	}
	seeded, err := demo.Seed(ctx, client)
	if err != nil {
		return err
	}
	if seeded {
		logger.Info("demo data seeded", "database", cfg.DatabaseURL)
	} else {
		logger.Info("the demo data is there already (Site "+demo.AcmeSiteNumber+" exists); nothing seeded", "database", cfg.DatabaseURL)
	}
	return nil
}

// seedBench writes the benchmark data set (internal/benchseed) into an empty database.
func seedBench(ctx context.Context, cfg config.Config, opts benchseed.Options, logger *slog.Logger) error {
	if len(cfg.Args) > 0 {
		return fmt.Errorf("seed-bench takes no arguments besides %s, got %q", benchseed.FlagUsage, cfg.Args)
	}
	client, sqlDB, err := openMigrated(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer client.Close()
	res, err := benchseed.Seed(ctx, sqlDB, opts)
	if err != nil {
		return err
	}
	logger.Info("benchmark data seeded", "sites", res.Sites, "contacts", res.Contacts, "partner_grants", res.Grants,
		"duration", res.Duration.Round(time.Millisecond))
	return nil
}

func migrate(ctx context.Context, cfg config.Config, logger *slog.Logger) error {
	if len(cfg.Args) > 0 {
		return fmt.Errorf("migrate takes no arguments, got %q", cfg.Args)
	}
	client, _, err := openMigrated(ctx, cfg, logger)
	if err != nil {
		return err
	}
	return client.Close()
}

func backup(ctx context.Context, cfg config.Config, logger *slog.Logger) error {
	if len(cfg.Args) != 1 {
		return errors.New("usage: sitekeeper backup [flags] FILE")
	}
	dest := cfg.Args[0]
	if err := db.CheckExists(cfg.DatabaseURL); err != nil {
		return err
	}
	client, sqlDB, err := db.Open(ctx, cfg.DatabaseURL, logger)
	if err != nil {
		return err
	}
	defer client.Close()
	if err := db.Backup(ctx, sqlDB, dest); err != nil {
		return err
	}
	logger.Info("backup written", "file", dest)
	return nil
}

// checkDB runs internal/check on the configured database and prints the report; problems make
// it fail, so that the exit status says whether the database is sound.
func checkDB(ctx context.Context, cfg config.Config, logger *slog.Logger, out io.Writer) error {
	if len(cfg.Args) > 0 {
		return fmt.Errorf("check takes no arguments, got %q", cfg.Args)
	}
	if err := db.CheckExists(cfg.DatabaseURL); err != nil {
		return err
	}
	client, sqlDB, err := db.Open(ctx, cfg.DatabaseURL, logger)
	if err != nil {
		return err
	}
	defer client.Close()
	report, err := check.Run(ctx, sqlDB, check.MaxSecondary(cfg.MaxSecondary))
	if err != nil {
		return err
	}
	if _, err := fmt.Fprint(out, report); err != nil {
		return err
	}
	if !report.OK() {
		return fmt.Errorf("%d problem(s) found in the database", len(report.Problems))
	}
	return nil
}

func usage(w io.Writer) {
	fmt.Fprint(w, `Sitekeeper: contacts and access of customer Sites.

Usage:
  sitekeeper [serve] [flags]      run the server (default)
  sitekeeper migrate [flags]      apply pending database migrations and exit
  sitekeeper backup [flags] FILE  write an online, consistent copy of the database to FILE
  sitekeeper check [flags]        check the database: SQLite's integrity and foreign keys, then the
                                  roster's invariants; prints every problem, exits 1 if any
  sitekeeper seed-demo [flags]    write the demo Sites, contacts and partner into the database
                                  (only when it has none; dev mode seeds at start by itself)
  sitekeeper token -as EMAIL      dev mode: print a one-hour bearer token for a demo person,
                                  issued by the running server's built-in provider
  sitekeeper seed-bench [-sites N] [-contacts-per-site N] [flags]
                                  write the benchmark data set (default 10,000 Sites, 100,000
                                  contacts, a partner with 100 grants) into an empty database

Every flag mirrors an environment variable; a flag beats its variable.
The OIDC client secret is read only from SITEKEEPER_OIDC_CLIENT_SECRET.

Flags:
`)
	config.PrintFlags(w)
}

// takeFlag removes -name VALUE, --name VALUE, -name=VALUE or --name=VALUE from args and returns
// VALUE and the other arguments (which config.Load parses).
// An absent flag is "".
func takeFlag(args []string, name string) (string, []string, error) {
	var value string
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		flag := strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-")
		switch {
		case flag == name && a != flag:
			if i+1 >= len(args) {
				return "", nil, fmt.Errorf("flag -%s needs a value", name)
			}
			value = args[i+1] // the last occurrence wins, as with the flag package
			i++
		case strings.HasPrefix(flag, name+"=") && a != flag:
			value = strings.TrimPrefix(flag, name+"=")
		default:
			rest = append(rest, a)
		}
	}
	return strings.TrimSpace(value), rest, nil
}

// token prints a bearer token for a demo person (dev mode), minted by the running server's
// built-in provider; see server.DevToken.
func token(ctx context.Context, cfg config.Config, email string, out io.Writer) error {
	if len(cfg.Args) > 0 {
		return fmt.Errorf("token takes no arguments besides -as EMAIL, got %q", cfg.Args)
	}
	if email == "" {
		return fmt.Errorf("usage: sitekeeper token -as EMAIL (a demo person, e.g. %s)", demo.PrimaryEmail)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	tok, err := server.DevToken(ctx, cfg, email, nil)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(out, tok)
	return err
}
