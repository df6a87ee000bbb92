package schema

import (
	"sitekeeper/ent/privacy"
	"sitekeeper/internal/rule"

	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"sitekeeper/internal/domain"
)

// AuditEvent is an append-only record of one change, written in the same transaction.
type AuditEvent struct{ ent.Schema }

func (AuditEvent) Fields() []ent.Field {
	return []ent.Field{
		field.Time("created_at").Default(time.Now).Immutable().Annotations(entgql.OrderField("CREATED_AT")),
		field.Int("site_id").Optional().Nillable().Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.Enum("actor_kind").GoType(domain.ActorKind("")).Immutable().Annotations(entgql.Type("ActorKind")),
		field.String("actor").Immutable().Comment("Who: the user's email, the partner's name, or system."),
		field.Int("actor_user_id").Optional().Nillable().Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("action").Immutable().Comment("The operation, such as updateContact."),
		field.String("target_type").Immutable(),
		field.Int("target_id").Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("target_label").Optional().Immutable().Annotations(notFilterable).
			Comment("Who or what changed, as people name it (a contact's name), when it changed."),
		field.JSON("before", map[string]any{}).Optional().Immutable().Annotations(entgql.Type("Map")),
		field.JSON("after", map[string]any{}).Optional().Immutable().Annotations(entgql.Type("Map")),
		field.String("reason").Optional().Immutable().Annotations(notFilterable).Comment("Why, when the actor had to say (break-glass)."),
		field.String("request_id").Optional().Immutable().Annotations(notFilterable),
		field.String("client_address").Optional().Immutable().Annotations(notFilterable),
		// The partner change feed (contactRoleChanges) reads these three; see internal/changefeed.
		field.Enum("feed").GoType(domain.RoleChangeKind("")).Optional().Nillable().Immutable().
			Annotations(entgql.Skip(entgql.SkipAll)).
			Comment("Set on the changes partners follow: a contact's role, privileges, types or status, a grant."),
		field.Int("feed_partner_id").Optional().Nillable().Immutable().Annotations(entgql.Skip(entgql.SkipAll)).
			Comment("The partner of a grant or revocation event."),
		// On PostgreSQL the id of the writing transaction, so that readers of the feed can stop
		// before transactions still open (ids are taken before commit, in another order); SQLite
		// commits one writer at a time, in id order, and stores 0.
		field.Int64("xact").Optional().Immutable().Annotations(entgql.Skip(entgql.SkipAll),
			entsql.DefaultExprs(map[string]string{dialect.Postgres: "pg_current_xact_id()::text::bigint", dialect.SQLite: "0"})),
	}
}

func (AuditEvent) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("site", Site.Type).Ref("audit_events").Field("site_id").Unique().Immutable(),
	}
}

func (AuditEvent) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("site_id", "created_at"),
		// The feed in its order, and the latest grant event of a partner on a Site before a change.
		index.Fields("xact", "id").Annotations(entsql.IndexWhere("feed IS NOT NULL")),
		index.Fields("site_id", "feed_partner_id").Annotations(entsql.IndexWhere("feed_partner_id IS NOT NULL")),
	}
}

func (AuditEvent) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()}
}

func (AuditEvent) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{rule.FilterAuditEvents()},
		Mutation: privacy.MutationPolicy{rule.AuditAppendOnly()},
	}
}
