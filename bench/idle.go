package main

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// idleResult is what `sitekeeper serve` costs with no requests at all, on the seeded database.
type idleResult struct {
	window            time.Duration
	server, postgres  float64 // cores (of the machine's) used during the window
	transactions      int64   // PostgreSQL only: transactions committed or rolled back in the window
	measured, counted bool
}

// measureIdle starts `sitekeeper serve` on the seeded database, outside dev mode and without a
// mail server (the outbox waits), lets its first run pass (it reminds every overdue Site once),
// and then measures the CPU of the server, and of PostgreSQL, over the window.
func measureIdle(ctx context.Context, bin, dbURL string, sqlDB *sql.DB, dialect string, iss *issuer, settle, window time.Duration) (idleResult, error) {
	res := idleResult{window: window}
	addr, err := freeAddr()
	if err != nil {
		return res, err
	}
	cmd := exec.CommandContext(ctx, bin, "serve")
	cmd.Env = os.Environ()
	for k, v := range iss.serverEnv(dbURL, addr) {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	logFile, err := os.CreateTemp(filepath.Dir(bin), "idle-*.log")
	if err != nil {
		return res, err
	}
	defer os.Remove(logFile.Name())
	defer logFile.Close()
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 30 * time.Second
	if err := cmd.Start(); err != nil {
		return res, err
	}
	defer func() { _ = cmd.Process.Signal(syscall.SIGTERM); _ = cmd.Wait() }()
	if err := waitHealthy(ctx, "http://"+addr+"/healthz", 30*time.Second); err != nil {
		b, _ := os.ReadFile(logFile.Name())
		return res, fmt.Errorf("idle server: %w\n%s", err, b)
	}
	log.Printf("%s: idle server: %s to settle, then %s measured", dialect, settle, window)
	select {
	case <-time.After(settle):
	case <-ctx.Done():
		return res, ctx.Err()
	}
	stat := "/proc/" + strconv.Itoa(cmd.Process.Pid) + "/stat"
	txBefore, counted := pgTransactions(ctx, sqlDB, dialect)
	before, serverBefore := takeCPUSnapshot(), procTicks(stat)
	select {
	case <-time.After(window):
	case <-ctx.Done():
		return res, ctx.Err()
	}
	after, serverAfter := takeCPUSnapshot(), procTicks(stat)
	txAfter, _ := pgTransactions(ctx, sqlDB, dialect)
	secs := after.at.Sub(before.at).Seconds()
	res.server = float64(serverAfter-serverBefore) / ticksPerSecond / secs
	res.postgres = float64(after.postgres-before.postgres) / ticksPerSecond / secs
	res.measured = true
	if counted {
		res.counted, res.transactions = true, txAfter-txBefore
	}
	return res, nil
}

// pgTransactions reads PostgreSQL's count of the database's transactions (every statement
// outside a transaction is one); the reading itself is one of them.
func pgTransactions(ctx context.Context, sqlDB *sql.DB, dialect string) (int64, bool) {
	if dialect != "postgres" {
		return 0, false
	}
	// Statistics reach the shared counters within a second or so.
	time.Sleep(1500 * time.Millisecond)
	var n int64
	if err := sqlDB.QueryRowContext(ctx, `SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()`).Scan(&n); err != nil {
		return 0, false
	}
	return n, true
}
