package policy

import (
	"fmt"
	"io"
	"strconv"
)

// Action names what a caller wants to do; the GraphQL @can directive takes the same names.
type Action string

const (
	ReadContactRoles       Action = "READ_CONTACT_ROLES"
	SeeAdministrators      Action = "SEE_ADMINISTRATORS"
	EditContact            Action = "EDIT_CONTACT"
	EditContacts           Action = "EDIT_CONTACTS"
	AddContact             Action = "ADD_CONTACT"
	SetPrivileges          Action = "SET_PRIVILEGES"
	SetAccessRole          Action = "SET_ACCESS_ROLE"
	ChangeContactStatus    Action = "CHANGE_CONTACT_STATUS"
	AssignContactType      Action = "ASSIGN_CONTACT_TYPE"
	TransferPrimary        Action = "TRANSFER_PRIMARY"
	ManageSite             Action = "MANAGE_SITE"
	ViewSiteAdministration Action = "VIEW_SITE_ADMINISTRATION"
	ReadAudit              Action = "READ_AUDIT"
	RequestAccess          Action = "REQUEST_ACCESS"
	// ReadChangeFeed is following contactRoleChanges; what it returns is limited per Site by
	// CanReadFeedOf at the time of each change.
	ReadChangeFeed Action = "READ_CHANGE_FEED"
	// ReadReviews is reading a Site's access reviews and their evidence: the audit log's readers.
	ReadReviews Action = "READ_REVIEWS"
	// DecideReviewItem is one decision in a review, judged as the action it would apply.
	DecideReviewItem Action = "DECIDE_REVIEW_ITEM"
	// ConfirmOwnDetails is a contact confirming its own record during an open review.
	ConfirmOwnDetails Action = "CONFIRM_OWN_DETAILS"
	// Operate covers what only operators do: create Sites and Partners, break-glass reassignment.
	Operate Action = "OPERATE"
)

func (a Action) MarshalGQL(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(a))) }

func (a *Action) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("not an Action")
	}
	*a = Action(s)
	return nil
}
