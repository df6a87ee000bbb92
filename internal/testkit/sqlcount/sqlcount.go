// Package sqlcount wraps an ent dialect.Driver and counts the SQL statements it executes, inside
// and outside transactions, so tests can check that a query's statement count does not grow with
// the data it returns (no N+1).
package sqlcount

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"entgo.io/ent/dialect"

	"sitekeeper/ent"
	"sitekeeper/internal/db"
	"sitekeeper/internal/db/dbtest"
)

// Driver is a dialect.Driver that counts every Exec and Query, including those of its transactions.
type Driver struct {
	dialect.Driver

	n        atomic.Int64
	txs      atomic.Int64
	noRecord atomic.Bool

	mu    sync.Mutex
	stmts []string
}

// Wrap counts the statements drv executes.
func Wrap(drv dialect.Driver) *Driver { return &Driver{Driver: drv} }

// Record switches keeping the statements' text (for Statements) on or off; Count counts either
// way. Long runs (benchmarks) switch it off so that memory stays flat.
func (d *Driver) Record(on bool) { d.noRecord.Store(!on) }

func (d *Driver) note(query string) {
	d.n.Add(1)
	if d.noRecord.Load() {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.stmts = append(d.stmts, strings.Join(strings.Fields(query), " "))
}

// Reset forgets the statements counted so far.
func (d *Driver) Reset() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.stmts = nil
	d.n.Store(0)
	d.txs.Store(0)
}

// Count is the number of statements executed since the last Reset.
func (d *Driver) Count() int { return int(d.n.Load()) }

// Transactions is the number of transactions begun since the last Reset.
func (d *Driver) Transactions() int { return int(d.txs.Load()) }

// Statements are the statements executed since the last Reset, in order, while recording was on.
func (d *Driver) Statements() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.stmts...)
}

// Exec implements dialect.ExecQuerier.
func (d *Driver) Exec(ctx context.Context, query string, args, v any) error {
	d.note(query)
	return d.Driver.Exec(ctx, query, args, v)
}

// Query implements dialect.ExecQuerier.
func (d *Driver) Query(ctx context.Context, query string, args, v any) error {
	d.note(query)
	return d.Driver.Query(ctx, query, args, v)
}

// Tx starts a transaction whose statements are counted too.
func (d *Driver) Tx(ctx context.Context) (dialect.Tx, error) {
	tx, err := d.Driver.Tx(ctx)
	if err != nil {
		return nil, err
	}
	d.txs.Add(1)
	return &countingTx{Tx: tx, d: d}, nil
}

// BeginTx starts a transaction with options (ent.Client.BeginTx asks for it).
func (d *Driver) BeginTx(ctx context.Context, opts *sql.TxOptions) (dialect.Tx, error) {
	b, ok := d.Driver.(interface {
		BeginTx(context.Context, *sql.TxOptions) (dialect.Tx, error)
	})
	if !ok {
		return nil, fmt.Errorf("sqlcount: %T cannot begin a transaction with options", d.Driver)
	}
	tx, err := b.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	d.txs.Add(1)
	return &countingTx{Tx: tx, d: d}, nil
}

type countingTx struct {
	dialect.Tx
	d *Driver
}

func (t *countingTx) Exec(ctx context.Context, query string, args, v any) error {
	t.d.note(query)
	return t.Tx.Exec(ctx, query, args, v)
}

func (t *countingTx) Query(ctx context.Context, query string, args, v any) error {
	t.d.note(query)
	return t.Tx.Query(ctx, query, args, v)
}

// Open returns an ent client whose statements d counts, over a fresh migrated database opened
// with the production settings (as dbtest does: SQLite, or PostgreSQL when
// SITEKEEPER_TEST_DATABASE_URL says so), and the *sql.DB under it. Everything is closed when t
// ends.
func Open(t testing.TB) (*ent.Client, *sql.DB, *Driver) {
	t.Helper()
	ctx := context.Background()
	logger := slog.New(slog.DiscardHandler)
	plain, sqlDB, err := db.Open(ctx, dbtest.URL(t), logger)
	if err != nil {
		t.Fatalf("sqlcount: open: %v", err)
	}
	_ = plain // shares sqlDB; closing the counting client closes it
	if err := db.Migrate(ctx, sqlDB, logger); err != nil {
		_ = sqlDB.Close()
		t.Fatalf("sqlcount: migrate: %v", err)
	}
	d := Wrap(db.NewDriver(sqlDB))
	client := ent.NewClient(ent.Driver(d))
	t.Cleanup(func() { _ = client.Close() })
	return client, sqlDB, d
}
