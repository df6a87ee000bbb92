package domain

import (
	"io"
	"time"
)

// ReviewDecision is what a reviewer decided for one contact of an access review.
type ReviewDecision string

const (
	DecisionPending    ReviewDecision = "PENDING"
	DecisionKeep       ReviewDecision = "KEEP"
	DecisionDeactivate ReviewDecision = "DEACTIVATE"
	DecisionRemove     ReviewDecision = "REMOVE"
)

func (ReviewDecision) Values() []string { return []string{"PENDING", "KEEP", "DEACTIVATE", "REMOVE"} }

func (d ReviewDecision) MarshalGQL(w io.Writer) { marshalEnum(w, d) }
func (d *ReviewDecision) UnmarshalGQL(v any) error {
	return unmarshalEnum(v, d, d.Values(), "ReviewDecision")
}

// Changes reports whether applying the decision changes the contact.
func (d ReviewDecision) Changes() bool { return d == DecisionDeactivate || d == DecisionRemove }

// ReviewStage is how far a review's reminders have gone; each stage falls due at a time kept
// with the review (reminder_due_at), so the outbox reads only reviews with something due.
type ReviewStage string

const (
	StageDueSoon   ReviewStage = "DUE_SOON"  // 7 days before the due date, to those with decisions to make
	StageLate      ReviewStage = "LATE"      // at the due date, to the PRIMARY
	StageEscalated ReviewStage = "ESCALATED" // 30 days after it, onto the operators' page
	StageDone      ReviewStage = "DONE"
)

func (ReviewStage) Values() []string { return []string{"DUE_SOON", "LATE", "ESCALATED", "DONE"} }

// ReviewSnapshot is a contact as the review found it when it started (or when the contact
// joined it): what the reviewer decides on, and what the evidence shows whatever happens to the
// contact afterwards.
type ReviewSnapshot struct {
	FirstName           string        `json:"firstName"`
	LastName            string        `json:"lastName"`
	Email               string        `json:"email"`
	AccessRole          AccessRole    `json:"accessRole"`
	Privileges          Privileges    `json:"privileges"`
	ContactTypes        []ContactType `json:"contactTypes"`
	Status              ContactStatus `json:"status"`
	LastSignInAt        *time.Time    `json:"lastSignInAt,omitempty"`
	InvitationExpiresAt *time.Time    `json:"invitationExpiresAt,omitempty"`
	CreatedAt           time.Time     `json:"createdAt"`
}

// ReviewOutcome is what completing a review did to one contact.
type ReviewOutcome string

const (
	OutcomeKept              ReviewOutcome = "KEPT"
	OutcomeKeptByAttestation ReviewOutcome = "KEPT_BY_ATTESTATION"
	OutcomeDeactivated       ReviewOutcome = "DEACTIVATED"
	OutcomeRemoved           ReviewOutcome = "REMOVED"
	// OutcomeGone: the contact had been removed during the review, so there was nothing to apply.
	OutcomeGone ReviewOutcome = "GONE"
)

func (ReviewOutcome) Values() []string {
	return []string{"KEPT", "KEPT_BY_ATTESTATION", "DEACTIVATED", "REMOVED", "GONE"}
}

func (o ReviewOutcome) MarshalGQL(w io.Writer) { marshalEnum(w, o) }
func (o *ReviewOutcome) UnmarshalGQL(v any) error {
	return unmarshalEnum(v, o, o.Values(), "ReviewOutcome")
}

// The stage is not in the API; ent's GraphQL extension marshals every enum all the same.
func (s ReviewStage) MarshalGQL(w io.Writer) { marshalEnum(w, s) }
func (s *ReviewStage) UnmarshalGQL(v any) error {
	return unmarshalEnum(v, s, s.Values(), "ReviewStage")
}
