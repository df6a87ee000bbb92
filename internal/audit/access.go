package audit

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"time"

	entgo "entgo.io/ent"
	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"sitekeeper/ent"
	"sitekeeper/ent/auditevent"
	"sitekeeper/ent/contact"
	"sitekeeper/ent/privacy"
	"sitekeeper/ent/site"
	"sitekeeper/internal/viewer"
)

// Reads records which Sites a request read, so that reads by partners leave an access event:
// a reseller's look at a customer's contacts is as much worth proving as a change.
type Reads struct {
	mu    sync.Mutex
	sites []int // in the order first read
	seen  map[int]struct{}
}

type readsKey struct{}

// WithReads starts recording reads under ctx.
func WithReads(ctx context.Context) (context.Context, *Reads) {
	r := &Reads{seen: map[int]struct{}{}}
	return context.WithValue(ctx, readsKey{}, r), r
}

// HoldReads returns ctx under which reads are held back, and a function that records those
// keep approves. A page of Sites loads one row past its end, with that Site's edges, to tell
// whether a next page exists; the caller never sees it, and the access log must not say it did.
// Without reads recorded under ctx, both are no-ops.
func HoldReads(ctx context.Context) (context.Context, func(keep func(siteID int) bool)) {
	parent, ok := ctx.Value(readsKey{}).(*Reads)
	if !ok {
		return ctx, func(func(int) bool) {}
	}
	held := &Reads{seen: map[int]struct{}{}}
	return context.WithValue(ctx, readsKey{}, held), func(keep func(int) bool) {
		held.mu.Lock()
		ids := make([]int, 0, len(held.sites))
		for _, id := range held.sites {
			if keep(id) {
				ids = append(ids, id)
			}
		}
		held.mu.Unlock()
		parent.note(ids...)
	}
}

// ReadSite notes that the request read a Site's data; a no-op when reads are not recorded.
func ReadSite(ctx context.Context, siteID int) {
	if r, ok := ctx.Value(readsKey{}).(*Reads); ok {
		r.note(siteID)
	}
}

func (r *Reads) note(siteIDs ...int) { noteEach(r, siteIDs, func(id int) int { return id }) }

// noteEach notes the Site of each of nodes, as site names it.
func noteEach[N any](r *Reads, nodes []N, site func(N) int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	// A set: a page of 100 Sites with their contacts notes thousands of reads of them.
	for _, n := range nodes {
		if id := site(n); id != 0 {
			if _, ok := r.seen[id]; !ok {
				r.seen[id] = struct{}{}
				r.sites = append(r.sites, id)
			}
		}
	}
}

// RecordReads is an interceptor of Site and Contact queries: while a request's reads are
// recorded (a partner's), every Site it loads, and the Site of every contact it loads, is noted,
// whatever path loaded them (a page, node, nodes, an eager-loaded edge) under the privacy rules.
func RecordReads() ent.Interceptor {
	return ent.InterceptFunc(func(next ent.Querier) ent.Querier {
		return ent.QuerierFunc(func(ctx context.Context, q ent.Query) (ent.Value, error) {
			reads, recording := ctx.Value(readsKey{}).(*Reads)
			// Loads past the privacy rules are Sitekeeper's own (the facts of a decision), not
			// the partner's reads.
			// (DecisionFromContext answers a nil decision for Allow.)
			if decision, fixed := privacy.DecisionFromContext(ctx); !recording || (fixed && decision == nil) {
				return next.Query(ctx, q)
			}
			// A contact loaded with only some columns must still name its Site.
			if qc := entgo.QueryFromContext(ctx); qc != nil && qc.Type == ent.TypeContact &&
				len(qc.Fields) > 0 && !slices.Contains(qc.Fields, contact.FieldSiteID) {
				qc.Fields = append(qc.Fields, contact.FieldSiteID)
			}
			value, err := next.Query(ctx, q)
			if err != nil {
				return value, err
			}
			switch nodes := value.(type) {
			case []*ent.Site:
				noteEach(reads, nodes, func(s *ent.Site) int { return s.ID })
			case []*ent.Contact:
				noteEach(reads, nodes, func(c *ent.Contact) int { return c.SiteID })
			}
			if qc := entgo.QueryFromContext(ctx); qc != nil && countsOrProbes[qc.Op] {
				return value, recordCounted(ctx, q)
			}
			return value, nil
		})
	})
}

// countsOrProbes are the operations that answer without loading rows: a totalCount, or a
// filter used to test whether anything matches. They read the Sites they count all the same.
var countsOrProbes = map[string]bool{
	entgo.OpQueryCount: true, entgo.OpQueryExist: true, entgo.OpQueryIDs: true,
	entgo.OpQueryFirstID: true, entgo.OpQueryOnlyID: true,
}

// recordCounted notes the Sites a query that loaded no rows counted or matched: the Sites it
// names, or the Sites of the contacts it names, asked again under the same filters. The clone
// keeps the columns the GraphQL fields selected; a modifier selects the one needed instead.
func recordCounted(ctx context.Context, q ent.Query) error {
	// The query of the count is still in ctx: the clone must start its own.
	ctx = entgo.NewQueryContext(ctx, nil)
	var ids []int
	var err error
	switch q := q.(type) {
	case *ent.SiteQuery:
		err = q.Clone().Modify(func(s *sql.Selector) { s.Select(s.C(site.FieldID)) }).Scan(ctx, &ids)
	case *ent.ContactQuery:
		err = q.Clone().Modify(func(s *sql.Selector) { s.Select(s.C(contact.FieldSiteID)).Distinct() }).Scan(ctx, &ids)
	}
	for _, id := range ids {
		ReadSite(ctx, id)
	}
	return err
}

// RecordAccess writes one access event per Site read, as the request's viewer, in one
// statement. The rows are those ent would write (the same columns and encodings; the events
// carry no hooks but the append-only rule, which admits any insert), written here because
// ent's bulk create cost 4.5 kB of bookkeeping a row and ten parameters: on each page of a
// partner's sync, 0.45 MB on SQLite and 0.34 MB of encoded parameters on PostgreSQL. The
// values every row shares are parameters once; the Site ids are one list.
// TestAccessEventsAreTheRowsEntWrites holds each row to ent's.
func (r *Reads) RecordAccess(ctx context.Context, client *ent.Client, operation string) error {
	r.mu.Lock()
	sites := slices.Clone(r.sites)
	r.mu.Unlock()
	if len(sites) == 0 {
		return nil
	}
	kind, actor := actorOf(viewer.FromContext(ctx))
	req := RequestFrom(ctx)
	after, err := json.Marshal(map[string]any{"operation": operation})
	if err != nil {
		return err
	}
	var ids any = sites // an array parameter on PostgreSQL
	if client.Dialect() != dialect.Postgres {
		list, err := json.Marshal(sites) // json_each's text on SQLite
		if err != nil {
			return err
		}
		ids = string(list)
	}
	return client.ExecStatement(ctx, accessInsert[client.Dialect()],
		time.Now(), string(kind), actor, "read", ent.TypeSite, after, req.ID, req.ClientAddress, ids)
}

// accessInsert is RecordAccess's statement in each dialect: a row for each id of the list in
// the last parameter, in its order.
var accessInsert = func() map[string]string {
	columns := strings.Join([]string{auditevent.FieldCreatedAt, auditevent.FieldSiteID, auditevent.FieldActorKind,
		auditevent.FieldActor, auditevent.FieldAction, auditevent.FieldTargetType, auditevent.FieldTargetID,
		auditevent.FieldAfter, auditevent.FieldRequestID, auditevent.FieldClientAddress}, ", ")
	insert := "INSERT INTO " + auditevent.Table + " (" + columns + ") "
	return map[string]string{
		dialect.SQLite: insert + "SELECT ?, value, ?, ?, ?, ?, value, ?, ?, ? FROM json_each(?) ORDER BY key",
		// Parameters of a SELECT list are text unless cast.
		dialect.Postgres: insert + "SELECT CAST($1 AS timestamptz), s.id, $2, $3, $4, $5, s.id, CAST($6 AS jsonb), $7, $8 " +
			"FROM unnest(CAST($9 AS bigint[])) WITH ORDINALITY AS s(id, n) ORDER BY s.n",
	}
}()
