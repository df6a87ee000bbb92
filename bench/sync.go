package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"sync/atomic"

	"sitekeeper/ent"
	"sitekeeper/ent/contact"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/rule"
)

// feedQuery is one page of the incremental sync: 100 changes and the contacts they name.
const feedQuery = `query Feed($after: Cursor) {
  contactRoleChanges(after: $after, first: 100) {
    pageInfo { hasNextPage endCursor }
    edges { node {
      at kind changed contactId site { id number }
      contact { id email accessRole status contactTypes
        privileges { softwareAccess reporting entitlements manageAccess contactUpdates accountDocuments } }
    } }
  }
}`

// feedChanges is how many contact changes the incremental sync reads, after the grants.
const feedChanges = 5_000

// pageStep is one page of a paged read: its request body, and what it returned.
type pageStep struct {
	body  []byte
	items int
}

// pageThrough reads every page of a connection at path (sites or contactRoleChanges) as the
// token, from the start, and returns the request of each page.
func pageThrough(ctx context.Context, c *http.Client, url, token, query, field string) ([]pageStep, error) {
	var steps []pageStep
	var after any
	for {
		body := gqlBody(query, map[string]any{"after": after})
		answer, err := post(ctx, c, url, token, body)
		if err := okGraphQL(answer, err); err != nil {
			return nil, fmt.Errorf("page %d of %s: %w", len(steps)+1, field, err)
		}
		var out struct {
			Data map[string]struct {
				PageInfo struct {
					HasNextPage bool    `json:"hasNextPage"`
					EndCursor   *string `json:"endCursor"`
				} `json:"pageInfo"`
				Edges []json.RawMessage `json:"edges"`
			} `json:"data"`
		}
		if err := json.Unmarshal(answer, &out); err != nil {
			return nil, err
		}
		conn := out.Data[field]
		steps = append(steps, pageStep{body: body, items: len(conn.Edges)})
		if !conn.PageInfo.HasNextPage || conn.PageInfo.EndCursor == nil {
			return steps, nil
		}
		after = *conn.PageInfo.EndCursor
	}
}

// pageStatements counts the statements of the first, middle and last page of steps.
func (e *env) pageStatements(ctx context.Context, c *http.Client, token string, steps []pageStep) (map[string]int, error) {
	out := map[string]int{}
	for label, i := range map[string]int{"first": 0, "middle": len(steps) / 2, "last": len(steps) - 1} {
		e.counter.Reset()
		e.counter.Record(true)
		err := okGraphQL(post(ctx, c, e.gqlURL, token, steps[i].body))
		e.counter.Record(false)
		if err != nil {
			return nil, err
		}
		out[label] = e.counter.Count()
	}
	return out, nil
}

// pagingScenario sends the pages of steps one after the other, round and round, each worker
// from its own place in the list.
func (e *env) pagingScenario(name string, conc int, token string, steps []pageStep) scenario {
	var next atomic.Int64
	return scenario{name: name, kind: "graphql", conc: conc, stmts: func() int64 { return int64(e.counter.Count()) },
		do: func(ctx context.Context, c *http.Client, w int) error {
			step := steps[int(next.Add(1))%len(steps)]
			return postOK(ctx, c, e.gqlURL, token, step.body)
		}}
}

// makeFeedChanges changes the privileges of n contacts (fewer on a small data set) on the partner's Sites through ent, as
// Sitekeeper itself, so that the audit hook writes them to the change feed as it does for any
// change: the incremental sync then has n changes to read after the grants.
func (e *env) makeFeedChanges(ctx context.Context, n int) (int, error) {
	sys := rule.AsSitekeeper(ctx)
	users, err := e.client.Contact.Query().Where(contact.AccessRoleEQ(domain.RoleUser)).
		Select(contact.FieldID, contact.FieldReporting).
		Order(ent.Asc(contact.FieldID)).Limit(n).All(sys)
	if err != nil {
		return 0, err
	}
	log.Printf("%s: %d privilege changes for the change feed", e.dialect, len(users))
	for i, u := range users {
		level := domain.ViewView
		if u.Reporting == domain.ViewView {
			level = domain.ViewNone
		}
		if err := e.client.Contact.UpdateOneID(u.ID).SetReporting(level).Exec(sys); err != nil {
			return i, fmt.Errorf("change %d: %w", i, err)
		}
	}
	return len(users), nil
}
