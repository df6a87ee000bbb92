# Shortcuts; scripts/run and scripts/test are the documented entry points.
.PHONY: run test test-postgres bench build generate migration vet fmt clean

run: ## build and start the server with the embedded defaults (dev mode, sitekeeper.db)
	./scripts/run

test: ## every check: vet, gofmt, generation drift, go test -race on SQLite, then on PostgreSQL
	./scripts/test

test-postgres: ## go test ./... on a throwaway PostgreSQL server (Debian's postgresql, on 127.0.0.1)
	./scripts/with-postgres go test -count=1 ./...

bench: ## benchmarks on SQLite and PostgreSQL against the plain-SQL baseline; writes docs/benchmarks.md
	./scripts/bench $(ARGS)

build: ## build ./sitekeeper
	CGO_ENABLED=1 go build -o sitekeeper .

generate: ## regenerate ent, the migration for any schema change, and gqlgen
	go generate ./...

migration: ## write a named migration, SQLite and PostgreSQL, for the ent schema changes: make migration NAME=add_x
	./scripts/with-postgres go run -mod=mod ./ent/migrate/main.go $(NAME)

vet:
	go vet ./...

fmt:
	gofmt -w $$(git ls-files --cached --others --exclude-standard -- '*.go')

clean:
	rm -f sitekeeper
