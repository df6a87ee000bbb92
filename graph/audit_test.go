package graph_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"net"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"

	"sitekeeper/ent/auditevent"
	"sitekeeper/ent/privacy"
	"sitekeeper/internal/testkit/apitest"
	"sitekeeper/internal/viewer"
)

type auditRow struct {
	ID                                  int
	ActorKind, Actor, Action, TargetTyp string
	TargetID                            int
	SiteID                              sql.NullInt64
	Before, After                       map[string]any
	Reason, RequestID, ClientAddress    string
}

// auditEvents reads audit events with plain SQL, so no privacy rule hides any.
func auditEvents(t *testing.T, e *apitest.Env, where string, args ...any) []auditRow {
	t.Helper()
	rows, err := e.Query(`SELECT id, actor_kind, actor, action, target_type, target_id, site_id, before, after,
		coalesce(reason,''), coalesce(request_id,''), coalesce(client_address,'') FROM audit_events WHERE `+where+` ORDER BY id`, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []auditRow
	for rows.Next() {
		var r auditRow
		var before, after sql.NullString
		if err := rows.Scan(&r.ID, &r.ActorKind, &r.Actor, &r.Action, &r.TargetTyp, &r.TargetID, &r.SiteID, &before, &after,
			&r.Reason, &r.RequestID, &r.ClientAddress); err != nil {
			t.Fatal(err)
		}
		for _, f := range []struct {
			raw sql.NullString
			dst *map[string]any
		}{{before, &r.Before}, {after, &r.After}} {
			if f.raw.Valid && f.raw.String != "" && f.raw.String != "null" {
				if err := json.Unmarshal([]byte(f.raw.String), f.dst); err != nil {
					t.Fatalf("audit event %d: %v", r.ID, err)
				}
			}
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func loopbackHost(t *testing.T, e *apitest.Env) string {
	t.Helper()
	u, err := url.Parse(e.URL)
	if err != nil {
		t.Fatal(err)
	}
	host, _, err := net.SplitHostPort(u.Host)
	if err != nil {
		t.Fatal(err)
	}
	return host
}

func TestAuditTrail(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	id := r.A.ContactID(apitest.UserB)
	v := contactState(t, e, id).Version
	const edit = `mutation($id:ID!, $v:Int!, $in:UpdateContactInput!) { updateContact(id:$id, expectedVersion:$v, input:$in) { version } }`
	all := func() []auditRow { return auditEvents(t, e, "1=1") }
	countBefore := len(all())

	// An allowed change: exactly one event, by the caller, with only the changed fields.
	outs, _ := burst(e, []call{{
		token: e.TokenFor(apitest.SecEditor), query: edit,
		vars:   map[string]any{"id": id, "v": v, "in": map[string]any{"city": "Boston", "phone": "+1 914 555 0199", "lastName": "user-b"}},
		header: map[string]string{"X-Request-Id": "audit-test-1", "X-Forwarded-For": "203.0.113.9"},
	}})
	if !outs[0].ok() {
		t.Fatalf("allowed update: %v %+v", outs[0].err, outs[0].Errors)
	}
	events := all()
	if len(events) != countBefore+1 {
		t.Fatalf("an allowed update wrote %d audit events, want 1", len(events)-countBefore)
	}
	got := events[len(events)-1]
	want := auditRow{
		ID: got.ID, ActorKind: "USER", Actor: apitest.SecEditor, Action: "updateContact", TargetTyp: "Contact", TargetID: id,
		SiteID: sql.NullInt64{Int64: int64(r.A.ID), Valid: true},
		// lastName is sent unchanged, so it is not recorded.
		Before:    map[string]any{"city": "Armonk", "phone": "+19145550100"},
		After:     map[string]any{"city": "Boston", "phone": "+19145550199"},
		RequestID: "audit-test-1", ClientAddress: loopbackHost(t, e),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("audit event\n got %+v\nwant %+v", got, want)
	}
	v++

	// A refused change and a failed one write nothing.
	before := e.Dump()
	res := e.Exec(e.TokenFor(apitest.UserA), edit, map[string]any{"id": id, "v": v, "in": map[string]any{"city": "Oslo"}})
	if res.Code() != "FORBIDDEN" {
		t.Fatalf("a USER editing another contact: %s %+v", res.Data, res.Errors)
	}
	res = e.Exec(e.TokenFor(apitest.SecEditor), edit, map[string]any{"id": id, "v": v - 1, "in": map[string]any{"city": "Oslo"}})
	if res.Code() != "CONFLICT" {
		t.Fatalf("a stale version: %s %+v", res.Data, res.Errors)
	}
	if e.Dump() != before {
		t.Fatal("a refused or failed update changed the database or wrote an audit event")
	}

	// Two updates in one mutation operation: the second fails, so the first is rolled back too.
	two := `mutation($id:ID!, $v:Int!) {
	  a: updateContact(id:$id, expectedVersion:$v, input:{city:"Paris"}) { id }
	  b: updateContact(id:$id, expectedVersion:$v, input:{city:"Rome"}) { id } }`
	res = e.Exec(e.TokenFor(apitest.SecEditor), two, map[string]any{"id": id, "v": v})
	if res.Code() != "CONFLICT" || len(res.Errors) != 1 {
		t.Fatalf("second of two updates at one version: %s %+v", res.Data, res.Errors)
	}
	if after := e.Dump(); after != before {
		t.Fatalf("a mutation operation that failed kept its first field's change:\n%s", diffLines(before, after))
	}
	// The first field alone was valid: the rollback, not a refusal, undid it.
	e.Exec(e.TokenFor(apitest.SecEditor), edit, map[string]any{"id": id, "v": v, "in": map[string]any{"city": "Paris"}}).OK()
	if n := len(auditEvents(t, e, "action='updateContact' AND target_id=?", id)); n != 2 {
		t.Fatalf("%d updateContact events for the contact, want 2", n)
	}

	t.Run("transferPrimary records both contacts", func(t *testing.T) {
		e := apitest.New(t)
		s, users := seedFreshSite(t, e, "3000006", 1, true)
		oldID, newID := s.ContactID(apitest.Primary), s.ContactID(users[0])
		e.Exec(e.TokenFor(apitest.Primary), transferMutation, map[string]any{"s": s.ID, "to": newID}).OK()
		events := auditEvents(t, e, "action='transferPrimary'")
		if len(events) != 2 {
			t.Fatalf("transferPrimary wrote %d audit events, want 2", len(events))
		}
		byTarget := map[int]auditRow{}
		for _, ev := range events {
			if ev.Actor != apitest.Primary || ev.ActorKind != "USER" || ev.TargetTyp != "Contact" || ev.SiteID.Int64 != int64(s.ID) {
				t.Errorf("event %+v", ev)
			}
			byTarget[ev.TargetID] = ev
		}
		old := byTarget[oldID]
		if !reflect.DeepEqual(old.Before, map[string]any{"access_role": "PRIMARY"}) || !reflect.DeepEqual(old.After, map[string]any{"access_role": "SECONDARY"}) {
			t.Errorf("old PRIMARY's event: %+v", old)
		}
		nu := byTarget[newID]
		wantBefore := map[string]any{"access_role": "USER", "software_access": "NONE", "reporting": "NONE", "entitlements": "NONE",
			"manage_access": "NONE", "contact_updates": "NONE", "account_documents": "NONE"}
		wantAfter := map[string]any{"access_role": "PRIMARY", "software_access": "FULL", "reporting": "VIEW", "entitlements": "UPDATE",
			"manage_access": "UPDATE", "contact_updates": "UPDATE", "account_documents": "VIEW"}
		if !reflect.DeepEqual(nu.Before, wantBefore) || !reflect.DeepEqual(nu.After, wantAfter) {
			t.Errorf("new PRIMARY's event: %+v", nu)
		}
	})

	t.Run("events cannot be changed", func(t *testing.T) {
		var schema struct {
			Schema struct {
				MutationType struct {
					Fields []struct {
						Name string
						Args []struct {
							Type struct {
								Name   *string
								OfType *struct {
									Name   *string
									OfType *struct{ Name *string }
								}
							}
						}
					}
				}
				Types []struct{ Name, Kind string }
			} `json:"__schema"`
		}
		e.Exec(e.OperatorToken(), `{ __schema { mutationType { fields { name args { type { name ofType { name ofType { name } } } } } }
		  types { name kind } } }`, nil).OK().Decode(&schema)
		if len(schema.Schema.MutationType.Fields) == 0 {
			t.Fatal("introspection listed no mutations")
		}
		for _, f := range schema.Schema.MutationType.Fields {
			if strings.Contains(strings.ToLower(f.Name), "audit") {
				t.Errorf("mutation %s touches the audit log", f.Name)
			}
			for _, a := range f.Args {
				for _, n := range []*string{a.Type.Name, typeOf(a.Type.OfType), typeOf2(a.Type.OfType)} {
					if n != nil && strings.Contains(*n, "AuditEvent") {
						t.Errorf("mutation %s takes %s", f.Name, *n)
					}
				}
			}
		}
		for _, typ := range schema.Schema.Types {
			if typ.Kind == "INPUT_OBJECT" && strings.Contains(typ.Name, "AuditEvent") && !strings.HasSuffix(typ.Name, "WhereInput") && !strings.HasSuffix(typ.Name, "Order") {
				t.Errorf("the schema has an audit event input %s", typ.Name)
			}
		}

		evID := got.ID
		before := e.Dump()
		for _, v := range []*viewer.Viewer{
			{Operator: true, UserID: 1, Email: "operator@vendor.example"},
			{UserID: 1, Email: apitest.Primary, Memberships: map[int]viewer.Membership{r.A.ID: {SiteID: r.A.ID, ContactID: r.A.ContactID(apitest.Primary), Role: "PRIMARY"}}},
		} {
			ctx := viewer.NewContext(context.Background(), v)
			u := e.Client.AuditEvent.UpdateOneID(evID)
			u.Mutation().SetActor("forged@x.example")
			if err := u.Exec(ctx); err == nil || !errors.Is(err, privacy.Deny) {
				t.Errorf("%s updated an audit event: %v", v.Email, err)
			}
			bulk := e.Client.AuditEvent.Update().Where(auditevent.ID(evID))
			bulk.Mutation().SetAfter(map[string]any{"city": "Forged"})
			if _, err := bulk.Save(ctx); err == nil || !errors.Is(err, privacy.Deny) {
				t.Errorf("%s bulk-updated an audit event: %v", v.Email, err)
			}
			if err := e.Client.AuditEvent.DeleteOneID(evID).Exec(ctx); err == nil || !errors.Is(err, privacy.Deny) {
				t.Errorf("%s deleted an audit event: %v", v.Email, err)
			}
		}
		if e.Dump() != before {
			t.Fatal("an audit event was changed")
		}
	})
}

func typeOf(t *struct {
	Name   *string
	OfType *struct{ Name *string }
}) *string {
	if t == nil {
		return nil
	}
	return t.Name
}

func typeOf2(t *struct {
	Name   *string
	OfType *struct{ Name *string }
}) *string {
	if t == nil || t.OfType == nil {
		return nil
	}
	return t.OfType.Name
}

func diffLines(a, b string) string {
	old := map[string]bool{}
	for _, l := range strings.Split(a, "\n") {
		old[l] = true
	}
	var out []string
	for _, l := range strings.Split(b, "\n") {
		if !old[l] {
			out = append(out, "+ "+l)
		}
	}
	return strings.Join(out, "\n")
}

// TestReviewAuditLeavesOutBookkeeping: marking a Site reviewed records the review and the new due
// date, not the reminder job's bookkeeping that follows the due date.
func TestReviewAuditLeavesOutBookkeeping(t *testing.T) {
	e := apitest.New(t)
	r := e.SeedRoster()
	e.Exec(e.TokenFor(apitest.Primary), `mutation($s:ID!) { markSiteReviewed(siteId:$s) { id } }`, map[string]any{"s": r.A.ID}).OK()
	events := auditEvents(t, e, "action = 'markSiteReviewed'")
	if len(events) != 1 {
		t.Fatalf("%d markSiteReviewed events, want 1", len(events))
	}
	var fields []string
	for f := range events[0].After {
		fields = append(fields, f)
	}
	slices.Sort(fields)
	if got := strings.Join(fields, ","); got != "last_reviewed_at,last_reviewed_by,review_due_at" {
		t.Fatalf("recorded fields %s", got)
	}
}
