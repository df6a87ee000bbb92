package ratelimit

import (
	"fmt"
	"testing"
	"time"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func TestTakeSpendsAndRefills(t *testing.T) {
	c := &clock{t: time.Unix(1_000_000, 0)}
	l := New(Config{PerMinute: 60, Burst: 10, Now: c.now})
	if _, ok := l.Take("a", 10); !ok {
		t.Fatal("a full bucket refused its burst")
	}
	wait, ok := l.Take("a", 3)
	if ok || wait != 3*time.Second {
		t.Fatalf("empty bucket: ok=%v wait=%s, want a refusal and 3s", ok, wait)
	}
	if _, ok := l.Take("b", 1); !ok {
		t.Fatal("another key shares the bucket")
	}
	c.t = c.t.Add(3 * time.Second)
	if _, ok := l.Take("a", 3); !ok {
		t.Fatal("3 units did not come back in 3 s")
	}
	// Costs are clamped to 1..burst: a huge cost waits for a full bucket, never forever.
	if wait, ok := l.Take("a", 1_000_000); ok || wait != 10*time.Second {
		t.Fatalf("huge cost: ok=%v wait=%s, want a refusal and 10s", ok, wait)
	}
	c.t = c.t.Add(10 * time.Second)
	if _, ok := l.Take("a", 1_000_000); !ok {
		t.Fatal("huge cost on a full bucket refused")
	}
	if _, ok := l.Take("c", 0); !ok {
		t.Fatal("a zero cost refused")
	}
	if RetryAfterSeconds(1500*time.Millisecond) != 2 || RetryAfterSeconds(time.Millisecond) != 1 {
		t.Fatal("RetryAfterSeconds rounds up to whole seconds, at least 1")
	}
}

func TestKeysAreBounded(t *testing.T) {
	c := &clock{t: time.Unix(1_000_000, 0)}
	l := New(Config{PerMinute: 60, Burst: 10, MaxKeys: 100, Now: c.now})
	for i := range 1000 {
		l.Take(fmt.Sprint("ip-", i), 5)
		c.t = c.t.Add(10 * time.Millisecond)
	}
	if n := l.Len(); n > 100 {
		t.Fatalf("%d buckets kept, want at most 100", n)
	}
	// A bucket that refilled is forgotten first, without changing anyone's budget.
	c.t = c.t.Add(time.Minute)
	l.Take("spender", 10)
	if _, ok := l.Take("spender", 1); ok {
		t.Fatal("the spender's bucket was dropped")
	}
}
