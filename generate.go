package main

// One entry point: ent (and graph/ent.graphqls) first, then gqlgen over the whole GraphQL schema.
//go:generate go run -mod=mod ./ent/entc.go
//go:generate go run -mod=mod ./ent/migrate/main.go
//go:generate go run -mod=mod github.com/99designs/gqlgen
