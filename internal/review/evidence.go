package review

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"sitekeeper/ent"
	"sitekeeper/internal/domain"
)

// Evidence is the record of a completed review, built only from the rows the review stored:
// the review, the items' snapshots, decisions and outcomes. Nothing here reads a live contact,
// so the files rendered from it are the same bytes on every download, however the contacts
// change afterwards (and the schema hooks refuse any change to a completed review or its items).
type Evidence struct {
	SiteNumber, SiteName string
	Review               *ent.Review
	// Items in the order the evidence lists them: see NewEvidence.
	Items []EvidenceItem
}

// EvidenceItem is one item with what the review showed for it when it was decided.
type EvidenceItem struct {
	*ent.ReviewItem
	// Suggestion and Flags are recomputed from the snapshot as of the review's start, exactly
	// as the review showed them (Suggest and PrivilegeFlags are pure functions of both).
	Suggestion *Suggestion
	Flags      []string
}

// NewEvidence puts a completed review's rows in evidence order: the PRIMARY first, then the
// SECONDARY contacts, then the USERs, each by name, so that a reader (an auditor, the next
// reviewer) finds a person where they expect; the item id settles ties so the order is stable.
func NewEvidence(site *ent.Site, r *ent.Review, items []*ent.ReviewItem) *Evidence {
	e := &Evidence{SiteNumber: site.Number, SiteName: site.Name, Review: r, Items: make([]EvidenceItem, len(items))}
	for i, it := range items {
		e.Items[i] = EvidenceItem{ReviewItem: it, Suggestion: Suggest(it, r.StartedAt), Flags: PrivilegeFlags(it, r.StartedAt)}
	}
	slices.SortStableFunc(e.Items, func(a, b EvidenceItem) int {
		sa, sb := a.Snapshot, b.Snapshot
		return cmp.Or(
			cmp.Compare(roleRank(sa.AccessRole), roleRank(sb.AccessRole)),
			cmp.Compare(strings.ToLower(sa.LastName), strings.ToLower(sb.LastName)),
			cmp.Compare(strings.ToLower(sa.FirstName), strings.ToLower(sb.FirstName)),
			cmp.Compare(strings.ToLower(sa.Email), strings.ToLower(sb.Email)),
			cmp.Compare(a.ID, b.ID),
		)
	})
	return e
}

func roleRank(r domain.AccessRole) int {
	switch r {
	case domain.RolePrimary:
		return 0
	case domain.RoleSecondary:
		return 1
	}
	return 2
}

// Attested reports whether the review was completed by markSiteReviewed.
func (e *Evidence) Attested() bool { return e.Review.Attested }

// ByAttestation reports whether completing the review kept this item by the bulk attestation
// rather than by a decision of its own.
func (it EvidenceItem) ByAttestation() bool {
	return it.Outcome != nil && *it.Outcome == domain.OutcomeKeptByAttestation
}

// Counts are the review's items by decision and by what completing the review did to them.
type Counts struct {
	Total int
	// Keep counts the KEEP decisions taken item by item (keepRemainingReviewItems included: it
	// records its caller on every item); KeptByAttestation those markSiteReviewed took in bulk.
	Keep, KeptByAttestation, Deactivate, Remove, Pending int
	SelfConfirmed                                        int
	// Outcomes: what completing the review did.
	Kept, Deactivated, Removed, Gone int
}

// Counts counts the items.
func (e *Evidence) Counts() Counts {
	var c Counts
	for _, it := range e.Items {
		c.Total++
		if it.SelfConfirmedAt != nil {
			c.SelfConfirmed++
		}
		switch {
		case it.ByAttestation():
			c.KeptByAttestation++
		case it.Decision == domain.DecisionKeep:
			c.Keep++
		case it.Decision == domain.DecisionDeactivate:
			c.Deactivate++
		case it.Decision == domain.DecisionRemove:
			c.Remove++
		default:
			c.Pending++ // never on a completed review; counted so the totals still add up
		}
		if it.Outcome == nil {
			continue
		}
		switch *it.Outcome {
		case domain.OutcomeKept:
			c.Kept++
		case domain.OutcomeDeactivated:
			c.Deactivated++
		case domain.OutcomeRemoved:
			c.Removed++
		case domain.OutcomeGone:
			c.Gone++
		}
	}
	return c
}

// FileName is the evidence's download name: review-<site number>-<completion date>.<ext>.
func (e *Evidence) FileName(ext string) string {
	day := "open"
	if e.Review.CompletedAt != nil {
		day = e.Review.CompletedAt.UTC().Format(time.DateOnly)
	}
	return "review-" + e.SiteNumber + "-" + day + "." + ext
}

// privilegeColumns are the pinned privilege names in schema order, with each one's level.
func privilegeColumns(p domain.Privileges) [][2]string {
	return [][2]string{
		{"softwareAccess", string(p.SoftwareAccess)},
		{"reporting", string(p.Reporting)},
		{"entitlements", string(p.Entitlements)},
		{"manageAccess", string(p.ManageAccess)},
		{"contactUpdates", string(p.ContactUpdates)},
		{"accountDocuments", string(p.AccountDocuments)},
	}
}

func contactTypes(types []domain.ContactType) string {
	s := make([]string, len(types))
	for i, t := range types {
		s[i] = string(t)
	}
	return strings.Join(s, "; ")
}

// stamp is a time as the CSV writes it: RFC 3339 in UTC, to the second ("" for none).
func stamp(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// readable is a time as the printable page shows it, in UTC so that every reader of the
// record sees the same time.
func readable(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
