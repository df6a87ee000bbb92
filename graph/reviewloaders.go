package graph

import (
	"context"
	"slices"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vikstrous/dataloadgen"

	"sitekeeper/ent"
	"sitekeeper/ent/review"
	reviews "sitekeeper/internal/review"
)

// reviewLoaders batch what a page of review items shows beyond its rows (their contacts, their
// reviews, their changes since the previous review) and reviews' progress, so a page costs the
// same statements for 5 items as for 100.
type reviewLoaders struct {
	contact  *dataloadgen.Loader[*ent.ReviewItem, itemContact]
	review   *dataloadgen.Loader[int, *ent.Review]
	changes  *dataloadgen.Loader[*ent.ReviewItem, []*ent.AuditEvent]
	progress *dataloadgen.Loader[int, *reviews.Progress]
	// open is the open review of each Site, by Site id (nil for none): a list of Sites asking
	// for currentReview costs one query.
	open *dataloadgen.Loader[int, *ent.Review]
}

type itemContact struct {
	contact *ent.Contact
	exists  bool
}

const batchWait = 2 * time.Millisecond

func newReviewLoaders() *reviewLoaders {
	l := &reviewLoaders{}
	l.contact = dataloadgen.NewLoader(itemContacts, dataloadgen.WithWait(batchWait))
	l.review = dataloadgen.NewLoader(reviewsByID, dataloadgen.WithWait(batchWait))
	l.changes = dataloadgen.NewLoader(l.itemChanges, dataloadgen.WithWait(batchWait))
	l.progress = dataloadgen.NewLoader(progressOf, dataloadgen.WithWait(batchWait))
	l.open = dataloadgen.NewLoader(l.openReviews, dataloadgen.WithWait(batchWait))
	return l
}

type reviewLoadersKey struct{}

func withReviewLoaders(ctx context.Context) context.Context {
	return context.WithValue(ctx, reviewLoadersKey{}, newReviewLoaders())
}

func reviewLoadersOf(ctx context.Context) *reviewLoaders {
	if l, ok := ctx.Value(reviewLoadersKey{}).(*reviewLoaders); ok {
		return l
	}
	return newReviewLoaders() // outside a request's context: batches of one
}

// loadWithPage loads obj's value in one batch with every other item of its page: it queues the
// page's items before obj, so the batch holds the whole page whatever the scheduling (waiting
// batchWait for the other items to ask does not hold for 100 items on a loaded machine: a page
// of 100 split into three batches, and more under -race). The other items' own fields then
// find their values cached.
func loadWithPage[V any](ctx context.Context, l *dataloadgen.Loader[*ent.ReviewItem, V], obj *ent.ReviewItem) (V, error) {
	for _, it := range itemPage(ctx, obj) {
		if it != obj {
			l.LoadThunk(ctx, it)
		}
	}
	return l.Load(ctx, obj)
}

// itemPage is the page of review items obj is on; an item reached alone (node(id:), a
// mutation's answer) is a page of one.
func itemPage(ctx context.Context, obj *ent.ReviewItem) []*ent.ReviewItem {
	return pageOf(ctx, obj, func(e *ent.ReviewItemEdge) *ent.ReviewItem { return e.Node })
}

// loadWithSitePage is loadWithPage for a field of the Sites of a page (Site.currentReview on
// the operators' list of overdue Sites).
func loadWithSitePage[V any](ctx context.Context, l *dataloadgen.Loader[int, V], obj *ent.Site) (V, error) {
	for _, s := range pageOf(ctx, obj, func(e *ent.SiteEdge) *ent.Site { return e.Node }) {
		if s != obj {
			l.LoadThunk(ctx, s.ID)
		}
	}
	return l.Load(ctx, obj.ID)
}

// pageOf is the page obj is on: the nodes of the edges of the connection whose node the field
// resolves under, or obj alone.
func pageOf[T comparable, E comparable](ctx context.Context, obj T, node func(E) T) []T {
	var none E
	var zero T
	for fc := graphql.GetFieldContext(ctx); fc != nil; fc = fc.Parent {
		edges, ok := fc.Result.([]E)
		if !ok {
			continue
		}
		page := make([]T, 0, len(edges))
		for _, e := range edges {
			if e != none {
				if n := node(e); n != zero {
					page = append(page, n)
				}
			}
		}
		if slices.Contains(page, obj) {
			return page
		}
		break
	}
	return []T{obj}
}

func itemContacts(ctx context.Context, items []*ent.ReviewItem) ([]itemContact, []error) {
	contacts, exists, err := reviews.ContactsOf(ctx, ent.FromContext(ctx), items)
	out, errs := make([]itemContact, len(items)), make([]error, len(items))
	for i, it := range items {
		out[i], errs[i] = itemContact{contacts[it.ID], exists[it.ID]}, err
	}
	return out, errs
}

func reviewsByID(ctx context.Context, ids []int) ([]*ent.Review, []error) {
	found, err := ent.FromContext(ctx).Review.Query().Where(review.IDIn(ids...)).All(ctx)
	byID := make(map[int]*ent.Review, len(found))
	for _, r := range found {
		byID[r.ID] = r
	}
	out, errs := make([]*ent.Review, len(ids)), make([]error, len(ids))
	for i, id := range ids {
		out[i], errs[i] = byID[id], err
		if err == nil && byID[id] == nil {
			errs[i] = &ent.NotFoundError{}
		}
	}
	return out, errs
}

// itemChanges reads, per review among the items, its window and its contacts' audit events.
func (l *reviewLoaders) itemChanges(ctx context.Context, items []*ent.ReviewItem) ([][]*ent.AuditEvent, []error) {
	client := ent.FromContext(ctx)
	out, errs := make([][]*ent.AuditEvent, len(items)), make([]error, len(items))
	byReview := map[int][]int{}
	for i, it := range items {
		byReview[it.ReviewID] = append(byReview[it.ReviewID], i)
	}
	for reviewID, positions := range byReview {
		changes, err := func() (map[int][]*ent.AuditEvent, error) {
			r, err := l.review.Load(ctx, reviewID)
			if err != nil {
				return nil, err
			}
			from, to, err := reviews.Window(ctx, client, r)
			if err != nil {
				return nil, err
			}
			ids := make([]int, len(positions))
			for j, i := range positions {
				ids[j] = items[i].ContactID
			}
			return reviews.ChangesOf(ctx, client, ids, from, to)
		}()
		for _, i := range positions {
			out[i], errs[i] = changes[items[i].ContactID], err
			if out[i] == nil {
				out[i] = []*ent.AuditEvent{}
			}
		}
	}
	return out, errs
}

// openReviews loads the Sites' open reviews, and queues their progress at once, so that the
// reviews' progress too is one batch.
func (l *reviewLoaders) openReviews(ctx context.Context, siteIDs []int) ([]*ent.Review, []error) {
	found, err := ent.FromContext(ctx).Review.Query().Where(review.SiteIDIn(siteIDs...), review.CompletedAtIsNil()).All(ctx)
	bySite := make(map[int]*ent.Review, len(found))
	for _, r := range found {
		bySite[r.SiteID] = r
		l.progress.LoadThunk(ctx, r.ID)
	}
	out, errs := make([]*ent.Review, len(siteIDs)), make([]error, len(siteIDs))
	for i, id := range siteIDs {
		out[i], errs[i] = bySite[id], err
	}
	return out, errs
}

func progressOf(ctx context.Context, ids []int) ([]*reviews.Progress, []error) {
	found, err := reviews.ProgressOf(ctx, ent.FromContext(ctx), ids)
	out, errs := make([]*reviews.Progress, len(ids)), make([]error, len(ids))
	for i, id := range ids {
		out[i], errs[i] = found[id], err
	}
	return out, errs
}
