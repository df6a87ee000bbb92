package graph

import (
	"context"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vikstrous/dataloadgen"

	"sitekeeper/ent"
	"sitekeeper/ent/contact"
	"sitekeeper/internal/audit"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/roster"
)

// loaders batch the per-object lookups that ent's eager loading cannot express, so a list of
// Sites with their primary contacts costs one query, not one per Site.
type loaders struct {
	primaryContact *dataloadgen.Loader[int, *ent.Contact]
	administrators *dataloadgen.Loader[int, []*roster.Administrator]

	// pageAdministrators are the administrators of the Sites of a page that selects them,
	// loaded with the page (prefetchAdministrators): a batch that no timing can split.
	mu                 sync.Mutex
	pageAdministrators map[int][]*roster.Administrator
}

type loadersKey struct{}

func withLoaders(ctx context.Context) context.Context {
	return context.WithValue(ctx, loadersKey{}, &loaders{
		primaryContact: dataloadgen.NewLoader(primaryContacts, dataloadgen.WithWait(2*time.Millisecond)),
		administrators: dataloadgen.NewLoader(administratorsOf, dataloadgen.WithWait(2*time.Millisecond)),
	})
}

// administrators returns a Site's administrators: from its page's prefetch, else batched with
// the other Sites asked for about the same time.
func administrators(ctx context.Context, siteID int) ([]*roster.Administrator, error) {
	l, ok := ctx.Value(loadersKey{}).(*loaders)
	if !ok {
		return roster.Administrators(ctx, siteID)
	}
	l.mu.Lock()
	admins, prefetched := l.pageAdministrators[siteID]
	l.mu.Unlock()
	if prefetched {
		return admins, nil
	}
	return l.administrators.Load(ctx, siteID)
}

func administratorsOf(ctx context.Context, siteIDs []int) ([][]*roster.Administrator, []error) {
	bySite, err := roster.AdministratorsOf(ctx, siteIDs...)
	out, errs := make([][]*roster.Administrator, len(siteIDs)), make([]error, len(siteIDs))
	for i, id := range siteIDs {
		out[i], errs[i] = bySite[id], err
	}
	return out, errs
}

// sitesPage loads a page of Sites with paginate. A partner's access log gets the Sites on the
// page (and those its totalCount counts), not the row past its end that tells whether there is
// a next page; administrators the page selects are loaded for all of its Sites at once.
func sitesPage(ctx context.Context, paginate func(context.Context) (*ent.SiteConnection, error)) (*ent.SiteConnection, error) {
	held, record := audit.HoldReads(ctx)
	conn, err := paginate(held)
	if err != nil {
		return nil, err
	}
	// A count (totalCount, or pageInfo without edges) reads every Site it counts; otherwise the
	// page's Sites are what was read.
	counted := selects(ctx, []string{"SiteConnection"}, "totalCount") || !selects(ctx, []string{"SiteConnection"}, "edges")
	onPage := make(map[int]bool, len(conn.Edges))
	for _, e := range conn.Edges {
		if e.Node != nil {
			onPage[e.Node.ID] = true
		}
	}
	record(func(id int) bool { return counted || onPage[id] })
	return conn, prefetchAdministrators(ctx, conn)
}

// prefetchAdministrators loads, in one query, the administrators of a page of Sites when the
// page selects edges { node { administrators } }. The @can directive still decides for each
// Site whether its administrators are shown; the query runs under the viewer's privacy rules.
func prefetchAdministrators(ctx context.Context, conn *ent.SiteConnection) error {
	l, ok := ctx.Value(loadersKey{}).(*loaders)
	if !ok || conn == nil || len(conn.Edges) == 0 ||
		!selects(ctx, []string{"SiteConnection"}, "edges", []string{"SiteEdge"}, "node", []string{"Site", "Node"}, "administrators") {
		return nil
	}
	ids := make([]int, 0, len(conn.Edges))
	for _, e := range conn.Edges {
		if e.Node != nil {
			ids = append(ids, e.Node.ID)
		}
	}
	bySite, err := roster.AdministratorsOf(ctx, ids...)
	if err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.pageAdministrators == nil {
		l.pageAdministrators = bySite
		return nil
	}
	for id, admins := range bySite {
		l.pageAdministrators[id] = admins
	}
	return nil
}

// selects reports whether the current field's selection reaches a field along path: the type
// names an object satisfies, then a field name, repeated (fragments included).
func selects(ctx context.Context, path ...any) bool {
	oc := graphql.GetOperationContext(ctx)
	fc := graphql.GetFieldContext(ctx)
	if oc == nil || fc == nil {
		return false
	}
	sets := []ast.SelectionSet{fc.Field.Selections}
	for i := 0; i+1 < len(path); i += 2 {
		satisfies, name := path[i].([]string), path[i+1].(string)
		var next []ast.SelectionSet
		for _, set := range sets {
			for _, f := range graphql.CollectFields(oc, set, satisfies) {
				if f.Name == name {
					next = append(next, f.Selections)
				}
			}
		}
		if len(next) == 0 {
			return false
		}
		sets = next
	}
	return true
}

// primaryContact returns a Site's PRIMARY contact, or nil when the viewer may not see it.
func primaryContact(ctx context.Context, siteID int) (*ent.Contact, error) {
	if l, ok := ctx.Value(loadersKey{}).(*loaders); ok {
		return l.primaryContact.Load(ctx, siteID)
	}
	contacts, errs := primaryContacts(ctx, []int{siteID})
	return contacts[0], errs[0]
}

// primaryContacts loads the PRIMARY contacts of several Sites in one query, through the viewer's
// privacy rules (the batch runs in the first caller's context: one request, one viewer).
func primaryContacts(ctx context.Context, siteIDs []int) ([]*ent.Contact, []error) {
	found, err := ent.FromContext(ctx).Contact.Query().
		Where(contact.SiteIDIn(siteIDs...), contact.AccessRoleEQ(domain.RolePrimary)).
		All(ctx)
	out, errs := make([]*ent.Contact, len(siteIDs)), make([]error, len(siteIDs))
	bySite := make(map[int]*ent.Contact, len(found))
	for _, c := range found {
		bySite[c.SiteID] = c
	}
	for i, id := range siteIDs {
		out[i], errs[i] = bySite[id], err
	}
	return out, errs
}
