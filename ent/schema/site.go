package schema

import (
	gen "sitekeeper/ent"
	"sitekeeper/ent/privacy"
	"sitekeeper/internal/rule"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"sitekeeper/internal/audit"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/invariant"
)

// Site is a customer site on the licensing portal.
type Site struct{ ent.Schema }

func (Site) Mixin() []ent.Mixin {
	return []ent.Mixin{TimeMixin{Extra: []schema.Annotation{siteDetail}}, VersionMixin{Extra: []schema.Annotation{siteDetail}}, AuditMixin{}}
}

// siteDetail marks what a Site shows beyond its identity (id, number, name): the change feed
// names Sites that have left a partner's view, and of those gives the identity only.
var siteDetail = entgql.Directives(entgql.NewDirective("siteDetail"))

func (Site) Fields() []ent.Field {
	return []ent.Field{
		field.String("number").Unique().Immutable().Match(siteNumberPattern).
			Comment("The 7-digit site number customers quote.").
			Annotations(entgql.OrderField("NUMBER")),
		field.String("name").NotEmpty().MaxLen(200).Annotations(entgql.OrderField("NAME")),
		field.String("customer_number").NotEmpty().MaxLen(64).Annotations(notFilterable, siteDetail),
		field.Enum("program").GoType(domain.Program("")).Default(string(domain.ProgramStandard)).
			Annotations(entgql.Type("Program"), siteDetail),
		field.String("street").Optional().MaxLen(200).Annotations(notFilterable, siteDetail),
		field.String("city").Optional().MaxLen(100).Annotations(notFilterable, siteDetail),
		field.String("state_province").Optional().MaxLen(100).Annotations(notFilterable, siteDetail),
		field.String("postal_code").Optional().MaxLen(20).Annotations(notFilterable, siteDetail),
		field.String("country").Optional().Validate(validCountry).Annotations(notFilterable, siteDetail),
		field.Enum("status").GoType(domain.SiteStatus("")).Default(string(domain.SiteActive)).
			Annotations(entgql.Type("SiteStatus"), siteDetail),
		field.Int("review_interval_days").Default(30).Range(1, 366).Annotations(notFilterable, siteDetail),
		field.Time("last_reviewed_at").Optional().Nillable().Annotations(siteDetail),
		field.String("last_reviewed_by").Optional().Comment("Who marked the Site reviewed last.").Annotations(notFilterable, siteDetail),
		field.Time("review_due_at").
			Comment("Derived by a hook: last review (or creation) plus the review interval.").
			Annotations(noInput, entgql.OrderField("REVIEW_DUE_AT"), siteDetail),
		field.Time("review_reminder_due_at").Optional().Nillable().
			Comment("When the overdue reminder for the current due date falls due: set with review_due_at (in UTC), " +
				"cleared once the reminder is written, so the reminder job reads only what is due.").
			Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

func (Site) Indexes() []ent.Index {
	return []ent.Index{index.Fields("review_reminder_due_at")}
}

func (Site) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("contacts", Contact.Type).Annotations(entgql.RelayConnection(), noInput, can("READ_CONTACT_ROLES")),
		edge.To("access_requests", AccessRequest.Type).Annotations(entgql.RelayConnection(), noInput, can("VIEW_SITE_ADMINISTRATION")),
		edge.To("partner_grants", PartnerGrant.Type).Annotations(entgql.RelayConnection(), noInput, can("VIEW_SITE_ADMINISTRATION")),
		edge.To("notifications", Notification.Type).Annotations(entgql.Skip(entgql.SkipAll)),
		edge.To("audit_events", AuditEvent.Type).Annotations(entgql.RelayConnection(), noInput, can("READ_AUDIT")),
		edge.To("reviews", Review.Type).Annotations(entgql.RelayConnection(), noInput, can("READ_REVIEWS")),
	}
}

func (Site) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.QueryField().Directives(signedIn),
	}
}

func (Site) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{rule.FilterSites()},
		Mutation: privacy.MutationPolicy{rule.SiteMutations()},
	}
}

func (Site) Hooks() []ent.Hook { return []ent.Hook{invariant.ReviewDue()} }

// Interceptors: a page of a Site's contacts takes each contact's Site from the page's parent;
// a partner's reads are noted for the access log, and the Sites it loads as granted.
func (Site) Interceptors() []ent.Interceptor {
	return []ent.Interceptor{gen.ContactSiteFromParent(), audit.RecordReads(), rule.NoteGrantedSites()}
}
