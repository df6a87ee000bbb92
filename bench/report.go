package main

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"time"
)

type report struct {
	opts              options
	started, finished time.Time
	machine           string
	loadBefore        string
	loadAfter         string
	results           []*dialectResult
	skipped           []string
}

// loadAverage is /proc/loadavg's first three fields: other work on the machine skews the numbers.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], ", ")
}

// describeMachine names the CPU, cores, memory, OS and toolchain.
func describeMachine() string {
	cpu := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "model name"); ok {
				cpu = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "MemTotal:"); ok {
				var kb int64
				fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), &kb)
				mem = fmt.Sprintf(", %.1f GB RAM", float64(kb)/1024/1024)
			}
		}
	}
	osName := runtime.GOOS
	if b, err := os.ReadFile("/etc/os-release"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "PRETTY_NAME="); ok {
				osName = strings.Trim(v, `"`)
			}
		}
	}
	kernel, _ := exec.Command("uname", "-r").Output()
	fs, _ := exec.Command("stat", "-f", "-c", "%T", os.TempDir()).Output()
	return fmt.Sprintf("%s, %d logical CPUs (GOMAXPROCS %d)%s; %s, Linux %s; temporary files on %s; %s %s/%s",
		cpu, runtime.NumCPU(), runtime.GOMAXPROCS(0), mem, osName, strings.TrimSpace(string(kernel)),
		strings.TrimSpace(string(fs)), runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

const (
	analysisBegin = "<!-- analysis:begin (kept by the benchmark runner; edit freely) -->"
	analysisEnd   = "<!-- analysis:end -->"
)

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

func (r *report) find(res *dialectResult, name, kind string, conc int) *scenarioResult {
	for i := range res.scenarios {
		s := &res.scenarios[i]
		if strings.HasPrefix(s.name, name) && s.kind == kind && s.conc == conc {
			return s
		}
	}
	return nil
}

func dialectName(d string) string {
	if d == "postgres" {
		return "PostgreSQL"
	}
	return "SQLite"
}

// write renders the report into path, keeping the hand-written analysis of an existing file.
func (r *report) write(path string) error {
	analysis := analysisBegin + "\n_No analysis yet._\n" + analysisEnd
	if old, err := os.ReadFile(path); err == nil {
		if i := bytes.Index(old, []byte(analysisBegin)); i >= 0 {
			if j := bytes.Index(old[i:], []byte(analysisEnd)); j >= 0 {
				analysis = string(old[i : i+j+len(analysisEnd)])
			}
		}
	}
	var b strings.Builder
	o := r.opts
	fmt.Fprintf(&b, "# Benchmarks\n\n")
	fmt.Fprintf(&b, "Written by `make bench` (`go run ./bench`, see [bench/main.go](../bench/main.go)) on %s, in %s.\n",
		r.finished.UTC().Format("2006-01-02 15:04 UTC"), r.finished.Sub(r.started).Round(time.Second))
	fmt.Fprintf(&b, "Numbers from another machine are not comparable; run it again there.\n\n")
	fmt.Fprintf(&b, "- **Machine:** %s. Load average (1, 5, 15 min) before the run: %s; after: %s.\n",
		r.machine, r.loadBefore, r.loadAfter)
	fmt.Fprintf(&b, "- **Data set:** `sitekeeper seed-bench -sites %d -contacts-per-site %d`: %d Sites, %d contacts "+
		"(100 Sites of 100 contacts for the pages of 50, the others about 9 each; one ACTIVE PRIMARY per Site, up to 4 "+
		"SECONDARY, USERs active, invited or deactivated, varied privileges and contact types), a partner with grants "+
		"on every Site (`-partner-sites %d`); before the incremental sync the runner changes the privileges of %d "+
		"contacts through ent, which writes them to the change feed.\n", o.sites, o.contactsPerSite, o.sites, o.sites*o.contactsPerSite, o.sites, feedChanges)
	fmt.Fprintf(&b, "- **Method:** each scenario is a closed loop of N connections (keep-alive) for %s after a %s "+
		"warm-up; the server runs the production assembly (middleware, access log as JSON, bearer tokens verified "+
		"against a real OpenID Provider on 127.0.0.1, the GraphQL handler with its limits, ent with privacy rules and "+
		"hooks) in the runner's process, next to the baseline and the load generator, all on the same cores. The "+
		"per-principal rate limit is raised out of the way (it still runs). The process has the server's collector "+
		"settings (`server.TuneGC`: %s), which the baseline shares. Memory figures are the whole process's; "+
		"the load generator reads the answers of the contacts page, the baseline and the syncs into reused "+
		"buffers, so that their alloc/req is the server's (and its HTTP client's few kB).\n",
		o.duration, o.warmup, gcSettings())
	fmt.Fprintf(&b, "- **Partner sync:** the full sync pages through every granted Site 100 at a time (the README's "+
		"query), the incremental sync through the change feed 100 changes at a time; each worker takes the next page's "+
		"request, round and round.\n")
	if o.idleWindow > 0 {
		fmt.Fprintf(&b, "- **Idle:** `sitekeeper serve` (the binary) on the seeded database, no requests, no mail server "+
			"(the outbox waits); its first %s (the first run reminds every overdue Site once) are left out, then its CPU, "+
			"and PostgreSQL's, is measured over %s from /proc.\n", o.idleSettle, o.idleWindow)
	}
	fmt.Fprintf(&b, "- **Baseline:** [bench/baseline.go](../bench/baseline.go): net/http + database/sql, token verified "+
		"with go-oidc, one SQL statement for the access check and one for the Site's 50 contacts, the same JSON.\n")
	if o.parallelWrites {
		fmt.Fprintf(&b, "- **Experiment:** `-parallel-writes`: the server ran over plain `entsql.OpenDB`, without "+
			"`db.NewDriver`'s queue of SQLite's write transactions; production does not run like this.\n")
	}
	for _, s := range r.skipped {
		fmt.Fprintf(&b, "- **Skipped:** %s.\n", s)
	}

	fmt.Fprintf(&b, "\n## Targets\n\n| target | ")
	for _, res := range r.results {
		fmt.Fprintf(&b, "%s | ", dialectName(res.dialect))
	}
	fmt.Fprintf(&b, "\n|---|")
	for range r.results {
		fmt.Fprintf(&b, "---|")
	}
	fmt.Fprintf(&b, "\n")
	row := func(label string, cell func(res *dialectResult) string) {
		fmt.Fprintf(&b, "| %s | ", label)
		for _, res := range r.results {
			fmt.Fprintf(&b, "%s | ", cell(res))
		}
		fmt.Fprintf(&b, "\n")
	}
	verdict := func(ok bool) string {
		if ok {
			return "met"
		}
		return "**missed**"
	}
	row("contacts page p50 latency within 1.5x of the baseline's", func(res *dialectResult) string {
		var parts []string
		for _, conc := range []int{1, 8} {
			g, base := r.find(res, "contacts page", "graphql", conc), r.find(res, "contacts page", "baseline", conc)
			if g == nil || base == nil || base.p50 == 0 {
				continue
			}
			ratio := float64(g.p50) / float64(base.p50)
			parts = append(parts, fmt.Sprintf("%.2fx at %d conn. (%s)", ratio, conc, verdict(ratio <= 1.5)))
		}
		return strings.Join(parts, "; ")
	})
	row("this round's step: contacts page p50 within 2x of the baseline's at 1 conn., 2.5x at 8", func(res *dialectResult) string {
		var parts []string
		for _, limit := range []struct {
			conc  int
			ratio float64
		}{{1, 2}, {8, 2.5}} {
			g, base := r.find(res, "contacts page", "graphql", limit.conc), r.find(res, "contacts page", "baseline", limit.conc)
			if g == nil || base == nil || base.p50 == 0 {
				continue
			}
			ratio := float64(g.p50) / float64(base.p50)
			parts = append(parts, fmt.Sprintf("%.2fx at %d conn. (%s)", ratio, limit.conc, verdict(ratio <= limit.ratio)))
		}
		return strings.Join(parts, "; ")
	})
	// syncCell is a paged read's p50, allocation and statements on its first, middle and last page.
	syncCell := func(res *dialectResult, name string, stmts map[string]int, pages int, ok func(*scenarioResult) bool) string {
		s := r.find(res, name, "graphql", 1)
		if s == nil {
			return "not run"
		}
		constant := stmts["first"] == stmts["middle"] && stmts["middle"] == stmts["last"]
		return fmt.Sprintf("p50 %s, %.0f KB, %d/%d/%d statements on the first/middle/last of %d pages (%s)",
			ms(s.p50), s.allocPerReq/1024, stmts["first"], stmts["middle"], stmts["last"], pages, verdict(constant && ok(s)))
	}
	row("partner full sync: a page of 100 Sites p50 < 20 ms, < 2 MB allocated, constant statements", func(res *dialectResult) string {
		return syncCell(res, "partner full sync", res.syncStmts, res.syncPages, func(s *scenarioResult) bool {
			return s.p50 < 20*time.Millisecond && s.allocPerReq < 2<<20
		})
	})
	row("partner incremental sync: a page of 100 changes, constant statements", func(res *dialectResult) string {
		return syncCell(res, "partner incremental sync", res.feedStmts, res.feedPages, func(*scenarioResult) bool { return true })
	})
	row("idle server on the seeded database: < 1% of a core", func(res *dialectResult) string {
		if !res.idle.measured {
			return "not run"
		}
		cell := fmt.Sprintf("server %.2f%%", 100*res.idle.server)
		total := res.idle.server
		if res.dialect == "postgres" {
			cell += fmt.Sprintf(", PostgreSQL %.2f%%", 100*res.idle.postgres)
			total += res.idle.postgres
		}
		if res.idle.counted {
			cell += fmt.Sprintf(", %d transactions in %s", res.idle.transactions, res.idle.window)
		}
		return cell + " (" + verdict(total < 0.01) + ")"
	})
	row("at most 3 SQL statements per page, whatever its size", func(res *dialectResult) string {
		worst := 0
		var parts []string
		for _, n := range []int{10, 50, 100} {
			parts = append(parts, fmt.Sprintf("%d for %d", res.pageStmts[n], n))
			worst = max(worst, res.pageStmts[n])
		}
		return strings.Join(parts, ", ") + " (" + verdict(worst <= 3) + ")"
	})
	row("audited updates: ≥ 1,000/s at 4 connections, p99 < 10 ms", func(res *dialectResult) string {
		u := r.find(res, "updateContact", "graphql", 4)
		if u == nil {
			return "not run"
		}
		return fmt.Sprintf("%.0f/s, p99 %s (%s)", u.rps, ms(u.p99), verdict(u.rps >= 1000 && u.p99 < 10*time.Millisecond))
	})
	row("start to healthy < 1 s on the seeded database", func(res *dialectResult) string {
		if len(res.starts) == 0 {
			return "not run"
		}
		med, worst := res.starts[len(res.starts)/2], res.starts[len(res.starts)-1]
		return fmt.Sprintf("median %s, worst %s of %d (%s)", ms(med), ms(worst), len(res.starts), verdict(worst < time.Second))
	})

	for _, res := range r.results {
		fmt.Fprintf(&b, "\n## %s\n\n", dialectName(res.dialect))
		fmt.Fprintf(&b, "%s. Seeded in %s (`sitekeeper seed-bench`, process start and migrations included).\n\n",
			res.database, res.seedTime.Round(10*time.Millisecond))
		fmt.Fprintf(&b, "| scenario | server | conn. | req/s | p50 | p99 | max | SQL stmts/req | GraphQL/baseline (req/s; p50) | alloc/req | peak heap | other load |\n")
		fmt.Fprintf(&b, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
		for _, s := range res.scenarios {
			ratio := ""
			if s.kind == "graphql" && strings.HasPrefix(s.name, "contacts page") {
				if base := r.find(res, "contacts page", "baseline", s.conc); base != nil && base.rps > 0 {
					ratio = fmt.Sprintf("%.2f; %.2fx", s.rps/base.rps, float64(s.p50)/float64(base.p50))
				}
			}
			other := "?"
			if s.otherCPU >= 0 {
				other = fmt.Sprintf("%.2f", s.otherCPU)
			}
			fmt.Fprintf(&b, "| %s | %s | %d | %.0f | %s | %s | %s | %.1f | %s | %.0f KB | %.0f MB | %s |\n",
				s.name, s.kind, s.conc, s.rps, ms(s.p50), ms(s.p99), ms(s.max), s.stmtsPerReq, ratio,
				s.allocPerReq/1024, float64(s.peakHeap)/1e6, other)
		}
		fmt.Fprintf(&b, "\n_Other load_ is the CPU, in cores of the %d, that neither the runner nor PostgreSQL used while the "+
			"scenario ran: other work on the machine. Rows with more than about 0.1 are skewed by it.\n", runtime.NumCPU())
		fmt.Fprintf(&b, "\nPeak resident memory of the whole process (server, baseline, load generator): %s.\n\n", res.rssPeak)
		fmt.Fprintf(&b, "SQL statements of one request alone: contacts page %d (first: 10), %d (first: 50), %d (first: 100); "+
			"baseline %d; one audited updateContact %d (its transaction included). The statements of one page of 50:\n\n",
			res.pageStmts[10], res.pageStmts[50], res.pageStmts[100], res.baseStmts, res.updateStmts)
		fmt.Fprintf(&b, "```sql\n")
		for i, s := range res.pageStmtSQL {
			if len(s) > 300 {
				s = s[:300] + " …"
			}
			fmt.Fprintf(&b, "-- %d\n%s\n", i+1, s)
		}
		fmt.Fprintf(&b, "```\n\nThe statements of one audited updateContact:\n\n```sql\n")
		for i, s := range res.updateStmtSQL {
			if len(s) > 200 {
				s = s[:200] + " …"
			}
			fmt.Fprintf(&b, "-- %d\n%s\n", i+1, s)
		}
		fmt.Fprintf(&b, "```\n\nThe statements of one page of the partner's full sync, by kind:\n\n| statement (up to WHERE) | count |\n|---|---:|\n")
		for _, k := range slices.Sorted(maps.Keys(res.partnerStmts)) {
			fmt.Fprintf(&b, "| `%s` | %d |\n", strings.ReplaceAll(k, "`", ""), res.partnerStmts[k])
		}
		fmt.Fprintf(&b, "\n")
		if res.sameJSON == "" {
			fmt.Fprintf(&b, "The baseline's answer was byte-for-byte the GraphQL answer for the same page.\n")
		} else {
			fmt.Fprintf(&b, "**The baseline's answer differs from the GraphQL answer:**\n\n```\n%s\n```\n", res.sameJSON)
		}
		starts := make([]string, len(res.starts))
		for i, s := range res.starts {
			starts[i] = ms(s)
		}
		fmt.Fprintf(&b, "\nServer start to healthy (`sitekeeper serve`, exec to the first 200 from /healthz, sorted): %s.\n",
			strings.Join(starts, ", "))
		fmt.Fprintf(&b, "\n### Where the time goes (%s)\n\nCPU profiles of the whole process during the measured part of a scenario; "+
			"each sample is charged to the innermost layer on its stack (see [bench/breakdown.go](../bench/breakdown.go)).\n",
			dialectName(res.dialect))
		for _, name := range sortedKeys(res.profiles) {
			fmt.Fprintf(&b, "\n**%s**\n\n%s", name, res.profiles[name])
		}
	}
	fmt.Fprintf(&b, "\n## Analysis\n\n%s\n", analysis)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

func sortedKeys(m map[string]string) []string {
	return slices.Sorted(maps.Keys(m))
}

// summary is what the runner prints at the end.
func (r *report) summary() string {
	var b strings.Builder
	for _, res := range r.results {
		fmt.Fprintf(&b, "\n%s\n", dialectName(res.dialect))
		for _, s := range res.scenarios {
			fmt.Fprintf(&b, "  %-45s %-8s %2d conn  %7.0f req/s  p50 %9s  p99 %9s  %4.1f stmts/req  other load %.2f\n",
				s.name, s.kind, s.conc, s.rps, ms(s.p50), ms(s.p99), s.stmtsPerReq, s.otherCPU)
		}
		fmt.Fprintf(&b, "  start to healthy: %v\n", res.starts)
	}
	return b.String()
}

// gcSettings describes the collector's settings in effect.
func gcSettings() string {
	percent := debug.SetGCPercent(-1)
	debug.SetGCPercent(percent)
	return fmt.Sprintf("GOGC %d, soft memory limit %d MiB", percent, debug.SetMemoryLimit(-1)>>20)
}
