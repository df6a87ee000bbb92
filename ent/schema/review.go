package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"sitekeeper/ent/privacy"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/invariant"
	"sitekeeper/internal/rule"
)

// Review is an access review of one Site: a campaign in which every contact gets a decision
// (ReviewItem), applied together when the review completes. A completed review is evidence and
// never changes again.
type Review struct{ ent.Schema }

func (Review) Mixin() []ent.Mixin { return []ent.Mixin{AuditMixin{}} }

func (Review) Fields() []ent.Field {
	return []ent.Field{
		field.Int("site_id").Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("started_by").Immutable().Annotations(notFilterable),
		field.Time("started_at").Default(time.Now).Immutable().Annotations(entgql.OrderField("STARTED_AT")),
		field.Time("due_at").Annotations(entgql.OrderField("DUE_AT")),
		field.Time("completed_at").Optional().Nillable(),
		field.String("completed_by").Optional().Nillable().Annotations(notFilterable),
		field.Bool("attested").Default(false).Annotations(notFilterable).
			Comment("Completed by markSiteReviewed: the items still PENDING were kept by one bulk attestation, not decided one by one."),
		field.Enum("reminder_stage").GoType(domain.ReviewStage("")).Default(string(domain.StageDueSoon)).
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Time("reminder_due_at").Optional().Nillable().
			Comment("When the next reminder stage falls due (in UTC); cleared when the review completes, so the outbox reads only what is due.").
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Time("escalated_at").Optional().Nillable().
			Comment("When the review, 30 days overdue, was put before the operators."),
	}
}

func (Review) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("site", Site.Type).Ref("reviews").Field("site_id").Unique().Required().Immutable(),
		edge.To("items", ReviewItem.Type).Annotations(entgql.RelayConnection(), noInput),
	}
}

func (Review) Indexes() []ent.Index {
	return []ent.Index{
		// One open review per Site, held by the database whatever the concurrency.
		index.Fields("site_id").Unique().Annotations(entsql.IndexWhere("completed_at IS NULL")),
		index.Fields("site_id", "started_at"),
		index.Fields("reminder_due_at"),
	}
}

func (Review) Annotations() []schema.Annotation {
	// A root connection too: operators list the overdue reviews of every Site; others read
	// those of their Sites, as the read rule filters.
	return []schema.Annotation{entgql.RelayConnection(), entgql.QueryField().Directives(signedIn)}
}

func (Review) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{rule.FilterReviews()},
		Mutation: privacy.MutationPolicy{rule.ManagersOfSite(rule.SiteOfReview)},
	}
}

// Hooks: a completed review is evidence: nobody changes it afterwards, Sitekeeper included.
func (Review) Hooks() []ent.Hook { return []ent.Hook{invariant.CompletedReviewsStay()} }
