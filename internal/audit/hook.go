package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"strings"
	"time"

	"sitekeeper/ent"
	"sitekeeper/ent/accessrequest"
	"sitekeeper/ent/contact"
	"sitekeeper/ent/partner"
	"sitekeeper/ent/partnergrant"
	"sitekeeper/ent/privacy"
	"sitekeeper/ent/review"
	"sitekeeper/ent/reviewitem"
	"sitekeeper/ent/site"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/viewer"
)

// noise are columns every change touches, or that every sign-in moves (the users table and the
// sessions record sign-ins), or the reminder job's bookkeeping, which follows review_due_at; an
// audit record of them alone would only repeat them.
var noise = map[string]bool{
	"updated_at": true, "version": true, "email_key": true, "edges": true, "last_sign_in_at": true,
	"review_reminder_due_at": true, "expiry_recorded_at": true, "reminder_stage": true, "reminder_due_at": true,
}

// Hook records the mutation it wraps: the values before and after of the columns that changed.
// A change of many rows (a bulk update or delete) reads them before and after in one query each
// and writes its events in batches, so it costs a few statements, not three a row.
func Hook() ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			client := clientOf(m)
			sys := privacy.DecisionContext(ctx, privacy.Allow)
			ids, err := targetIDs(ctx, m)
			if err != nil {
				return nil, err
			}
			var before map[int]map[string]any
			if m.Op().Is(ent.OpUpdateOne | ent.OpDeleteOne) {
				before = make(map[int]map[string]any, 1)
				for _, id := range ids {
					if before[id], err = snapshotBefore(sys, client, m, id); err != nil {
						return nil, err
					}
				}
			} else if before, err = snapshots(sys, client, m.Type(), ids); err != nil {
				return nil, err
			}
			value, err := next.Mutate(ctx, m)
			if err != nil {
				return value, err
			}
			after := map[int]map[string]any{}
			switch {
			case m.Op().Is(ent.OpCreate):
				id, _ := m.(interface{ ID() (int, bool) }).ID()
				ids, before = []int{id}, map[int]map[string]any{}
				fallthrough
			case m.Op().Is(ent.OpUpdateOne):
				// The node the mutation returns is the row as written (UpdateOne reads it back).
				for _, id := range ids {
					if after[id], err = fieldsOf(value); err != nil {
						return nil, err
					}
				}
			case m.Op().Is(ent.OpUpdate):
				if after, err = snapshots(sys, client, m.Type(), ids); err != nil {
					return nil, err
				}
			}
			events := make([]*ent.AuditEventCreate, 0, len(ids))
			for _, id := range ids {
				event, err := record(sys, ctx, client, m, id, before[id], after[id])
				if err != nil {
					return nil, err
				}
				if event != nil {
					events = append(events, event)
				}
			}
			for start := 0; start < len(events); start += eventBatch {
				if err := client.AuditEvent.CreateBulk(events[start:min(start+eventBatch, len(events))]...).Exec(sys); err != nil {
					return nil, err
				}
			}
			return value, nil
		})
	}
}

// eventBatch keeps one INSERT of audit events within both dialects' limits on bound parameters.
const eventBatch = 200

func clientOf(m ent.Mutation) *ent.Client {
	return m.(interface{ Client() *ent.Client }).Client()
}

// targetIDs lists the rows an update or delete will touch, read before it runs.
func targetIDs(ctx context.Context, m ent.Mutation) ([]int, error) {
	if m.Op().Is(ent.OpCreate) {
		return nil, nil
	}
	return m.(interface {
		IDs(context.Context) ([]int, error)
	}).IDs(privacy.DecisionContext(ctx, privacy.Allow))
}

// snapshot reads a whole row as the JSON its entity marshals to. (Not client.Noder: under a
// GraphQL field it loads only the columns the query selected.)
func snapshot(ctx context.Context, client *ent.Client, typ string, id int) (map[string]any, error) {
	rows, err := snapshots(ctx, client, typ, []int{id})
	if err != nil {
		return nil, err
	}
	if rows[id] == nil {
		return nil, fmt.Errorf("audit snapshot of %s %d: %w", typ, id, &ent.NotFoundError{})
	}
	return rows[id], nil
}

// snapshots reads whole rows by id, in one query, as the JSON their entities marshal to.
func snapshots(ctx context.Context, client *ent.Client, typ string, ids []int) (map[int]map[string]any, error) {
	out := make(map[int]map[string]any, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var nodes []any
	var err error
	collect := func(rows any, e error) {
		err = e
		v := reflect.ValueOf(rows)
		for i := 0; e == nil && i < v.Len(); i++ {
			nodes = append(nodes, v.Index(i).Interface())
		}
	}
	switch typ {
	case ent.TypeSite:
		collect(client.Site.Query().Where(site.IDIn(ids...)).All(ctx))
	case ent.TypeContact:
		collect(client.Contact.Query().Where(contact.IDIn(ids...)).All(ctx))
	case ent.TypeAccessRequest:
		collect(client.AccessRequest.Query().Where(accessrequest.IDIn(ids...)).All(ctx))
	case ent.TypePartner:
		collect(client.Partner.Query().Where(partner.IDIn(ids...)).All(ctx))
	case ent.TypePartnerGrant:
		collect(client.PartnerGrant.Query().Where(partnergrant.IDIn(ids...)).All(ctx))
	case ent.TypeReview:
		collect(client.Review.Query().Where(review.IDIn(ids...)).All(ctx))
	case ent.TypeReviewItem:
		collect(client.ReviewItem.Query().Where(reviewitem.IDIn(ids...)).All(ctx))
	default:
		err = fmt.Errorf("no audit snapshot for %s", typ)
	}
	if err != nil {
		return nil, fmt.Errorf("audit snapshot of %d %s rows: %w", len(ids), typ, err)
	}
	for _, node := range nodes {
		fields, err := fieldsOf(node)
		if err != nil {
			return nil, err
		}
		id, _ := fields["id"].(float64)
		out[int(id)] = fields
	}
	return out, nil
}

// snapshotBefore is the row a mutation starts from. For one row changed by id it is the row the
// mutation read for its Old field getters (and the privacy rules), not another read.
func snapshotBefore(ctx context.Context, client *ent.Client, m ent.Mutation, id int) (map[string]any, error) {
	if !m.Op().Is(ent.OpUpdateOne | ent.OpDeleteOne) {
		return snapshot(ctx, client, m.Type(), id)
	}
	var node any
	var err error
	switch m := m.(type) {
	case *ent.SiteMutation:
		node, err = m.OldNode(ctx)
	case *ent.ContactMutation:
		node, err = m.OldNode(ctx)
	case *ent.AccessRequestMutation:
		node, err = m.OldNode(ctx)
	case *ent.PartnerMutation:
		node, err = m.OldNode(ctx)
	case *ent.PartnerGrantMutation:
		node, err = m.OldNode(ctx)
	case *ent.ReviewItemMutation:
		node, err = m.OldNode(ctx)
	default:
		return snapshot(ctx, client, m.Type(), id)
	}
	if err != nil {
		return nil, fmt.Errorf("audit snapshot of %d: %w", id, err)
	}
	return fieldsOf(node)
}

// fieldsOf is a node as the JSON its entity marshals to.
func fieldsOf(node any) (map[string]any, error) {
	raw, err := json.Marshal(node)
	if err != nil {
		return nil, err
	}
	var fields map[string]any
	err = json.Unmarshal(raw, &fields)
	return fields, err
}

// changed keeps the columns whose values differ, on both sides (an empty optional column is
// absent from an entity's JSON: it shows as null); a created or deleted row keeps all of them.
func changed(before, after map[string]any) (map[string]any, map[string]any) {
	b, a := map[string]any{}, map[string]any{}
	switch {
	case before == nil:
		maps.Copy(a, after)
	case after == nil:
		maps.Copy(b, before)
	default:
		for _, fields := range []map[string]any{before, after} {
			for k := range fields {
				if !reflect.DeepEqual(before[k], after[k]) {
					b[k], a[k] = before[k], after[k]
				}
			}
		}
	}
	for k := range noise {
		delete(b, k)
		delete(a, k)
	}
	return b, a
}

// labelOf names the target as people do: a contact or an access request by the person's name,
// a Site by number and name, a partner by name, a grant by its partner. fields are the whole row
// after the change (before it, for a deletion).
func labelOf(sys context.Context, client *ent.Client, typ string, fields ...map[string]any) string {
	str := func(f map[string]any, k string) string { s, _ := f[k].(string); return s }
	for _, f := range fields {
		if f == nil {
			continue
		}
		switch typ {
		case ent.TypeContact:
			return strings.TrimSpace(str(f, "first_name") + " " + str(f, "last_name"))
		case ent.TypeSite:
			return strings.TrimSpace(str(f, "number") + " " + str(f, "name"))
		case ent.TypePartner:
			return str(f, "name")
		case ent.TypeAccessRequest:
			who := str(f, "name")
			if who == "" {
				who = str(f, "email")
			}
			return who
		case ent.TypeReviewItem:
			if snap, ok := f["snapshot"].(map[string]any); ok {
				return strings.TrimSpace(str(snap, "firstName") + " " + str(snap, "lastName"))
			}
		case ent.TypeReview:
			return "access review started " + str(f, "started_at")[:min(10, len(str(f, "started_at")))]
		case ent.TypePartnerGrant:
			if id, ok := f["partner_id"].(float64); ok {
				if p, err := client.Partner.Get(sys, int(id)); err == nil {
					return p.Name
				}
			}
		}
	}
	return ""
}

// record builds the event of one row's change, or nil when nothing worth recording changed.
func record(sys, ctx context.Context, client *ent.Client, m ent.Mutation, id int, before, after map[string]any) (*ent.AuditEventCreate, error) {
	b, a := changed(before, after)
	if len(b) == 0 && len(a) == 0 {
		return nil, nil
	}
	if reason, ok := ctx.Value(reasonKey{}).(string); ok {
		a["reason"] = reason
	}
	if reviewID, ok := ctx.Value(reviewKey{}).(int); ok {
		a["review"] = reviewID
	}
	action, ok := ctx.Value(actionKey{}).(string)
	if !ok {
		action = fmt.Sprintf("%s %s", opName(m.Op()), m.Type())
	}
	v := viewer.FromContext(ctx)
	kind, actor := actorOf(v)
	req := RequestFrom(ctx)
	create := client.AuditEvent.Create().
		SetActorKind(kind).SetActor(actor).
		SetAction(action).SetTargetType(m.Type()).SetTargetID(id).SetTargetLabel(labelOf(sys, client, m.Type(), after, before)).
		SetRequestID(req.ID).SetClientAddress(req.ClientAddress).
		SetNillableSiteID(siteOf(m.Type(), id, before, after))
	if v.UserID != 0 {
		create.SetActorUserID(v.UserID)
	}
	feed, partnerID := feedOf(m, b, a, before, after)
	if feed == domain.FeedAccessRevoked {
		// Revoking one of two active grants leaves the Site in the partner's view.
		held, err := StillGranted(sys, client, *siteOf(m.Type(), id, before, after), *partnerID, id, time.Now())
		if err != nil {
			return nil, err
		}
		if held {
			feed = ""
		}
	}
	if feed != "" {
		create.SetFeed(feed).SetNillableFeedPartnerID(partnerID)
	}
	if len(b) > 0 {
		create.SetBefore(b)
	}
	if len(a) > 0 {
		create.SetAfter(a)
	}
	return create, nil
}

// siteOf finds the Site a row belongs to, so the Site's audit log shows the change.
func siteOf(typ string, id int, before, after map[string]any) *int {
	if typ == ent.TypeSite {
		return &id
	}
	for _, fields := range []map[string]any{after, before} {
		if n, ok := fields["site_id"].(float64); ok {
			site := int(n)
			return &site
		}
	}
	return nil
}

func actorOf(v *viewer.Viewer) (domain.ActorKind, string) {
	switch {
	case v.System:
		return domain.ActorSystem, "system"
	case v.IsPartner():
		return domain.ActorPartner, v.PartnerName
	case v.Operator:
		return domain.ActorOperator, v.Email
	}
	return domain.ActorUser, v.Email
}

func opName(op ent.Op) string {
	switch {
	case op.Is(ent.OpCreate):
		return "create"
	case op.Is(ent.OpDelete | ent.OpDeleteOne):
		return "delete"
	}
	return "update"
}

// feedOf tells whether a change goes to the partner change feed, and as what: contacts added,
// removed, or changed in what partners read (role, privileges, types, status); grants given and
// revoked, with the partner they concern. b and a are the changed columns, before and after the
// whole rows.
func feedOf(m ent.Mutation, b, a, before, after map[string]any) (domain.RoleChangeKind, *int) {
	switch m.Type() {
	case ent.TypeContact:
		switch {
		case before == nil:
			return domain.FeedContactAdded, nil
		case after == nil:
			return domain.FeedContactRemoved, nil
		case len(RoleFieldsChanged(b, a)) > 0:
			return domain.FeedContactChanged, nil
		}
	case ent.TypePartnerGrant:
		var partnerID *int
		for _, row := range []map[string]any{after, before} {
			if id, ok := row["partner_id"].(float64); ok {
				partnerID = new(int(id))
				break
			}
		}
		switch {
		case before == nil:
			return domain.FeedAccessGranted, partnerID
		case a["revoked_at"] != nil:
			return domain.FeedAccessRevoked, partnerID
		}
	}
	return "", nil
}

// StillGranted reports whether the partner holds an active grant on the Site other than grantID.
func StillGranted(sys context.Context, client *ent.Client, siteID, partnerID, grantID int, now time.Time) (bool, error) {
	return client.PartnerGrant.Query().Where(
		partnergrant.SiteID(siteID), partnergrant.PartnerID(partnerID), partnergrant.IDNEQ(grantID),
		partnergrant.RevokedAtIsNil(), partnergrant.ExpiresAtGT(now),
	).Exist(sys)
}

// RoleFieldsChanged lists what partners read that a change of a contact touched, given its
// changed columns before and after.
func RoleFieldsChanged(b, a map[string]any) []domain.RoleField {
	var fields []domain.RoleField
	for _, rc := range domain.RoleColumns {
		for _, col := range rc.Columns {
			_, inBefore := b[col]
			_, inAfter := a[col]
			if inBefore || inAfter {
				fields = append(fields, rc.Field)
				break
			}
		}
	}
	return fields
}
