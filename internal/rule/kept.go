package rule

import (
	"context"
	"sync"

	"sitekeeper/ent"
)

// The @can directive loads the contact a mutation names, to decide on it; the mutation then
// starts from that row rather than reading it again (ent's UpdateOne(node) takes it as the old
// values). A kept row is handed over once, and any change to a contact drops what was kept of
// it, so nobody is handed a row older than a write of the same request.

type keptContacts struct {
	mu   sync.Mutex
	byID map[int]*ent.Contact
}

type keptKey struct{}

// WithKeptContacts returns ctx able to keep the contacts its request loads for a decision.
func WithKeptContacts(ctx context.Context) context.Context {
	return context.WithValue(ctx, keptKey{}, &keptContacts{})
}

// LoadContactToKeep is LoadContact, and keeps the row for the next TakeContact of id.
func LoadContactToKeep(ctx context.Context, client *ent.Client, id int) (*ent.Contact, error) {
	c, err := LoadContact(ctx, client, id)
	if k, ok := ctx.Value(keptKey{}).(*keptContacts); ok && err == nil {
		k.mu.Lock()
		if k.byID == nil {
			k.byID = map[int]*ent.Contact{}
		}
		k.byID[id] = c
		k.mu.Unlock()
	}
	return c, err
}

// TakeContact hands over the row of id kept by LoadContactToKeep, or loads it.
func TakeContact(ctx context.Context, client *ent.Client, id int) (*ent.Contact, error) {
	if k, ok := ctx.Value(keptKey{}).(*keptContacts); ok {
		k.mu.Lock()
		c, kept := k.byID[id]
		delete(k.byID, id)
		k.mu.Unlock()
		if kept {
			return c, nil
		}
	}
	return LoadContact(ctx, client, id)
}

// ForgetChangedContacts is a hook that drops the kept rows of the contacts a mutation changes
// (all of them for a change by condition).
func ForgetChangedContacts() ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			if k, ok := ctx.Value(keptKey{}).(*keptContacts); ok {
				k.mu.Lock()
				if id, exists := m.(*ent.ContactMutation).ID(); exists && m.Op().Is(ent.OpUpdateOne|ent.OpDeleteOne) {
					delete(k.byID, id)
				} else {
					clear(k.byID)
				}
				k.mu.Unlock()
			}
			return next.Mutate(ctx, m)
		})
	}
}
