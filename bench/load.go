package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"sitekeeper/internal/benchseed"
)

// contactsPageQuery is the contacts page: 50 contacts of one Site with every field a PRIMARY
// sees, privileges, contact types and each contact's Site.
const contactsPageQuery = `query ContactsPage($number: String!, $first: Int!) {
  site(number: $number) {
    id number name
    contacts(first: $first) {
      edges { node {
        id email firstName lastName phone city stateProvince postalCode street country jobTitle language
        businessJustification accessRole status version lastSignInAt contactTypes
        privileges { softwareAccess reporting entitlements manageAccess contactUpdates accountDocuments }
        site { id number name }
      } }
    }
  }
}`

// loopBomb nests Site -> contacts -> Site ... eight levels deep with pages of 100: 10^16 nodes
// if it ran. The cost check must refuse it before any resolver runs.
var loopBomb = func() string {
	q := "number"
	for range 8 {
		q = "site { contacts(first: 100) { edges { node { email " + q + " } } } }"
	}
	return `query Bomb { site(number: "1000000") { contacts(first: 100) { edges { node { ` + q + ` } } } } }`
}()

const updateMutation = `mutation Update($id: ID!, $title: String!, $v: Int!) {
  updateContact(id: $id, input: { jobTitle: $title }, expectedVersion: $v) { id version jobTitle }
}`

// scenarioResult is one measured scenario.
type scenarioResult struct {
	name, kind  string // kind: "graphql" or "baseline"
	conc        int
	requests    int
	failures    int
	rps         float64
	p50, p99    time.Duration
	max         time.Duration
	stmtsPerReq float64
	allocPerReq float64 // bytes allocated per request, whole process (server and load generator, which reads answers into reused buffers)
	peakHeap    uint64  // the largest HeapInuse seen while it ran
	otherCPU    float64 // cores used by other work on the machine while it ran (-1: unknown)
	firstError  string
}

// scenario is a closed loop of conc workers, each sending one request after the other.
type scenario struct {
	name, kind string
	conc       int
	// do sends one request as worker w; an error counts as a failure.
	do func(ctx context.Context, c *http.Client, w int) error
	// stmts reads the statement counter of the server the scenario hits.
	stmts func() int64
}

func httpClient(conc int) *http.Client {
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConnsPerHost: conc, MaxConnsPerHost: conc, DisableCompression: true, IdleConnTimeout: time.Minute,
	}}
}

// runScenario runs s for warmup+duration and measures the requests that completed after the
// warm-up.
func runScenario(ctx context.Context, s scenario, warmup, duration time.Duration) scenarioResult {
	res := scenarioResult{name: s.name, kind: s.kind, conc: s.conc}
	client := httpClient(s.conc)
	defer client.CloseIdleConnections()
	began := time.Now()
	measureFrom, end := began.Add(warmup), began.Add(warmup+duration)

	var (
		mu        sync.Mutex
		latencies []time.Duration
		failures  atomic.Int64
		firstErr  atomic.Value
	)
	var startStmts int64
	var startCPU cpuSnapshot
	var startMem runtime.MemStats
	var peak atomic.Uint64
	stopSampler := make(chan struct{})
	var sampler sync.WaitGroup
	sampler.Go(func() {
		time.Sleep(time.Until(measureFrom))
		startStmts = s.stmts()
		startCPU = takeCPUSnapshot()
		runtime.ReadMemStats(&startMem)
		t := time.NewTicker(25 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stopSampler:
				return
			case <-t.C:
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peak.Load() {
					peak.Store(m.HeapInuse)
				}
			}
		}
	})
	var workers sync.WaitGroup
	for w := range s.conc {
		workers.Go(func() {
			var mine []time.Duration
			for ctx.Err() == nil {
				t0 := time.Now()
				if !t0.Before(end) {
					break
				}
				err := s.do(ctx, client, w)
				t1 := time.Now()
				if t0.Before(measureFrom) || t1.After(end) {
					continue
				}
				if err != nil {
					failures.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
					continue
				}
				mine = append(mine, t1.Sub(t0))
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			mu.Unlock()
		})
	}
	workers.Wait()
	endCPU := takeCPUSnapshot()
	endStmts := s.stmts()
	var endMem runtime.MemStats
	runtime.ReadMemStats(&endMem)
	close(stopSampler)
	sampler.Wait()

	slices.Sort(latencies)
	res.requests = len(latencies)
	res.failures = int(failures.Load())
	if e, ok := firstErr.Load().(string); ok {
		res.firstError = e
	}
	if n := len(latencies); n > 0 {
		res.rps = float64(n) / duration.Seconds()
		res.p50 = latencies[n/2]
		res.p99 = latencies[min(n-1, n*99/100)]
		res.max = latencies[n-1]
		total := float64(n + res.failures)
		res.stmtsPerReq = float64(endStmts-startStmts) / total
		res.allocPerReq = float64(endMem.TotalAlloc-startMem.TotalAlloc) / total
	}
	res.peakHeap = peak.Load()
	res.otherCPU = otherCores(startCPU, endCPU)
	return res
}

// post sends a GraphQL request and returns the body of a 200 answer.
func post(ctx context.Context, c *http.Client, url, token string, body []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	return send(c, req, token)
}

// get sends a GET (the baseline's page) and returns the body of a 200 answer.
func get(ctx context.Context, c *http.Client, url, token string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	return send(c, req, token)
}

// send adds the bearer token, sends req and reads the whole answer; anything but 200 is an error.
func send(c *http.Client, req *http.Request, token string) ([]byte, error) {
	var out []byte
	err := exchange(c, req, token, func(body []byte) error {
		out = bytes.Clone(body)
		return nil
	})
	return out, err
}

// answers are the buffers measured requests read their answers into: reading each into a new
// slice cost the load generator a megabyte per page of the partner sync, which alloc/req
// counted as if the server had allocated it.
var answers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// exchange sends req with the bearer token, reads the answer into a reused buffer and gives
// its body to use, which may not keep it; anything but 200 is an error all the same.
func exchange(c *http.Client, req *http.Request, token string, use func(body []byte) error) error {
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	buf := answers.Get().(*bytes.Buffer)
	defer answers.Put(buf)
	buf.Reset()
	if _, err := buf.ReadFrom(resp.Body); err != nil {
		return err
	}
	err = use(buf.Bytes())
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d: %.200s", resp.StatusCode, buf.Bytes())
	}
	return err
}

// postOK sends a GraphQL request and fails on anything but an answer without errors.
func postOK(ctx context.Context, c *http.Client, url, token string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	return exchange(c, req, token, func(answer []byte) error { return okGraphQL(answer, nil) })
}

func gqlBody(query string, vars map[string]any) []byte {
	b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	return b
}

var errorsKey = []byte(`"errors"`)

// okGraphQL fails on an answer with errors.
func okGraphQL(body []byte, err error) error {
	if err != nil {
		return err
	}
	if bytes.Contains(body, errorsKey) {
		return fmt.Errorf("GraphQL errors: %.300s", body)
	}
	return nil
}

// dialectResult is everything measured on one dialect.
type dialectResult struct {
	dialect       string
	database      string
	seedTime      time.Duration
	starts        []time.Duration
	scenarios     []scenarioResult
	pageStmts     map[int]int // statements of one contacts page alone, by page size
	pageStmtSQL   []string    // the statements of one page of 50
	baseStmts     int
	updateStmts   int
	updateStmtSQL []string
	partnerStmts  map[string]int // the statements of one full-sync page, grouped by their start
	syncPages     int
	syncStmts     map[string]int // the statements of the first, middle and last page of the full sync
	feedPages     int
	feedItems     int
	feedStmts     map[string]int // the same for the change feed
	idle          idleResult
	sameJSON      string // "" when the baseline's JSON equals GraphQL's
	profiles      map[string]string
	rssPeak       string
}

// measure runs every scenario against the in-process servers.
func (e *env) measure(ctx context.Context, o options, res *dialectResult) error {
	large := e.iss.layout.LargeSites
	tokens := make([]string, large)
	for i := range tokens {
		var err error
		if tokens[i], err = e.iss.token(i); err != nil {
			return err
		}
	}
	partnerTok, err := e.iss.partnerToken(ctx)
	if err != nil {
		return err
	}
	c := httpClient(8)
	// Each PRIMARY's first request links their contact to the identity (a write); from then on
	// requests find their identity cached.
	for i, tok := range tokens {
		for range 2 {
			if err := okGraphQL(post(ctx, c, e.gqlURL, tok, gqlBody(`{ viewer { isOperator } }`, nil))); err != nil {
				return fmt.Errorf("warming up the PRIMARY of Site %d: %w", i, err)
			}
		}
	}
	for range 2 {
		if err := okGraphQL(post(ctx, c, e.gqlURL, partnerTok, gqlBody(`{ viewer { isOperator } }`, nil))); err != nil {
			return fmt.Errorf("warming up the partner: %w", err)
		}
	}

	pageBodies := make([][]byte, large)
	for i := range pageBodies {
		pageBodies[i] = gqlBody(contactsPageQuery, map[string]any{"number": benchseed.SiteNumber(i), "first": pageSize})
	}
	gqlStmts := func() int64 { return int64(e.counter.Count()) }
	baseStmts := e.baseStmts.count

	// The same JSON, and the statements of one request alone.
	gq, err := post(ctx, c, e.gqlURL, tokens[0], pageBodies[0])
	if err := okGraphQL(gq, err); err != nil {
		return fmt.Errorf("contacts page: %w", err)
	}
	bq, err := get(ctx, c, e.baseURL+"?site="+benchseed.SiteNumber(0), tokens[0])
	if err != nil {
		return fmt.Errorf("baseline: %w", err)
	}
	if !bytes.Equal(gq, bq) {
		res.sameJSON = firstDifference(gq, bq)
	}
	res.pageStmts = map[int]int{}
	for _, first := range []int{10, 50, 100} {
		e.counter.Reset()
		e.counter.Record(first == pageSize)
		err := okGraphQL(post(ctx, c, e.gqlURL, tokens[0], gqlBody(contactsPageQuery,
			map[string]any{"number": benchseed.SiteNumber(0), "first": first})))
		if err != nil {
			return err
		}
		res.pageStmts[first] = e.counter.Count()
		if first == pageSize {
			res.pageStmtSQL = e.counter.Statements()
		}
	}
	e.counter.Record(false)
	e.baseStmts.reset()
	if _, err := get(ctx, c, e.baseURL+"?site="+benchseed.SiteNumber(0), tokens[0]); err != nil {
		return err
	}
	res.baseStmts = int(e.baseStmts.count())

	pageGraphQL := func(conc int) scenario {
		return scenario{name: "contacts page, 50 contacts", kind: "graphql", conc: conc, stmts: gqlStmts,
			do: func(ctx context.Context, c *http.Client, w int) error {
				i := int(pageCounter.Add(1)) % large
				return postOK(ctx, c, e.gqlURL, tokens[i], pageBodies[i])
			}}
	}
	pageBaseline := func(conc int) scenario {
		return scenario{name: "contacts page, 50 contacts", kind: "baseline", conc: conc, stmts: baseStmts,
			do: func(ctx context.Context, c *http.Client, w int) error {
				i := int(pageCounter.Add(1)) % large
				req, err := http.NewRequestWithContext(ctx, http.MethodGet, e.baseURL+"?site="+benchseed.SiteNumber(i), nil)
				if err != nil {
					return err
				}
				return exchange(c, req, tokens[i], func(body []byte) error {
					if !bytes.HasPrefix(body, []byte(`{"data":{"site":{`)) {
						return fmt.Errorf("baseline answered %.200s", body)
					}
					return nil
				})
			}}
	}
	profiles := map[string]string{}
	res.profiles = profiles
	runs := []struct {
		s       scenario
		profile string
	}{
		{pageGraphQL(1), ""},
		{pageBaseline(1), ""},
		{pageGraphQL(8), "contacts page (GraphQL, 8 connections)"},
		{pageBaseline(8), "contacts page (baseline, 8 connections)"},
	}
	for _, r := range runs {
		sr, prof, err := e.runProfiled(ctx, o, r.s, r.profile != "")
		if err != nil {
			return err
		}
		if prof != "" {
			profiles[r.profile] = prof
		}
		res.scenarios = append(res.scenarios, sr)
	}

	for _, conc := range []int{1, 4} {
		s, err := e.updateScenario(ctx, c, tokens, conc, gqlStmts)
		if err != nil {
			return err
		}
		sr, prof, err := e.runProfiled(ctx, o, s, conc == 4)
		if err != nil {
			return err
		}
		if prof != "" {
			profiles["updateContact (4 connections)"] = prof
		}
		res.scenarios = append(res.scenarios, sr)
	}
	// One update alone, for its statement count.
	{
		s, err := e.updateScenario(ctx, c, tokens, 1, gqlStmts)
		if err != nil {
			return err
		}
		e.counter.Reset()
		e.counter.Record(true)
		if err := s.do(ctx, c, 0); err != nil {
			return err
		}
		res.updateStmts = e.counter.Count()
		res.updateStmtSQL = e.counter.Statements()
		e.counter.Record(false)
	}

	// The partner's full sync: every granted Site, 100 a page, with their contact roles.
	syncSteps, err := pageThrough(ctx, c, e.gqlURL, partnerTok, benchseed.PartnerSyncQuery, "sites")
	if err != nil {
		return err
	}
	synced := 0
	for _, st := range syncSteps {
		synced += st.items
	}
	if synced != e.iss.layout.PartnerSites {
		return fmt.Errorf("the partner's full sync read %d Sites, want %d", synced, e.iss.layout.PartnerSites)
	}
	res.syncPages = len(syncSteps)
	if res.syncStmts, err = e.pageStatements(ctx, c, partnerTok, syncSteps); err != nil {
		return err
	}
	e.counter.Reset()
	e.counter.Record(true)
	if err := okGraphQL(post(ctx, c, e.gqlURL, partnerTok, syncSteps[len(syncSteps)/2].body)); err != nil {
		return err
	}
	res.partnerStmts = map[string]int{}
	for _, stmt := range e.counter.Statements() {
		key := stmt
		if i := strings.Index(key, " WHERE "); i > 0 {
			key = key[:i]
		}
		if len(key) > 90 {
			key = key[:90] + " …"
		}
		res.partnerStmts[key]++
	}
	e.counter.Record(false)
	for _, conc := range []int{1, 4} {
		sync := e.pagingScenario(fmt.Sprintf("partner full sync: a page of 100 of %d granted Sites", synced), conc, partnerTok, syncSteps)
		sr, prof, err := e.runProfiled(ctx, o, sync, conc == 4)
		if err != nil {
			return err
		}
		if prof != "" {
			profiles["partner full sync (4 connections)"] = prof
		}
		res.scenarios = append(res.scenarios, sr)
	}

	// The incremental sync: the change feed after the grants, with feedChanges changes in it.
	changed, err := e.makeFeedChanges(ctx, feedChanges)
	if err != nil {
		return err
	}
	feedSteps, err := pageThrough(ctx, c, e.gqlURL, partnerTok, feedQuery, "contactRoleChanges")
	if err != nil {
		return err
	}
	for _, st := range feedSteps {
		res.feedItems += st.items
	}
	if want := synced + changed; res.feedItems != want {
		return fmt.Errorf("the change feed holds %d changes, want %d (the grants and the changes)", res.feedItems, want)
	}
	res.feedPages = len(feedSteps)
	if res.feedStmts, err = e.pageStatements(ctx, c, partnerTok, feedSteps); err != nil {
		return err
	}
	for _, conc := range []int{1, 4} {
		feed := e.pagingScenario(fmt.Sprintf("partner incremental sync: a page of 100 of %d changes", res.feedItems), conc, partnerTok, feedSteps)
		sr, _, err := e.runProfiled(ctx, o, feed, false)
		if err != nil {
			return err
		}
		res.scenarios = append(res.scenarios, sr)
	}

	for _, bomb := range bombs {
		body := bomb.body()
		refused := scenario{name: bomb.name + " (refused)", kind: "graphql", conc: 8, stmts: gqlStmts,
			do: func(ctx context.Context, c *http.Client, w int) error {
				answer, err := post(ctx, c, e.gqlURL, tokens[w%large], body)
				if err != nil && !strings.HasPrefix(err.Error(), "HTTP 4") {
					return err
				}
				if !bytes.Contains(answer, errorsKey) || bytes.Contains(answer, []byte(`"edges"`)) {
					return fmt.Errorf("the %s was not refused: %.300s", bomb.name, answer)
				}
				return nil
			}}
		sr, _, err := e.runProfiled(ctx, o, refused, false)
		if err != nil {
			return err
		}
		res.scenarios = append(res.scenarios, sr)
	}
	res.rssPeak = peakRSS()
	return nil
}

// bombs are requests built to cost the server much before a limit applies: each must be refused
// in milliseconds.
var bombs = []struct {
	name string
	body func() []byte
}{
	{"loop bomb", func() []byte { return gqlBody(loopBomb, nil) }},
	// Validation compares each pair of fields of one name: 14,000 cost 8-13 s of CPU before.
	{"validation bomb: 14,000 repeated fields", func() []byte {
		return gqlBody("query Repeats { viewer { "+strings.Repeat("isOperator ", 14_000)+"} }", nil)
	}},
	// A where-input 2,000 levels deep in the variables took 8-52 s and up to 1.7 GB before.
	{"variable bomb: where-input 2,000 deep", func() []byte {
		var w any = map[string]any{"nameContainsFold": "x"}
		for range 2_000 {
			w = map[string]any{"not": w}
		}
		return gqlBody(`query Deep($w: SiteWhereInput) { sites(first: 1, where: $w) { totalCount } }`, map[string]any{"w": w})
	}},
}

var pageCounter atomic.Int64

// updateScenario: worker w, as the PRIMARY of large Site w, changes the job title of one USER
// of that Site again and again, each time with the version it got back (one audit event each).
func (e *env) updateScenario(ctx context.Context, c *http.Client, tokens []string, conc int, stmts func() int64) (scenario, error) {
	type target struct {
		id      string
		version int
		n       int
	}
	targets := make([]*target, conc)
	for w := range conc {
		body, err := post(ctx, c, e.gqlURL, tokens[w], gqlBody(`query($n: String!) { site(number: $n) {
			contacts(first: 1, where: { accessRole: USER, status: ACTIVE }) { edges { node { id version } } } } }`,
			map[string]any{"n": benchseed.SiteNumber(w)}))
		if err := okGraphQL(body, err); err != nil {
			return scenario{}, err
		}
		var out struct {
			Data struct {
				Site struct {
					Contacts struct {
						Edges []struct {
							Node struct {
								ID      string
								Version int
							}
						}
					}
				}
			}
		}
		if err := json.Unmarshal(body, &out); err != nil || len(out.Data.Site.Contacts.Edges) == 0 {
			return scenario{}, fmt.Errorf("no USER to update on Site %s: %s", benchseed.SiteNumber(w), body)
		}
		n := out.Data.Site.Contacts.Edges[0].Node
		targets[w] = &target{id: n.ID, version: n.Version}
	}
	return scenario{name: "updateContact with audit", kind: "graphql", conc: conc, stmts: stmts,
		do: func(ctx context.Context, c *http.Client, w int) error {
			t := targets[w]
			t.n++
			body, err := post(ctx, c, e.gqlURL, tokens[w], gqlBody(updateMutation,
				map[string]any{"id": t.id, "title": fmt.Sprintf("Engineer %d", t.n), "v": t.version}))
			if err := okGraphQL(body, err); err != nil {
				return err
			}
			var out struct {
				Data struct{ UpdateContact struct{ Version int } }
			}
			if err := json.Unmarshal(body, &out); err != nil || out.Data.UpdateContact.Version != t.version+1 {
				return fmt.Errorf("update answered %s", body)
			}
			t.version++
			return nil
		}}, nil
}

// runProfiled runs a scenario, with a CPU profile of its measured part when profile is set,
// and returns the profile's top functions.
func (e *env) runProfiled(ctx context.Context, o options, s scenario, profile bool) (scenarioResult, string, error) {
	log.Printf("%s: %s (%s, %d connections)", e.dialect, s.name, s.kind, s.conc)
	var f *os.File
	if profile {
		var err error
		if f, err = os.CreateTemp(o.work, "cpu-*.pprof"); err != nil {
			return scenarioResult{}, "", err
		}
		defer f.Close()
		go func() {
			select {
			case <-time.After(o.warmup):
				_ = pprof.StartCPUProfile(f)
			case <-ctx.Done():
			}
		}()
	}
	runtime.GC()
	sr := runScenario(ctx, s, o.warmup, o.duration)
	if ctx.Err() != nil {
		return sr, "", ctx.Err()
	}
	if sr.failures > 0 {
		return sr, "", fmt.Errorf("%s (%s, %d connections): %d of %d requests failed; first: %s",
			s.name, s.kind, s.conc, sr.failures, sr.failures+sr.requests, sr.firstError)
	}
	if !profile {
		return sr, "", nil
	}
	pprof.StopCPUProfile()
	if o.keepProfiles != "" {
		name := strings.NewReplacer(" ", "-", ",", "", ":", "", "(", "", ")", "").Replace(e.dialect + "-" + s.kind + "-" + s.name)
		if b, err := os.ReadFile(f.Name()); err == nil {
			_ = os.MkdirAll(o.keepProfiles, 0o755)
			_ = os.WriteFile(filepath.Join(o.keepProfiles, fmt.Sprintf("%s-%dconn.pprof", name, s.conc)), b, 0o644)
		}
	}
	top, err := pprofTop(ctx, f.Name())
	if err != nil {
		return sr, "", err
	}
	shares, err := pprofBreakdown(ctx, f.Name())
	if err != nil {
		return sr, "", err
	}
	return sr, renderShares(shares) + "\n<details><summary>top 30 functions by cumulative time</summary>\n\n```\n" + top + "\n```\n</details>\n", nil
}

// renderShares is a Markdown table of a profile's breakdown.
func renderShares(shares []share) string {
	var b strings.Builder
	b.WriteString("| where | CPU s | share |\n|---|---:|---:|\n")
	for _, s := range shares {
		fmt.Fprintf(&b, "| %s | %.2f | %.0f%% |\n", s.name, s.seconds, s.percent)
	}
	return b.String()
}

// pprofTop renders a profile's heaviest functions with `go tool pprof`.
func pprofTop(ctx context.Context, path string) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "tool", "pprof", "-top", "-cum", "-nodecount=30", path).Output()
	if err != nil {
		return "", fmt.Errorf("go tool pprof: %w", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	var kept []string
	for _, l := range lines {
		// Drop the header lines naming the temporary file and build.
		if strings.HasPrefix(l, "File:") || strings.HasPrefix(l, "Build ID:") || strings.HasPrefix(l, "Type:") ||
			strings.HasPrefix(l, "Time:") {
			continue
		}
		kept = append(kept, l)
	}
	return strings.Join(kept, "\n"), nil
}

// firstDifference shows where two JSON answers part.
func firstDifference(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-80)
	return fmt.Sprintf("GraphQL: …%s…\nbaseline: …%s…", a[from:min(len(a), i+80)], b[from:min(len(b), i+80)])
}

// peakRSS is the process's peak resident set (VmHWM), server and load generator together.
func peakRSS() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
