package rule

import (
	"context"

	"sitekeeper/ent"
	"sitekeeper/ent/privacy"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/policy"
	"sitekeeper/internal/viewer"
)

// authorize asks the policy and turns its answer into a privacy decision.
func authorize(ctx context.Context, r policy.Request) error {
	if err := policy.Authorize(viewer.FromContext(ctx), r); err != nil {
		return err
	}
	return privacy.Skip
}

// SystemOnly allows a mutation only to Sitekeeper itself (sign-in, seeding, jobs).
func SystemOnly() privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, _ ent.Mutation) error {
		if policy.IsSitekeeper(viewer.FromContext(ctx)) {
			return privacy.Allow
		}
		return privacy.Denyf("only Sitekeeper itself may change this")
	})
}

// OperatorsOnly allows a mutation to operators (and the system).
func OperatorsOnly() privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, _ ent.Mutation) error {
		return authorize(ctx, policy.Request{Action: policy.Operate})
	})
}

// ManagersOfSite allows a change to a Site's own data (review, requests, grants) to its managers.
func ManagersOfSite(siteOf func(context.Context, ent.Mutation) (int, error)) privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
		siteID, err := siteOf(ctx, m)
		if err != nil {
			return err
		}
		return authorize(ctx, policy.Request{Action: policy.ManageSite, SiteID: siteID})
	})
}

// SiteOfAccessRequest finds the Site an access-request mutation belongs to.
func SiteOfAccessRequest(ctx context.Context, m ent.Mutation) (int, error) {
	am := m.(*ent.AccessRequestMutation)
	if id, ok := am.SiteID(); ok {
		return id, nil
	}
	id, _ := am.ID()
	r, err := am.Client().AccessRequest.Get(Unrestricted(ctx), id)
	if err != nil {
		return 0, err
	}
	return r.SiteID, nil
}

// SiteOfPartnerGrant finds the Site a partner-grant mutation belongs to.
func SiteOfPartnerGrant(ctx context.Context, m ent.Mutation) (int, error) {
	gm := m.(*ent.PartnerGrantMutation)
	if id, ok := gm.SiteID(); ok {
		return id, nil
	}
	id, _ := gm.ID()
	g, err := gm.Client().PartnerGrant.Get(Unrestricted(ctx), id)
	if err != nil {
		return 0, err
	}
	return g.SiteID, nil
}

// SiteOfSite is the Site a Site mutation changes.
func SiteOfSite(_ context.Context, m ent.Mutation) (int, error) {
	id, _ := m.(*ent.SiteMutation).ID()
	return id, nil
}

// RequestAccessOnCreate lets a signed-in person who is not yet a contact create a request.
func RequestAccessOnCreate() privacy.MutationRule {
	return privacy.AccessRequestMutationRuleFunc(func(ctx context.Context, m *ent.AccessRequestMutation) error {
		if !m.Op().Is(ent.OpCreate) {
			return privacy.Skip
		}
		siteID, _ := m.SiteID()
		if err := policy.Authorize(viewer.FromContext(ctx), policy.Request{Action: policy.RequestAccess, SiteID: siteID}); err != nil {
			return err
		}
		return privacy.Allow
	})
}

// SiteCreateByOperators: only operators create Sites; changing an existing Site's review is the
// managers' business, anything else the operators'.
func SiteMutations() privacy.MutationRule {
	return privacy.SiteMutationRuleFunc(func(ctx context.Context, m *ent.SiteMutation) error {
		if !m.Op().Is(ent.OpUpdateOne) || !onlyFields(m, "last_reviewed_at", "last_reviewed_by", "updated_at") {
			return authorize(ctx, policy.Request{Action: policy.Operate})
		}
		siteID, _ := m.ID()
		return authorize(ctx, policy.Request{Action: policy.ManageSite, SiteID: siteID})
	})
}

// onlyFields reports whether m sets or clears no field outside allowed.
func onlyFields(m ent.Mutation, allowed ...string) bool {
	for _, f := range append(m.Fields(), m.ClearedFields()...) {
		found := false
		for _, a := range allowed {
			found = found || a == f
		}
		if !found {
			return false
		}
	}
	return true
}

// AuditAppendOnly: audit events are created by the audit hook alone and never changed.
func AuditAppendOnly() privacy.MutationRule {
	return privacy.AuditEventMutationRuleFunc(func(ctx context.Context, m *ent.AuditEventMutation) error {
		if m.Op().Is(ent.OpCreate) {
			return privacy.Allow
		}
		return privacy.Denyf("the audit log is append-only")
	})
}

// privilegesAfter is what a contact would hold once m is applied.
func privilegesAfter(m *ent.ContactMutation, before domain.Privileges) domain.Privileges {
	p := before
	if v, ok := m.SoftwareAccess(); ok {
		p.SoftwareAccess = v
	}
	if v, ok := m.Reporting(); ok {
		p.Reporting = v
	}
	if v, ok := m.Entitlements(); ok {
		p.Entitlements = v
	}
	if v, ok := m.ManageAccess(); ok {
		p.ManageAccess = v
	}
	if v, ok := m.ContactUpdates(); ok {
		p.ContactUpdates = v
	}
	if v, ok := m.AccountDocuments(); ok {
		p.AccountDocuments = v
	}
	return p
}
