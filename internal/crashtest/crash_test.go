// Package crashtest_test runs the sitekeeper binary as a child process and breaks it: SIGKILL at
// random points while it takes writes, SIGTERM under load, and an online backup while it
// serves. Only test files live here.
package crashtest_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"sitekeeper/internal/config"
	"sitekeeper/internal/db/dbtest"
	"sitekeeper/internal/demo"
	"sitekeeper/internal/testkit/oidctest"
)

// bin is the sitekeeper binary, built once for the package's tests.
var (
	buildOnce sync.Once
	bin       string
	buildErr  error
	buildDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		_ = os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

func binary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the sitekeeper binary; skipped with -short")
	}
	dbtest.SQLiteOnly(t, "the child server's database is a file it shares with the test")
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "sitekeeper-crashtest-")
		if buildErr != nil {
			return
		}
		bin = filepath.Join(buildDir, "sitekeeper")
		start := time.Now()
		cmd := exec.Command("go", "build", "-o", bin, "sitekeeper")
		cmd.Dir = "../.."
		out, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
		fmt.Fprintf(os.Stderr, "crashtest: built the binary in %s\n", time.Since(start).Round(time.Millisecond))
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return bin
}

// world is a database file, an issuer and the environment that points a child at both.
type world struct {
	t      *testing.T
	dir    string
	iss    *oidctest.Issuer
	dbPath string
	addr   string
	token  string
	client *http.Client
}

func newWorld(t *testing.T) *world {
	t.Helper()
	binary(t)
	dir := t.TempDir()
	w := &world{t: t, dir: dir, iss: oidctest.New(t), dbPath: filepath.Join(dir, "sitekeeper.db"), addr: freeAddr(t),
		client: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 16}}}
	w.token = w.iss.Token(t, map[string]any{"sub": "crash-primary", "email": demo.PrimaryEmail, "email_verified": true, "name": "Dana"})
	w.run("seed-demo")
	return w
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func (w *world) env(dbPath string) []string {
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + w.dir,
		config.EnvAddr + "=" + w.addr,
		config.EnvDatabaseURL + "=sqlite:" + dbPath,
		config.EnvOIDCIssuer + "=" + w.iss.URL(),
		config.EnvOIDCClientID + "=sitekeeper-web",
		config.EnvOIDCClientSecret + "=web-secret",
		config.EnvOIDCAudience + "=" + oidctest.DefaultAudience,
		config.EnvLogFormat + "=json",
	}
	return env
}

// run runs a command of the binary to its end and returns its standard output; failing is fatal.
func (w *world) run(args ...string) string {
	w.t.Helper()
	out, err := w.runOn(w.dbPath, args...)
	if err != nil {
		w.t.Fatalf("sitekeeper %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func (w *world) runOn(dbPath string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = w.env(dbPath)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil {
		return stdout.String() + stderr.String(), err
	}
	return stdout.String(), nil
}

// child is a running `sitekeeper serve`.
type child struct {
	cmd    *exec.Cmd
	done   chan error
	stderr *bytes.Buffer
}

// serve starts the server on dbPath and waits until /healthz answers.
func (w *world) serve(dbPath string) *child {
	w.t.Helper()
	cmd := exec.Command(bin, "serve")
	cmd.Env = w.env(dbPath)
	c := &child{cmd: cmd, done: make(chan error, 1), stderr: &bytes.Buffer{}}
	cmd.Stderr = &lockedWriter{w: c.stderr}
	if err := cmd.Start(); err != nil {
		w.t.Fatal(err)
	}
	go func() { c.done <- cmd.Wait() }()
	w.t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			<-c.done
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := w.client.Get("http://" + w.addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return c
			}
		}
		select {
		case err := <-c.done:
			w.t.Fatalf("the server exited while starting: %v\n%s", err, c.stderr)
		default:
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("the server did not answer /healthz within 20 s\n%s", c.stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// gql posts to the child as the demo PRIMARY. A transport error is returned, not fatal: the
// child may be dying.
func (w *world) gql(query string, vars map[string]any) (json.RawMessage, error) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, "http://"+w.addr+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+w.token)
	resp, err := w.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	var out struct {
		Data   json.RawMessage
		Errors []struct{ Message string }
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("HTTP %d %q: %w", resp.StatusCode, raw, err)
	}
	if resp.StatusCode != http.StatusOK || len(out.Errors) > 0 {
		return nil, &answerError{status: resp.StatusCode, body: string(raw)}
	}
	return out.Data, nil
}

// answerError is a complete answer that is not a success (as opposed to a lost connection).
type answerError struct {
	status int
	body   string
}

func (e *answerError) Error() string { return fmt.Sprintf("HTTP %d %s", e.status, e.body) }

// record is a contact as the API shows it.
type record struct {
	ID       string
	Email    string
	Version  int
	JobTitle string
}

// contacts lists the demo Site's contacts that the writers edit: the ACTIVE ones besides the PRIMARY.
func (w *world) contacts() map[string]record {
	w.t.Helper()
	data, err := w.gql(`query($n:String!) { site(number:$n) { contacts(first:50) { edges { node { id email version jobTitle accessRole status } } } } }`,
		map[string]any{"n": demo.AcmeSiteNumber})
	if err != nil {
		w.t.Fatalf("reading the contacts: %v", err)
	}
	var out struct {
		Site struct {
			Contacts struct {
				Edges []struct {
					Node struct {
						record
						AccessRole, Status string
					}
				}
			}
		}
	}
	if err := json.Unmarshal(data, &out); err != nil {
		w.t.Fatal(err)
	}
	m := map[string]record{}
	for _, e := range out.Site.Contacts.Edges {
		if e.Node.AccessRole != "PRIMARY" && e.Node.Status == "ACTIVE" {
			m[e.Node.ID] = e.Node.record
		}
	}
	if len(m) < 3 {
		w.t.Fatalf("only %d contacts to write to: %s", len(m), data)
	}
	return m
}

// writer edits one contact's job title over and over, each edit with the version it knows.
type writer struct {
	id       string
	version  int
	seq      int
	acked    []string // titles the server acknowledged, in order
	inFlight string   // the title sent last, when no answer came
	durable  string   // the last title known to be committed: acknowledged, or seen after a restart
}

// write runs until the server stops answering or stop closes; every acknowledged title is kept.
func (w *world) write(wr *writer, prefix string, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		wr.seq++
		title := fmt.Sprintf("%s-%s-%d", prefix, wr.id, wr.seq)
		wr.inFlight = title
		data, err := w.gql(`mutation($id:ID!, $v:Int!, $t:String) { updateContact(id:$id, expectedVersion:$v, input:{jobTitle:$t}) { version jobTitle } }`,
			map[string]any{"id": wr.id, "v": wr.version, "t": title})
		if err != nil {
			var answer *answerError
			if errors.As(err, &answer) {
				w.t.Errorf("write %s refused: %v", title, err)
			}
			return // the connection broke: the title stays in flight
		}
		var out struct{ UpdateContact record }
		if err := json.Unmarshal(data, &out); err != nil || out.UpdateContact.JobTitle != title {
			w.t.Errorf("write %s answered %s", title, data)
			return
		}
		wr.version = out.UpdateContact.Version
		wr.acked = append(wr.acked, title)
		wr.inFlight, wr.durable = "", title
	}
}

// checkDurable reads the contacts after a restart: each holds its last acknowledged title or
// the one in flight when the server died (committed, its answer lost), never an older one.
func (w *world) checkDurable(writers []*writer) (inFlightCommitted int) {
	w.t.Helper()
	now := w.contacts()
	for _, wr := range writers {
		got := now[wr.id]
		switch {
		case wr.inFlight != "" && got.JobTitle == wr.inFlight:
			inFlightCommitted++
		case wr.durable != "" && got.JobTitle != wr.durable:
			w.t.Fatalf("contact %s: job title %q after the restart, want %q (or %q in flight)", wr.id, got.JobTitle, wr.durable, wr.inFlight)
		}
		wr.version, wr.inFlight, wr.durable = got.Version, "", got.JobTitle
	}
	return inFlightCommitted
}

// auditedTitles are the job titles the audit log recorded updateContact setting.
func (w *world) auditedTitles(dbPath string) map[string]bool {
	w.t.Helper()
	db, err := sql.Open("sqlite3", "file:"+dbPath+"?mode=ro&_busy_timeout=10000")
	if err != nil {
		w.t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT json_extract("after", '$.job_title') FROM audit_events WHERE action = 'updateContact'`)
	if err != nil {
		w.t.Fatal(err)
	}
	defer rows.Close()
	titles := map[string]bool{}
	for rows.Next() {
		var s sql.NullString
		if err := rows.Scan(&s); err != nil {
			w.t.Fatal(err)
		}
		titles[s.String] = true
	}
	return titles
}

// TestKillNineLosesNoAcknowledgedWrite: the server takes writes from 4 clients and is killed
// with SIGKILL at a random moment, 20 times. After each kill `sitekeeper check` passes, and after
// each restart every acknowledged write is there, with its audit event.
func TestKillNineLosesNoAcknowledgedWrite(t *testing.T) {
	w := newWorld(t)
	seed := rand.Uint64()
	rng := rand.New(rand.NewPCG(seed, 0))
	t.Logf("seed %d", seed)
	srv := w.serve(w.dbPath)
	var writers []*writer
	for id, c := range w.contacts() {
		writers = append(writers, &writer{id: id, version: c.Version})
		if len(writers) == 4 {
			break
		}
	}
	const rounds = 20
	start := time.Now()
	acked, committedInFlight, lostInFlight := 0, 0, 0
	for round := range rounds {
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for _, wr := range writers {
			wg.Go(func() { w.write(wr, fmt.Sprintf("r%d", round), stop) })
		}
		time.Sleep(time.Duration(50+rng.IntN(300)) * time.Millisecond)
		if err := srv.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		<-srv.done
		close(stop)
		wg.Wait()
		if t.Failed() {
			t.FailNow()
		}
		// The database as the dead server left it: SQLite's integrity and the invariants.
		if out := w.run("check"); !strings.HasPrefix(out, "ok: ") {
			t.Fatalf("round %d: check after SIGKILL: %s", round, out)
		}
		srv = w.serve(w.dbPath)
		inFlight := 0
		for _, wr := range writers {
			if wr.inFlight != "" {
				inFlight++
			}
		}
		committed := w.checkDurable(writers)
		committedInFlight += committed
		lostInFlight += inFlight - committed
	}
	titles := w.auditedTitles(w.dbPath)
	for _, wr := range writers {
		acked += len(wr.acked)
		for _, title := range wr.acked {
			if !titles[title] {
				t.Fatalf("acknowledged write %s has no audit event", title)
			}
		}
	}
	t.Logf("%d rounds in %s: %d acknowledged writes, all present and audited; of the writes in flight at a kill, %d had committed and %d had not",
		rounds, time.Since(start).Round(time.Millisecond), acked, committedInFlight, lostInFlight)
	if acked < rounds {
		t.Fatalf("only %d writes acknowledged in %d rounds: the test exercised little", acked, rounds)
	}
	_ = srv.cmd.Process.Signal(syscall.SIGTERM)
	<-srv.done
}

// TestOnlineBackupAndRestore: `sitekeeper backup FILE` copies the database while the server
// takes writes; the copy passes `sitekeeper check`, holds every write acknowledged before the
// backup began, and serves as the database of a restored server.
func TestOnlineBackupAndRestore(t *testing.T) {
	w := newWorld(t)
	srv := w.serve(w.dbPath)
	var writers []*writer
	for id, c := range w.contacts() {
		writers = append(writers, &writer{id: id, version: c.Version})
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for _, wr := range writers {
		wg.Go(func() { w.write(wr, "b", stop) })
	}
	time.Sleep(300 * time.Millisecond)
	// Everything acknowledged so far is committed, so this read is a lower bound of the copy.
	snapshot := map[string]string{}
	for id, c := range w.contacts() {
		snapshot[id] = c.JobTitle
	}
	copyPath := filepath.Join(w.dir, "backup.db")
	began := time.Now()
	w.run("backup", copyPath)
	took := time.Since(began)
	time.Sleep(100 * time.Millisecond) // writes go on after the backup too
	close(stop)
	wg.Wait()
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := <-srv.done; err != nil {
		t.Fatalf("the server exited with %v\n%s", err, srv.stderr)
	}

	// The copy is sound and current up to the moment it began.
	if out, err := w.runOn(copyPath, "check"); err != nil || !strings.HasPrefix(out, "ok: ") {
		t.Fatalf("check on the copy: %v\n%s", err, out)
	}
	restored := w.serve(copyPath)
	got := w.contacts()
	newer := 0
	for id, title := range snapshot {
		g := got[id].JobTitle
		if !strings.HasPrefix(title, "b-") { // no write had been acknowledged yet
			if g != title && !strings.HasPrefix(g, "b-") {
				t.Fatalf("contact %s in the copy: %q", id, g)
			}
			continue
		}
		if g != title && !laterTitle(g, title) {
			t.Fatalf("contact %s in the copy: %q, want %q or a later write", id, g, title)
		}
		if g != title {
			newer++
		}
	}
	titles := w.auditedTitles(copyPath)
	for _, c := range got {
		if strings.HasPrefix(c.JobTitle, "b-") && !titles[c.JobTitle] {
			t.Fatalf("the copy holds %q without its audit event", c.JobTitle)
		}
	}
	total := 0
	for _, wr := range writers {
		total += len(wr.acked)
	}
	t.Logf("backup took %s under load (%d writes acknowledged in all); the restored copy has every write acknowledged before it began, on %d contacts (%d with later ones)",
		took.Round(time.Millisecond), total, len(snapshot), newer)
	_ = restored.cmd.Process.Signal(syscall.SIGTERM)
	<-restored.done
}

// laterTitle reports whether title a is a later write of the same writer than b ("b-ID-SEQ").
func laterTitle(a, b string) bool {
	var pa, pb, ida, idb string
	var sa, sb int
	if i := strings.LastIndexByte(a, '-'); i > 0 {
		fmt.Sscan(a[i+1:], &sa)
		pa, ida = a[:1], a[2:i]
	}
	if i := strings.LastIndexByte(b, '-'); i > 0 {
		fmt.Sscan(b[i+1:], &sb)
		pb, idb = b[:1], b[2:i]
	}
	return pa == pb && ida == idb && sa > sb
}

// TestSigtermUnderLoad: SIGTERM while 8 clients send reads and writes. Every request that got
// an answer got a complete 200, requests fail only by being refused a connection once the
// server stopped accepting, the process exits 0 within 30 s, and every acknowledged write is
// there after a restart.
func TestSigtermUnderLoad(t *testing.T) {
	w := newWorld(t)
	srv := w.serve(w.dbPath)
	var writers []*writer
	for id, c := range w.contacts() {
		writers = append(writers, &writer{id: id, version: c.Version})
	}
	var (
		signalled  atomic.Bool
		answered   atomic.Int64 // 200s
		afterTerm  atomic.Int64 // 200s that arrived after SIGTERM was sent
		refused    atomic.Int64 // connection errors after SIGTERM
		mu         sync.Mutex
		unexpected []string
	)
	bad := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		unexpected = append(unexpected, fmt.Sprintf(format, args...))
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i, wr := range writers {
		// A writer and a reader per contact; each sends at most 500 requests.
		wg.Go(func() {
			for range 500 {
				sent := signalled.Load()
				wr.seq++
				title := fmt.Sprintf("t-%s-%d", wr.id, wr.seq)
				wr.inFlight = title
				data, err := w.gql(`mutation($id:ID!, $v:Int!, $t:String) { updateContact(id:$id, expectedVersion:$v, input:{jobTitle:$t}) { version jobTitle } }`,
					map[string]any{"id": wr.id, "v": wr.version, "t": title})
				if err != nil {
					var answer *answerError
					if errors.As(err, &answer) || !signalled.Load() {
						bad("write %s: %v (sent after SIGTERM: %v)", title, err, sent)
					}
					refused.Add(1)
					return
				}
				var out struct{ UpdateContact record }
				_ = json.Unmarshal(data, &out)
				wr.version, wr.inFlight = out.UpdateContact.Version, ""
				wr.acked = append(wr.acked, title)
				answered.Add(1)
				if signalled.Load() {
					afterTerm.Add(1)
				}
			}
		})
		wg.Go(func() {
			for range 500 {
				// Cheap enough (42) that 4 readers stay within one person's rate limit.
				_, err := w.gql(`query($n:String!) { site(number:$n) { contacts(first:10) { edges { node { id jobTitle } } } } }`,
					map[string]any{"n": demo.AcmeSiteNumber})
				if err != nil {
					var answer *answerError
					if errors.As(err, &answer) || !signalled.Load() {
						bad("reader %d: %v", i, err)
					}
					refused.Add(1)
					return
				}
				answered.Add(1)
				if signalled.Load() {
					afterTerm.Add(1)
				}
			}
		})
	}
	time.Sleep(400 * time.Millisecond)
	signalled.Store(true)
	termAt := time.Now()
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-srv.done:
		if err != nil {
			t.Fatalf("the server exited with %v after SIGTERM\n%s", err, srv.stderr)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not exit within 30 s of SIGTERM")
	}
	exited := time.Since(termAt)
	close(stop)
	wg.Wait()
	for _, u := range unexpected {
		t.Error(u)
	}
	logs := srv.stderr.String()
	for _, want := range []string{"shutting down: draining in-flight requests", `"msg":"stopped"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("the log lacks %q", want)
		}
	}
	restarted := w.serve(w.dbPath)
	// A drained server answers every request it took: none committed without its answer.
	if committed := w.checkDurable(writers); committed != 0 {
		t.Errorf("%d writes committed but their answers were lost", committed)
	}
	titles := w.auditedTitles(w.dbPath)
	for _, wr := range writers {
		for _, title := range wr.acked {
			if !titles[title] {
				t.Fatalf("acknowledged write %s has no audit event", title)
			}
		}
	}
	t.Logf("SIGTERM under load: exited 0 after %s; %d requests answered 200 (%d of them after the signal), then %d clients were refused a connection",
		exited.Round(time.Millisecond), answered.Load(), afterTerm.Load(), refused.Load())
	_ = restarted.cmd.Process.Signal(syscall.SIGTERM)
	<-restarted.done
}
