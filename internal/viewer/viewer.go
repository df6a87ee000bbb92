// Package viewer carries who is making a request through its context. The HTTP middleware attaches
// a Viewer and never rejects; the GraphQL directives and ent privacy rules decide, through policy.
package viewer

import (
	"context"

	"sitekeeper/internal/domain"
)

// Membership is the viewer's ACTIVE contact on one Site.
type Membership struct {
	SiteID     int
	ContactID  int
	Role       domain.AccessRole
	Privileges domain.Privileges
}

// Viewer is the principal behind a request. The zero value is an anonymous caller.
type Viewer struct {
	// UserID is the signed-in person's User row; 0 for partners, anonymous callers and the system.
	UserID        int
	Email         string
	EmailVerified bool
	Name          string
	// Operator is vendor staff, from the operator group claim.
	Operator bool
	// PartnerID is the Partner whose client-credentials token made the request.
	PartnerID   int
	PartnerName string
	// PartnerSites are the Sites with an active grant for PartnerID.
	PartnerSites map[int]bool
	// Memberships are the person's ACTIVE contacts, by Site id.
	Memberships map[int]Membership
	// System is Sitekeeper itself: migrations, seeding, sign-in linking, background jobs.
	System bool
}

// SystemViewer acts as Sitekeeper itself; only internal code paths create it.
var SystemViewer = &Viewer{System: true}

// IsAnonymous reports whether no credentials came with the request.
func (v *Viewer) IsAnonymous() bool {
	return v.UserID == 0 && v.PartnerID == 0 && !v.Operator && !v.System
}

// IsPartner reports whether a partner client made the request.
func (v *Viewer) IsPartner() bool { return v.PartnerID != 0 }

// Membership returns the viewer's ACTIVE contact on a Site.
func (v *Viewer) Membership(siteID int) (Membership, bool) {
	m, ok := v.Memberships[siteID]
	return m, ok
}

// IsContact reports whether contactID is one of the viewer's own ACTIVE contacts.
func (v *Viewer) IsContact(contactID int) bool {
	for _, m := range v.Memberships {
		if m.ContactID == contactID {
			return true
		}
	}
	return false
}

type ctxKey struct{}

// NewContext returns ctx carrying v.
func NewContext(ctx context.Context, v *Viewer) context.Context {
	return context.WithValue(ctx, ctxKey{}, v)
}

// FromContext returns the request's viewer, or an anonymous one.
func FromContext(ctx context.Context) *Viewer {
	if v, ok := ctx.Value(ctxKey{}).(*Viewer); ok && v != nil {
		return v
	}
	return &Viewer{}
}
