package ent

// Dialect names the database the client talks to (dialect.SQLite or dialect.Postgres), for the
// few statements that differ between them.
func (c *Client) Dialect() string { return c.driver.Dialect() }
