package schema

import (
	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"sitekeeper/ent/privacy"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/invariant"
	"sitekeeper/internal/rule"
)

// ReviewItem is one contact in a review: its snapshot, the decision taken on it, and what
// completing the review did to it.
type ReviewItem struct{ ent.Schema }

func (ReviewItem) Fields() []ent.Field {
	return []ent.Field{
		field.Int("review_id").Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.Int("site_id").Immutable().Annotations(entgql.Skip(entgql.SkipAll)).
			Comment("The review's Site, kept on the item for the privacy filter and the audit log."),
		field.Int("contact_id").Immutable().Annotations(entgql.Skip(entgql.SkipAll)).
			Comment("Not an edge: the item outlives a contact the review removes."),
		field.JSON("snapshot", domain.ReviewSnapshot{}).Immutable().
			Annotations(entgql.Type("ReviewSnapshot"), noInput),
		field.Enum("decision").GoType(domain.ReviewDecision("")).Default(string(domain.DecisionPending)).
			Annotations(entgql.Type("ReviewDecision"), noInput),
		field.String("decided_by").Optional().Nillable().Annotations(notFilterable, noInput),
		field.Time("decided_at").Optional().Nillable().Annotations(notFilterable, noInput),
		field.String("note").Optional().Nillable().MaxLen(1000).Annotations(notFilterable, noInput),
		field.Time("self_confirmed_at").Optional().Nillable().Annotations(noInput),
		field.Enum("outcome").GoType(domain.ReviewOutcome("")).Optional().Nillable().
			Comment("What completing the review did to the contact.").
			Annotations(entgql.Type("ReviewOutcome"), notFilterable, noInput),
	}
}

func (ReviewItem) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("review", Review.Type).Ref("items").Field("review_id").Unique().Required().Immutable().
			Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

func (ReviewItem) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("review_id", "contact_id").Unique(),
		index.Fields("review_id", "decision"),
		index.Fields("contact_id"),
	}
}

func (ReviewItem) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()}
}

func (ReviewItem) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{rule.FilterReviewItems()},
		Mutation: privacy.MutationPolicy{rule.ReviewItemMutations()},
	}
}

// Hooks: decisions and self-confirmations are audited (creating the items is the review's
// start, audited once); the items of a completed review never change.
func (ReviewItem) Hooks() []ent.Hook {
	return []ent.Hook{invariant.CompletedReviewItemsStay(), auditUpdates()}
}
