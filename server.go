// Command sitekeeper serves the Sitekeeper GraphQL API. It only parses the command line and
// wires the internal packages together.
//
//	sitekeeper [serve] [flags]     run the server (the default)
//	sitekeeper migrate [flags]     apply pending database migrations and exit
//	sitekeeper backup [flags] FILE write an online, consistent copy of the database to FILE
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"

	_ "sitekeeper/ent/runtime" // privacy policies, hooks and defaults register here
	"sitekeeper/graph"
	"sitekeeper/internal/auth"
	"sitekeeper/internal/config"
	"sitekeeper/internal/db"
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
	if cfg.DevMode() {
		logger.Warn("DEV MODE: " + config.EnvOIDCIssuer + " is not set; there is no real sign-in and " +
			"every request is anonymous. Never expose this server; it listens on loopback only.")
	}
	for _, w := range cfg.Warnings() {
		logger.Warn(w)
	}
	client, sqlDB, err := db.Open(ctx, cfg.DatabaseURL, logger)
	if err != nil {
		return err
	}
	if err := db.Migrate(ctx, sqlDB, logger); err != nil {
		_ = client.Close()
		return err
	}
	var authenticate func(http.Handler) http.Handler
	if !cfg.DevMode() {
		a, err := auth.New(ctx, client, auth.Config{Issuer: cfg.OIDCIssuer, Audience: cfg.OIDCAudience,
			OperatorGroup: cfg.OperatorGroup, GroupsClaim: cfg.GroupsClaim, Logger: logger})
		if err != nil {
			_ = client.Close()
			return err
		}
		authenticate = a.Middleware
	}
	gql := graph.NewHandler(client, graph.Options{DevMode: cfg.DevMode(), MaxSecondary: cfg.MaxSecondary, Logger: logger})
	srv := server.New(cfg, server.Deps{DB: sqlDB, GraphQL: gql, Authenticate: authenticate, Logger: logger})
	return srv.Run(ctx) // closes the database when it stops
}

func migrate(ctx context.Context, cfg config.Config, logger *slog.Logger) error {
	if len(cfg.Args) > 0 {
		return fmt.Errorf("migrate takes no arguments, got %q", cfg.Args)
	}
	client, sqlDB, err := db.Open(ctx, cfg.DatabaseURL, logger)
	if err != nil {
		return err
	}
	defer client.Close()
	return db.Migrate(ctx, sqlDB, logger)
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

func usage(w io.Writer) {
	fmt.Fprint(w, `Sitekeeper: contacts and access of customer Sites.

Usage:
  sitekeeper [serve] [flags]      run the server (default)
  sitekeeper migrate [flags]      apply pending database migrations and exit
  sitekeeper backup [flags] FILE  write an online, consistent copy of the database to FILE

Every flag mirrors an environment variable; a flag beats its variable.
The OIDC client secret is read only from SITEKEEPER_OIDC_CLIENT_SECRET.

Flags:
`)
	config.PrintFlags(w)
}
