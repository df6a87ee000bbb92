package notify

import (
	"context"
	"fmt"
	"time"

	entsql "entgo.io/ent/dialect/sql"

	"sitekeeper/ent"
	"sitekeeper/ent/partnergrant"
	"sitekeeper/internal/audit"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/invariant"
)

// RecordExpiredGrants writes the expiry of every partner grant that ran out to the audit log, as
// a revocation in the partner change feed (contactRoleChanges), so a partner learns that a Site
// left its view as it learns of a revoked grant. It reads only the grants due, through the
// partial index on expires_at, and marks each done (expiry_recorded_at) in the transaction that
// writes its event, under the Site's lock: one event per grant, by one instance.
func (w *Worker) RecordExpiredGrants(ctx context.Context) (int, error) {
	ctx = w.systemContext(ctx)
	now := w.now()
	recorded := 0
	for ctx.Err() == nil {
		due, err := w.Client.PartnerGrant.Query().
			Where(partnergrant.RevokedAtIsNil(), partnergrant.ExpiryRecordedAtIsNil(), partnergrant.ExpiresAtLTE(now)).
			Limit(w.batchSize()).All(ctx)
		if err != nil {
			return recorded, fmt.Errorf("notify: finding expired grants: %w", err)
		}
		for _, g := range due {
			ok, err := w.recordExpiry(ctx, g, now)
			if err != nil {
				return recorded, err
			}
			if ok {
				recorded++
			}
		}
		// Each batch marks what it read, so the next one reads further: stop at a short batch.
		if len(due) < w.batchSize() {
			break
		}
	}
	return recorded, nil
}

func (w *Worker) recordExpiry(ctx context.Context, g *ent.PartnerGrant, now time.Time) (recorded bool, err error) {
	tx, err := w.Client.Tx(ctx)
	if err != nil {
		return false, fmt.Errorf("notify: expiry of grant %d: %w", g.ID, err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
			err = fmt.Errorf("notify: expiry of grant %d: %w", g.ID, err)
			return
		}
		err = tx.Commit()
	}()
	client := tx.Client()
	if err := invariant.LockSite(ctx, client, g.SiteID); err != nil {
		return false, err
	}
	// Read again under the lock: another instance may have recorded it, or a manager revoked it.
	g, err = client.PartnerGrant.Query().Where(partnergrant.ID(g.ID)).WithPartner().Only(ctx)
	if err != nil {
		return false, err
	}
	if g.ExpiryRecordedAt != nil || g.RevokedAt != nil {
		return false, nil
	}
	// Bookkeeping past the hooks: the grant itself does not change.
	query, args := entsql.Dialect(client.Dialect()).Update(partnergrant.Table).
		Set(partnergrant.FieldExpiryRecordedAt, now).Where(entsql.EQ(partnergrant.FieldID, g.ID)).Query()
	if err := client.ExecStatement(ctx, query, args...); err != nil {
		return false, err
	}
	event := client.AuditEvent.Create().
		SetActorKind(domain.ActorSystem).SetActor("system").
		SetAction("partnerAccessExpired").SetTargetType(ent.TypePartnerGrant).SetTargetID(g.ID).
		SetTargetLabel(g.Edges.Partner.Name).SetSiteID(g.SiteID).
		SetAfter(map[string]any{"expires_at": g.ExpiresAt})
	held, err := audit.StillGranted(ctx, client, g.SiteID, g.PartnerID, g.ID, now)
	if err != nil {
		return false, err
	}
	if !held {
		event.SetFeed(domain.FeedAccessRevoked).SetFeedPartnerID(g.PartnerID)
	}
	return true, event.Exec(ctx)
}
