// Package rule holds the ent privacy rules. Each rule turns a query or mutation into the facts
// internal/policy needs and asks it; no rule decides on its own.
package rule

import (
	"context"

	"sitekeeper/ent"
	"sitekeeper/ent/privacy"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/policy"
	"sitekeeper/internal/viewer"
)

// AsSitekeeper returns ctx acting as Sitekeeper itself (sign-in, sessions, jobs, seeding): the
// system viewer, past the privacy rules. Never a request's own context.
func AsSitekeeper(ctx context.Context) context.Context {
	return Unrestricted(viewer.NewContext(ctx, viewer.SystemViewer))
}

// Unrestricted returns ctx with privacy bypassed, for loading the facts a decision needs.
func Unrestricted(ctx context.Context) context.Context {
	return privacy.DecisionContext(ctx, privacy.Allow)
}

// SetPrivileges writes all six privilege columns of a contact mutation.
func SetPrivileges(m *ent.ContactMutation, p domain.Privileges) {
	m.SetSoftwareAccess(p.SoftwareAccess)
	m.SetReporting(p.Reporting)
	m.SetEntitlements(p.Entitlements)
	m.SetManageAccess(p.ManageAccess)
	m.SetContactUpdates(p.ContactUpdates)
	m.SetAccountDocuments(p.AccountDocuments)
}

// ContactFacts describes a contact for the policy.
func ContactFacts(c *ent.Contact) *policy.Contact {
	return &policy.Contact{
		ID:         c.ID,
		SiteID:     c.SiteID,
		Role:       c.AccessRole,
		Status:     c.Status,
		Privileges: c.Privileges(),
		SignedIn:   c.UserID != nil,
	}
}

// LoadContact loads a contact whatever the viewer may see: the policy decides what follows.
func LoadContact(ctx context.Context, client *ent.Client, id int) (*ent.Contact, error) {
	return client.Contact.Get(Unrestricted(ctx), id)
}
