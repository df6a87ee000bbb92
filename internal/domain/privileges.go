package domain

import "io"

// SoftwareAccessLevel: downloads, media, and FULL (downloads, media, quotes, catalogs, renewals).
type SoftwareAccessLevel string

const (
	SoftwareNone           SoftwareAccessLevel = "NONE"
	SoftwareDownloads      SoftwareAccessLevel = "DOWNLOADS"
	SoftwareDownloadsMedia SoftwareAccessLevel = "DOWNLOADS_MEDIA"
	SoftwareFull           SoftwareAccessLevel = "FULL"
)

func (SoftwareAccessLevel) Values() []string {
	return []string{"NONE", "DOWNLOADS", "DOWNLOADS_MEDIA", "FULL"}
}
func (l SoftwareAccessLevel) Rank() int              { return rank(l.Values(), string(l)) }
func (l SoftwareAccessLevel) MarshalGQL(w io.Writer) { marshalEnum(w, l) }
func (l *SoftwareAccessLevel) UnmarshalGQL(v any) error {
	return unmarshalEnum(v, l, l.Values(), "SoftwareAccessLevel")
}

// ViewLevel is a privilege that can only be seen, not changed.
type ViewLevel string

const (
	ViewNone ViewLevel = "NONE"
	ViewView ViewLevel = "VIEW"
)

func (ViewLevel) Values() []string            { return []string{"NONE", "VIEW"} }
func (l ViewLevel) Rank() int                 { return rank(l.Values(), string(l)) }
func (l ViewLevel) MarshalGQL(w io.Writer)    { marshalEnum(w, l) }
func (l *ViewLevel) UnmarshalGQL(v any) error { return unmarshalEnum(v, l, l.Values(), "ViewLevel") }

// UpdateLevel is a privilege that can be seen or changed.
type UpdateLevel string

const (
	UpdateNone   UpdateLevel = "NONE"
	UpdateView   UpdateLevel = "VIEW"
	UpdateUpdate UpdateLevel = "UPDATE"
)

func (UpdateLevel) Values() []string         { return []string{"NONE", "VIEW", "UPDATE"} }
func (l UpdateLevel) Rank() int              { return rank(l.Values(), string(l)) }
func (l UpdateLevel) MarshalGQL(w io.Writer) { marshalEnum(w, l) }
func (l *UpdateLevel) UnmarshalGQL(v any) error {
	return unmarshalEnum(v, l, l.Values(), "UpdateLevel")
}

// Privileges are the six rights a contact holds on its Site.
type Privileges struct {
	SoftwareAccess   SoftwareAccessLevel `json:"softwareAccess"`
	Reporting        ViewLevel           `json:"reporting"`
	Entitlements     UpdateLevel         `json:"entitlements"`
	ManageAccess     UpdateLevel         `json:"manageAccess"`
	ContactUpdates   UpdateLevel         `json:"contactUpdates"`
	AccountDocuments ViewLevel           `json:"accountDocuments"`
}

// HighestPrivileges are what the PRIMARY always holds.
func HighestPrivileges() Privileges {
	return Privileges{SoftwareFull, ViewView, UpdateUpdate, UpdateUpdate, UpdateUpdate, ViewView}
}

// NoPrivileges is the default for a new USER.
func NoPrivileges() Privileges {
	return Privileges{SoftwareNone, ViewNone, UpdateNone, UpdateNone, UpdateNone, ViewNone}
}

// ranks lists the six levels in a fixed order, so comparisons need no per-field code.
func (p Privileges) ranks() [6]int {
	return [6]int{p.SoftwareAccess.Rank(), p.Reporting.Rank(), p.Entitlements.Rank(),
		p.ManageAccess.Rank(), p.ContactUpdates.Rank(), p.AccountDocuments.Rank()}
}

// Covers reports whether every level in q is at most the level in p.
func (p Privileges) Covers(q Privileges) bool {
	pr, qr := p.ranks(), q.ranks()
	for i := range pr {
		if qr[i] > pr[i] {
			return false
		}
	}
	return true
}

// ExceededBy names the privileges in which q is above p, in schema order.
func (p Privileges) ExceededBy(q Privileges) []string {
	names := [6]string{"softwareAccess", "reporting", "entitlements", "manageAccess", "contactUpdates", "accountDocuments"}
	pr, qr := p.ranks(), q.ranks()
	var over []string
	for i := range pr {
		if qr[i] > pr[i] {
			over = append(over, names[i])
		}
	}
	return over
}

// PrivilegesPatch changes some privileges and leaves the others.
type PrivilegesPatch struct {
	SoftwareAccess   *SoftwareAccessLevel
	Reporting        *ViewLevel
	Entitlements     *UpdateLevel
	ManageAccess     *UpdateLevel
	ContactUpdates   *UpdateLevel
	AccountDocuments *ViewLevel
}

// Apply returns p with the patch's levels set.
func (patch PrivilegesPatch) Apply(p Privileges) Privileges {
	set(&p.SoftwareAccess, patch.SoftwareAccess)
	set(&p.Reporting, patch.Reporting)
	set(&p.Entitlements, patch.Entitlements)
	set(&p.ManageAccess, patch.ManageAccess)
	set(&p.ContactUpdates, patch.ContactUpdates)
	set(&p.AccountDocuments, patch.AccountDocuments)
	return p
}

// IsEmpty reports whether the patch changes nothing.
func (patch PrivilegesPatch) IsEmpty() bool {
	return patch == PrivilegesPatch{}
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}
