// Package invariant holds the ent hooks that keep a Site's roster consistent whoever changes it:
// normalized emails and phone numbers, the PRIMARY's privileges, the SECONDARY cap, versions and review due dates.
package invariant

import (
	"context"
	"strings"
	"time"

	"entgo.io/ent/dialect"

	"sitekeeper/ent"
	"sitekeeper/ent/contact"
	"sitekeeper/ent/hook"
	"sitekeeper/ent/privacy"
	"sitekeeper/internal/apperr"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/rule"
)

// DefaultMaxSecondary is SITEKEEPER_MAX_SECONDARY's default.
const DefaultMaxSecondary = 4

type maxSecondaryKey struct{}

// WithMaxSecondary sets how many SECONDARY contacts a Site may have for changes under ctx.
func WithMaxSecondary(ctx context.Context, n int) context.Context {
	return context.WithValue(ctx, maxSecondaryKey{}, n)
}

func maxSecondary(ctx context.Context) int {
	if n, ok := ctx.Value(maxSecondaryKey{}).(int); ok && n > 0 {
		return n
	}
	return DefaultMaxSecondary
}

// BumpVersion increments the optimistic-concurrency version on every single-row update.
func BumpVersion() ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
			m.(interface{ AddVersion(int) }).AddVersion(1)
			return next.Mutate(ctx, m)
		})
	}, ent.OpUpdateOne)
}

// ContactRoster normalizes the email key, gives a new PRIMARY every privilege at its highest
// level, and refuses a change that would put more SECONDARY contacts on a Site than allowed.
func ContactRoster() ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return hook.ContactFunc(func(ctx context.Context, m *ent.ContactMutation) (ent.Value, error) {
			if email, ok := m.Email(); ok {
				m.SetEmailKey(strings.ToLower(email))
			}
			if err := phoneInE164(ctx, m); err != nil {
				return nil, err
			}
			role, roleSet := m.AccessRole()
			if roleSet && role == domain.RolePrimary {
				rule.SetPrivileges(m, domain.HighestPrivileges())
			}
			// A demoted PRIMARY is part of a transfer, which checks the cap once both records moved.
			demotedPrimary := false
			if roleSet && m.Op().Is(ent.OpUpdateOne) {
				old, err := m.OldAccessRole(privacy.DecisionContext(ctx, privacy.Allow))
				if err != nil {
					return nil, err
				}
				demotedPrimary = old == domain.RolePrimary
			}
			value, err := next.Mutate(ctx, m)
			if err != nil || !roleSet || role != domain.RoleSecondary || demotedPrimary {
				return value, err
			}
			c := value.(*ent.Contact)
			return value, CheckSecondaryCap(ctx, m.Client(), c.SiteID)
		})
	}, ent.OpCreate|ent.OpUpdateOne)
}

// phoneInE164 stores a phone number in E.164, read in the contact's country when it has no
// country code; one libphonenumber cannot read as valid is refused. An empty phone (a contact
// from an access request without details, to be completed) stays empty.
func phoneInE164(ctx context.Context, m *ent.ContactMutation) error {
	phone, ok := m.Phone()
	if !ok || strings.TrimSpace(phone) == "" {
		return nil
	}
	region, set := m.Country()
	if !set && m.Op().Is(ent.OpUpdateOne) {
		old, err := m.OldCountry(privacy.DecisionContext(ctx, privacy.Allow))
		if err != nil {
			return err
		}
		region = old
	}
	e164, err := domain.NormalizePhone(phone, region)
	if err != nil {
		return apperr.InvalidInput("phone "+err.Error(), "phone")
	}
	m.SetPhone(e164)
	return nil
}

// CheckSecondaryCap refuses (CONFLICT) a Site with more SECONDARY contacts than allowed.
func CheckSecondaryCap(ctx context.Context, client *ent.Client, siteID int) error {
	ctx = privacy.DecisionContext(ctx, privacy.Allow)
	if err := LockSite(ctx, client, siteID); err != nil {
		return err
	}
	n, err := client.Contact.Query().
		Where(contact.SiteID(siteID), contact.AccessRoleEQ(domain.RoleSecondary)).Count(ctx)
	if err != nil {
		return err
	}
	if limit := maxSecondary(ctx); n > limit {
		return apperr.New(apperr.Conflict, "a Site has at most %d SECONDARY contacts", limit)
	}
	return nil
}

// LockSite serializes roster changes on one Site, until the transaction ends. SQLite's write
// transactions are immediate and hold the database's write lock already; on PostgreSQL it is a
// transaction-scoped advisory lock, taken again at no cost by a transaction that holds it. Not a
// row lock: the Site's row is share-locked by every foreign-key check of a row that names it
// (contacts, audit events), which a FOR UPDATE would wait for and deadlock with.
func LockSite(ctx context.Context, client *ent.Client, siteID int) error {
	if client.Dialect() != dialect.Postgres {
		return nil
	}
	return client.ExecStatement(ctx, "SELECT pg_advisory_xact_lock($1)", siteLockTag|int64(siteID))
}

// LockSiteOf is LockSite for the Site of the record id of table (contacts, access_requests,
// partner_grants: tables with an immutable site_id), in one statement. An unknown id locks
// nothing.
func LockSiteOf(ctx context.Context, client *ent.Client, table string, id int) error {
	if client.Dialect() != dialect.Postgres {
		return nil
	}
	return client.ExecStatement(ctx,
		"SELECT pg_advisory_xact_lock($1::bigint | site_id) FROM "+table+" WHERE id = $2", siteLockTag, id)
}

// siteLockTag sets the advisory lock keys of Sites apart from other keys ("SK" in the top bits;
// ids stay below 2^48).
const siteLockTag int64 = 0x534b << 48

// ReviewDue keeps a Site's review due date: its last review (or creation) plus the interval,
// and the reminder that falls due with it.
func ReviewDue() ent.Hook {
	return hook.On(func(next ent.Mutator) ent.Mutator {
		return hook.SiteFunc(func(ctx context.Context, m *ent.SiteMutation) (ent.Value, error) {
			reviewed, reviewedSet := m.LastReviewedAt()
			interval, intervalSet := m.ReviewIntervalDays()
			if m.Op().Is(ent.OpCreate) || reviewedSet || intervalSet {
				base, days := time.Now(), 30
				if m.Op().Is(ent.OpUpdateOne) {
					sys := privacy.DecisionContext(ctx, privacy.Allow)
					if created, err := m.OldCreatedAt(sys); err == nil {
						base = created
					}
					if old, err := m.OldLastReviewedAt(sys); err == nil && old != nil {
						base = *old
					}
					if old, err := m.OldReviewIntervalDays(sys); err == nil {
						days = old
					}
				}
				if reviewedSet {
					base = reviewed
				}
				if intervalSet {
					days = interval
				}
				m.SetReviewDueAt(base.AddDate(0, 0, days))
			}
			// A new due date (or a Site active again) is a reminder to come, once, on that date.
			// UTC, so that SQLite's text comparison of the column is a comparison of instants.
			status, statusSet := m.Status()
			due, dueSet := m.ReviewDueAt()
			if !dueSet && statusSet && status == domain.SiteActive && m.Op().Is(ent.OpUpdateOne) {
				old, err := m.OldReviewDueAt(privacy.DecisionContext(ctx, privacy.Allow))
				due, dueSet = old, err == nil
			}
			if dueSet {
				m.SetReviewReminderDueAt(due.UTC())
			}
			return next.Mutate(ctx, m)
		})
	}, ent.OpCreate|ent.OpUpdateOne)
}
