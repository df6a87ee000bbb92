package audit

import (
	"context"
	"slices"
	"sync"

	"sitekeeper/ent"
	"sitekeeper/ent/privacy"
	"sitekeeper/internal/viewer"
)

// Reads records which Sites a request read, so that reads by partners leave an access event:
// a reseller's look at a customer's contacts is as much worth proving as a change.
type Reads struct {
	mu    sync.Mutex
	sites []int
}

type readsKey struct{}

// WithReads starts recording reads under ctx.
func WithReads(ctx context.Context) (context.Context, *Reads) {
	r := &Reads{}
	return context.WithValue(ctx, readsKey{}, r), r
}

// ReadSite notes that the request read a Site's data; a no-op when reads are not recorded.
func ReadSite(ctx context.Context, siteID int) {
	r, ok := ctx.Value(readsKey{}).(*Reads)
	if !ok || siteID == 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !slices.Contains(r.sites, siteID) {
		r.sites = append(r.sites, siteID)
	}
}

// RecordAccess writes one access event per Site read, as the request's viewer.
func (r *Reads) RecordAccess(ctx context.Context, client *ent.Client, operation string) error {
	r.mu.Lock()
	sites := slices.Clone(r.sites)
	r.mu.Unlock()
	v := viewer.FromContext(ctx)
	kind, actor := actorOf(v)
	req := RequestFrom(ctx)
	sys := privacy.DecisionContext(ctx, privacy.Allow)
	events := make([]*ent.AuditEventCreate, len(sites))
	for i, siteID := range sites {
		events[i] = client.AuditEvent.Create().
			SetActorKind(kind).SetActor(actor).
			SetAction("read").SetTargetType(ent.TypeSite).SetTargetID(siteID).SetSiteID(siteID).
			SetAfter(map[string]any{"operation": operation}).
			SetRequestID(req.ID).SetClientAddress(req.ClientAddress)
	}
	// One statement for all of them: a partner reading 100 Sites costs one insert, not 100.
	if len(events) > 0 {
		return client.AuditEvent.CreateBulk(events...).Exec(sys)
	}
	return nil
}
