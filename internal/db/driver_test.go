package db

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// TestWriteTransactionsTakeTurns: on SQLite a second write transaction of the same process
// waits in the queue (not in SQLite's busy handler) until the first ends, by commit or by
// rollback; a waiter whose context ends gives up without beginning.
func TestWriteTransactionsTakeTurns(t *testing.T) {
	sqliteOnly(t, "the in-process queue of SQLite writes; postgres_test.go covers PostgreSQL's lock")
	client, _ := mustOpen(t, tempURL(t))
	ctx := context.Background()
	first, err := client.Tx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	if tx, err := client.Tx(short); !errors.Is(err, context.DeadlineExceeded) {
		if tx != nil {
			_ = tx.Rollback()
		}
		t.Fatalf("a second write transaction while the first is open: %v, want it to wait", err)
	}
	if err := first.Rollback(); err != nil {
		t.Fatal(err)
	}
	_ = first.Rollback() // a second end gives the turn back only once
	second, err := client.Tx(ctx)
	if err != nil {
		t.Fatalf("after the first rolled back: %v", err)
	}
	// The execquery feature reaches the database/sql transaction through the queue's wrapper.
	if _, err := second.ExecContext(ctx, "SELECT 1"); err != nil {
		t.Fatalf("ExecContext in a transaction: %v", err)
	}
	if err := second.Commit(); err != nil {
		t.Fatal(err)
	}
}

// TestConcurrentEntTransactions: many writers through the ent driver all commit, none is
// refused with "database is locked", and none waits long.
func TestConcurrentEntTransactions(t *testing.T) {
	sqliteOnly(t, "SQLite writers")
	client, sqlDB := mustOpen(t, tempURL(t))
	mustMigrate(t, sqlDB)
	ctx := context.Background()
	const workers, each = 8, 20
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				tx, err := client.Tx(ctx)
				if err != nil {
					errs <- err
					continue
				}
				if _, err := tx.ExecContext(ctx, "INSERT INTO partners (created_at, updated_at, name, client_id) VALUES (?, ?, 'P', ?)",
					time.Now(), time.Now(), time.Now().String()+string(rune('a'+w))+string(rune('a'+i))); err != nil {
					_ = tx.Rollback()
					errs <- err
					continue
				}
				if err := tx.Commit(); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("writer: %v", err)
	}
	var n int
	if err := sqlDB.QueryRow("SELECT COUNT(*) FROM partners").Scan(&n); err != nil || n != workers*each {
		t.Fatalf("%d partners, %v; want %d", n, err, workers*each)
	}
}
