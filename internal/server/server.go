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
	"sitekeeper/internal/metrics"
	"strconv"
	"sync"
	"time"

	"sitekeeper/internal/config"
	"sitekeeper/internal/ratelimit"
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
	// Authenticate attaches the viewer of a bearer token (auth.(*Authenticator).Middleware).
	// Nil: bearer tokens are not accepted.
	Authenticate func(http.Handler) http.Handler
	// Session attaches the viewer of a browser session cookie (signin.SessionMiddleware); it
	// runs before Authenticate, and leaves requests with an Authorization header to it.
	Session func(http.Handler) http.Handler
	// CSRF refuses cross-origin and header-less cookie-authenticated unsafe requests
	// (signin.CSRF); it runs after both authentication middlewares.
	CSRF func(http.Handler) http.Handler
	// SignIn serves /auth/ (login, callback, logout): a *signin.Handler.
	SignIn http.Handler
	// DevIDP serves /dev-idp/ in dev mode (devidp.(*Provider).Handler). It authenticates its
	// own clients, so it is outside the session and bearer middlewares; CSRF still guards it.
	DevIDP http.Handler
	// Routes are further application routes (pattern -> handler), served behind the session,
	// bearer and CSRF middlewares like /graphql: e.g. "GET /sites/{number}/review.ics".
	Routes map[string]http.Handler
	// SPA serves the dashboard: /assets/ directly, any other path (client routes) behind the
	// application middlewares. Nil: nothing is served at /.
	SPA http.Handler
	// Metrics count every request by route; they are served at /metrics on the configured
	// metrics address only (config.MetricsAddr), never on the API's. Nil: no metrics.
	Metrics *metrics.Metrics
	// Jobs run in the background while the server serves (session cleanup); each gets a
	// context that ends at shutdown, and Serve waits for them before closing the database.
	Jobs []func(context.Context)
	// Logger must be built with NewLogger (or wrap its handler with ContextHandler) so that
	// every line carries the request id.
	Logger *slog.Logger
	// LoginPerMinute and LoginBurst bound how often one client address may start a sign-in at
	// GET /auth/login, which writes a row each time; DefaultLoginPerMinute and
	// DefaultLoginBurst when 0.
	LoginPerMinute int
	LoginBurst     int
}

// Sign-in rate limit defaults, per client address: generous for an office behind one address,
// far below what would grow the login_states table faster than its cleanup empties it.
const (
	DefaultLoginPerMinute = 30
	DefaultLoginBurst     = 20
)

// Server is the assembled HTTP server.
type Server struct {
	cfg    config.Config
	deps   Deps
	log    *slog.Logger
	http   *http.Server
	logins *ratelimit.Limiter
}

// New assembles the server; Run starts it.
func New(cfg config.Config, deps Deps) *Server {
	if deps.Logger == nil {
		deps.Logger = slog.New(ContextHandler(slog.DiscardHandler))
	}
	for _, m := range []*func(http.Handler) http.Handler{&deps.Authenticate, &deps.Session, &deps.CSRF} {
		if *m == nil {
			*m = func(h http.Handler) http.Handler { return h }
		}
	}
	if deps.LoginPerMinute <= 0 {
		deps.LoginPerMinute = DefaultLoginPerMinute
	}
	if deps.LoginBurst <= 0 {
		deps.LoginBurst = DefaultLoginBurst
	}
	s := &Server{cfg: cfg, deps: deps, log: deps.Logger,
		logins: ratelimit.New(ratelimit.Config{PerMinute: deps.LoginPerMinute, Burst: deps.LoginBurst})}
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

// DevIDPPath is where the dev-mode OpenID Provider is mounted; its issuer is PublicURL + DevIDPPath.
const DevIDPPath = "/dev-idp"

// Handler is the complete handler: routes inside the middleware chain.
//
// Every request passes request id -> access log -> panic recovery. Then the application routes
// (/graphql, /auth/*, later /playground and the SPA) pass session -> bearer token (a bearer
// header wins) -> CSRF; /dev-idp/ (its own client authentication, HTTP Basic included) passes
// CSRF only, and /healthz nothing more.
func (s *Server) Handler() http.Handler {
	app := http.NewServeMux()
	app.Handle("POST /graphql", s.deps.GraphQL)
	app.Handle("GET /graphql", s.deps.GraphQL)
	if s.deps.SignIn != nil {
		app.Handle("/auth/", s.deps.SignIn)
		app.Handle("GET /auth/login", s.limitLogins(s.deps.SignIn))
	}
	for pattern, h := range s.deps.Routes {
		app.Handle(pattern, h)
	}
	if s.deps.SPA != nil {
		app.Handle("/", s.deps.SPA) // answers 405 to anything but GET and HEAD
	}

	root := http.NewServeMux()
	root.HandleFunc("GET /healthz", s.healthz)
	root.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	})
	if s.deps.DevIDP != nil {
		root.Handle(DevIDPPath+"/", s.deps.CSRF(s.deps.DevIDP))
	}
	if s.deps.SPA != nil {
		// Static files need no viewer: spare them the session lookup.
		root.Handle("GET /assets/", s.deps.SPA)
	}
	root.Handle("/", s.deps.Session(s.deps.Authenticate(s.deps.CSRF(withPublicURL(s.cfg.PublicURL, app)))))

	// Outermost first: the request id exists before anything logs; recovery sits inside the
	// access log so that a panic is logged as the 500 it became.
	var handler http.Handler = root
	if s.deps.Metrics != nil {
		handler = s.deps.Metrics.Instrument(routeOf, root)
	}
	return requestID(accessLog(s.log, recoverPanics(s.log, handler)))
}

// MetricsHandler serves GET /metrics, for the metrics address; nil without metrics.
func (s *Server) MetricsHandler() http.Handler {
	if s.deps.Metrics == nil {
		return nil
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", s.deps.Metrics.Handler())
	return mux
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
	if h := s.MetricsHandler(); h != nil && s.cfg.MetricsAddr != "" {
		mln, err := lc.Listen(ctx, "tcp", s.cfg.MetricsAddr)
		if err != nil {
			_ = ln.Close()
			s.closeDB(ctx)
			return fmt.Errorf("listen on %s: %w", s.cfg.MetricsAddr, err)
		}
		ms := &http.Server{Handler: h, ReadHeaderTimeout: ReadHeaderTimeout, ReadTimeout: ReadTimeout,
			WriteTimeout: WriteTimeout, ErrorLog: s.http.ErrorLog}
		s.log.InfoContext(ctx, "serving metrics", "addr", mln.Addr().String())
		go func() { _ = ms.Serve(mln) }()
		defer ms.Close()
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
	jobsCtx, stopJobs := context.WithCancel(ctx)
	var jobs sync.WaitGroup
	for _, job := range s.deps.Jobs {
		jobs.Go(func() { job(jobsCtx) })
	}
	// The jobs use the database: they stop before it closes.
	closeDB := func() {
		stopJobs()
		jobs.Wait()
		s.closeDB(ctx)
	}

	select {
	case err := <-errc: // Serve failed on its own.
		closeDB()
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
	closeDB()
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

// limitLogins refuses a client address that starts sign-ins faster than the login rate limit
// allows: 429 with Retry-After, before a row is written.
func (s *Server) limitLogins(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		wait, ok := s.logins.Take(clientAddress(r), 1)
		if !ok {
			secs := ratelimit.RetryAfterSeconds(wait)
			s.log.WarnContext(r.Context(), "sign-in rate limit: refused", "client", clientAddress(r), "retry_after_s", secs)
			w.Header().Set("Retry-After", strconv.Itoa(secs))
			w.Header().Set("Cache-Control", "no-store")
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = fmt.Fprintf(w, "Too many sign-in attempts from your address. Try again in %d seconds.\n", secs)
			return
		}
		next.ServeHTTP(w, r)
	})
}
