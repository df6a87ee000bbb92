//go:build ignore

// rehash rewrites the atlas.sum of migration directories after a hand-written addition to a
// migration that is not applied anywhere yet (a data backfill after the generated statements):
//
//	go run -mod=mod ./ent/migrate/rehash.go ent/migrate/migrations/sqlite ent/migrate/migrations/postgres
package main

import (
	"log"
	"os"

	atlas "ariga.io/atlas/sql/migrate"
)

func main() {
	for _, path := range os.Args[1:] {
		dir, err := atlas.NewLocalDir(path)
		if err != nil {
			log.Fatal(err)
		}
		sum, err := dir.Checksum()
		if err != nil {
			log.Fatal(err)
		}
		if err := atlas.WriteSumFile(dir, sum); err != nil {
			log.Fatal(err)
		}
	}
}
