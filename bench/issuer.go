package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"golang.org/x/oauth2/clientcredentials"

	"sitekeeper/internal/benchseed"
	"sitekeeper/internal/devidp"
)

// The identity the benchmark runs with: a real OpenID Provider on 127.0.0.1 (the same
// zitadel-based provider dev mode serves), configured into Sitekeeper as an external issuer, as
// production would be.
const (
	webClientID     = "sitekeeper-bench-web"
	webClientSecret = "bench-web-secret"
	partnerSecret   = "bench-partner-secret"
	apiAudience     = "https://api.bench.sitekeeper.example"
)

type issuer struct {
	url     string // the issuer identifier
	idp     *devidp.Provider
	srv     *http.Server
	layout  benchseed.Options
	primary []string // the PRIMARY of every large Site, by Site index
}

// startIssuer serves the provider with a person for the PRIMARY of every large Site and the
// benchmark partner as a client-credentials client.
func startIssuer(ctx context.Context, o options) (*issuer, error) {
	layout, err := benchseed.Options{Sites: o.sites, ContactsPerSite: o.contactsPerSite, PartnerSites: o.sites}.WithDefaults()
	if err != nil {
		return nil, err
	}
	if layout.LargeSites < 4 || layout.PartnerSites < 1 {
		return nil, fmt.Errorf("the data set is too small: %d large Sites (want 4 or more) and %d partner Sites", layout.LargeSites, layout.PartnerSites)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	iss := &issuer{url: "http://" + ln.Addr().String() + "/idp", layout: layout}
	var people []devidp.Person
	for i := range layout.LargeSites {
		email := benchseed.PrimaryEmail(i)
		iss.primary = append(iss.primary, email)
		people = append(people, devidp.Person{Subject: fmt.Sprintf("bench-primary-%d", i), Email: email, Name: "Primary " + benchseed.SiteNumber(i)})
	}
	iss.idp, err = devidp.New(devidp.Config{
		Issuer: iss.url,
		People: people,
		Clients: []devidp.Client{
			{ID: webClientID, Secret: webClientSecret, RedirectURIs: []string{"http://127.0.0.1/auth/callback"}},
			{ID: benchseed.PartnerClientID, Secret: partnerSecret, CredentialsOnly: true},
		},
		APIAudience: apiAudience,
		Logger:      slog.New(slog.DiscardHandler),
	})
	if err != nil {
		_ = ln.Close()
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/idp/", iss.idp.Handler())
	iss.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = iss.srv.Serve(ln) }()
	return iss, nil
}

func (iss *issuer) close() { _ = iss.srv.Close() }

// token is a bearer token for the PRIMARY of large Site i.
func (iss *issuer) token(i int) (string, error) {
	return iss.idp.AccessToken(iss.primary[i], 2*time.Hour)
}

// partnerToken is the partner's client-credentials token, fetched from the token endpoint.
func (iss *issuer) partnerToken(ctx context.Context) (string, error) {
	cc := clientcredentials.Config{ClientID: benchseed.PartnerClientID, ClientSecret: partnerSecret, TokenURL: iss.url + "/oauth/token"}
	tok, err := cc.Token(ctx)
	if err != nil {
		return "", fmt.Errorf("partner token: %w", err)
	}
	return tok.AccessToken, nil
}

// serverEnv configures `sitekeeper serve` (and the in-process server) with the issuer.
func (iss *issuer) serverEnv(dbURL, addr string) map[string]string {
	return map[string]string{
		"SITEKEEPER_ADDR":               addr,
		"SITEKEEPER_DATABASE_URL":       dbURL,
		"SITEKEEPER_OIDC_ISSUER":        iss.url,
		"SITEKEEPER_OIDC_CLIENT_ID":     webClientID,
		"SITEKEEPER_OIDC_CLIENT_SECRET": webClientSecret,
		"SITEKEEPER_OIDC_AUDIENCE":      apiAudience,
		"SITEKEEPER_LOG_FORMAT":         "json",
	}
}

// timeStarts starts `sitekeeper serve` n times on the seeded database and measures the time
// from exec to the first 200 from /healthz; each process is stopped with SIGTERM.
func timeStarts(ctx context.Context, bin, dbURL string, iss *issuer, n int) ([]time.Duration, error) {
	var out []time.Duration
	for i := range n {
		addr, err := freeAddr()
		if err != nil {
			return nil, err
		}
		env := iss.serverEnv(dbURL, addr)
		cmd := exec.CommandContext(ctx, bin, "serve")
		cmd.Env = os.Environ()
		for k, v := range env {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		logFile, err := os.CreateTemp(filepath.Dir(bin), "serve-*.log")
		if err != nil {
			return nil, err
		}
		cmd.Stdout, cmd.Stderr = logFile, logFile
		cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
		cmd.WaitDelay = 30 * time.Second
		began := time.Now()
		if err := cmd.Start(); err != nil {
			_ = logFile.Close()
			return nil, err
		}
		err = waitHealthy(ctx, "http://"+addr+"/healthz", 30*time.Second)
		took := time.Since(began)
		_ = cmd.Process.Signal(syscall.SIGTERM)
		werr := cmd.Wait()
		_ = logFile.Close()
		if err != nil {
			b, _ := os.ReadFile(logFile.Name())
			return nil, fmt.Errorf("start %d: %w\n%s", i+1, err, b)
		}
		if werr != nil {
			b, _ := os.ReadFile(logFile.Name())
			return nil, fmt.Errorf("start %d: the server did not stop cleanly on SIGTERM: %v\n%s", i+1, werr, b)
		}
		_ = os.Remove(logFile.Name())
		out = append(out, took)
	}
	slices.Sort(out)
	return out, nil
}

// waitHealthy polls url every 2 ms until it answers 200.
func waitHealthy(ctx context.Context, url string, limit time.Duration) error {
	began := time.Now()
	client := &http.Client{Timeout: time.Second}
	for time.Since(began) < limit {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := client.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		} else if ctx.Err() != nil {
			return ctx.Err()
		}
		time.Sleep(2 * time.Millisecond)
	}
	return errors.New("not healthy within " + limit.String())
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// run runs a command, showing its output only when it fails.
func run(ctx context.Context, env []string, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, out)
	}
	return nil
}
