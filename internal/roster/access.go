package roster

import (
	"context"
	"strings"
	"time"

	"sitekeeper/ent"
	"sitekeeper/ent/accessrequest"
	"sitekeeper/ent/site"
	"sitekeeper/internal/apperr"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/notify"
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

// maxPendingRequests bounds how many undecided requests one person may have, so that requests
// cannot be used to probe site numbers in bulk.
const maxPendingRequests = 5

// RequestAccess records a signed-in person's request to become a contact of a Site. A number
// no Site has gets a request all the same (nobody will decide it; it expires), so the answer
// tells nothing about which numbers exist.
func RequestAccess(ctx context.Context, siteNumber, justification string, details *domain.ContactDetails) (*ent.AccessRequest, error) {
	if strings.TrimSpace(justification) == "" {
		return nil, apperr.InvalidInput("say why you need access", "justification")
	}
	v := viewer.FromContext(ctx)
	if v.Email == "" || !v.EmailVerified {
		return nil, apperr.New(apperr.Forbidden, "your identity provider has not verified an email address for you: access is granted to a verified address")
	}
	if details != nil {
		if err := RequireDetails(*details); err != nil {
			return nil, apperr.WithFieldPrefix(err, "details.")
		}
		// Access goes to the person who asks, under the address their sign-in verified.
		if !strings.EqualFold(strings.TrimSpace(details.Email), v.Email) {
			return nil, apperr.InvalidInput("access is granted to the email you sign in with ("+v.Email+"), not another one", "details.email")
		}
	}
	client := ent.FromContext(ctx)
	sys := rule.Unrestricted(ctx)
	pending, err := client.AccessRequest.Query().Where(
		accessrequest.RequesterID(v.UserID),
		accessrequest.StatusEQ(domain.RequestPending), accessrequest.ExpiresAtGT(time.Now()),
	).All(sys)
	if err != nil {
		return nil, err
	}
	for _, p := range pending {
		if p.SiteNumber == siteNumber {
			return nil, apperr.New(apperr.Conflict, "you already asked for access to this Site")
		}
	}
	if len(pending) >= maxPendingRequests {
		return nil, apperr.New(apperr.Conflict, "you have %d requests waiting for a decision; wait for them first", len(pending))
	}
	create := client.AccessRequest.Create().
		SetSiteNumber(siteNumber).SetRequesterID(v.UserID).
		SetEmail(v.Email).SetName(v.Name).
		SetJustification(justification).
		SetExpiresAt(time.Now().Add(accessRequestLifetime))
	if details != nil {
		create.SetDetails(details)
	}
	if siteID, err := SiteIDByNumber(ctx, client, siteNumber); err == nil {
		create.SetSiteID(siteID)
	}
	return create.Save(ctx)
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
	if !grant && (reason == nil || strings.TrimSpace(*reason) == "") {
		return nil, apperr.InvalidInput("say why the request is denied", "reason")
	}
	status := domain.RequestDenied
	if grant {
		if err := inviteRequester(ctx, client, req, privileges); err != nil {
			return nil, err
		}
		status = domain.RequestGranted
	}
	decided, err := update.SetStatus(status).Save(ctx)
	if err != nil {
		return nil, err
	}
	if err := notify.AccessDecided(ctx, client, decided); err != nil {
		return nil, err
	}
	return decided, nil
}

// inviteRequester adds the requester as a USER with the details they gave, under the verified
// email of their identity today (whatever email the details name). Without details, the contact
// starts with the name and email of their identity, and the details it lacks show in
// missingDetails until the person completes their record; the justification is theirs.
func inviteRequester(ctx context.Context, client *ent.Client, req *ent.AccessRequest, privileges *domain.PrivilegesPatch) error {
	requester, err := client.User.Get(rule.Unrestricted(ctx), req.RequesterID)
	if err != nil {
		return err
	}
	if requester.Email == "" || !requester.EmailVerified {
		return apperr.New(apperr.Conflict, "the requester has no verified email any more: ask them to sign in again, then decide")
	}
	details := domain.ContactDetails{}
	if req.Details != nil {
		details = *req.Details
	}
	details.Email = requester.Email
	details.FirstName, details.LastName = orName(details.FirstName, details.LastName, req.Name, req.Email)
	create := newContact(ctx, client, AddContactInput{
		SiteID:                req.SiteID,
		AccessRole:            domain.RoleUser,
		Privileges:            privileges,
		BusinessJustification: req.Justification,
		Details:               details,
	}, defaultInvitationDays)
	// The requester signed in to ask: their identity is already the one the invitation is for.
	create.SetUserID(req.RequesterID).SetStatus(domain.StatusActive).Mutation().ResetInvitationExpiresAt()
	return create.Exec(ctx)
}

func orName(first, last, name, email string) (string, string) {
	if first != "" && last != "" {
		return first, last
	}
	return splitName(name, email)
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

// ownRequestsShown is how many of a person's own requests the viewer lists.
const ownRequestsShown = 20

// OwnAccessRequests are the viewer's own requests, newest first: what they asked for and what
// was decided (the privacy rules let a requester read their own).
func OwnAccessRequests(ctx context.Context) ([]*ent.AccessRequest, error) {
	v := viewer.FromContext(ctx)
	if v.UserID == 0 {
		return []*ent.AccessRequest{}, nil
	}
	return ent.FromContext(ctx).AccessRequest.Query().
		Where(accessrequest.RequesterID(v.UserID)).
		Order(ent.Desc(accessrequest.FieldCreatedAt), ent.Desc(accessrequest.FieldID)).
		Limit(ownRequestsShown).All(ctx)
}
