package schema

import (
	"sitekeeper/ent/privacy"
	"sitekeeper/internal/review"
	"sitekeeper/internal/rule"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"sitekeeper/internal/audit"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/invariant"
)

// Contact is one person on one Site.
type Contact struct{ ent.Schema }

func (Contact) Mixin() []ent.Mixin { return []ent.Mixin{TimeMixin{}, VersionMixin{}, AuditMixin{}} }

// Free-text details are never filters: the where-input's search covers names and email, and a
// filter on a detail a reader may not see (a partner and the phone) would tell it one prefix at
// a time.

// detail is a required free-text contact detail: the empty string is refused.
func detail(name string, maxLen int, ants ...schema.Annotation) ent.Field {
	return field.String(name).NotEmpty().MaxLen(maxLen).Validate(plainText).Annotations(append(ants, notFilterable)...)
}

// requested is a detail the API requires on every save, but that a contact created from an
// access request may still lack until the person completes their record.
func requested(name string, maxLen int, ants ...schema.Annotation) ent.Field {
	return field.String(name).Default("").MaxLen(maxLen).Validate(plainText).Annotations(append(ants, notFilterable)...)
}

// optionalDetail is a free-text contact detail that may be left out.
func optionalDetail(name string, maxLen int, ants ...schema.Annotation) ent.Field {
	return field.String(name).Optional().MaxLen(maxLen).Validate(plainText).Annotations(append(ants, notFilterable)...)
}

// partnersCannotSee marks the details a partner never reads (phone, address, justification).
var partnersCannotSee = entgql.Directives(entgql.NewDirective("contactDetails"))

// privilege is one privilege column: filterable, never set through the generic inputs.
func privilege(name string, goType field.EnumValues, gqlType string) ent.Field {
	return field.Enum(name).GoType(goType).Default("NONE").
		Annotations(entgql.Type(gqlType), entgql.Skip(entgql.SkipType, entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput))
}

func (Contact) Fields() []ent.Field {
	return []ent.Field{
		field.Int("site_id").Immutable().Annotations(entgql.Skip(entgql.SkipAll)),
		field.String("email").NotEmpty().MaxLen(254).Validate(validEmail).
			Annotations(entgql.OrderField("EMAIL"), notFilterable),
		field.String("email_key").
			Comment("Lower-cased email, kept by a hook; (site_id, email_key) is unique.").
			Annotations(entgql.Skip(entgql.SkipAll)),
		detail("first_name", 100, entgql.OrderField("FIRST_NAME")),
		detail("last_name", 100, entgql.OrderField("LAST_NAME")),
		requested("phone", 40, partnersCannotSee),
		requested("city", 100, partnersCannotSee),
		requested("state_province", 100, partnersCannotSee),
		requested("postal_code", 20, partnersCannotSee),
		optionalDetail("street", 200, partnersCannotSee),
		field.String("country").Optional().Validate(validCountry).Annotations(partnersCannotSee, notFilterable),
		optionalDetail("job_title", 100),
		field.String("language").Optional().MaxLen(35).Validate(validLanguage).Annotations(notFilterable),
		detail("business_justification", 1000, partnersCannotSee),
		field.Enum("access_role").GoType(domain.AccessRole("")).
			Annotations(noInput, entgql.Type("AccessRole"), entgql.OrderField("ACCESS_ROLE")),
		privilege("software_access", domain.SoftwareAccessLevel(""), "SoftwareAccessLevel"),
		privilege("reporting", domain.ViewLevel(""), "ViewLevel"),
		privilege("entitlements", domain.UpdateLevel(""), "UpdateLevel"),
		privilege("manage_access", domain.UpdateLevel(""), "UpdateLevel"),
		privilege("contact_updates", domain.UpdateLevel(""), "UpdateLevel"),
		privilege("account_documents", domain.ViewLevel(""), "ViewLevel"),
		field.Strings("contact_types").Optional().
			Comment("Communication types held besides PRIMARY, which follows the access role.").
			Annotations(entgql.Skip(entgql.SkipAll)),
		field.Enum("status").GoType(domain.ContactStatus("")).Default(string(domain.StatusInvited)).
			Annotations(noInput, entgql.Type("ContactStatus"), entgql.OrderField("STATUS")),
		field.String("invited_by").Optional().Annotations(noInput, notFilterable),
		field.Time("invitation_expires_at").Optional().Nillable().Annotations(noInput),
		field.Time("last_sign_in_at").Optional().Nillable().
			Annotations(noInput, entgql.OrderField("LAST_SIGN_IN_AT")),
		field.Int("user_id").Optional().Nillable().
			Comment("The identity linked at first sign-in with the verified email.").
			Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

func (Contact) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("site", Site.Type).Ref("contacts").Field("site_id").Unique().Required().Immutable().
			Annotations(entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput, entgql.SkipWhereInput)),
		edge.From("user", User.Type).Ref("contacts").Field("user_id").Unique().
			Annotations(entgql.Skip(entgql.SkipAll)),
	}
}

func (Contact) Indexes() []ent.Index {
	return []ent.Index{
		index.Fields("site_id", "email_key").Unique(),
		// At most one PRIMARY per Site, whatever runs concurrently.
		index.Fields("site_id").Unique().StorageKey("contact_one_primary_per_site").
			Annotations(entsql.IndexWhere("access_role = 'PRIMARY'")),
		index.Fields("site_id", "access_role"),
		index.Fields("user_id"),
	}
}

func (Contact) Annotations() []schema.Annotation {
	return []schema.Annotation{
		entgql.RelayConnection(),
		entgql.Mutations(entgql.MutationUpdate()),
		// The PRIMARY is always ACTIVE.
		entsql.Checks(map[string]string{"contact_primary_active": "access_role <> 'PRIMARY' OR status = 'ACTIVE'"}),
	}
}

func (Contact) Policy() ent.Policy {
	return privacy.Policy{
		Query:    privacy.QueryPolicy{rule.FilterContacts()},
		Mutation: privacy.MutationPolicy{rule.ContactMutations()},
	}
}

func (Contact) Hooks() []ent.Hook {
	return []ent.Hook{rule.ForgetChangedContacts(), invariant.ContactRoster(), review.JoinOpenReview()}
}

func (Contact) Interceptors() []ent.Interceptor {
	return []ent.Interceptor{rule.RedactForPartners(), audit.RecordReads()}
}
