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
)

// User is a signed-in identity: an OIDC issuer and subject.
type User struct{ ent.Schema }

func (User) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}} }

func (User) Fields() []ent.Field {
	return []ent.Field{
		field.String("issuer").Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("subject").Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("email").Optional(),
		field.Bool("email_verified").Default(false),
		field.String("name").Optional(),
		field.Time("last_sign_in_at").Optional().Nillable(),
	}
}

func (User) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("contacts", Contact.Type).Annotations(entgql.Skip(entgql.SkipAll)),
		edge.To("access_requests", AccessRequest.Type).Annotations(entgql.Skip(entgql.SkipAll)),
		edge.To("sessions", Session.Type).Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

// Annotations: nobody filters identities; a person reads their own through viewer.
func (User) Annotations() []schema.Annotation { return []schema.Annotation{notFilterable} }

func (User) Indexes() []ent.Index {
	return []ent.Index{index.Fields("issuer", "subject").Unique()}
}

func (User) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{rule.FilterUsers()},
		Mutation: privacy.MutationPolicy{rule.SystemOnly()},
	}
}
