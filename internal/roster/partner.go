package roster

import (
	"context"
	"time"

	"sitekeeper/ent"
	"sitekeeper/internal/apperr"
	"sitekeeper/internal/viewer"
)

// maxGrant is the longest a partner may read a Site's contact roles without a new grant.
const maxGrant = 2 * 365 * 24 * time.Hour

// CreatePartner registers a reseller and the client id its tokens carry.
func CreatePartner(ctx context.Context, in CreatePartnerInput) (*ent.Partner, error) {
	return ent.FromContext(ctx).Partner.Create().SetName(in.Name).SetClientID(in.ClientID).Save(ctx)
}

// GrantPartnerAccess lets a partner read the Site's contact roles until expiresAt.
func GrantPartnerAccess(ctx context.Context, siteID, partnerID int, expiresAt time.Time) (*ent.PartnerGrant, error) {
	now := time.Now()
	if !expiresAt.After(now) || expiresAt.After(now.Add(maxGrant)) {
		return nil, apperr.InvalidInput("a grant expires in the future and within 2 years", "expiresAt")
	}
	client := ent.FromContext(ctx)
	if _, err := client.Partner.Get(ctx, partnerID); err != nil {
		return nil, apperr.InvalidInput("no such partner", "partnerId")
	}
	return client.PartnerGrant.Create().
		SetSiteID(siteID).SetPartnerID(partnerID).
		SetExpiresAt(expiresAt).SetGrantedBy(viewer.FromContext(ctx).Email).
		Save(ctx)
}

// RevokePartnerAccess ends a grant now.
func RevokePartnerAccess(ctx context.Context, id int) (*ent.PartnerGrant, error) {
	client := ent.FromContext(ctx)
	g, err := client.PartnerGrant.Get(ctx, id)
	if err != nil {
		return nil, notFound(err)
	}
	if g.RevokedAt != nil {
		return nil, apperr.New(apperr.Conflict, "the grant was already revoked")
	}
	return client.PartnerGrant.UpdateOneID(id).
		SetRevokedAt(time.Now()).SetRevokedBy(viewer.FromContext(ctx).Email).
		Save(ctx)
}
