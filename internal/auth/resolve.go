package auth

import (
	"context"
	"fmt"
	"strings"
	"time"

	"sitekeeper/ent"
	"sitekeeper/ent/contact"
	"sitekeeper/ent/partner"
	"sitekeeper/ent/partnergrant"
	"sitekeeper/ent/user"
	"sitekeeper/internal/audit"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/rule"
	"sitekeeper/internal/viewer"
)

// partnerViewer returns the Partner whose client id is sub, or nil when sub is no Partner's.
// Its grants are not loaded here (a partner may hold tens of thousands): queries filter on them
// and a decision about one Site looks that grant up (viewer.Grants).
func (a *Authenticator) partnerViewer(ctx context.Context, sub string, now time.Time) (*viewer.Viewer, error) {
	if _, known := a.notPartner.get(sub, now); known {
		return nil, nil
	}
	sys := rule.AsSitekeeper(ctx)
	p, err := a.client.Partner.Query().Where(partner.ClientID(sub)).
		Select(partner.FieldName).Only(sys)
	if ent.IsNotFound(err) {
		a.notPartner.set(sub, struct{}{}, now.Add(notPartnerFor), now)
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("auth: partner lookup: %w", err)
	}
	grants := viewer.LookUpGrants(now, func(siteID int) bool {
		granted, err := a.client.PartnerGrant.Query().
			Where(partnergrant.PartnerID(p.ID), partnergrant.SiteID(siteID),
				partnergrant.ExpiresAtGT(now), partnergrant.RevokedAtIsNil()).
			Exist(sys)
		if err != nil {
			// Refused rather than failed: the partner sees less, never more.
			a.log.ErrorContext(ctx, "auth: partner grant lookup", "partner", p.ID, "site", siteID, "err", err)
		}
		return granted
	})
	return &viewer.Viewer{PartnerID: p.ID, PartnerName: p.Name, PartnerGrants: grants}, nil
}

// Resolve turns a person's verified identity into their viewer: it creates or updates their User
// row, links the Contacts waiting for their verified email (SPEC section 2), and loads their
// ACTIVE contacts as memberships. The bearer middleware calls it for every person's token; a
// browser sign-in may call it with the ID token's identity.
func (a *Authenticator) Resolve(ctx context.Context, id Identity) (*viewer.Viewer, error) {
	if id.Issuer == "" || id.Subject == "" {
		return nil, fmt.Errorf("auth: identity without issuer or subject")
	}
	now := a.now()
	u, err := a.upsertUser(ctx, id, now)
	if err != nil {
		return nil, err
	}
	if u.emailChanged {
		if err := a.refreshLinkedEmails(ctx, u.id, u.email); err != nil {
			// The person is still who they are; the refresh is retried at their next sign-in.
			a.log.ErrorContext(ctx, "auth: refreshing linked emails failed", "user", u.id, "err", err)
		}
	}
	if u.emailVerified && u.email != "" {
		if err := a.link(ctx, u.id, u.email, now); err != nil {
			// The person is still who they are; the links are retried on their next request.
			a.log.ErrorContext(ctx, "auth: linking contacts failed", "user", u.id, "err", err)
		}
	}
	memberships, err := a.memberships(ctx, u.id)
	if err != nil {
		return nil, err
	}
	return &viewer.Viewer{
		UserID:        u.id,
		Email:         u.email,
		EmailVerified: u.emailVerified,
		Name:          u.name,
		Operator:      a.isOperator(id.Groups),
		Memberships:   memberships,
	}, nil
}

// cachedUser is what the middleware last wrote or read of a User row.
type cachedUser struct {
	id            int
	email         string
	emailVerified bool
	name          string
	lastSignInAt  time.Time
	// emailChanged: this call stored a new verified email for an existing user.
	emailChanged bool
}

// wants reports whether the row must change to match id.
func (c cachedUser) wants(id Identity) bool {
	return (id.Email != "" && (c.email != id.Email || c.emailVerified != id.EmailVerified)) ||
		(id.Name != "" && c.name != id.Name)
}

// upsertUser finds or creates the User of (issuer, subject). It writes only when the email, its
// verification or the name changed, or to move last_sign_in_at, at most once a minute.
func (a *Authenticator) upsertUser(ctx context.Context, id Identity, now time.Time) (cachedUser, error) {
	key := id.Issuer + "\x00" + id.Subject
	if c, ok := a.users.get(key, now); ok && !c.wants(id) && now.Sub(c.lastSignInAt) < lastSignInEvery {
		return c, nil
	}
	sys := rule.AsSitekeeper(ctx)
	find := func() (*ent.User, error) {
		return a.client.User.Query().Where(user.Issuer(id.Issuer), user.Subject(id.Subject)).Only(sys)
	}
	u, err := find()
	if ent.IsNotFound(err) {
		create := a.client.User.Create().
			SetIssuer(id.Issuer).SetSubject(id.Subject).
			SetEmailVerified(id.Email != "" && id.EmailVerified).
			SetLastSignInAt(now)
		if id.Email != "" {
			create.SetEmail(id.Email)
		}
		if id.Name != "" {
			create.SetName(id.Name)
		}
		u, err = create.Save(sys)
		if ent.IsConstraintError(err) {
			// A concurrent first request created it.
			u, err = find()
		} else if err == nil {
			a.log.InfoContext(ctx, "auth: new user", "user", u.ID, "sub", id.Subject)
		}
	}
	if err != nil {
		return cachedUser{}, fmt.Errorf("auth: user lookup: %w", err)
	}

	c := cachedUser{id: u.ID, email: u.Email, emailVerified: u.EmailVerified, name: u.Name}
	if u.LastSignInAt != nil {
		c.lastSignInAt = *u.LastSignInAt
	}
	if c.wants(id) || now.Sub(c.lastSignInAt) >= lastSignInEvery {
		upd := a.client.User.UpdateOneID(u.ID).SetLastSignInAt(now)
		emailChanged := false
		if id.Email != "" && (c.email != id.Email || c.emailVerified != id.EmailVerified) {
			upd.SetEmail(id.Email).SetEmailVerified(id.EmailVerified)
			emailChanged = id.EmailVerified && c.email != id.Email
		}
		if id.Name != "" && c.name != id.Name {
			upd.SetName(id.Name)
		}
		if u, err = upd.Save(sys); err != nil {
			return cachedUser{}, fmt.Errorf("auth: user update: %w", err)
		}
		// Each contact keeps its own last sign-in, which is what "stale" is judged by.
		err = a.client.Contact.Update().
			Where(contact.UserID(u.ID), contact.StatusEQ(domain.StatusActive)).
			SetLastSignInAt(now).Exec(sys)
		if err != nil {
			return cachedUser{}, fmt.Errorf("auth: contact sign-in time: %w", err)
		}
		c = cachedUser{id: u.ID, email: u.Email, emailVerified: u.EmailVerified, name: u.Name, lastSignInAt: now}
		a.users.set(key, c, now.Add(userCacheFor), now)
		c.emailChanged = emailChanged
		return c, nil
	}
	a.users.set(key, c, now.Add(userCacheFor), now)
	return c, nil
}

// FirstSignInAction is the audited action of linking a contact at its person's first sign-in
// (an INVITED contact becomes ACTIVE).
const FirstSignInAction = "firstSignIn"

// refreshEmailAction is the audited action of a linked contact's email following its identity's.
const refreshEmailAction = "refreshEmailAtSignIn"

// refreshLinkedEmails gives every contact linked to userID the identity's new verified email:
// once linked, a contact's email is its identity's (the subject, not the email, identifies the
// person). A Site where another contact holds that address already (an invitation to it, or
// another person's contact) keeps the old address on this contact, logged, until an
// administrator settles the duplicate; the subject keeps identifying the person meanwhile.
func (a *Authenticator) refreshLinkedEmails(ctx context.Context, userID int, email string) error {
	sys := audit.WithAction(rule.AsSitekeeper(ctx), refreshEmailAction)
	key := strings.ToLower(strings.TrimSpace(email))
	linked, err := a.client.Contact.Query().Where(contact.UserID(userID), contact.EmailNEQ(email)).All(sys)
	if err != nil {
		return fmt.Errorf("query linked contacts: %w", err)
	}
	for _, c := range linked {
		taken, err := a.client.Contact.Query().
			Where(contact.SiteID(c.SiteID), contact.EmailKey(key), contact.IDNEQ(c.ID)).Exist(sys)
		if err != nil {
			return fmt.Errorf("query site %d for %q: %w", c.SiteID, key, err)
		}
		if taken {
			a.log.WarnContext(ctx, "auth: a new verified email is another contact's on the same Site; the linked contact keeps its old one",
				"user", userID, "contact", c.ID, "site", c.SiteID)
			continue
		}
		if err := a.client.Contact.UpdateOneID(c.ID).SetEmail(email).Exec(sys); err != nil {
			return fmt.Errorf("refresh contact %d: %w", c.ID, err)
		}
	}
	return nil
}

// linkKey remembers that a user's email had nothing to link.
type linkKey struct {
	userID   int
	emailKey string
}

// link attaches to userID the unlinked Contacts whose email is the user's verified email, and
// activates them, in one transaction (the audit hooks record each change).
func (a *Authenticator) link(ctx context.Context, userID int, email string, now time.Time) error {
	key := linkKey{userID: userID, emailKey: strings.ToLower(strings.TrimSpace(email))}
	if _, ok := a.nothingToLink.get(key, now); ok {
		return nil
	}
	sys := rule.AsSitekeeper(ctx)
	// Waiting are ACTIVE contacts, and INVITED ones whose invitation has not expired, that no
	// identity claimed yet.
	waiting := contact.And(
		contact.EmailKey(key.emailKey),
		contact.UserIDIsNil(),
		contact.Or(
			contact.StatusEQ(domain.StatusActive),
			contact.And(
				contact.StatusEQ(domain.StatusInvited),
				contact.Or(contact.InvitationExpiresAtIsNil(), contact.InvitationExpiresAtGT(now)),
			),
		),
	)
	ids, err := a.client.Contact.Query().Where(waiting).IDs(sys)
	if err != nil {
		return fmt.Errorf("query contacts to link: %w", err)
	}
	if len(ids) == 0 {
		a.nothingToLink.set(key, struct{}{}, now.Add(nothingToLinkFor), now)
		return nil
	}
	// Audited as what it is for the contact: the person signed in for the first time.
	sys = audit.WithAction(sys, FirstSignInAction)
	tx, err := a.client.Tx(sys)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	linked := make([]int, 0, len(ids))
	for _, cid := range ids {
		// The predicate again: a concurrent sign-in may have linked it meanwhile.
		_, err := tx.Contact.UpdateOneID(cid).Where(waiting).
			SetUserID(userID).
			SetStatus(domain.StatusActive).
			SetLastSignInAt(now).
			Save(sys)
		if ent.IsNotFound(err) {
			continue
		}
		if err != nil {
			_ = tx.Rollback()
			return fmt.Errorf("link contact %d: %w", cid, err)
		}
		linked = append(linked, cid)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	a.log.InfoContext(ctx, "auth: linked contacts to user", "user", userID, "contacts", linked)
	return nil
}

// ViewerForUser is the viewer of a User already signed in, such as a browser session's: the
// row's identity and the user's memberships (computed as for a bearer token), with operator as
// the sign-in decided it. It returns an ent.NotFoundError when the User no longer exists.
func ViewerForUser(ctx context.Context, client *ent.Client, userID int, operator bool) (*viewer.Viewer, error) {
	u, err := client.User.Query().Where(user.ID(userID)).
		Select(user.FieldEmail, user.FieldEmailVerified, user.FieldName).
		Only(rule.AsSitekeeper(ctx))
	if err != nil {
		return nil, fmt.Errorf("auth: user %d: %w", userID, err)
	}
	memberships, err := Memberships(ctx, client, userID)
	if err != nil {
		return nil, err
	}
	return &viewer.Viewer{
		UserID:        u.ID,
		Email:         u.Email,
		EmailVerified: u.EmailVerified,
		Name:          u.Name,
		Operator:      operator,
		Memberships:   memberships,
	}, nil
}

func (a *Authenticator) memberships(ctx context.Context, userID int) (map[int]viewer.Membership, error) {
	return Memberships(ctx, a.client, userID)
}

// Memberships are the user's ACTIVE contacts by Site: what a viewer may do as a contact, for
// bearer tokens and browser sessions alike. Should two contacts on one Site be linked to the same
// person (their email changed), the higher role wins.
func Memberships(ctx context.Context, client *ent.Client, userID int) (map[int]viewer.Membership, error) {
	contacts, err := client.Contact.Query().
		Where(contact.UserID(userID), contact.StatusEQ(domain.StatusActive)).
		Order(ent.Asc(contact.FieldID)).
		Select(contact.FieldSiteID, contact.FieldAccessRole,
			contact.FieldSoftwareAccess, contact.FieldReporting, contact.FieldEntitlements,
			contact.FieldManageAccess, contact.FieldContactUpdates, contact.FieldAccountDocuments).
		All(rule.AsSitekeeper(ctx))
	if err != nil {
		return nil, fmt.Errorf("auth: memberships: %w", err)
	}
	out := make(map[int]viewer.Membership, len(contacts))
	for _, c := range contacts {
		m := viewer.Membership{
			SiteID:     c.SiteID,
			ContactID:  c.ID,
			Role:       c.AccessRole,
			Privileges: c.Privileges(),
		}
		if prev, ok := out[c.SiteID]; ok && roleRank(prev.Role) >= roleRank(m.Role) {
			continue
		}
		out[c.SiteID] = m
	}
	return out, nil
}

func roleRank(r domain.AccessRole) int {
	switch r {
	case domain.RolePrimary:
		return 3
	case domain.RoleSecondary:
		return 2
	case domain.RoleUser:
		return 1
	}
	return 0
}
