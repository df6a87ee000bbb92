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
	"sitekeeper/internal/rule"
)

// Session is a browser sign-in. The cookie holds a random id; only its hash is stored, so a
// copy of the database does not hand out sessions.
type Session struct{ ent.Schema }

func (Session) Fields() []ent.Field {
	return []ent.Field{
		field.String("token_hash").Unique().Immutable().Sensitive(),
		field.Int("user_id").Immutable(),
		field.Bool("operator").Default(false).Immutable().
			Comment("The operator group was in the ID token at sign-in."),
		field.Time("created_at").Default(time.Now).Immutable(),
		field.Time("last_seen_at").Default(time.Now),
		field.Time("expires_at").Immutable().Comment("Absolute end, whatever the activity."),
	}
}

func (Session) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("user", User.Type).Ref("sessions").Field("user_id").Unique().Required().Immutable(),
	}
}

func (Session) Indexes() []ent.Index {
	return []ent.Index{index.Fields("expires_at"), index.Fields("last_seen_at")}
}

func (Session) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

func (Session) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{rule.SystemOnlyQuery()},
		Mutation: privacy.MutationPolicy{rule.SystemOnly()},
	}
}

// LoginState is a sign-in in progress: what the callback must find to accept the provider's
// answer. It is deleted when used, so a replayed callback finds nothing.
type LoginState struct{ ent.Schema }

func (LoginState) Fields() []ent.Field {
	return []ent.Field{
		field.String("state").Unique().Immutable().Sensitive(),
		field.String("nonce").Immutable().Sensitive(),
		field.String("code_verifier").Immutable().Sensitive(),
		field.String("return_to").Immutable(),
		field.Time("created_at").Default(time.Now).Immutable(),
		field.Time("expires_at").Immutable(),
	}
}

func (LoginState) Indexes() []ent.Index {
	return []ent.Index{index.Fields("expires_at")}
}

func (LoginState) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.Skip(entgql.SkipAll)}
}

func (LoginState) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{rule.SystemOnlyQuery()},
		Mutation: privacy.MutationPolicy{rule.SystemOnly()},
	}
}
