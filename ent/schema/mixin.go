package schema

import (
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/mixin"
	"github.com/vektah/gqlparser/v2/ast"

	"sitekeeper/ent/hook"
	"sitekeeper/internal/audit"
	"sitekeeper/internal/invariant"
)

// noInput keeps a field out of the generated create and update inputs: it changes only through
// its own mutation or a hook.
var noInput = entgql.Skip(entgql.SkipMutationCreateInput, entgql.SkipMutationUpdateInput)

// notFilterable keeps a field out of the generated where-input. A filter is a read: a caller
// may filter only on what it may read (SPEC section 3), so the where-inputs offer the few fields
// every reader of the type may read. Edge predicates (has...With) are dropped for every type by
// ent/entc.go: their subqueries would run past the privacy rules of the rows they reach.
var notFilterable = entgql.Skip(entgql.SkipWhereInput)

// signedIn and can attach the directives of graph/directives.graphqls to generated fields.
var signedIn = entgql.NewDirective("signedIn")

func can(action string) entgql.Annotation {
	return entgql.Directives(entgql.NewDirective("can", &ast.Argument{
		Name: "action", Value: &ast.Value{Raw: action, Kind: ast.EnumValue},
	}))
}

// TimeMixin records when a row was created and last changed.
type TimeMixin struct {
	mixin.Schema
	// Extra annotates both fields for the schema that uses the mixin.
	Extra []schema.Annotation
}

func (m TimeMixin) Fields() []ent.Field {
	return []ent.Field{
		field.Time("created_at").Default(time.Now).Immutable().
			Annotations(append([]schema.Annotation{noInput, entgql.OrderField("CREATED_AT")}, m.Extra...)...),
		field.Time("updated_at").Default(time.Now).UpdateDefault(time.Now).
			Annotations(append([]schema.Annotation{noInput, entgql.OrderField("UPDATED_AT")}, m.Extra...)...),
	}
}

// AuditMixin records every change of the schema's rows in the audit log.
type AuditMixin struct{ mixin.Schema }

func (AuditMixin) Hooks() []ent.Hook { return []ent.Hook{audit.Hook()} }

// VersionMixin adds the optimistic-concurrency counter that every update increments.
type VersionMixin struct {
	mixin.Schema
	// Extra annotates the field for the schema that uses the mixin.
	Extra []schema.Annotation
}

func (m VersionMixin) Fields() []ent.Field {
	return []ent.Field{
		field.Int("version").Default(1).
			Comment("Incremented by every change; mutations that take expectedVersion compare it.").
			Annotations(append([]schema.Annotation{noInput, entgql.Skip(entgql.SkipWhereInput)}, m.Extra...)...),
	}
}

func (VersionMixin) Hooks() []ent.Hook { return []ent.Hook{invariant.BumpVersion()} }

// auditUpdates records every change of the schema's rows but their creation, which the change
// that creates them records (a review's start creates its items).
func auditUpdates() ent.Hook { return hook.Unless(audit.Hook(), ent.OpCreate) }
