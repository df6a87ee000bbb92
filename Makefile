# Shortcuts; scripts/run and scripts/test are the documented entry points.
.PHONY: run test build generate migration vet fmt clean

run: ## build and start the server with the embedded defaults (dev mode, sitekeeper.db)
	./scripts/run

test: ## every check: vet, gofmt, generation drift, go test -race
	./scripts/test

build: ## build ./sitekeeper
	CGO_ENABLED=1 go build -o sitekeeper .

generate: ## regenerate ent, the migration for any schema change, and gqlgen
	go generate ./...

migration: ## write a named migration for the current ent schema changes: make migration NAME=add_x
	go run -mod=mod ./ent/migrate/main.go $(NAME)

vet:
	go vet ./...

fmt:
	gofmt -w $$(git ls-files --cached --others --exclude-standard -- '*.go')

clean:
	rm -f sitekeeper
