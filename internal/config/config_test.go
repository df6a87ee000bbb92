package config

import (
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"testing"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// production is a valid non-dev environment.
var production = map[string]string{
	EnvAddr:             "0.0.0.0:8443",
	EnvPublicURL:        "https://sitekeeper.example.com/",
	EnvOIDCIssuer:       "https://login.example.com/realms/vendor",
	EnvOIDCClientID:     "sitekeeper-web",
	EnvOIDCClientSecret: "s3cret",
	EnvOIDCAudience:     "sitekeeper-api",
}

func with(base map[string]string, kv ...string) map[string]string {
	m := map[string]string{}
	for k, v := range base {
		m[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

func TestLoad(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want Config
	}{
		{
			name: "defaults",
			want: Config{
				Addr: "127.0.0.1:8080", PublicURL: "http://127.0.0.1:8080", DatabaseURL: "sqlite:sitekeeper.db",
				OperatorGroup: "sitekeeper-operators", GroupsClaim: "groups", MaxSecondary: 4, LogFormat: "text",
			},
		},
		{
			name: "public URL follows the addr flag",
			args: []string{"-addr", "localhost:9000"},
			want: Config{
				Addr: "localhost:9000", PublicURL: "http://localhost:9000", DatabaseURL: "sqlite:sitekeeper.db",
				OperatorGroup: "sitekeeper-operators", GroupsClaim: "groups", MaxSecondary: 4, LogFormat: "text",
			},
		},
		{
			name: "production from the environment",
			env:  production,
			want: Config{
				Addr: "0.0.0.0:8443", PublicURL: "https://sitekeeper.example.com", DatabaseURL: "sqlite:sitekeeper.db",
				OIDCIssuer: "https://login.example.com/realms/vendor", OIDCClientID: "sitekeeper-web",
				OIDCClientSecret: "s3cret", OIDCAudience: "sitekeeper-api",
				OperatorGroup: "sitekeeper-operators", GroupsClaim: "groups", MaxSecondary: 4, LogFormat: "json",
			},
		},
		{
			name: "audience defaults to the client id",
			env:  with(production, EnvOIDCAudience, ""),
			want: Config{
				Addr: "0.0.0.0:8443", PublicURL: "https://sitekeeper.example.com", DatabaseURL: "sqlite:sitekeeper.db",
				OIDCIssuer: "https://login.example.com/realms/vendor", OIDCClientID: "sitekeeper-web",
				OIDCClientSecret: "s3cret", OIDCAudience: "sitekeeper-web",
				OperatorGroup: "sitekeeper-operators", GroupsClaim: "groups", MaxSecondary: 4, LogFormat: "json",
			},
		},
		{
			name: "flags beat variables, leftovers are Args",
			env: with(production, EnvDatabaseURL, "sqlite:env.db", EnvMaxSecondary, "2", EnvOperatorGroup, "ops",
				EnvGroupsClaim, "roles", EnvLogFormat, "json"),
			args: []string{"-database-url", "sqlite:/srv/flag.db", "-max-secondary=6", "-operator-group", "staff",
				"-groups-claim", "grp", "-log-format", "TEXT", "-oidc-audience", "api", "-public-url", "https://sk.example.org",
				"backup.db"},
			want: Config{
				Addr: "0.0.0.0:8443", PublicURL: "https://sk.example.org", DatabaseURL: "sqlite:/srv/flag.db",
				OIDCIssuer: "https://login.example.com/realms/vendor", OIDCClientID: "sitekeeper-web",
				OIDCClientSecret: "s3cret", OIDCAudience: "api",
				OperatorGroup: "staff", GroupsClaim: "grp", MaxSecondary: 6, LogFormat: "text",
				Args: []string{"backup.db"},
			},
		},
		{
			name: "loopback http issuer is allowed",
			env: map[string]string{EnvOIDCIssuer: "http://127.0.0.1:5556/dex", EnvOIDCClientID: "web",
				EnvOIDCClientSecret: "x", EnvMaxSecondary: "0"},
			want: Config{
				Addr: "127.0.0.1:8080", PublicURL: "http://127.0.0.1:8080", DatabaseURL: "sqlite:sitekeeper.db",
				OIDCIssuer: "http://127.0.0.1:5556/dex", OIDCClientID: "web", OIDCClientSecret: "x", OIDCAudience: "web",
				OperatorGroup: "sitekeeper-operators", GroupsClaim: "groups", MaxSecondary: 0, LogFormat: "json",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Load(tt.args, envOf(tt.env))
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if len(got.Args) == 0 {
				got.Args = nil
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Load =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestLoadErrorsNameTheVariable(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantVar string
	}{
		{"addr without port", nil, map[string]string{EnvAddr: "localhost"}, EnvAddr},
		{"addr bad port", []string{"-addr", "127.0.0.1:http99"}, nil, EnvAddr},
		{"public URL not absolute", nil, map[string]string{EnvPublicURL: "sitekeeper.example.com"}, EnvPublicURL},
		{"public URL ftp", nil, map[string]string{EnvPublicURL: "ftp://x"}, EnvPublicURL},
		{"public URL with query", nil, map[string]string{EnvPublicURL: "https://x/?a=1"}, EnvPublicURL},
		{"database URL scheme", nil, map[string]string{EnvDatabaseURL: "mysql://u:pw@db/x"}, EnvDatabaseURL},
		{"database URL bare path", nil, map[string]string{EnvDatabaseURL: "sitekeeper.db"}, EnvDatabaseURL},
		{"max secondary not a number", nil, map[string]string{EnvMaxSecondary: "four"}, EnvMaxSecondary},
		{"max secondary negative", []string{"-max-secondary", "-1"}, nil, EnvMaxSecondary},
		{"max secondary too large", nil, map[string]string{EnvMaxSecondary: "51"}, EnvMaxSecondary},
		{"log format", nil, map[string]string{EnvLogFormat: "xml"}, EnvLogFormat},
		{"issuer not https", nil, with(production, EnvOIDCIssuer, "http://login.example.com"), EnvOIDCIssuer},
		{"issuer not a URL", nil, with(production, EnvOIDCIssuer, "login.example.com"), EnvOIDCIssuer},
		{"issuer without client id", nil, with(production, EnvOIDCClientID, ""), EnvOIDCClientID},
		{"issuer without secret", nil, with(production, EnvOIDCClientSecret, ""), EnvOIDCClientSecret},
		{"client id without issuer", nil, map[string]string{EnvOIDCClientID: "web"}, EnvOIDCClientID},
		{"secret without issuer", nil, map[string]string{EnvOIDCClientSecret: "x"}, EnvOIDCClientSecret},
		{"groups claim with space", nil, map[string]string{EnvGroupsClaim: "my groups"}, EnvGroupsClaim},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(tt.args, envOf(tt.env))
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			if !strings.Contains(err.Error(), tt.wantVar) {
				t.Fatalf("error %q does not name %s", err, tt.wantVar)
			}
			if strings.Contains(err.Error(), "pw@") || strings.Contains(err.Error(), "s3cret") {
				t.Fatalf("error %q leaks a secret", err)
			}
		})
	}
}

func TestLoadFlagErrors(t *testing.T) {
	if _, err := Load([]string{"-h"}, nil); !errors.Is(err, ErrHelp) {
		t.Fatalf("-h: %v, want ErrHelp", err)
	}
	if _, err := Load([]string{"-no-such-flag"}, nil); err == nil {
		t.Fatal("unknown flag accepted")
	}
	if _, err := Load([]string{"-oidc-client-secret", "x"}, nil); err == nil {
		t.Fatal("a client secret flag exists; secrets on command lines leak through ps")
	}
}

func TestDevModeAndCheckServe(t *testing.T) {
	tests := []struct {
		addr    string
		issuer  bool
		wantErr bool
	}{
		{"127.0.0.1:8080", false, false},
		{"localhost:8080", false, false},
		{"[::1]:8080", false, false},
		{"127.0.0.2:0", false, false},
		{"0.0.0.0:8080", false, true},
		{":8080", false, true},
		{"192.168.1.10:8080", false, true},
		{"sitekeeper.internal:8080", false, true},
		{"0.0.0.0:8080", true, false},
		{":8080", true, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s issuer=%v", tt.addr, tt.issuer), func(t *testing.T) {
			env := map[string]string{EnvAddr: tt.addr}
			if tt.issuer {
				env = with(production, EnvAddr, tt.addr)
			}
			c, err := Load(nil, envOf(env))
			if err != nil {
				t.Fatal(err)
			}
			if c.DevMode() == tt.issuer {
				t.Fatalf("DevMode() = %v with issuer=%v", c.DevMode(), tt.issuer)
			}
			err = c.CheckServe()
			if (err != nil) != tt.wantErr {
				t.Fatalf("CheckServe() = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil && (!strings.Contains(err.Error(), EnvAddr) || !strings.Contains(err.Error(), "loopback")) {
				t.Fatalf("CheckServe() error %q should name %s and say loopback", err, EnvAddr)
			}
		})
	}
}

func TestWarningsAndLogValue(t *testing.T) {
	c, err := Load(nil, envOf(with(production, EnvOIDCAudience, "", EnvDatabaseURL, "postgres://sk:hunter2@db/sk")))
	if err != nil {
		t.Fatal(err)
	}
	if w := c.Warnings(); len(w) != 2 || !strings.Contains(w[0], EnvOIDCAudience) || !strings.Contains(w[1], EnvSMTPURL) {
		t.Fatalf("Warnings() = %q, want one about the audience and one about SMTP", w)
	}
	var b strings.Builder
	slog.New(slog.NewTextHandler(&b, nil)).Info("config", "config", c)
	if strings.Contains(b.String(), "s3cret") || strings.Contains(b.String(), "hunter2") {
		t.Fatalf("log line leaks a secret: %s", b.String())
	}
	dev, _ := Load(nil, nil)
	if w := dev.Warnings(); len(w) != 0 {
		t.Fatalf("dev mode warnings: %q", w)
	}
}

func TestPrintFlags(t *testing.T) {
	var b strings.Builder
	PrintFlags(&b)
	for _, want := range []string{"-addr", "-database-url", EnvDatabaseURL, "-max-secondary", "-log-format"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("usage lacks %s:\n%s", want, b.String())
		}
	}
}
