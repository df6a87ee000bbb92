package policy

import (
	"testing"

	"sitekeeper/internal/apperr"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/viewer"
)

const site, otherSite = 1, 2

func member(contactID int, role domain.AccessRole, p domain.Privileges) *viewer.Viewer {
	return &viewer.Viewer{UserID: contactID, Memberships: map[int]viewer.Membership{
		site: {SiteID: site, ContactID: contactID, Role: role, Privileges: p},
	}}
}

func privs(manageAccess, contactUpdates domain.UpdateLevel) domain.Privileges {
	p := domain.NoPrivileges()
	p.ManageAccess, p.ContactUpdates = manageAccess, contactUpdates
	return p
}

var (
	primary       = member(10, domain.RolePrimary, domain.HighestPrivileges())
	manager       = member(11, domain.RoleSecondary, privs(domain.UpdateUpdate, domain.UpdateNone))
	managerEditor = member(15, domain.RoleSecondary, privs(domain.UpdateUpdate, domain.UpdateUpdate))
	editor        = member(12, domain.RoleSecondary, privs(domain.UpdateNone, domain.UpdateUpdate))
	viewerOf      = member(13, domain.RoleSecondary, privs(domain.UpdateView, domain.UpdateNone))
	plain         = member(14, domain.RoleUser, domain.NoPrivileges())
	operator      = &viewer.Viewer{UserID: 99, Operator: true}
	partner       = &viewer.Viewer{PartnerID: 5, PartnerGrants: viewer.GrantsOf(site)}
	stranger      = &viewer.Viewer{UserID: 50}
)

func contact(id int, role domain.AccessRole) *Contact {
	return &Contact{ID: id, SiteID: site, Role: role, Status: domain.StatusActive}
}

func codeOf(err error) apperr.Code {
	if err == nil {
		return ""
	}
	return apperr.CodeOf(err)
}

func TestAuthorize(t *testing.T) {
	userContact, primaryContact, secondaryContact := contact(20, domain.RoleUser), contact(10, domain.RolePrimary), contact(21, domain.RoleSecondary)
	userContact.SignedIn, primaryContact.SignedIn, secondaryContact.SignedIn = true, true, true
	signedInSelf := contact(14, domain.RoleUser)
	signedInSelf.SignedIn = true
	invitedUser, invitedSecondary, invitedPowerUser := contact(30, domain.RoleUser), contact(31, domain.RoleSecondary), contact(32, domain.RoleUser)
	invitedPowerUser.Privileges = domain.HighestPrivileges()
	tooMuch := domain.HighestPrivileges()
	modest := domain.NoPrivileges()
	cases := []struct {
		name string
		v    *viewer.Viewer
		r    Request
		want apperr.Code
	}{
		{"anonymous", &viewer.Viewer{}, Request{Action: ManageSite, SiteID: site}, apperr.Unauthenticated},
		{"stranger cannot see the Site", stranger, Request{Action: ReadContactRoles, SiteID: site}, apperr.NotFound},
		{"partner reads roles", partner, Request{Action: ReadContactRoles, SiteID: site}, ""},
		{"partner of another Site", partner, Request{Action: ReadContactRoles, SiteID: otherSite}, apperr.NotFound},
		{"USER cannot list", plain, Request{Action: ReadContactRoles, SiteID: site}, apperr.Forbidden},
		{"VIEW lists", viewerOf, Request{Action: ReadContactRoles, SiteID: site}, ""},
		{"USER sees who to ask", plain, Request{Action: SeeAdministrators, SiteID: site}, ""},
		{"partner sees who to ask", partner, Request{Action: SeeAdministrators, SiteID: site}, ""},
		{"operator sees who to ask", operator, Request{Action: SeeAdministrators, SiteID: site}, ""},
		{"stranger does not see who to ask", stranger, Request{Action: SeeAdministrators, SiteID: site}, apperr.NotFound},
		{"another Site's contact does not", member(40, domain.RolePrimary, domain.HighestPrivileges()), Request{Action: SeeAdministrators, SiteID: otherSite}, apperr.NotFound},
		{"editor edits a USER", editor, Request{Action: EditContact, SiteID: site, Contact: userContact}, ""},
		{"editor cannot edit the PRIMARY", editor, Request{Action: EditContact, SiteID: site, Contact: primaryContact}, apperr.Forbidden},
		{"operator edits the PRIMARY", operator, Request{Action: EditContact, SiteID: site, Contact: primaryContact}, ""},
		{"USER edits themselves", plain, Request{Action: EditContact, SiteID: site, Contact: contact(14, domain.RoleUser)}, ""},
		{"manager adds a USER", manager, Request{Action: AddContact, SiteID: site, Role: domain.RoleUser, Privileges: &modest}, ""},
		{"manager cannot add above own level", manager, Request{Action: AddContact, SiteID: site, Role: domain.RoleUser, Privileges: &tooMuch}, apperr.Forbidden},
		{"manager cannot add a SECONDARY", manager, Request{Action: AddContact, SiteID: site, Role: domain.RoleSecondary}, apperr.Forbidden},
		{"PRIMARY adds a SECONDARY", primary, Request{Action: AddContact, SiteID: site, Role: domain.RoleSecondary}, ""},
		{"manager sets a USER's privileges", manager, Request{Action: SetPrivileges, SiteID: site, Contact: userContact, Privileges: &modest}, ""},
		{"manager not on themselves", manager, Request{Action: SetPrivileges, SiteID: site, Contact: contact(11, domain.RoleSecondary), Privileges: &modest}, apperr.Forbidden},
		{"nobody lowers the PRIMARY", primary, Request{Action: SetPrivileges, SiteID: site, Contact: primaryContact, Privileges: &modest}, apperr.Forbidden},
		{"only the PRIMARY sets a SECONDARY's", manager, Request{Action: SetPrivileges, SiteID: site, Contact: secondaryContact, Privileges: &modest}, apperr.Forbidden},
		{"PRIMARY demotes a SECONDARY", primary, Request{Action: SetAccessRole, SiteID: site, Contact: secondaryContact, Role: domain.RoleUser}, ""},
		{"manager cannot promote", manager, Request{Action: SetAccessRole, SiteID: site, Contact: userContact, Role: domain.RoleSecondary}, apperr.Forbidden},
		{"the PRIMARY cannot be deactivated", primary, Request{Action: ChangeContactStatus, SiteID: site, Contact: primaryContact}, apperr.Conflict},
		{"manager deactivates a USER", manager, Request{Action: ChangeContactStatus, SiteID: site, Contact: userContact}, ""},
		{"editor assigns contact types", editor, Request{Action: AssignContactType, SiteID: site}, ""},
		{"manager without contactUpdates cannot", manager, Request{Action: AssignContactType, SiteID: site}, apperr.Forbidden},
		{"editor cannot give the PRIMARY a type", editor, Request{Action: AssignContactType, SiteID: site, Contact: primaryContact}, apperr.Forbidden},
		{"the PRIMARY types their own record", primary, Request{Action: AssignContactType, SiteID: site, Contact: primaryContact}, ""},
		{"operators type the PRIMARY's record", operator, Request{Action: AssignContactType, SiteID: site, Contact: primaryContact}, ""},
		{"editor types a USER", editor, Request{Action: AssignContactType, SiteID: site, Contact: userContact}, ""},
		{"editor cannot re-address an invitation", editor, Request{Action: EditContact, SiteID: site, Contact: invitedUser, Readdress: true}, apperr.Forbidden},
		{"manager who edits re-addresses a USER's invitation", managerEditor, Request{Action: EditContact, SiteID: site, Contact: invitedUser, Readdress: true}, ""},
		{"manager cannot re-address a SECONDARY's", managerEditor, Request{Action: EditContact, SiteID: site, Contact: invitedSecondary, Readdress: true}, apperr.Forbidden},
		{"manager cannot re-address an invitation above own level", managerEditor, Request{Action: EditContact, SiteID: site, Contact: invitedPowerUser, Readdress: true}, apperr.Forbidden},
		{"the PRIMARY re-addresses a SECONDARY's", primary, Request{Action: EditContact, SiteID: site, Contact: invitedSecondary, Readdress: true}, ""},
		{"nobody re-addresses a signed-in contact", primary, Request{Action: EditContact, SiteID: site, Contact: userContact, Readdress: true}, apperr.BadUserInput},
		{"not even themselves", plain, Request{Action: EditContact, SiteID: site, Contact: signedInSelf, Readdress: true}, apperr.BadUserInput},
		{"only operators re-address an unlinked PRIMARY", primary, Request{Action: EditContact, SiteID: site, Contact: contact(10, domain.RolePrimary), Readdress: true}, apperr.Forbidden},
		{"VIEW reads the audit log", viewerOf, Request{Action: ReadAudit, SiteID: site}, ""},
		{"editor cannot read the audit log", editor, Request{Action: ReadAudit, SiteID: site}, apperr.Forbidden},
		{"only the PRIMARY transfers", manager, Request{Action: TransferPrimary, SiteID: site}, apperr.Forbidden},
		{"operators reassign rather than transfer", operator, Request{Action: TransferPrimary, SiteID: site}, apperr.Forbidden},
		{"the PRIMARY transfers", primary, Request{Action: TransferPrimary, SiteID: site}, ""},
		{"stranger requests access", stranger, Request{Action: RequestAccess, SiteID: site}, ""},
		{"a contact does not request access", plain, Request{Action: RequestAccess, SiteID: site}, apperr.Conflict},
		{"partner does not request access", partner, Request{Action: RequestAccess, SiteID: site}, apperr.Forbidden},
		{"only operators operate", primary, Request{Action: Operate}, apperr.Forbidden},
		{"operators operate", operator, Request{Action: Operate}, ""},
		{"the system may", viewer.SystemViewer, Request{Action: TransferPrimary, SiteID: site}, ""},
	}
	for _, tc := range cases {
		if got := codeOf(Authorize(tc.v, tc.r)); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestReadDecisions(t *testing.T) {
	system := viewer.SystemViewer
	for _, c := range []struct {
		name                                      string
		v                                         *viewer.Viewer
		sitekeeper, everything, partners, details bool
	}{
		{"system", system, true, true, true, true},
		{"operator", operator, false, true, true, true},
		{"PRIMARY", primary, false, false, true, true},
		{"SECONDARY with manageAccess UPDATE", manager, false, false, true, true},
		{"SECONDARY with manageAccess VIEW", viewerOf, false, false, false, true},
		{"USER", plain, false, false, false, true},
		{"partner", partner, false, false, false, false},
		{"stranger", stranger, false, false, false, true},
	} {
		if got := IsSitekeeper(c.v); got != c.sitekeeper {
			t.Errorf("%s: IsSitekeeper = %v", c.name, got)
		}
		if got := ReadsEverything(c.v); got != c.everything {
			t.Errorf("%s: ReadsEverything = %v", c.name, got)
		}
		if got := CanListPartners(c.v); got != c.partners {
			t.Errorf("%s: CanListPartners = %v", c.name, got)
		}
		if got := CanReadContactDetails(c.v); got != c.details {
			t.Errorf("%s: CanReadContactDetails = %v", c.name, got)
		}
	}
}
