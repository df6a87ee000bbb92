package domain

import "io"

// RoleChangeKind is what one entry of the partner change feed (contactRoleChanges) reports.
type RoleChangeKind string

const (
	// FeedAccessGranted: a partner was granted the Site; its contact roles are now readable.
	FeedAccessGranted RoleChangeKind = "ACCESS_GRANTED"
	// FeedAccessRevoked: the partner's grant was revoked or expired; the Site left its view.
	FeedAccessRevoked RoleChangeKind = "ACCESS_REVOKED"
	FeedContactAdded  RoleChangeKind = "CONTACT_ADDED"
	// FeedContactChanged: the contact's role, privileges, contact types or status changed.
	FeedContactChanged RoleChangeKind = "CONTACT_CHANGED"
	FeedContactRemoved RoleChangeKind = "CONTACT_REMOVED"
)

func (RoleChangeKind) Values() []string {
	return []string{"ACCESS_GRANTED", "ACCESS_REVOKED", "CONTACT_ADDED", "CONTACT_CHANGED", "CONTACT_REMOVED"}
}

func (k RoleChangeKind) MarshalGQL(w io.Writer) { marshalEnum(w, k) }
func (k *RoleChangeKind) UnmarshalGQL(v any) error {
	return unmarshalEnum(v, k, k.Values(), "ContactRoleChangeKind")
}

// RoleField is a part of a contact that partners read and the change feed reports.
type RoleField string

const (
	RoleFieldRole         RoleField = "ROLE"
	RoleFieldPrivileges   RoleField = "PRIVILEGES"
	RoleFieldContactTypes RoleField = "CONTACT_TYPES"
	RoleFieldStatus       RoleField = "STATUS"
)

func (RoleField) Values() []string { return []string{"ROLE", "PRIVILEGES", "CONTACT_TYPES", "STATUS"} }

func (f RoleField) MarshalGQL(w io.Writer) { marshalEnum(w, f) }
func (f *RoleField) UnmarshalGQL(v any) error {
	return unmarshalEnum(v, f, f.Values(), "ContactRoleField")
}

// RoleColumns are the contacts table's columns behind each RoleField, in the order reported.
var RoleColumns = []struct {
	Field   RoleField
	Columns []string
}{
	{RoleFieldRole, []string{"access_role"}},
	{RoleFieldPrivileges, []string{"software_access", "reporting", "entitlements", "manage_access", "contact_updates", "account_documents"}},
	{RoleFieldContactTypes, []string{"contact_types"}},
	{RoleFieldStatus, []string{"status"}},
}
