package changefeed

import (
	"context"
	"sync"
)

// A revocation must name the Site that left the reader's view, so the feed loads Sites past the
// privacy rules. Of a Site the reader no longer sees, only its identity (id, number, name) is
// served: IdentityOnly tells the GraphQL layer which Sites those are in this request.

type outOfView struct {
	mu  sync.Mutex
	ids map[int]bool
}

type outOfViewKey struct{}

// WithOutOfView returns ctx for a request that may read the feed.
func WithOutOfView(ctx context.Context) context.Context {
	return context.WithValue(ctx, outOfViewKey{}, &outOfView{})
}

// IdentityOnly reports whether the Site was named by the feed without being visible to the
// reader in this request.
func IdentityOnly(ctx context.Context, siteID int) bool {
	o, ok := ctx.Value(outOfViewKey{}).(*outOfView)
	if !ok {
		return false
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.ids[siteID]
}

// markOutOfView notes Sites the feed names past the privacy rules. Without WithOutOfView in
// ctx it reports false: the caller must then not serve them.
func markOutOfView(ctx context.Context, ids []int) bool {
	o, ok := ctx.Value(outOfViewKey{}).(*outOfView)
	if !ok {
		return false
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.ids == nil {
		o.ids = map[int]bool{}
	}
	for _, id := range ids {
		o.ids[id] = true
	}
	return true
}
