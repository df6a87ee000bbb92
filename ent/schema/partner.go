package schema

import (
	"sitekeeper/ent/privacy"
	"sitekeeper/internal/rule"

	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"
)

// Partner is a reseller whose client-credentials tokens carry ClientID as their subject.
type Partner struct{ ent.Schema }

func (Partner) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}, AuditMixin{}} }

func (Partner) Fields() []ent.Field {
	return []ent.Field{
		field.String("name").NotEmpty().MaxLen(200).Validate(plainText).Annotations(entgql.OrderField("NAME")),
		// Exposed as clientId by graph/partner.graphqls, the spelling the pinned input uses.
		field.String("client_id").Unique().NotEmpty().MaxLen(200).Validate(plainText).
			Annotations(entgql.Skip(entgql.SkipType), notFilterable),
	}
}

func (Partner) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("grants", PartnerGrant.Type).Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

func (Partner) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection(), entgql.QueryField().Directives(signedIn)}
}

// PartnerGrant gives one Partner read access to one Site's contact roles until it expires.
type PartnerGrant struct{ ent.Schema }

func (PartnerGrant) Fields() []ent.Field {
	return []ent.Field{
		field.Int("site_id").Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.Int("partner_id").Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.Time("created_at").Default(time.Now).Immutable(),
		field.String("granted_by").Immutable().Annotations(notFilterable),
		field.Time("expires_at").Immutable(),
		field.Time("revoked_at").Optional().Nillable(),
		field.String("revoked_by").Optional().Annotations(notFilterable),
		field.Time("expiry_recorded_at").Optional().Nillable().Annotations(entgql.Skip(entgql.SkipAll)).
			Comment("Bookkeeping: when the grant's expiry was written to the audit log (and the partner feed)."),
	}
}

func (PartnerGrant) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("site", Site.Type).Ref("partner_grants").Field("site_id").Unique().Required().Immutable(),
		edge.From("partner", Partner.Type).Ref("grants").Field("partner_id").Unique().Required().Immutable(),
	}
}

func (PartnerGrant) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("partner_id", "site_id"),
		// The expiry job reads only the grants that ran out and are not yet recorded.
		index.Fields("expires_at").Annotations(entsql.IndexWhere("revoked_at IS NULL AND expiry_recorded_at IS NULL")),
	}
}

func (PartnerGrant) Annotations() []schema.Annotation {
	return []schema.Annotation{entgql.RelayConnection()}
}

func (Partner) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{rule.FilterPartners()},
		Mutation: privacy.MutationPolicy{rule.OperatorsOnly()},
	}
}

func (PartnerGrant) Mixin() []ent.Mixin { return []ent.Mixin{AuditMixin{}} }

func (PartnerGrant) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{rule.FilterPartnerGrants()},
		Mutation: privacy.MutationPolicy{rule.ManagersOfSite(rule.SiteOfPartnerGrant)},
	}
}
