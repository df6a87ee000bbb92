package schema

import (
	"sitekeeper/ent/privacy"
	"sitekeeper/internal/rule"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"sitekeeper/internal/domain"
)

// AccessRequest is a signed-in person's request to become a contact of a Site.
type AccessRequest struct{ ent.Schema }

func (AccessRequest) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}, AuditMixin{}} }

func (AccessRequest) Fields() []ent.Field {
	return []ent.Field{
		field.String("site_number").Immutable().Annotations(notFilterable).
			Comment("As asked; a number no Site has gets a request too, so answers reveal nothing."),
		field.Int("site_id").Optional().Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.Int("requester_id").Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("email").Immutable().Annotations(notFilterable),
		field.String("name").Optional().Immutable().Annotations(notFilterable),
		field.String("justification").NotEmpty().MaxLen(1000).Immutable().Annotations(notFilterable),
		field.JSON("details", &domain.ContactDetails{}).Optional().Immutable().
			Comment("The contact details the requester gave, used when the request is granted.").
			Annotations(entgql.Type("ContactDetails"), entgql.Directives(entgql.NewDirective("contactDetails"))),
		field.Enum("status").GoType(domain.AccessRequestStatus("")).Default(string(domain.RequestPending)).
			Annotations(entgql.Type("AccessRequestStatus")),
		field.Time("expires_at").Immutable(),
		field.Time("decided_at").Optional().Nillable(),
		field.String("decided_by").Optional().Annotations(notFilterable),
		field.String("reason").Optional().MaxLen(1000).Annotations(notFilterable),
	}
}

func (AccessRequest) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("site", Site.Type).Ref("access_requests").Field("site_id").Unique().Immutable(),
		edge.From("requester", User.Type).Ref("access_requests").Field("requester_id").Unique().Required().Immutable().
			Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

func (AccessRequest) Indexes() []ent.Index {
	return []ent.Index{index.Fields("site_id", "status"), index.Fields("requester_id", "status")}
}

func (AccessRequest) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()}
}

func (AccessRequest) Policy() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{rule.FilterAccessRequests()},
		Mutation: privacy.MutationPolicy{
			rule.RequestAccessOnCreate(),
			rule.ManagersOfSite(rule.SiteOfAccessRequest),
		},
	}
}
