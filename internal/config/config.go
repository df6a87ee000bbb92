// Package config reads Sitekeeper's settings (SPEC section 6) from the environment and from
// command-line flags that mirror the variables; a flag beats its variable.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// The pinned environment variables.
const (
	EnvAddr             = "SITEKEEPER_ADDR"
	EnvPublicURL        = "SITEKEEPER_PUBLIC_URL"
	EnvDatabaseURL      = "SITEKEEPER_DATABASE_URL"
	EnvOIDCIssuer       = "SITEKEEPER_OIDC_ISSUER"
	EnvOIDCClientID     = "SITEKEEPER_OIDC_CLIENT_ID"
	EnvOIDCClientSecret = "SITEKEEPER_OIDC_CLIENT_SECRET"
	EnvOIDCAudience     = "SITEKEEPER_OIDC_AUDIENCE"
	EnvOperatorGroup    = "SITEKEEPER_OPERATOR_GROUP"
	EnvGroupsClaim      = "SITEKEEPER_GROUPS_CLAIM"
	EnvMaxSecondary     = "SITEKEEPER_MAX_SECONDARY"
	EnvLogFormat        = "SITEKEEPER_LOG_FORMAT"
	// EnvSMTPURL is where notifications are sent: smtp://user:pass@host:587?from=... (or smtps://).
	EnvSMTPURL = "SITEKEEPER_SMTP_URL"
	// EnvMetricsAddr is where Prometheus metrics are served, apart from the API; unset: nowhere.
	EnvMetricsAddr = "SITEKEEPER_METRICS_ADDR"
)

// Defaults.
const (
	DefaultAddr          = "127.0.0.1:8080"
	DefaultDatabaseURL   = "sqlite:sitekeeper.db"
	DefaultOperatorGroup = "sitekeeper-operators"
	DefaultGroupsClaim   = "groups"
	DefaultMaxSecondary  = 4
	// MaxMaxSecondary bounds SITEKEEPER_MAX_SECONDARY.
	MaxMaxSecondary = 50
)

// Log formats.
const (
	LogJSON = "json"
	LogText = "text"
)

// Config is the validated configuration. Build it with Load.
type Config struct {
	// Addr is the listen address, host:port.
	Addr string
	// PublicURL is the external base URL without a trailing slash.
	PublicURL string
	// DatabaseURL is sqlite:PATH (or, later, a postgres:// URL).
	DatabaseURL string

	OIDCIssuer       string
	OIDCClientID     string
	OIDCClientSecret string
	// OIDCAudience is the audience accepted on bearer tokens.
	OIDCAudience string
	// OperatorGroup in the GroupsClaim claim makes a token an operator's.
	OperatorGroup string
	GroupsClaim   string

	// MaxSecondary is how many SECONDARY contacts a Site may have.
	MaxSecondary int

	// LogFormat is LogJSON or LogText; Load resolves an unset value (JSON outside dev mode,
	// text in dev mode).
	LogFormat string
	// SMTPURL is the mail server for notifications; empty keeps them in the outbox (shown on the
	// dashboard in dev mode).
	SMTPURL string
	// MetricsAddr is the listen address of /metrics, host:port; empty serves no metrics. They
	// tell the request rates and error codes of the whole service, so they are not on the API's
	// address: bind it to loopback or a network only the monitoring reaches.
	MetricsAddr string

	// Args are the command-line arguments left after the flags (for example the file of
	// `sitekeeper backup FILE`).
	Args []string
}

// DevMode reports whether no issuer is configured: the server then signs people in through
// its own embedded provider and must listen on loopback only.
func (c Config) DevMode() bool { return c.OIDCIssuer == "" }

// LogValue keeps the client secret out of logs.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("addr", c.Addr),
		slog.String("public_url", c.PublicURL),
		slog.String("database_url", redactURL(c.DatabaseURL)),
		slog.Bool("dev_mode", c.DevMode()),
		slog.String("oidc_issuer", c.OIDCIssuer),
		slog.String("oidc_client_id", c.OIDCClientID),
		slog.Bool("oidc_client_secret_set", c.OIDCClientSecret != ""),
		slog.String("oidc_audience", c.OIDCAudience),
		slog.String("operator_group", c.OperatorGroup),
		slog.String("groups_claim", c.GroupsClaim),
		slog.Int("max_secondary", c.MaxSecondary),
		slog.String("log_format", c.LogFormat),
		slog.Bool("smtp_configured", c.SMTPURL != ""),
		slog.String("metrics_addr", c.MetricsAddr),
	)
}

// Warnings lists settings that are valid but deserve an operator's attention.
func (c Config) Warnings() []string {
	var w []string
	if !c.DevMode() && c.OIDCAudience == c.OIDCClientID {
		w = append(w, EnvOIDCAudience+" equals the browser client id: ID tokens issued to the "+
			"browser client are then accepted as API bearer tokens; configure a distinct API audience (SPEC 8)")
	}
	if !c.DevMode() && c.SMTPURL == "" {
		w = append(w, EnvSMTPURL+" is not set: notifications wait in the outbox until a mail server is configured")
	}
	if !c.DevMode() && strings.HasPrefix(c.PublicURL, "http://") {
		w = append(w, EnvPublicURL+" is not https: session cookies will not be Secure")
	}
	return w
}

// CheckServe validates what only matters for serving: dev mode, with its built-in identity
// provider and demo accounts, must never be reachable from another machine.
func (c Config) CheckServe() error {
	if !c.DevMode() {
		return nil
	}
	host, _, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return fmt.Errorf("%s: %w", EnvAddr, err)
	}
	if !isLoopback(host) {
		return fmt.Errorf("%s=%q: dev mode (%s unset) serves a built-in sign-in with demo accounts "+
			"and only listens on a loopback address such as 127.0.0.1:8080; set %s to run in production",
			EnvAddr, c.Addr, EnvOIDCIssuer, EnvOIDCIssuer)
	}
	return nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ErrHelp is returned by Load when -h or -help was given.
var ErrHelp = flag.ErrHelp

// Load reads the variables through getenv (os.Getenv in production) and then the flags in args
// (without the program or subcommand name). It applies the defaults and validates; every error
// names the variable it is about.
func Load(args []string, getenv func(string) string) (Config, error) {
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	env := func(name string) string { return strings.TrimSpace(getenv(name)) }
	c := Config{
		Addr:             env(EnvAddr),
		PublicURL:        env(EnvPublicURL),
		DatabaseURL:      env(EnvDatabaseURL),
		OIDCIssuer:       env(EnvOIDCIssuer),
		OIDCClientID:     env(EnvOIDCClientID),
		OIDCClientSecret: env(EnvOIDCClientSecret),
		OIDCAudience:     env(EnvOIDCAudience),
		OperatorGroup:    env(EnvOperatorGroup),
		GroupsClaim:      env(EnvGroupsClaim),
		LogFormat:        env(EnvLogFormat),
		SMTPURL:          env(EnvSMTPURL),
		MetricsAddr:      env(EnvMetricsAddr),
	}
	maxSecondary := env(EnvMaxSecondary)

	fs := newFlagSet(&c, &maxSecondary)
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	c.Args = fs.Args()
	c.LogFormat = strings.ToLower(strings.TrimSpace(c.LogFormat))

	// Defaults, some derived from other settings once flags and variables are both known.
	if c.Addr == "" {
		c.Addr = DefaultAddr
	}
	if c.PublicURL == "" {
		c.PublicURL = "http://" + c.Addr
	}
	if c.DatabaseURL == "" {
		c.DatabaseURL = DefaultDatabaseURL
	}
	if c.OIDCAudience == "" {
		c.OIDCAudience = c.OIDCClientID
	}
	if c.OperatorGroup == "" {
		c.OperatorGroup = DefaultOperatorGroup
	}
	if c.GroupsClaim == "" {
		c.GroupsClaim = DefaultGroupsClaim
	}
	if c.LogFormat == "" {
		c.LogFormat = LogJSON
		if c.DevMode() {
			c.LogFormat = LogText
		}
	}
	c.MaxSecondary = DefaultMaxSecondary
	if maxSecondary != "" {
		n, err := strconv.Atoi(maxSecondary)
		if err != nil || n < 0 || n > MaxMaxSecondary {
			return Config{}, fmt.Errorf("%s=%q: want a whole number from 0 to %d", EnvMaxSecondary, maxSecondary, MaxMaxSecondary)
		}
		c.MaxSecondary = n
	}
	if err := c.validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

func (c *Config) validate() error {
	var errs []error
	add := func(name, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", name, fmt.Sprintf(format, args...)))
	}

	if host, port, err := net.SplitHostPort(c.Addr); err != nil {
		add(EnvAddr, "%q is not host:port (for example 127.0.0.1:8080)", c.Addr)
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		add(EnvAddr, "%q has no valid port", c.Addr)
	} else if strings.ContainsAny(host, " /") {
		add(EnvAddr, "%q has an invalid host", c.Addr)
	}

	if c.MetricsAddr != "" {
		if _, port, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			add(EnvMetricsAddr, "%q is not host:port (for example 127.0.0.1:9090)", c.MetricsAddr)
		} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
			add(EnvMetricsAddr, "%q has no valid port", c.MetricsAddr)
		} else if c.MetricsAddr == c.Addr {
			add(EnvMetricsAddr, "%q is the API's address: metrics are served apart from it", c.MetricsAddr)
		}
	}

	if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		add(EnvPublicURL, "%q is not an absolute http(s) base URL such as https://sitekeeper.example.com", c.PublicURL)
	} else {
		c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	}

	scheme, _, _ := strings.Cut(c.DatabaseURL, ":")
	switch strings.ToLower(scheme) {
	case "sqlite", "sqlite3", "file", "postgres", "postgresql":
	default:
		add(EnvDatabaseURL, "%q: want sqlite:PATH or a postgres:// URL", redactURL(c.DatabaseURL))
	}

	if c.DevMode() {
		for _, v := range []struct{ name, value string }{
			{EnvOIDCClientID, c.OIDCClientID},
			{EnvOIDCClientSecret, c.OIDCClientSecret},
		} {
			if v.value != "" {
				add(v.name, "is set but %s is not; set the issuer too, or unset both for dev mode", EnvOIDCIssuer)
			}
		}
	} else {
		if u, err := url.Parse(c.OIDCIssuer); err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" ||
			!(u.Scheme == "https" || (u.Scheme == "http" && isLoopback(u.Hostname()))) {
			add(EnvOIDCIssuer, "%q is not an https URL (plain http only for a loopback issuer)", c.OIDCIssuer)
		}
		if c.OIDCClientID == "" {
			add(EnvOIDCClientID, "required when %s is set", EnvOIDCIssuer)
		}
		if c.OIDCClientSecret == "" {
			add(EnvOIDCClientSecret, "required when %s is set", EnvOIDCIssuer)
		}
		if c.OIDCAudience == "" {
			add(EnvOIDCAudience, "required when %s is set", EnvOIDCIssuer)
		}
	}
	if strings.ContainsAny(c.OperatorGroup, "\n\r") {
		add(EnvOperatorGroup, "must be one line")
	}
	if strings.ContainsAny(c.GroupsClaim, " \n\r") {
		add(EnvGroupsClaim, "%q is not a claim name", c.GroupsClaim)
	}
	switch c.LogFormat {
	case LogJSON, LogText:
	default:
		add(EnvLogFormat, "%q: want json or text", c.LogFormat)
	}
	return errors.Join(errs...)
}

// newFlagSet defines the flags over c, with the current (environment) values as defaults.
// There is deliberately no flag for the client secret: command lines are visible to every
// local user through ps.
func newFlagSet(c *Config, maxSecondary *string) *flag.FlagSet {
	fs := flag.NewFlagSet("sitekeeper", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&c.Addr, "addr", c.Addr, "listen address `host:port` ("+EnvAddr+", default "+DefaultAddr+")")
	fs.StringVar(&c.PublicURL, "public-url", c.PublicURL, "external base `URL` ("+EnvPublicURL+", default http://ADDR)")
	fs.StringVar(&c.DatabaseURL, "database-url", c.DatabaseURL, "`sqlite:PATH` or postgres:// URL ("+EnvDatabaseURL+", default "+DefaultDatabaseURL+")")
	fs.StringVar(&c.OIDCIssuer, "oidc-issuer", c.OIDCIssuer, "OIDC issuer `URL`; unset means dev mode ("+EnvOIDCIssuer+")")
	fs.StringVar(&c.OIDCClientID, "oidc-client-id", c.OIDCClientID, "browser sign-in client `id` ("+EnvOIDCClientID+"; the secret comes only from "+EnvOIDCClientSecret+")")
	fs.StringVar(&c.OIDCAudience, "oidc-audience", c.OIDCAudience, "`audience` accepted on bearer tokens ("+EnvOIDCAudience+", default the client id)")
	fs.StringVar(&c.OperatorGroup, "operator-group", c.OperatorGroup, "`group` that makes a token an operator's ("+EnvOperatorGroup+", default "+DefaultOperatorGroup+")")
	fs.StringVar(&c.GroupsClaim, "groups-claim", c.GroupsClaim, "`claim` holding the groups ("+EnvGroupsClaim+", default "+DefaultGroupsClaim+")")
	fs.StringVar(maxSecondary, "max-secondary", *maxSecondary, "Secondary Contacts per Site, `n` ("+EnvMaxSecondary+", default "+strconv.Itoa(DefaultMaxSecondary)+")")
	fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "`json` or text ("+EnvLogFormat+", default json, text in dev mode)")
	fs.StringVar(&c.MetricsAddr, "metrics-addr", c.MetricsAddr, "listen address `host:port` of /metrics, apart from the API ("+EnvMetricsAddr+", default none: no metrics served)")
	return fs
}

// PrintFlags writes the flags and the variables they mirror to w.
func PrintFlags(w io.Writer) {
	var c Config
	var s string
	fs := newFlagSet(&c, &s)
	fs.SetOutput(w)
	fs.PrintDefaults()
}

// redactURL hides a password in a database URL.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	return u.Redacted()
}
