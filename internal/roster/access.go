package roster

import (
	"context"
	"strings"
	"time"

	"sitekeeper/ent"
	"sitekeeper/ent/accessrequest"
	"sitekeeper/ent/site"
	"sitekeeper/ent/user"
	"sitekeeper/internal/apperr"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/rule"
	"sitekeeper/internal/viewer"
)

// accessRequestLifetime is how long a request waits for a decision.
const accessRequestLifetime = 30 * 24 * time.Hour

// SiteIDByNumber finds a Site whatever the caller may see; requests for access need it.
func SiteIDByNumber(ctx context.Context, client *ent.Client, number string) (int, error) {
	id, err := client.Site.Query().Where(site.Number(number)).OnlyID(rule.Unrestricted(ctx))
	if err != nil {
		return 0, apperr.ErrNotFound
	}
	return id, nil
}

// RequestAccess records a signed-in person's request to become a contact of a Site.
func RequestAccess(ctx context.Context, siteNumber, justification string) (*ent.AccessRequest, error) {
	if strings.TrimSpace(justification) == "" {
		return nil, apperr.InvalidInput("say why you need access", "justification")
	}
	client := ent.FromContext(ctx)
	siteID, err := SiteIDByNumber(ctx, client, siteNumber)
	if err != nil {
		return nil, err
	}
	v := viewer.FromContext(ctx)
	pending, err := client.AccessRequest.Query().Where(
		accessrequest.SiteID(siteID), accessrequest.RequesterID(v.UserID),
		accessrequest.StatusEQ(domain.RequestPending), accessrequest.ExpiresAtGT(time.Now()),
	).Exist(rule.Unrestricted(ctx))
	if err != nil {
		return nil, err
	}
	if pending {
		return nil, apperr.New(apperr.Conflict, "you already asked for access to this Site")
	}
	return client.AccessRequest.Create().
		SetSiteID(siteID).SetRequesterID(v.UserID).
		SetEmail(v.Email).SetName(v.Name).
		SetJustification(justification).
		SetExpiresAt(time.Now().Add(accessRequestLifetime)).
		Save(ctx)
}

// DecideAccessRequest grants (inviting the person as a USER with the given privileges) or denies
// (with a reason) a pending request.
func DecideAccessRequest(ctx context.Context, id int, grant bool, reason *string, privileges *domain.PrivilegesPatch) (*ent.AccessRequest, error) {
	client := ent.FromContext(ctx)
	req, err := client.AccessRequest.Get(ctx, id)
	if err != nil {
		return nil, notFound(err)
	}
	if req.Status != domain.RequestPending {
		return nil, apperr.New(apperr.Conflict, "the request was already decided")
	}
	if time.Now().After(req.ExpiresAt) {
		return nil, apperr.New(apperr.Conflict, "the request expired")
	}
	update := client.AccessRequest.UpdateOneID(id).
		SetDecidedAt(time.Now()).SetDecidedBy(viewer.FromContext(ctx).Email)
	if reason != nil {
		update.SetReason(*reason)
	}
	if !grant {
		if reason == nil || strings.TrimSpace(*reason) == "" {
			return nil, apperr.InvalidInput("say why the request is denied", "reason")
		}
		return update.SetStatus(domain.RequestDenied).Save(ctx)
	}
	if err := inviteRequester(ctx, client, req, privileges); err != nil {
		return nil, err
	}
	return update.SetStatus(domain.RequestGranted).Save(ctx)
}

// inviteRequester adds the requester as a USER. Details the request lacks are completed by the
// person in their own record; the justification is theirs.
func inviteRequester(ctx context.Context, client *ent.Client, req *ent.AccessRequest, privileges *domain.PrivilegesPatch) error {
	requester, err := client.User.Query().Where(user.ID(req.RequesterID)).Only(rule.Unrestricted(ctx))
	if err != nil {
		return err
	}
	first, last := splitName(requester.Name, req.Email)
	_, err = AddContact(ctx, AddContactInput{
		SiteID:                req.SiteID,
		AccessRole:            domain.RoleUser,
		Privileges:            privileges,
		BusinessJustification: req.Justification,
		Details: ContactDetailsInput{
			Email: req.Email, FirstName: first, LastName: last,
			Phone: "unknown", City: "unknown", StateProvince: "unknown", PostalCode: "unknown",
		},
	})
	return err
}

func splitName(name, email string) (string, string) {
	if f := strings.Fields(name); len(f) >= 2 {
		return strings.Join(f[:len(f)-1], " "), f[len(f)-1]
	}
	local := email[:max(strings.IndexByte(email, '@'), 0)]
	if local == "" {
		local = "unknown"
	}
	return local, local
}
