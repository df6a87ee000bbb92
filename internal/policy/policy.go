// Package policy is the one place that decides what a caller may do (SPEC section 3). The GraphQL
// directives and the ent privacy rules both ask it; neither decides on its own.
package policy

import (
	"strings"

	"sitekeeper/internal/apperr"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/viewer"
)

// Contact is what the policy needs to know about the contact a request acts on.
type Contact struct {
	ID         int
	SiteID     int
	Role       domain.AccessRole
	Status     domain.ContactStatus
	Privileges domain.Privileges
	// SignedIn reports whether the contact is linked to an identity (has signed in).
	SignedIn bool
}

// Request is one thing a caller wants to do.
type Request struct {
	Action Action
	SiteID int
	// Contact is the record acted on, when there is one.
	Contact *Contact
	// Role is the role a new contact gets (ADD_CONTACT) or an existing one moves to (SET_ACCESS_ROLE).
	Role domain.AccessRole
	// Privileges are the levels the contact would hold afterwards (ADD_CONTACT, SET_PRIVILEGES).
	Privileges *domain.Privileges
	// Readdress: EDIT_CONTACT gives the contact another email. An invitation belongs to the
	// address it was issued to, so for a contact nobody has signed in as yet that is a new
	// invitation, which passes ADD_CONTACT for the contact's role and privileges; a signed-in
	// contact's email is their identity's verified email and changes only at sign-in.
	Readdress bool
	// Decision is the decision asked for on a review item (DECIDE_REVIEW_ITEM).
	Decision domain.ReviewDecision
}

// PrimaryRecordOnly is the refusal for changing the PRIMARY's record (details or contact types).
const PrimaryRecordOnly = "only the PRIMARY may change the PRIMARY's record"

// Authorize returns nil when v may do r, else an *apperr.Error: UNAUTHENTICATED without
// credentials, NOT_FOUND when v may not even see the Site, FORBIDDEN with the reason otherwise.
func Authorize(v *viewer.Viewer, r Request) error {
	if IsSitekeeper(v) {
		return nil
	}
	if v.IsAnonymous() {
		return apperr.ErrUnauthenticated
	}
	if r.Action == Operate {
		if v.Operator {
			return nil
		}
		return forbidden("only operators may do this")
	}
	if r.Action == RequestAccess {
		return requestAccess(v, r.SiteID)
	}
	if r.Action == ReadChangeFeed {
		return allowIf(v.IsPartner() || v.Operator, "the change feed is for partners and operators")
	}
	if !CanSeeSite(v, r.SiteID) && !(r.Contact != nil && v.IsContact(r.Contact.ID)) {
		return apperr.ErrNotFound
	}
	switch r.Action {
	case ReadContactRoles:
		return allowIf(CanReadContactRoles(v, r.SiteID), "you may not list this Site's contacts")
	case SeeAdministrators:
		return allowIf(CanSeeAdministrators(v, r.SiteID), "only the Site's contacts see who administers it")
	case ReadAudit:
		return allowIf(CanReadAudit(v, r.SiteID), "reading the audit log needs manageAccess VIEW")
	case ReadReviews:
		return allowIf(CanReadAudit(v, r.SiteID), "reading access reviews needs manageAccess VIEW")
	case DecideReviewItem:
		return decideReviewItem(v, r.Contact, r.Decision)
	case ConfirmOwnDetails:
		return allowIf(r.Contact != nil && v.IsContact(r.Contact.ID) && r.Contact.Status == domain.StatusActive,
			"only an ACTIVE contact confirms its own details")
	case ViewSiteAdministration:
		return allowIf(v.Operator || IsManager(v, r.SiteID), "only managers may see this")
	case ManageSite:
		return allowIf(IsManager(v, r.SiteID), "only the PRIMARY and contacts with manageAccess UPDATE may do this")
	case EditContact, EditContacts:
		if err := editContact(v, r.Contact); err != nil || !r.Readdress {
			return err
		}
		return readdress(v, r.Contact)
	case AddContact:
		return addContact(v, r)
	case SetPrivileges:
		return setPrivileges(v, r.Contact, *r.Privileges)
	case SetAccessRole:
		return setAccessRole(v, r.Contact, r.Role)
	case ChangeContactStatus:
		return changeStatus(v, r.Contact)
	case AssignContactType:
		return assignContactType(v, r)
	case TransferPrimary:
		// Operators move the role with reassignPrimary (break-glass, with a reason), not this.
		return allowIf(isPrimary(v, r.SiteID), "only the PRIMARY may transfer the primary role")
	}
	return forbidden("unknown action " + string(r.Action))
}

// IsSitekeeper: Sitekeeper itself (sign-in, sessions, jobs, seeding) may do anything, and is
// the only one who reads sessions and sign-ins in progress or links identities.
func IsSitekeeper(v *viewer.Viewer) bool { return v.System }

// ReadsEverything: Sitekeeper itself and operators read every row of every Site.
func ReadsEverything(v *viewer.Viewer) bool { return v.System || v.Operator }

// CanListPartners: operators, and the managers of any Site (who grant partners access), see
// every Partner; a partner sees itself only.
func CanListPartners(v *viewer.Viewer) bool {
	if ReadsEverything(v) {
		return true
	}
	for siteID := range v.Memberships {
		if IsManager(v, siteID) {
			return true
		}
	}
	return false
}

// CanSeeSite: a Site's number, name and review status are visible to its ACTIVE contacts,
// partners with an active grant, and operators.
func CanSeeSite(v *viewer.Viewer, siteID int) bool {
	if ReadsEverything(v) || v.HasGrant(siteID) {
		return true
	}
	_, ok := v.Membership(siteID)
	return ok
}

// CanListContacts: the Site's contacts with details are visible to the PRIMARY, contacts with
// manageAccess or contactUpdates at VIEW or more, and operators.
func CanListContacts(v *viewer.Viewer, siteID int) bool {
	if ReadsEverything(v) {
		return true
	}
	m, ok := v.Membership(siteID)
	return ok && (m.Role == domain.RolePrimary ||
		m.Privileges.ManageAccess.Rank() >= domain.UpdateView.Rank() ||
		m.Privileges.ContactUpdates.Rank() >= domain.UpdateView.Rank())
}

// CanReadContactRoles adds partners with an active grant to CanListContacts.
func CanReadContactRoles(v *viewer.Viewer, siteID int) bool {
	return CanListContacts(v, siteID) || v.HasGrant(siteID)
}

// CanSeeAdministrators: who to ask (the names, emails and roles of the Site's ACTIVE PRIMARY and
// SECONDARY contacts) is visible to every ACTIVE contact of the Site, as the licensing portal's
// "your contacts" list is, and to those who read the Site's contact roles anyway. Phones,
// addresses and privileges stay with the contact list.
func CanSeeAdministrators(v *viewer.Viewer, siteID int) bool {
	if CanReadContactRoles(v, siteID) {
		return true
	}
	_, member := v.Membership(siteID)
	return member
}

// CanReadContactDetails: phone, address and justification are never shown to partners.
func CanReadContactDetails(v *viewer.Viewer) bool { return !v.IsPartner() }

// CanReadAudit: the PRIMARY, contacts with manageAccess VIEW or more, and operators.
func CanReadAudit(v *viewer.Viewer, siteID int) bool {
	return ReadsEverything(v) || isPrimary(v, siteID) || holds(v, siteID, manageAccessAt(domain.UpdateView))
}

// IsManager: the PRIMARY, or an ACTIVE contact with manageAccess UPDATE.
func IsManager(v *viewer.Viewer, siteID int) bool {
	return isPrimary(v, siteID) || holds(v, siteID, manageAccessAt(domain.UpdateUpdate))
}

func editContact(v *viewer.Viewer, c *Contact) error {
	switch {
	case v.IsContact(c.ID) || v.Operator:
		return nil
	case c.Role == domain.RolePrimary:
		return forbidden(PrimaryRecordOnly)
	case isPrimary(v, c.SiteID) || holds(v, c.SiteID, contactUpdatesAt(domain.UpdateUpdate)):
		return nil
	}
	return forbidden("editing other contacts needs contactUpdates UPDATE")
}

// readdress decides a new email for c, once editContact allowed the edit.
func readdress(v *viewer.Viewer, c *Contact) error {
	if c.SignedIn {
		return apperr.InvalidInput("a signed-in contact's email is the one they sign in with: it changes at their identity provider, and here at their next sign-in", "email")
	}
	privileges := c.Privileges
	err := addContact(v, Request{Action: AddContact, SiteID: c.SiteID, Role: c.Role, Privileges: &privileges})
	if e, ok := apperr.As(err); ok {
		copied := *e
		copied.Message = "a new email for a contact who has not signed in yet is a new invitation: " + e.Message
		return &copied
	}
	return err
}

// assignContactType: the PRIMARY and contacts with contactUpdates UPDATE assign types, and
// operators; a type given to or taken from the PRIMARY changes the PRIMARY's record, which only
// the PRIMARY and operators may.
func assignContactType(v *viewer.Viewer, r Request) error {
	if v.Operator || isPrimary(v, r.SiteID) {
		return nil
	}
	if r.Contact != nil && r.Contact.Role == domain.RolePrimary {
		return forbidden(PrimaryRecordOnly)
	}
	return allowIf(holds(v, r.SiteID, contactUpdatesAt(domain.UpdateUpdate)), "assigning contact types needs contactUpdates UPDATE")
}

func addContact(v *viewer.Viewer, r Request) error {
	switch r.Role {
	case domain.RolePrimary:
		// Only createSite adds a PRIMARY; transfers move the role between existing contacts.
		return allowIf(v.Operator, "only operators name a Site's PRIMARY (createSite); the role moves with transferPrimary")
	case domain.RoleSecondary:
		return allowIf(isPrimary(v, r.SiteID), "only the PRIMARY may add a SECONDARY contact")
	}
	if !IsManager(v, r.SiteID) {
		return forbidden("adding contacts needs manageAccess UPDATE")
	}
	if r.Privileges != nil {
		return withinOwn(v, r.SiteID, *r.Privileges)
	}
	return nil
}

func setPrivileges(v *viewer.Viewer, c *Contact, to domain.Privileges) error {
	switch {
	case c.Role == domain.RolePrimary:
		return forbidden("the PRIMARY always holds every privilege at its highest level")
	case v.IsContact(c.ID):
		return forbidden("nobody may change their own privileges")
	case c.Role == domain.RoleSecondary:
		return allowIf(isPrimary(v, c.SiteID), "only the PRIMARY may set a SECONDARY's privileges")
	case !IsManager(v, c.SiteID):
		return forbidden("setting privileges needs manageAccess UPDATE")
	}
	return withinOwn(v, c.SiteID, to)
}

func setAccessRole(v *viewer.Viewer, c *Contact, to domain.AccessRole) error {
	if c.Role == domain.RolePrimary || to == domain.RolePrimary {
		// Moving the primary role is TRANSFER_PRIMARY, or an operator's reassignment.
		return allowIf(isPrimary(v, c.SiteID) || v.Operator, "only the PRIMARY may transfer the primary role")
	}
	if v.IsContact(c.ID) {
		return forbidden("nobody may change their own role")
	}
	return allowIf(isPrimary(v, c.SiteID), "only the PRIMARY may promote or demote SECONDARY contacts")
}

func changeStatus(v *viewer.Viewer, c *Contact) error {
	switch {
	case c.Role == domain.RolePrimary:
		return apperr.New(apperr.Conflict, "the PRIMARY must transfer the primary role first")
	case v.IsContact(c.ID):
		return forbidden("nobody may deactivate or remove themselves")
	case c.Role == domain.RoleSecondary:
		return allowIf(isPrimary(v, c.SiteID), "only the PRIMARY may deactivate or remove a SECONDARY")
	}
	return allowIf(IsManager(v, c.SiteID), "deactivating and removing contacts needs manageAccess UPDATE")
}

// decideReviewItem: a decision passes the policy of the action it would apply. KEEP (and
// undoing a decision) is any manager's, on any item including their own; DEACTIVATE and REMOVE
// are deactivating and removing the contact, which nobody does to themselves, the PRIMARY's
// record never takes, and only the PRIMARY does to a SECONDARY.
func decideReviewItem(v *viewer.Viewer, c *Contact, d domain.ReviewDecision) error {
	switch {
	case !IsManager(v, c.SiteID):
		return forbidden("deciding review items needs manageAccess UPDATE")
	case !d.Changes():
		return nil
	case c.Role == domain.RolePrimary:
		return forbidden("the PRIMARY's item can only be KEEP")
	case v.IsContact(c.ID):
		return forbidden("nobody decides their own item except KEEP")
	case c.Role == domain.RoleSecondary:
		return allowIf(isPrimary(v, c.SiteID), "only the PRIMARY may deactivate or remove a SECONDARY")
	}
	return nil
}

// CanReadReviews: a Site's reviews are audit evidence, read by those who read its audit log.
func CanReadReviews(v *viewer.Viewer, siteID int) bool { return CanReadAudit(v, siteID) }

func requestAccess(v *viewer.Viewer, siteID int) error {
	if v.UserID == 0 {
		return forbidden("only a signed-in person may request access")
	}
	if _, ok := v.Membership(siteID); ok {
		return apperr.New(apperr.Conflict, "you are already a contact of this Site")
	}
	return nil
}

// withinOwn refuses privileges above the granter's own; the PRIMARY holds the highest of each.
func withinOwn(v *viewer.Viewer, siteID int, to domain.Privileges) error {
	m, _ := v.Membership(siteID)
	if over := m.Privileges.ExceededBy(to); len(over) > 0 {
		e := forbidden("you cannot grant more than you hold: " + strings.Join(over, ", "))
		e.Fields = over
		return e
	}
	return nil
}

func isPrimary(v *viewer.Viewer, siteID int) bool {
	m, ok := v.Membership(siteID)
	return ok && m.Role == domain.RolePrimary
}

func holds(v *viewer.Viewer, siteID int, test func(domain.Privileges) bool) bool {
	m, ok := v.Membership(siteID)
	return ok && test(m.Privileges)
}

func manageAccessAt(l domain.UpdateLevel) func(domain.Privileges) bool {
	return func(p domain.Privileges) bool { return p.ManageAccess.Rank() >= l.Rank() }
}

func contactUpdatesAt(l domain.UpdateLevel) func(domain.Privileges) bool {
	return func(p domain.Privileges) bool { return p.ContactUpdates.Rank() >= l.Rank() }
}

func allowIf(ok bool, reason string) error {
	if ok {
		return nil
	}
	return forbidden(reason)
}

func forbidden(reason string) *apperr.Error { return apperr.New(apperr.Forbidden, "%s", reason) }
