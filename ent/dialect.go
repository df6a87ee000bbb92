package ent

import "context"

// Dialect names the database the client talks to (dialect.SQLite or dialect.Postgres), for the
// few statements that differ between them.
func (c *Client) Dialect() string { return c.driver.Dialect() }

// ExecStatement runs a statement whose rows, if any, are not wanted, on the client's driver or
// transaction. Unlike ExecContext it goes through dialect.ExecQuerier, which every driver and
// wrapper (statement counting included) implements.
func (c *Client) ExecStatement(ctx context.Context, query string, args ...any) error {
	return c.driver.Exec(ctx, query, args, nil)
}
