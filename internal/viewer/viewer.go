// Package viewer carries who is making a request through its context. The HTTP middleware attaches
// a Viewer and never rejects; the GraphQL directives and ent privacy rules decide, through policy.
package viewer

import (
	"context"
	"sync"
	"time"

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
	// PartnerGrants answer which Sites PartnerID holds an active grant on; nil holds none.
	PartnerGrants *Grants
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

// HasGrant reports whether the viewer is a partner with an active grant on the Site.
func (v *Viewer) HasGrant(siteID int) bool {
	return v.IsPartner() && v.PartnerGrants != nil && v.PartnerGrants.Has(siteID)
}

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

// Grants are the Sites on which a partner holds an active grant. A partner may hold tens of
// thousands, so they are not loaded up front: queries filter on the grants table itself (see
// internal/rule), the Sites such a query returns are noted here as granted, and a decision about
// a Site not loaded yet looks that one grant up once.
type Grants struct {
	// At is the instant grants are judged active at (when the request began), so that filters
	// and decisions in one request agree.
	At     time.Time
	lookup func(siteID int) bool
	mu     sync.Mutex
	known  map[int]bool
}

// GrantsOf is a complete set of granted Sites, known up front.
func GrantsOf(siteIDs ...int) *Grants {
	g := &Grants{At: time.Now(), known: make(map[int]bool, len(siteIDs))}
	for _, id := range siteIDs {
		g.known[id] = true
	}
	return g
}

// LookUpGrants are grants judged at at and looked up one Site at a time with lookup, which
// reports whether the Site has an active grant (false when it cannot tell).
func LookUpGrants(at time.Time, lookup func(siteID int) bool) *Grants {
	return &Grants{At: at, lookup: lookup, known: map[int]bool{}}
}

// Known returns the granted Sites when the set is complete (GrantsOf); ok is false when the
// grants are looked up.
func (g *Grants) Known() (siteIDs []int, ok bool) {
	if g.lookup != nil {
		return nil, false
	}
	for id, granted := range g.known {
		if granted {
			siteIDs = append(siteIDs, id)
		}
	}
	return siteIDs, true
}

// Has reports whether the Site has an active grant.
func (g *Grants) Has(siteID int) bool {
	g.mu.Lock()
	granted, ok := g.known[siteID]
	g.mu.Unlock()
	if ok || g.lookup == nil {
		return granted
	}
	granted = g.lookup(siteID)
	g.mu.Lock()
	g.known[siteID] = granted
	g.mu.Unlock()
	return granted
}

// Granted notes Sites that a query filtered on the grants returned: they need no lookup.
func (g *Grants) Granted(siteIDs ...int) {
	if g.lookup == nil {
		return // a complete set is not extended
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, id := range siteIDs {
		g.known[id] = true
	}
}
