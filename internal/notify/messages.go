package notify

import (
	"context"
	"strings"
	"time"

	"sitekeeper/ent"
	"sitekeeper/internal/domain"
)

// The functions below are the one-line call sites of internal/roster: each builds the Message
// of one kind from the records the operation already has and enqueues it with client.

// Invitation tells an INVITED contact how to accept: sign in with the invited address before
// the invitation expires.
func Invitation(ctx context.Context, client *ent.Client, c *ent.Contact) error {
	var expires time.Time
	if c.InvitationExpiresAt != nil {
		expires = *c.InvitationExpiresAt
	}
	return Enqueue(ctx, client, Message{
		Kind: domain.NotifyInvitation, Recipients: []string{c.Email}, SiteID: &c.SiteID,
		Data: map[string]any{
			"Name": personName(c.FirstName, c.LastName, c.Email), "Email": c.Email,
			"Role": strings.ToLower(string(c.AccessRole)), "ExpiresAt": expires,
		},
	})
}

// AccessDecided tells the requester that their access request was granted or denied (with the
// reason given).
func AccessDecided(ctx context.Context, client *ent.Client, req *ent.AccessRequest) error {
	kind := domain.NotifyAccessDenied
	if req.Status == domain.RequestGranted {
		kind = domain.NotifyAccessGranted
	}
	m := Message{
		Kind: kind, Recipients: []string{req.Email},
		Data: map[string]any{"Name": personName(req.Name, "", req.Email), "Reason": req.Reason},
	}
	if req.SiteID != 0 {
		m.SiteID = &req.SiteID
	} else {
		m.Data["Site"] = newSiteInfo(PublicURL(ctx), "", req.SiteNumber)
	}
	return Enqueue(ctx, client, m)
}

// PrimaryTransferred tells the previous and the new PRIMARY that the role moved. A non-empty
// reason marks an operator's break-glass reassignment, and the mails say why.
func PrimaryTransferred(ctx context.Context, client *ent.Client, from, to *ent.Contact, reason string) error {
	for _, c := range []*ent.Contact{from, to} {
		err := Enqueue(ctx, client, Message{
			Kind: domain.NotifyPrimaryTransferred, Recipients: []string{c.Email}, SiteID: &to.SiteID,
			Data: map[string]any{
				"Name":         personName(c.FirstName, c.LastName, c.Email),
				"From":         contactLine(from),
				"To":           contactLine(to),
				"IsNewPrimary": c.ID == to.ID,
				"BreakGlass":   reason != "",
				"Reason":       reason,
			},
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func personName(first, last, email string) string {
	if name := strings.TrimSpace(first + " " + last); name != "" {
		return name
	}
	return email
}

func contactLine(c *ent.Contact) string {
	return personName(c.FirstName, c.LastName, c.Email) + " <" + c.Email + ">"
}
