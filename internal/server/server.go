// Package server assembles Sitekeeper's HTTP server: the routes, the middleware every request
// passes through (request id, access log, panic recovery), the http.Server timeouts and a
// graceful shutdown that lets in-flight requests finish before the database closes.
package server

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"sitekeeper/internal/config"
)

// Timeouts of the http.Server. A GraphQL request has its own 10 s deadline inside the handler.
const (
	ReadHeaderTimeout = 5 * time.Second
	ReadTimeout       = 30 * time.Second
	WriteTimeout      = 60 * time.Second
	IdleTimeout       = 2 * time.Minute
	MaxHeaderBytes    = 64 << 10
	// ShutdownTimeout is how long in-flight requests get to finish after SIGTERM.
	ShutdownTimeout = 30 * time.Second
	// HealthTimeout bounds the database check behind /healthz.
	HealthTimeout = 2 * time.Second
)

// Deps are what the server serves. The caller (server.go) builds them.
type Deps struct {
	// DB answers /healthz and is closed after shutdown.
	DB *sql.DB
	// GraphQL serves POST and GET /graphql: graph.NewHandler(client, graph.Options{...}).
	GraphQL http.Handler
	// Authenticate attaches the request's viewer (auth.(*Authenticator).Middleware). Nil in dev
	// mode until the dev-mode sign-in lands: requests are then anonymous.
	Authenticate func(http.Handler) http.Handler
	// Logger must be built with NewLogger (or wrap its handler with ContextHandler) so that
	// every line carries the request id.
	Logger *slog.Logger
}

// Server is the assembled HTTP server.
type Server struct {
	cfg  config.Config
	deps Deps
	log  *slog.Logger
	http *http.Server
}

// New assembles the server; Run starts it.
func New(cfg config.Config, deps Deps) *Server {
	if deps.Logger == nil {
		deps.Logger = slog.New(ContextHandler(slog.DiscardHandler))
	}
	if deps.Authenticate == nil {
		deps.Authenticate = func(h http.Handler) http.Handler { return h }
	}
	s := &Server{cfg: cfg, deps: deps, log: deps.Logger}
	s.http = &http.Server{
		Addr:              cfg.Addr,
		Handler:           s.Handler(),
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       ReadTimeout,
		WriteTimeout:      WriteTimeout,
		IdleTimeout:       IdleTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(deps.Logger.Handler(), slog.LevelWarn),
	}
	return s
}

// HTTPServer exposes the underlying http.Server (for its settings; use Run to serve).
func (s *Server) HTTPServer() *http.Server { return s.http }

// Handler is the complete handler: routes inside the middleware chain.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	gql := s.deps.Authenticate(s.deps.GraphQL)
	mux.Handle("POST /graphql", gql)
	mux.Handle("GET /graphql", gql)
	mux.HandleFunc("GET /healthz", s.healthz)
	// Later issues mount here: /auth/* (browser sign-in), /dev-idp (dev mode), /playground,
	// /metrics and the SPA at /.

	// Outermost first: the request id exists before anything logs; recovery sits inside the
	// access log so that a panic is logged as the 500 it became.
	return requestID(accessLog(s.log, recoverPanics(s.log, mux)))
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), HealthTimeout)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if s.deps.DB == nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("no database\n"))
		return
	}
	if err := s.deps.DB.PingContext(ctx); err != nil {
		s.log.WarnContext(ctx, "health check: database does not answer", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("database unavailable\n"))
		return
	}
	_, _ = w.Write([]byte("ok\n"))
}

// Run listens on the configured address and serves until ctx is cancelled (SIGTERM or SIGINT
// in server.go), then shuts down gracefully; see Serve.
func (s *Server) Run(ctx context.Context) error {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", s.cfg.Addr)
	if err != nil {
		s.closeDB(ctx)
		return fmt.Errorf("listen on %s: %w", s.cfg.Addr, err)
	}
	return s.Serve(ctx, ln)
}

// Serve serves on ln until ctx is cancelled. It then stops accepting connections, gives
// in-flight requests up to ShutdownTimeout to finish, and closes the database. It returns nil
// after a clean shutdown.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	s.log.InfoContext(ctx, "listening", "addr", ln.Addr().String(), "public_url", s.cfg.PublicURL, "dev_mode", s.cfg.DevMode())
	errc := make(chan error, 1)
	go func() { errc <- s.http.Serve(ln) }()

	select {
	case err := <-errc: // Serve failed on its own.
		s.closeDB(ctx)
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}

	s.log.InfoContext(ctx, "shutting down: draining in-flight requests", "timeout", ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ShutdownTimeout)
	defer cancel()
	err := s.http.Shutdown(sctx)
	if err != nil {
		s.log.ErrorContext(ctx, "graceful shutdown timed out; closing the remaining connections", "err", err)
		_ = s.http.Close()
		err = fmt.Errorf("shutdown: %w", err)
	}
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = fmt.Errorf("serve: %w", serr)
	}
	s.closeDB(ctx)
	if err == nil {
		s.log.InfoContext(ctx, "stopped")
	}
	return err
}

func (s *Server) closeDB(ctx context.Context) {
	if s.deps.DB == nil {
		return
	}
	if err := s.deps.DB.Close(); err != nil {
		s.log.ErrorContext(ctx, "closing the database", "err", err)
	}
}
