package domain

import "io"

// AccessRole is a contact's standing on its Site.
type AccessRole string

const (
	RolePrimary   AccessRole = "PRIMARY"
	RoleSecondary AccessRole = "SECONDARY"
	RoleUser      AccessRole = "USER"
)

func (AccessRole) Values() []string { return []string{"PRIMARY", "SECONDARY", "USER"} }

func (r AccessRole) MarshalGQL(w io.Writer) { marshalEnum(w, r) }
func (r *AccessRole) UnmarshalGQL(v any) error {
	return unmarshalEnum(v, r, r.Values(), "AccessRole")
}

// ContactStatus is where a contact is in its lifecycle.
type ContactStatus string

const (
	StatusInvited     ContactStatus = "INVITED"
	StatusActive      ContactStatus = "ACTIVE"
	StatusDeactivated ContactStatus = "DEACTIVATED"
)

func (ContactStatus) Values() []string { return []string{"INVITED", "ACTIVE", "DEACTIVATED"} }

func (s ContactStatus) MarshalGQL(w io.Writer) { marshalEnum(w, s) }
func (s *ContactStatus) UnmarshalGQL(v any) error {
	return unmarshalEnum(v, s, s.Values(), "ContactStatus")
}

// ContactType says which communications a contact receives.
type ContactType string

const (
	TypePrimary        ContactType = "PRIMARY"
	TypeSiteTechnical  ContactType = "SITE_TECHNICAL"
	TypeAdministrative ContactType = "ADMINISTRATIVE"
	TypeRenewal        ContactType = "RENEWAL"
	TypeMediaShipping  ContactType = "MEDIA_SHIPPING"
	TypeBilling        ContactType = "BILLING"
)

func (ContactType) Values() []string {
	return []string{"PRIMARY", "SITE_TECHNICAL", "ADMINISTRATIVE", "RENEWAL", "MEDIA_SHIPPING", "BILLING"}
}

func (t ContactType) MarshalGQL(w io.Writer) { marshalEnum(w, t) }
func (t *ContactType) UnmarshalGQL(v any) error {
	return unmarshalEnum(v, t, t.Values(), "ContactType")
}

// Program is the Site's licensing program.
type Program string

const (
	ProgramStandard Program = "STANDARD"
	ProgramExpress  Program = "EXPRESS"
)

func (Program) Values() []string { return []string{"STANDARD", "EXPRESS"} }

func (p Program) MarshalGQL(w io.Writer)    { marshalEnum(w, p) }
func (p *Program) UnmarshalGQL(v any) error { return unmarshalEnum(v, p, p.Values(), "Program") }

// SiteStatus tells whether a Site is in use.
type SiteStatus string

const (
	SiteActive   SiteStatus = "ACTIVE"
	SiteInactive SiteStatus = "INACTIVE"
)

func (SiteStatus) Values() []string { return []string{"ACTIVE", "INACTIVE"} }

func (s SiteStatus) MarshalGQL(w io.Writer) { marshalEnum(w, s) }
func (s *SiteStatus) UnmarshalGQL(v any) error {
	return unmarshalEnum(v, s, s.Values(), "SiteStatus")
}

// AccessRequestStatus is the state of a self-nomination.
type AccessRequestStatus string

const (
	RequestPending AccessRequestStatus = "PENDING"
	RequestGranted AccessRequestStatus = "GRANTED"
	RequestDenied  AccessRequestStatus = "DENIED"
)

func (AccessRequestStatus) Values() []string { return []string{"PENDING", "GRANTED", "DENIED"} }

func (s AccessRequestStatus) MarshalGQL(w io.Writer) { marshalEnum(w, s) }
func (s *AccessRequestStatus) UnmarshalGQL(v any) error {
	return unmarshalEnum(v, s, s.Values(), "AccessRequestStatus")
}

// ActorKind says what kind of principal made a change.
type ActorKind string

const (
	ActorUser     ActorKind = "USER"
	ActorOperator ActorKind = "OPERATOR"
	ActorPartner  ActorKind = "PARTNER"
	ActorSystem   ActorKind = "SYSTEM"
)

func (ActorKind) Values() []string { return []string{"USER", "OPERATOR", "PARTNER", "SYSTEM"} }

func (k ActorKind) MarshalGQL(w io.Writer) { marshalEnum(w, k) }
func (k *ActorKind) UnmarshalGQL(v any) error {
	return unmarshalEnum(v, k, k.Values(), "ActorKind")
}

// NotificationKind says what a notification tells its recipient.
type NotificationKind string

const (
	NotifyInvitation         NotificationKind = "INVITATION"
	NotifyAccessGranted      NotificationKind = "ACCESS_GRANTED"
	NotifyAccessDenied       NotificationKind = "ACCESS_DENIED"
	NotifyPrimaryTransferred NotificationKind = "PRIMARY_TRANSFERRED"
	NotifyReviewOverdue      NotificationKind = "REVIEW_OVERDUE"
	// The review campaign's messages: opened (to the managers), due in 7 days (to those who
	// still have decisions to make), overdue (to the PRIMARY).
	NotifyReviewOpened  NotificationKind = "REVIEW_OPENED"
	NotifyReviewDueSoon NotificationKind = "REVIEW_DUE_SOON"
	NotifyReviewLate    NotificationKind = "REVIEW_LATE"
)

func (NotificationKind) Values() []string {
	return []string{"INVITATION", "ACCESS_GRANTED", "ACCESS_DENIED", "PRIMARY_TRANSFERRED", "REVIEW_OVERDUE",
		"REVIEW_OPENED", "REVIEW_DUE_SOON", "REVIEW_LATE"}
}

func (k NotificationKind) MarshalGQL(w io.Writer) { marshalEnum(w, k) }
func (k *NotificationKind) UnmarshalGQL(v any) error {
	return unmarshalEnum(v, k, k.Values(), "NotificationKind")
}

// DeliveryStatus is where a notification is on its way out.
type DeliveryStatus string

const (
	DeliveryPending DeliveryStatus = "PENDING"
	DeliverySent    DeliveryStatus = "SENT"
	// DeliveryShown marks a notification shown on the dashboard instead of sent (dev mode).
	DeliveryShown DeliveryStatus = "SHOWN"
)

func (DeliveryStatus) Values() []string { return []string{"PENDING", "SENT", "SHOWN"} }

func (s DeliveryStatus) MarshalGQL(w io.Writer) { marshalEnum(w, s) }
func (s *DeliveryStatus) UnmarshalGQL(v any) error {
	return unmarshalEnum(v, s, s.Values(), "DeliveryStatus")
}
