package review

import (
	"fmt"
	"time"

	"sitekeeper/ent"
	"sitekeeper/internal/domain"
)

// Inactive is how long without a sign-in makes the review suggest deactivating a contact.
const Inactive = 90 * 24 * time.Hour

// Suggestion is a decision the review proposes, with its reason; the decision stays human.
type Suggestion struct {
	Decision domain.ReviewDecision
	Reason   string
}

// Suggest proposes a decision from the item's snapshot, as of the review's start, so that the
// same review always shows (and its evidence records) the same suggestions: REMOVE for an
// invitation that expired unaccepted, DEACTIVATE for no sign-in in 90 days. The PRIMARY's item
// is KEEP only, so nothing is suggested for it.
func Suggest(it *ent.ReviewItem, startedAt time.Time) *Suggestion {
	s := it.Snapshot
	if s.AccessRole == domain.RolePrimary {
		return nil
	}
	switch {
	case s.Status == domain.StatusInvited && s.InvitationExpiresAt != nil && s.InvitationExpiresAt.Before(startedAt):
		return &Suggestion{domain.DecisionRemove, fmt.Sprintf("the invitation expired on %s without being accepted", day(*s.InvitationExpiresAt))}
	case s.Status != domain.StatusActive:
		return nil
	case s.LastSignInAt == nil && startedAt.Sub(s.CreatedAt) > Inactive:
		return &Suggestion{domain.DecisionDeactivate, "no sign-in since being added on " + day(s.CreatedAt)}
	case s.LastSignInAt != nil && startedAt.Sub(*s.LastSignInAt) > Inactive:
		return &Suggestion{domain.DecisionDeactivate, "no sign-in in 90 days (last on " + day(*s.LastSignInAt) + ")"}
	}
	return nil
}

// PrivilegeFlags name the privileges above what the contact's activity suggests: rights to act
// held by someone who has not signed in for 90 days, or ever.
func PrivilegeFlags(it *ent.ReviewItem, startedAt time.Time) []string {
	s := it.Snapshot
	if s.AccessRole == domain.RolePrimary {
		return []string{} // the PRIMARY holds every privilege at its highest, by definition
	}
	idle := s.LastSignInAt == nil || startedAt.Sub(*s.LastSignInAt) > Inactive
	if !idle {
		return []string{}
	}
	activity := "no sign-in in 90 days"
	if s.LastSignInAt == nil {
		activity = "never signed in"
	}
	p := s.Privileges
	flags := []string{}
	add := func(held bool, name string) {
		if held {
			flags = append(flags, name+" but "+activity)
		}
	}
	add(p.SoftwareAccess == domain.SoftwareFull, "softwareAccess FULL")
	add(p.ManageAccess == domain.UpdateUpdate, "manageAccess UPDATE")
	add(p.ContactUpdates == domain.UpdateUpdate, "contactUpdates UPDATE")
	add(p.Entitlements == domain.UpdateUpdate, "entitlements UPDATE")
	return flags
}

func day(t time.Time) string { return t.UTC().Format("2006-01-02") }
