package graph

import (
	"log/slog"
	"net/http"

	"sitekeeper/ent"
)

// Options configure the GraphQL handler.
type Options struct {
	// DevMode turns on field suggestions in validation errors.
	DevMode bool
	// MaxSecondary is how many SECONDARY contacts a Site may have.
	MaxSecondary int
	Logger       *slog.Logger
}

// NewHandler serves POST /graphql (JSON) and GET /graphql (queries only). The request's viewer
// must already be in its context (see internal/auth).
func NewHandler(client *ent.Client, opts Options) http.Handler {
	panic("filled in by the core work")
}
