package graph

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"sitekeeper/ent"
	"sitekeeper/ent/accessrequest"
	"sitekeeper/ent/contact"
	"sitekeeper/ent/partnergrant"
	"sitekeeper/ent/review"
	"sitekeeper/ent/reviewitem"
	"sitekeeper/internal/apperr"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/invariant"
	"sitekeeper/internal/policy"
	"sitekeeper/internal/roster"
	"sitekeeper/internal/rule"
	"sitekeeper/internal/viewer"
)

// requestsFor turns a field's parent object or arguments into what the policy decides on. The
// facts are loaded whatever the viewer may see; the policy answers NOT_FOUND for what it may not.
func requestsFor(ctx context.Context, action policy.Action, obj any, args map[string]any) ([]policy.Request, error) {
	client := ent.FromContext(ctx)
	one := func(r policy.Request, err error) ([]policy.Request, error) { return []policy.Request{r}, err }
	if isMutation(ctx) {
		// What the decision (and then the change) reads must not change before the commit.
		if err := lockTargetSite(ctx, client, action, args); err != nil {
			return nil, err
		}
	}
	if s, ok := obj.(*ent.Site); ok {
		return one(policy.Request{Action: action, SiteID: s.ID}, nil)
	}
	switch action {
	case policy.AddContact:
		in := args["input"].(roster.AddContactInput)
		privileges := domain.NoPrivileges()
		if in.Privileges != nil {
			privileges = in.Privileges.Apply(privileges)
		}
		return one(policy.Request{Action: action, SiteID: in.SiteID, Role: in.AccessRole, Privileges: &privileges}, nil)
	case policy.EditContacts:
		return bulkRequests(ctx, client, args["input"].(roster.UpdateContactsInput))
	case policy.EditContact, policy.ChangeContactStatus, policy.SetAccessRole, policy.SetPrivileges:
		row, err := contactArg(ctx, client, args["id"])
		if err != nil {
			return nil, err
		}
		c := rule.ContactFacts(row)
		r := policy.Request{Action: action, SiteID: c.SiteID, Contact: c}
		if in, ok := args["input"].(ent.UpdateContactInput); ok && in.Email != nil {
			r.Readdress = rule.Readdresses(row, *in.Email)
		}
		if role, ok := args["accessRole"].(domain.AccessRole); ok {
			r.Role = role
		}
		if patch, ok := args["privileges"].(domain.PrivilegesPatch); ok {
			after := patch.Apply(c.Privileges)
			r.Privileges = &after
		}
		return one(r, nil)
	case policy.AssignContactType:
		return contactTypeRequests(ctx, client, args)
	case policy.ReadChangeFeed:
		return one(policy.Request{Action: action}, nil)
	case policy.DecideReviewItem:
		return decisionRequest(ctx, client, args)
	case policy.ConfirmOwnDetails:
		return one(ownContactRequest(ctx, client, action, args["siteId"].(int)))
	case policy.RequestAccess:
		// An unknown number is requested all the same (SiteID 0): the answer reveals nothing.
		siteID, _ := roster.SiteIDByNumber(ctx, client, args["siteNumber"].(string))
		return one(policy.Request{Action: action, SiteID: siteID}, nil)
	}
	siteID, err := siteArg(ctx, client, args)
	return one(policy.Request{Action: action, SiteID: siteID}, err)
}

// isMutation reports a field of a mutation, which runs in the operation's transaction.
func isMutation(ctx context.Context) bool {
	oc := graphql.GetOperationContext(ctx)
	return oc != nil && oc.Operation != nil && oc.Operation.Operation == ast.Mutation
}

// lockTargetSite takes the lock of the Site a mutation field acts on (invariant.LockSite), before
// anything about it is read. An unknown record locks nothing: the decision answers NOT_FOUND.
func lockTargetSite(ctx context.Context, client *ent.Client, action policy.Action, args map[string]any) error {
	switch action {
	case policy.AddContact:
		return invariant.LockSite(ctx, client, args["input"].(roster.AddContactInput).SiteID)
	case policy.EditContacts:
		return invariant.LockSite(ctx, client, args["input"].(roster.UpdateContactsInput).SiteID)
	case policy.EditContact, policy.ChangeContactStatus, policy.SetAccessRole, policy.SetPrivileges:
		id, _ := args["id"].(int)
		return invariant.LockSiteOf(ctx, client, contact.Table, id)
	case policy.DecideReviewItem:
		id, _ := args["id"].(int)
		return invariant.LockSiteOf(ctx, client, reviewitem.Table, id)
	case policy.RequestAccess:
		if siteID, err := roster.SiteIDByNumber(ctx, client, args["siteNumber"].(string)); err == nil {
			return invariant.LockSite(ctx, client, siteID)
		}
		return nil
	}
	if id, ok := args["siteId"].(int); ok {
		return invariant.LockSite(ctx, client, id)
	}
	if id, ok := args["reviewId"].(int); ok {
		return invariant.LockSiteOf(ctx, client, review.Table, id)
	}
	if id, ok := args["id"].(int); ok {
		for _, table := range []string{accessrequest.Table, partnergrant.Table, review.Table} {
			if err := invariant.LockSiteOf(ctx, client, table, id); err != nil {
				return err
			}
		}
	}
	return nil
}

// siteArg finds the Site a field acts on: a siteId argument, or the Site of the record named by id.
func siteArg(ctx context.Context, client *ent.Client, args map[string]any) (int, error) {
	if id, ok := args["siteId"].(int); ok {
		return id, nil
	}
	id, ok := args["id"].(int)
	if reviewID, named := args["reviewId"].(int); named {
		id, ok = reviewID, true
	}
	if !ok {
		return 0, fmt.Errorf("field arguments name no Site")
	}
	// Not client.Noder: under a GraphQL field it loads only the selected columns.
	sys := rule.Unrestricted(ctx)
	if r, err := client.Review.Get(sys, id); err == nil {
		return r.SiteID, nil
	}
	if r, err := client.AccessRequest.Get(sys, id); err == nil {
		return r.SiteID, nil
	}
	if g, err := client.PartnerGrant.Get(sys, id); err == nil {
		return g.SiteID, nil
	}
	return 0, apperr.ErrNotFound
}

func contactArg(ctx context.Context, client *ent.Client, id any) (*ent.Contact, error) {
	intID, _ := id.(int)
	c, err := rule.LoadContactToKeep(ctx, client, intID)
	if err != nil {
		return nil, apperr.ErrNotFound
	}
	return c, nil
}

// contactTypeRequests: assigning a type changes the record that gets it and the records that
// lose it; each is decided (the PRIMARY's is the PRIMARY's own). A contact of another Site
// decides nothing here: the assignment refuses it.
func contactTypeRequests(ctx context.Context, client *ent.Client, args map[string]any) ([]policy.Request, error) {
	siteID, _ := args["siteId"].(int)
	contactID, _ := args["contactId"].(int)
	typ, _ := args["type"].(domain.ContactType)
	touched, err := roster.ContactTypeChanges(ctx, client, siteID, typ, contactID)
	if err != nil || len(touched) == 0 {
		return []policy.Request{{Action: policy.AssignContactType, SiteID: siteID}}, err
	}
	requests := make([]policy.Request, 0, len(touched))
	for _, c := range touched {
		requests = append(requests, policy.Request{Action: policy.AssignContactType, SiteID: siteID, Contact: rule.ContactFacts(c)})
	}
	return requests, nil
}

// bulkRequests is one request per touched record: EDIT_CONTACT for details, SET_PRIVILEGES for
// privileges, each judged as if it came alone.
func bulkRequests(ctx context.Context, client *ent.Client, in roster.UpdateContactsInput) ([]policy.Request, error) {
	targets, err := roster.BulkTargets(ctx, client, in)
	if err != nil {
		return nil, err
	}
	var requests []policy.Request
	for _, t := range targets {
		c := rule.ContactFacts(t)
		if in.Details != nil {
			requests = append(requests, policy.Request{Action: policy.EditContact, SiteID: c.SiteID, Contact: c})
		}
		if in.Privileges != nil && !in.Privileges.IsEmpty() {
			after := in.Privileges.Apply(c.Privileges)
			requests = append(requests, policy.Request{Action: policy.SetPrivileges, SiteID: c.SiteID, Contact: c, Privileges: &after})
		}
	}
	if len(requests) == 0 {
		return []policy.Request{{Action: policy.ManageSite, SiteID: in.SiteID}}, nil
	}
	return requests, nil
}

// decisionRequest judges a review decision on the item's contact as it is now (or as the review
// found it, once removed), for the decision asked.
func decisionRequest(ctx context.Context, client *ent.Client, args map[string]any) ([]policy.Request, error) {
	id, _ := args["id"].(int)
	sys := rule.Unrestricted(ctx)
	it, err := client.ReviewItem.Get(sys, id)
	if err != nil {
		return nil, apperr.ErrNotFound
	}
	facts := rule.SnapshotFacts(it)
	if c, err := client.Contact.Get(sys, it.ContactID); err == nil {
		facts = rule.ContactFacts(c)
	}
	decision, _ := args["decision"].(domain.ReviewDecision)
	return []policy.Request{{Action: policy.DecideReviewItem, SiteID: it.SiteID, Contact: facts, Decision: decision}}, nil
}

// ownContactRequest is a request about the caller's own contact on the Site.
func ownContactRequest(ctx context.Context, client *ent.Client, action policy.Action, siteID int) (policy.Request, error) {
	r := policy.Request{Action: action, SiteID: siteID}
	m, ok := viewer.FromContext(ctx).Membership(siteID)
	if !ok {
		return r, nil // the policy answers: not the caller's contact
	}
	c, err := rule.LoadContact(ctx, client, m.ContactID)
	if err != nil {
		return r, apperr.ErrNotFound
	}
	r.Contact = rule.ContactFacts(c)
	return r, nil
}
