package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	entsql "entgo.io/ent/dialect/sql"

	"sitekeeper/ent"
	"sitekeeper/ent/contact"
	"sitekeeper/ent/notification"
	"sitekeeper/ent/review"
	"sitekeeper/ent/site"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/invariant"
	"sitekeeper/internal/rule"
)

// Sender delivers one notification to its recipient.
type Sender interface {
	Send(ctx context.Context, n *ent.Notification) error
}

const (
	// DefaultInterval is how often the worker looks at the outbox unasked. A notification written
	// by this instance wakes it as its transaction commits (Wake), and a retry it scheduled wakes
	// it when due; the interval catches what other instances wrote and leases that ran out.
	DefaultInterval = time.Minute
	// minReviewScanEvery spaces the scans for overdue reviews: a review is due on a day, so a
	// minute late is on time, and an idle server issues one statement a minute for them.
	minReviewScanEvery = time.Minute
	// DefaultBatchSize is how many notifications the worker takes from the outbox at a time.
	DefaultBatchSize = 50
	// claimLease is how long a notification taken for delivery stays away from other workers
	// (other instances on the same database). It outlasts any delivery (DefaultSMTPTimeout),
	// and if the worker dies mid-delivery the notification is taken again after it: delivery is
	// at least once, never lost.
	claimLease = 5 * time.Minute
	firstRetry = 30 * time.Second
	maxRetry   = time.Hour
	maxErrLen  = 500
)

// Worker delivers the outbox. With a Sender, it sends each PENDING notification whose
// next_attempt_at has come, marks it SENT, or on failure keeps it PENDING with attempts, the
// error and the next attempt after an exponential backoff; it never deletes or drops one.
// Without a Sender, in dev mode it marks notifications SHOWN (the dashboard lists them),
// otherwise it leaves them waiting until a mail server is configured.
//
// At most once per Interval (and a minute) it also writes REVIEW_OVERDUE notifications (see
// EnqueueOverdueReviews).
type Worker struct {
	Client *ent.Client
	Sender Sender
	Logger *slog.Logger
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Interval is how often Run looks at the outbox unasked, and scans for overdue reviews and
	// expired grants (these at most once a minute) (DefaultInterval when 0).
	Interval time.Duration
	DevMode  bool
	// PublicURL is the external base URL for links in the mails the worker writes itself
	// (review reminders); DefaultPublicURL when empty.
	PublicURL string
	// BatchSize is how many notifications one query takes (DefaultBatchSize when 0).
	BatchSize int

	mu             sync.Mutex
	lastReviewScan time.Time
	nextRetry      time.Time // the earliest retry this worker scheduled, if any
}

// NewWorker builds the worker the server runs: it sends over SMTP when smtpURL
// (SITEKEEPER_SMTP_URL) is set, shows notifications on the dashboard in dev mode without it,
// and otherwise keeps them in the outbox until a mail server is configured.
func NewWorker(client *ent.Client, smtpURL string, devMode bool, logger *slog.Logger) (*Worker, error) {
	if logger == nil {
		logger = slog.Default()
	}
	w := &Worker{Client: client, Logger: logger, DevMode: devMode}
	switch {
	case smtpURL != "":
		s, err := NewSMTPSender(smtpURL)
		if err != nil {
			return nil, err
		}
		w.Sender = s
		logger.Info("notifications are delivered by SMTP", "smtp", s.Config)
	case devMode:
		logger.Warn("dev mode without SITEKEEPER_SMTP_URL: notifications are shown on the dashboard, not sent")
	default:
		logger.Warn("SITEKEEPER_SMTP_URL is not set: notifications wait in the outbox until a mail server is configured")
	}
	return w, nil
}

// Run delivers the outbox until ctx ends: when a notification is written (Wake), when a retry
// it scheduled falls due, and every Interval.
func (w *Worker) Run(ctx context.Context) {
	for {
		if _, err := w.RunOnce(ctx); err != nil && ctx.Err() == nil {
			w.logger().ErrorContext(ctx, "notification worker", "error", err)
		}
		timer := time.NewTimer(w.untilNextRun())
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-wakeups:
		case <-timer.C:
		}
		timer.Stop()
	}
}

// untilNextRun is the wait before the next unasked run: the Interval, or less when a retry this
// worker scheduled falls due sooner.
func (w *Worker) untilNextRun() time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	wait := w.interval()
	if !w.nextRetry.IsZero() {
		wait = min(wait, max(w.nextRetry.Sub(w.now()), 0))
		w.nextRetry = time.Time{} // the next run delivers it, or schedules it again
	}
	return wait
}

// retryAt notes a retry this worker scheduled, so Run wakes for it.
func (w *Worker) retryAt(t time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.nextRetry.IsZero() || t.Before(w.nextRetry) {
		w.nextRetry = t
	}
}

// RunOnce scans for overdue reviews and expired partner grants (if the last scan is an Interval, and at least a minute, old)
// and delivers every notification that is due. sent counts the notifications delivered (SENT, or SHOWN in dev
// mode); a failed delivery is recorded on the notification for a retry and is not an error.
// err reports what kept the worker from doing its job (the database).
func (w *Worker) RunOnce(ctx context.Context) (sent int, err error) {
	ctx = w.systemContext(ctx)
	var errs []error
	if w.reviewScanDue() {
		if _, err := w.EnqueueOverdueReviews(ctx); err != nil {
			errs = append(errs, err)
		}
		if _, err := w.RecordExpiredGrants(ctx); err != nil {
			errs = append(errs, err)
		}
		if _, err := w.RemindReviews(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	sent, err = w.deliverDue(ctx)
	return sent, errors.Join(append(errs, err)...)
}

// Backoff is the wait before the next attempt after attempts failed deliveries: 30 s, 1 min,
// 2 min, 4 min … at most 1 h. The worker takes up to a tenth off at random (jitter), so that
// notifications that failed together do not all retry in the same instant.
func Backoff(attempts int) time.Duration {
	d := firstRetry
	for i := 1; i < attempts && d < maxRetry; i++ {
		d *= 2
	}
	return min(d, maxRetry)
}

func jittered(d time.Duration) time.Duration {
	return d - rand.N(d/10+1)
}

func (w *Worker) deliverDue(ctx context.Context) (int, error) {
	if w.Sender == nil && !w.DevMode {
		return 0, nil
	}
	delivered := 0
	for ctx.Err() == nil {
		now := w.now()
		due, err := w.Client.Notification.Query().
			Where(notification.StatusEQ(domain.DeliveryPending), notification.NextAttemptAtLTE(now)).
			Order(ent.Asc(notification.FieldID)).Limit(w.batchSize()).All(ctx)
		if err != nil {
			return delivered, fmt.Errorf("notify: reading the outbox: %w", err)
		}
		for _, n := range due {
			if ctx.Err() != nil {
				break
			}
			ok, err := w.deliver(ctx, n, now)
			if err != nil {
				return delivered, err
			}
			if ok {
				delivered++
			}
		}
		if len(due) < w.batchSize() {
			break
		}
	}
	return delivered, nil
}

// deliver sends (or, in dev mode, shows) one notification and records the outcome. It reports
// whether the notification went out.
func (w *Worker) deliver(ctx context.Context, n *ent.Notification, now time.Time) (bool, error) {
	if w.Sender == nil {
		shown, err := w.Client.Notification.Update().
			Where(notification.ID(n.ID), notification.StatusEQ(domain.DeliveryPending)).
			SetStatus(domain.DeliveryShown).Save(ctx)
		if err != nil {
			return false, fmt.Errorf("notify: marking notification %d shown: %w", n.ID, err)
		}
		return shown == 1, nil
	}
	// Take the notification: only one worker wins the conditional update.
	claimed, err := w.Client.Notification.Update().
		Where(notification.ID(n.ID), notification.StatusEQ(domain.DeliveryPending),
			notification.Attempts(n.Attempts), notification.NextAttemptAtLTE(now)).
		SetNextAttemptAt(now.Add(claimLease)).Save(ctx)
	if err != nil {
		return false, fmt.Errorf("notify: claiming notification %d: %w", n.ID, err)
	}
	if claimed == 0 {
		return false, nil // another worker has it
	}
	sendErr := w.Sender.Send(ctx, n)
	// Record the outcome even when ctx is ending: the delivery happened (or not) all the same.
	rec, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	after := w.now()
	update := w.Client.Notification.UpdateOneID(n.ID)
	switch {
	case sendErr == nil:
		update.SetStatus(domain.DeliverySent).SetSentAt(after)
	case ctx.Err() != nil:
		// Interrupted by shutdown: not the mail server's fault; due again right away.
		update.SetNextAttemptAt(after)
		w.retryAt(after)
	default:
		attempts := n.Attempts + 1
		next := after.Add(jittered(Backoff(attempts)))
		update.SetAttempts(attempts).SetLastError(errorText(sendErr)).SetNextAttemptAt(next)
		w.retryAt(next)
		w.logger().WarnContext(ctx, "notification not delivered; will retry",
			"notification", n.ID, "kind", n.Kind, "attempts", attempts, "next_attempt_at", next, "error", errorText(sendErr))
	}
	if err := update.Exec(rec); err != nil {
		return false, fmt.Errorf("notify: recording delivery of notification %d: %w", n.ID, err)
	}
	return sendErr == nil, nil
}

// errorText is a failed delivery's error as stored in last_error: one line, bounded.
func errorText(err error) string {
	s := strings.Join(strings.Fields(err.Error()), " ")
	if len(s) > maxErrLen {
		s = s[:maxErrLen]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
	}
	return s
}

// EnqueueOverdueReviews writes a REVIEW_OVERDUE notification for every ACTIVE Site whose
// reminder has fallen due (sites.review_reminder_due_at: its review due date, set with that date
// and cleared once reminded), to its PRIMARY and its ACTIVE contacts with manageAccess UPDATE.
// It reads only Sites with a reminder due, through that column's index, so an idle run is one
// statement that finds nothing: a Site is reminded once per due date, however long it stays
// overdue. It returns how many notifications it wrote.
func (w *Worker) EnqueueOverdueReviews(ctx context.Context) (int, error) {
	ctx = w.systemContext(ctx)
	now := w.now()
	sites, err := w.Client.Site.Query().Where(site.ReviewReminderDueAtLTE(now)).IDs(ctx)
	if err != nil {
		return 0, fmt.Errorf("notify: finding overdue reviews: %w", err)
	}
	total := 0
	for _, id := range sites {
		n, err := w.remindOverdue(ctx, id, now)
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

// remindOverdue tells one Site's managers that its review is overdue and clears the Site's
// reminder, in one transaction that holds the Site: of two instances that both found it due,
// the second finds it cleared and writes nothing. An inactive Site's reminder is cleared unsent.
func (w *Worker) remindOverdue(ctx context.Context, siteID int, now time.Time) (n int, err error) {
	tx, err := w.Client.Tx(ctx)
	if err != nil {
		return 0, fmt.Errorf("notify: review reminder for site %d: %w", siteID, err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
			err = fmt.Errorf("notify: review reminder for site %d: %w", siteID, err)
			return
		}
		err = tx.Commit()
	}()
	client := tx.Client()
	if err := invariant.LockSite(ctx, client, siteID); err != nil {
		return 0, err
	}
	s, err := client.Site.Get(ctx, siteID)
	if err != nil {
		return 0, err
	}
	if s.ReviewReminderDueAt == nil || s.ReviewReminderDueAt.After(now) {
		return 0, nil // reminded by another instance, or reviewed meanwhile
	}
	if err := clearReminder(ctx, client, siteID); err != nil {
		return 0, err
	}
	if s.Status != domain.SiteActive {
		return 0, nil
	}
	// With a review open, the review's own stages remind its managers and then the PRIMARY.
	if open, err := client.Review.Query().Where(review.SiteID(siteID), review.CompletedAtIsNil()).Exist(ctx); err != nil || open {
		return 0, err
	}
	managers, err := client.Contact.Query().Where(contact.SiteID(siteID), contact.Or(
		contact.AccessRoleEQ(domain.RolePrimary),
		contact.And(contact.StatusEQ(domain.StatusActive), contact.ManageAccessEQ(domain.UpdateUpdate)),
	)).Order(ent.Asc(contact.FieldID)).All(ctx)
	if err != nil {
		return 0, err
	}
	recipients := make([]string, 0, len(managers))
	for _, c := range managers {
		recipients = append(recipients, c.Email)
	}
	var lastReviewed time.Time
	if s.LastReviewedAt != nil {
		lastReviewed = *s.LastReviewedAt
	}
	err = enqueue(ctx, client, Message{
		Kind: domain.NotifyReviewOverdue, Recipients: recipients, SiteID: &siteID,
		Data: map[string]any{"DueAt": s.ReviewDueAt, "LastReviewedAt": lastReviewed, "LastReviewedBy": s.LastReviewedBy},
	}, now)
	return len(uniqueAddresses(recipients)), err
}

// clearReminder marks the Site's reminder done. The column is bookkeeping, not the Site's data:
// written past the ent hooks, it changes neither the Site's version nor its audit log.
func clearReminder(ctx context.Context, client *ent.Client, siteID int) error {
	query, args := entsql.Dialect(client.Dialect()).Update(site.Table).
		SetNull(site.FieldReviewReminderDueAt).Where(entsql.EQ(site.FieldID, siteID)).Query()
	return client.ExecStatement(ctx, query, args...)
}

// systemContext acts as Sitekeeper itself: the outbox is written and read by no viewer.
func (w *Worker) systemContext(ctx context.Context) context.Context {
	ctx = rule.AsSitekeeper(ctx)
	if w.PublicURL != "" {
		ctx = WithPublicURL(ctx, w.PublicURL)
	}
	return ctx
}

func (w *Worker) reviewScanDue() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	now := w.now()
	if !w.lastReviewScan.IsZero() && now.Sub(w.lastReviewScan) < max(w.interval(), minReviewScanEvery) {
		return false
	}
	w.lastReviewScan = now
	return true
}

func (w *Worker) now() time.Time {
	if w.Now != nil {
		return w.Now().UTC()
	}
	return time.Now().UTC()
}

func (w *Worker) interval() time.Duration {
	if w.Interval > 0 {
		return w.Interval
	}
	return DefaultInterval
}

func (w *Worker) batchSize() int {
	if w.BatchSize > 0 {
		return w.BatchSize
	}
	return DefaultBatchSize
}

func (w *Worker) logger() *slog.Logger {
	if w.Logger != nil {
		return w.Logger
	}
	return slog.Default()
}
