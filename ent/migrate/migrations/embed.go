// Package migrations embeds the committed, versioned migration directories, one per dialect.
// The SQL files are written by ent/migrate/main.go (go generate); never edit an applied file:
// atlas.sum pins every file's checksum and the server refuses a directory that does not match.
package migrations

import "embed"

// SQLite holds sqlite/*.sql and sqlite/atlas.sum.
//
//go:embed sqlite/*.sql sqlite/atlas.sum
var SQLite embed.FS

// SQLiteDir is the directory inside SQLite that holds the files.
const SQLiteDir = "sqlite"

// Postgres holds postgres/*.sql and postgres/atlas.sum.
//
//go:embed postgres/*.sql postgres/atlas.sum
var Postgres embed.FS

// PostgresDir is the directory inside Postgres that holds the files.
const PostgresDir = "postgres"
