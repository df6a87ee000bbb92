package notify_test

import (
	"context"
	"testing"
	"time"

	"sitekeeper/ent"
	"sitekeeper/internal/db/dbtest"
	"sitekeeper/internal/domain"
	"sitekeeper/internal/notify"
)

// TestWorkerWakesWhenANotificationCommits: the worker polls once an hour here, yet delivers a
// notification as soon as the transaction that wrote it commits; a rolled-back one wakes
// nobody into anything, and one written outside a transaction goes at once.
func TestWorkerWakesWhenANotificationCommits(t *testing.T) {
	f := seed(t)
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	w := &notify.Worker{Logger: quiet, Client: f.client, DevMode: true, Interval: time.Hour}
	done := make(chan struct{})
	go func() { defer close(done); w.Run(ctx) }()
	defer func() { stop(); <-done }()

	shown := func() int {
		n := 0
		for _, o := range f.outbox(t) {
			if o.Status == domain.DeliveryShown {
				n++
			}
		}
		return n
	}
	waitShown := func(want int) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for shown() != want {
			if time.Now().After(deadline) {
				t.Fatalf("%d notifications shown, want %d", shown(), want)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	message := func(to string) notify.Message {
		return notify.Message{Kind: domain.NotifyAccessDenied, SiteID: &f.site.ID, Recipients: []string{to},
			Data: map[string]any{"Name": "A", "Reason": "not now"}}
	}
	inTx := func(to string, commit bool) {
		t.Helper()
		tx, err := f.client.Tx(dbtest.Sys())
		if err != nil {
			t.Fatal(err)
		}
		if err := notify.Enqueue(ent.NewTxContext(dbtest.Sys(), tx), tx.Client(), message(to)); err != nil {
			t.Fatal(err)
		}
		// The worker may look now: the row is not visible before the commit.
		time.Sleep(50 * time.Millisecond)
		if commit {
			err = tx.Commit()
		} else {
			err = tx.Rollback()
		}
		if err != nil {
			t.Fatal(err)
		}
	}

	inTx("a@x.example", true)
	waitShown(1)
	inTx("b@x.example", false)
	inTx("c@x.example", true)
	waitShown(2)
	if err := notify.Enqueue(dbtest.Sys(), f.client, message("d@x.example")); err != nil {
		t.Fatal(err)
	}
	waitShown(3)
}
