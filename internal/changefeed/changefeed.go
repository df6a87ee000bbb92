// Package changefeed serves contactRoleChanges: the changes to the contact roles of the Sites a
// partner may read, and the grants and revocations that bring Sites into and out of its view, in
// one stream that a partner follows with a cursor instead of re-reading every Site.
//
// The stream is the audit log's rows marked by the audit hook (audit_events.feed), in commit
// order: on SQLite one writer commits at a time, in id order; on PostgreSQL ids are taken before
// commit, so the stream is ordered by the writing transaction (xact) and stops before the oldest
// transaction still open. Either way a page, once read, never gains rows before its end.
package changefeed

import (
	"context"
	"fmt"
	"time"

	"entgo.io/contrib/entgql"
	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"sitekeeper/ent"
	"sitekeeper/ent/auditevent"
	"sitekeeper/ent/contact"
	"sitekeeper/ent/site"
	"sitekeeper/internal/audit"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/rule"
	"sitekeeper/internal/viewer"
)

// Change is one entry of the stream.
type Change struct {
	At   time.Time
	Kind domain.RoleChangeKind
	// Site is the Site changed, or granted or revoked.
	Site *ent.Site
	// ContactID names the contact changed; nil for grants and revocations.
	ContactID *int
	// Contact is that contact as it is now, as the reader may see it: nil once removed, or when
	// the Site has left the reader's view since.
	Contact *ent.Contact
	// Changed lists what changed, for CONTACT_CHANGED.
	Changed []domain.RoleField
}

// Edge and Connection are the stream's Relay page.
type Edge struct {
	Node   *Change
	Cursor entgql.Cursor[int]
}

type Connection struct {
	Edges    []*Edge
	PageInfo entgql.PageInfo[int]
}

// Read returns up to first changes after the cursor that the viewer may follow
// (rule.FeedFollowedBy). It costs at most four statements whatever the page: the changes, their
// Sites (and those out of view), their contacts, and for a partner the access events.
func Read(ctx context.Context, client *ent.Client, after *entgql.Cursor[int], first int) (*Connection, error) {
	// first is within 1..100: the handler's page limit checks every connection's page size.
	follows := rule.FeedFollowedBy(viewer.FromContext(ctx))
	sys := rule.Unrestricted(ctx)
	events, err := client.AuditEvent.Query().
		Where(auditevent.FeedNotNil(), func(s *sql.Selector) {
			if after != nil {
				s.Where(afterCursor(s, after))
			}
			if client.Dialect() == dialect.Postgres {
				// Rows of transactions still open may yet commit with a smaller xact: stop before them.
				s.Where(sql.P(func(b *sql.Builder) {
					b.Ident(s.C(auditevent.FieldXact)).WriteString(" < pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
				}))
			}
			follows(s)
		}).
		Order(ent.Asc(auditevent.FieldXact), ent.Asc(auditevent.FieldID)).
		Limit(first + 1).
		All(sys)
	if err != nil {
		return nil, err
	}
	conn := &Connection{}
	if len(events) > first {
		events, conn.PageInfo.HasNextPage = events[:first], true
	}
	changes, err := load(ctx, client, events)
	if err != nil {
		return nil, err
	}
	for i, e := range events {
		conn.Edges = append(conn.Edges, &Edge{Node: changes[i], Cursor: entgql.Cursor[int]{ID: e.ID, Value: e.Xact}})
	}
	if n := len(conn.Edges); n > 0 {
		conn.PageInfo.StartCursor, conn.PageInfo.EndCursor = &conn.Edges[0].Cursor, &conn.Edges[n-1].Cursor
	}
	conn.PageInfo.HasPreviousPage = after != nil
	return conn, nil
}

// afterCursor keeps the rows after (xact, id) of the cursor, as a row-value comparison that
// both dialects answer from the index on (xact, id).
func afterCursor(s *sql.Selector, c *entgql.Cursor[int]) *sql.Predicate {
	return sql.P(func(b *sql.Builder) {
		b.WriteString("("+s.C(auditevent.FieldXact)+", "+s.C(auditevent.FieldID)+") > (").
			Args(cursorXact(c), c.ID).WriteString(")")
	})
}

// cursorXact reads the cursor's transaction, which JSON decoding may have made a float.
func cursorXact(c *entgql.Cursor[int]) int64 {
	switch x := c.Value.(type) {
	case int64:
		return x
	case float64:
		return int64(x)
	case int:
		return int64(x)
	}
	return 0
}

// load turns the page's audit events into changes, with their Sites and contacts in one query
// each, as the reader (privacy, field limits, recorded partner reads). A Site the reader no
// longer sees is loaded all the same, since a revocation must name the Site it took away, and
// marked so that only its identity is served (IdentityOnly).
func load(ctx context.Context, client *ent.Client, events []*ent.AuditEvent) ([]*Change, error) {
	var siteIDs, contactIDs []int
	for _, e := range events {
		siteIDs = append(siteIDs, *e.SiteID)
		if e.TargetType == ent.TypeContact && *e.Feed != domain.FeedContactRemoved {
			contactIDs = append(contactIDs, e.TargetID)
		}
	}
	sites, err := client.Site.Query().Where(site.IDIn(unique(siteIDs)...)).All(ctx)
	if err != nil {
		return nil, err
	}
	if gone := missing(unique(siteIDs), sites); len(gone) > 0 {
		if !markOutOfView(ctx, gone) {
			return nil, fmt.Errorf("changefeed: Sites out of view and no way to serve only their identity")
		}
		more, err := client.Site.Query().Where(site.IDIn(gone...)).All(rule.Unrestricted(ctx))
		if err != nil {
			return nil, err
		}
		sites = append(sites, more...)
	}
	contacts, err := client.Contact.Query().Where(contact.IDIn(unique(contactIDs)...)).All(ctx)
	if err != nil {
		return nil, err
	}
	sitesByID, contactsByID := byID(sites, func(s *ent.Site) int { return s.ID }), byID(contacts, func(c *ent.Contact) int { return c.ID })
	out := make([]*Change, len(events))
	for i, e := range events {
		c := &Change{At: e.CreatedAt, Kind: *e.Feed, Site: sitesByID[*e.SiteID]}
		if e.TargetType == ent.TypeContact {
			c.ContactID = &e.TargetID
			c.Contact = contactsByID[e.TargetID]
			if c.Kind == domain.FeedContactChanged {
				c.Changed = audit.RoleFieldsChanged(e.Before, e.After)
			}
		}
		// Reading the stream reads the Site's contact roles: a partner's read is recorded.
		audit.ReadSite(ctx, *e.SiteID)
		out[i] = c
	}
	return out, nil
}

// missing lists the ids of no loaded Site.
func missing(ids []int, sites []*ent.Site) []int {
	loaded := byID(sites, func(s *ent.Site) int { return s.ID })
	var out []int
	for _, id := range ids {
		if loaded[id] == nil {
			out = append(out, id)
		}
	}
	return out
}

func unique(ids []int) []int {
	seen := make(map[int]bool, len(ids))
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func byID[T any](rows []T, id func(T) int) map[int]T {
	m := make(map[int]T, len(rows))
	for _, r := range rows {
		m[id(r)] = r
	}
	return m
}
