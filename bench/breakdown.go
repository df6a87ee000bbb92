package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
)

// category is one part of the process a CPU sample can be charged to. A sample goes to the
// category of the innermost frame of its stack that matches one, so that time is charged to the
// innermost layer of interest: a SQL query run by an ent query run by a resolver is SQL time,
// an allocation in a resolver is GraphQL time, a GC assist is GC time.
type category struct {
	name string
	re   *regexp.Regexp
}

var categories = []category{
	{"garbage collector (marking, sweeping, assists)", regexp.MustCompile(`^runtime\.(gcBgMarkWorker|gcDrain|gcAssistAlloc|bgsweep|bgscavenge|markroot|scanobject|gcMark)`)},
	{"load generator (HTTP client)", regexp.MustCompile(`^main\.(runScenario|post|get)\b|^net/http\.\(\*(Transport|persistConn)\)`)},
	{"SQL driver (database/sql, go-sqlite3 with cgo, pgx)", regexp.MustCompile(`^database/sql\.|mattn/go-sqlite3|jackc/pgx|^_cgo|^runtime\.cgocall`)},
	{"ent (query building, scanning, privacy rules, hooks, audit)", regexp.MustCompile(`^entgo\.io/ent|^sitekeeper/ent[./]|^sitekeeper/internal/(rule|policy|audit|invariant|roster)\.`)},
	{"token verification, sessions, identity", regexp.MustCompile(`coreos/go-oidc|go-jose|^sitekeeper/internal/(auth|session|signin)\.|^crypto/rsa|^crypto/internal/fips140/(rsa|bigmod)`)},
	{"GraphQL (parse, validate, cost, execute, marshal)", regexp.MustCompile(`99designs/gqlgen|vektah/gqlparser|^sitekeeper/graph`)},
	{"baseline handler (JSON, its SQL excluded)", regexp.MustCompile(`^main\.\(\*baseline\)|^main\.writeJSON`)},
	{"HTTP server, middleware, access log", regexp.MustCompile(`^net/http\.|^log/slog|^sitekeeper/internal/server\.|^encoding/json`)},
}

const otherCategory = "network, scheduler, other runtime"

// share is a category's part of a profile.
type share struct {
	name    string
	seconds float64
	percent float64
}

// pprofBreakdown charges every sample of a CPU profile to a category (see categories).
func pprofBreakdown(ctx context.Context, path string) ([]share, error) {
	out, err := exec.CommandContext(ctx, "go", "tool", "pprof", "-raw", path).Output()
	if err != nil {
		return nil, fmt.Errorf("go tool pprof -raw: %w", err)
	}
	type sample struct {
		nanos int64
		locs  []int
	}
	var samples []sample
	funcs := map[int][]string{} // location id -> function names (inlined frames included)
	section, current := "", 0
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case line == "Samples:", line == "Locations", line == "Mappings":
			section = line
			continue
		case trimmed == "":
			continue
		}
		switch section {
		case "Samples:":
			values, stack, ok := strings.Cut(trimmed, ":")
			if !ok {
				continue // the header line
			}
			f := strings.Fields(values)
			if len(f) < 2 {
				continue
			}
			n, err := strconv.ParseInt(f[1], 10, 64)
			if err != nil {
				continue
			}
			var s sample
			s.nanos = n
			for _, id := range strings.Fields(stack) {
				if v, err := strconv.Atoi(id); err == nil {
					s.locs = append(s.locs, v)
				}
			}
			samples = append(samples, s)
		case "Locations":
			f := strings.Fields(trimmed)
			if id, ok := strings.CutSuffix(f[0], ":"); ok && len(f) >= 4 && strings.HasPrefix(f[1], "0x") {
				current, _ = strconv.Atoi(id)
				funcs[current] = append(funcs[current], f[3])
			} else if current != 0 {
				funcs[current] = append(funcs[current], f[0]) // an inlined frame of the location above
			}
		}
	}
	totals := map[string]int64{}
	var all int64
	for _, s := range samples {
		all += s.nanos
		name := otherCategory
	match:
		for _, loc := range s.locs { // innermost first
			for _, fn := range funcs[loc] { // inlined frames, innermost first
				for _, c := range categories {
					if c.re.MatchString(fn) {
						name = c.name
						break match
					}
				}
			}
		}
		totals[name] += s.nanos
	}
	if all == 0 {
		return nil, nil
	}
	var shares []share
	for _, c := range append(categories, category{name: otherCategory}) {
		if n := totals[c.name]; n > 0 {
			shares = append(shares, share{name: c.name, seconds: float64(n) / 1e9, percent: 100 * float64(n) / float64(all)})
		}
	}
	return shares, nil
}
