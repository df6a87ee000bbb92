// Package roster carries out the operations on a Site's roster that take more than one statement
// (create a Site with its PRIMARY, transfer the primary role, bulk updates). Authorization is not
// decided here: the GraphQL directives and the ent privacy rules ask internal/policy.
package roster

import (
	"sitekeeper/ent"
	"sitekeeper/internal/domain"
)

// CreateSiteInput is a new Site and its PRIMARY contact.
type CreateSiteInput struct {
	Number             string
	Name               string
	CustomerNumber     string
	Program            *domain.Program
	PrimaryContact     domain.ContactDetails
	Street             *string
	City               *string
	StateProvince      *string
	PostalCode         *string
	Country            *string
	ReviewIntervalDays *int
}

// AddContactInput invites a person to a Site.
type AddContactInput struct {
	SiteID                int
	Details               domain.ContactDetails
	AccessRole            domain.AccessRole
	Privileges            *domain.PrivilegesPatch
	BusinessJustification string
	InvitationDays        *int
}

// UpdateContactsInput is one patch for several or all contacts of a Site.
type UpdateContactsInput struct {
	SiteID     int
	IDs        []int
	All        *bool
	Details    *ent.UpdateContactInput
	Privileges *domain.PrivilegesPatch
}

// CreatePartnerInput registers a reseller.
type CreatePartnerInput struct {
	Name     string
	ClientID string
}
