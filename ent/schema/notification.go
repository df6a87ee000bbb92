package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"sitekeeper/ent/privacy"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/rule"
)

// Notification is a message in the outbox, written in the transaction of the change it tells
// about and delivered by a background worker (or shown on a dashboard page in dev mode).
type Notification struct{ ent.Schema }

func (Notification) Fields() []ent.Field {
	return []ent.Field{
		field.Time("created_at").Default(time.Now).Immutable().Annotations(entgql.OrderField("CREATED_AT")),
		field.Enum("kind").GoType(domain.NotificationKind("")).Immutable().Annotations(entgql.Type("NotificationKind")),
		field.String("recipient").Immutable().Comment("An email address.").Annotations(notFilterable),
		field.String("subject").Immutable().Annotations(notFilterable),
		field.Text("body").Immutable().Annotations(notFilterable),
		field.Int("site_id").Optional().Nillable().Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.Enum("status").GoType(domain.DeliveryStatus("")).Default(string(domain.DeliveryPending)).
			Annotations(entgql.Type("DeliveryStatus")),
		field.Int("attempts").Default(0).Annotations(notFilterable),
		field.Time("next_attempt_at").Default(time.Now).Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("last_error").Optional().Annotations(entgql.Skip(entgql.SkipAll)),
		field.Time("sent_at").Optional().Nillable(),
	}
}

func (Notification) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("site", Site.Type).Ref("notifications").Field("site_id").Unique().Immutable(),
	}
}

func (Notification) Indexes() []ent.Index {
	return []ent.Index{index.Fields("status", "next_attempt_at"), index.Fields("recipient"), index.Fields("site_id")}
}

func (Notification) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField().Directives(signedIn),
	}
}

func (Notification) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{rule.FilterNotifications()},
		Mutation: privacy.MutationPolicy{rule.SystemOnly()},
	}
}
