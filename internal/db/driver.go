package db

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
)

// NewDriver is the ent driver over a database opened by Open, with Sitekeeper's transaction
// semantics. Open builds its client on it; code that wraps the driver (for example to count
// statements) must start from it, not from entsql.OpenDB.
//
// The roster code reads, checks and then writes inside a transaction (the PRIMARY to demote,
// the status a removal requires, the SECONDARY count) and relies on no other change to the same
// Site happening in between.
//
//   - SQLite guarantees it by itself: write transactions are immediate (see Parse) and hold the
//     database's write lock from BEGIN. NewDriver adds an in-process queue in front of BEGIN, so
//     that concurrent writers wait their turn in order instead of polling SQLite's busy handler,
//     whose back-off sleeps (up to 100 ms each) made the 99th percentile of concurrent writes
//     tens of milliseconds.
//   - PostgreSQL at READ COMMITTED does not, and write transactions run in parallel there: each
//     roster change first takes its Site's lock (invariant.LockSite, a transaction-scoped
//     advisory lock), before it reads what it decides on. Changes to one Site run one at a time
//     across every instance; changes to different Sites do not wait for each other.
func NewDriver(sqlDB *sql.DB) dialect.Driver {
	d := DialectOf(sqlDB)
	return &serialWrites{Driver: entsql.OpenDB(d, sqlDB), postgres: d == dialect.Postgres, turn: make(chan struct{}, 1)}
}

// queueTimeout bounds the wait in the in-process queue. Past it the transaction begins anyway
// and waits on SQLite's own lock (its busy timeout), so a transaction that is never ended cannot
// stall the others for longer than before.
const queueTimeout = BusyTimeoutMillis * time.Millisecond

// serialWrites runs SQLite's write transactions one at a time; see NewDriver.
type serialWrites struct {
	*entsql.Driver
	postgres bool
	turn     chan struct{} // holds a token while a write transaction of this process is open
}

// Tx starts a write transaction.
func (d *serialWrites) Tx(ctx context.Context) (dialect.Tx, error) { return d.BeginTx(ctx, nil) }

// BeginTx starts a transaction; a SQLite write transaction waits for its turn first.
func (d *serialWrites) BeginTx(ctx context.Context, opts *sql.TxOptions) (dialect.Tx, error) {
	if d.postgres || (opts != nil && opts.ReadOnly) {
		return d.Driver.BeginTx(ctx, opts)
	}
	release, err := d.wait(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := d.Driver.BeginTx(ctx, opts)
	if err != nil {
		release()
		return nil, err
	}
	return &queuedTx{Tx: tx, release: release}, nil
}

// wait takes this process's turn, or gives up waiting after queueTimeout (see there).
func (d *serialWrites) wait(ctx context.Context) (func(), error) {
	timer := time.NewTimer(queueTimeout)
	defer timer.Stop()
	select {
	case d.turn <- struct{}{}:
		var once sync.Once
		return func() { once.Do(func() { <-d.turn }) }, nil
	case <-timer.C:
		return func() {}, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// queuedTx gives the turn back when the transaction ends.
type queuedTx struct {
	dialect.Tx
	release func()
}

func (t *queuedTx) Commit() error {
	defer t.release()
	return t.Tx.Commit()
}

func (t *queuedTx) Rollback() error {
	defer t.release()
	return t.Tx.Rollback()
}

// ExecContext and QueryContext pass through to the database/sql transaction, for the
// client's ExecContext and QueryContext (ent's sql/execquery feature).
func (t *queuedTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	ex, ok := t.Tx.(interface {
		ExecContext(context.Context, string, ...any) (sql.Result, error)
	})
	if !ok {
		return nil, fmt.Errorf("db: %T has no ExecContext", t.Tx)
	}
	return ex.ExecContext(ctx, query, args...)
}

func (t *queuedTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	q, ok := t.Tx.(interface {
		QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	})
	if !ok {
		return nil, fmt.Errorf("db: %T has no QueryContext", t.Tx)
	}
	return q.QueryContext(ctx, query, args...)
}
