// Package ratelimit keeps one token bucket per key (a principal, a client address) in a bounded
// map, for the cost-based GraphQL rate limit and the sign-in endpoint.
package ratelimit

import (
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Defaults of Config.
const (
	DefaultMaxKeys = 10_000
	DefaultIdle    = 10 * time.Minute
)

// Config sets a Limiter's buckets.
type Config struct {
	// PerMinute is how many units a key regains per minute.
	PerMinute int
	// Burst is the most a key may spend at once (the bucket's size); 0 means PerMinute.
	Burst int
	// MaxKeys bounds the buckets kept; DefaultMaxKeys when 0.
	MaxKeys int
	// Idle is how long an unused bucket is kept; DefaultIdle when 0.
	Idle time.Duration
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Limiter is a set of token buckets, one per key. It is safe for concurrent use.
type Limiter struct {
	limit   rate.Limit
	burst   int
	maxKeys int
	idle    time.Duration
	now     func() time.Time

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// New returns a Limiter. PerMinute must be positive.
func New(cfg Config) *Limiter {
	if cfg.PerMinute <= 0 {
		panic("ratelimit: PerMinute must be positive")
	}
	if cfg.Burst <= 0 {
		cfg.Burst = cfg.PerMinute
	}
	if cfg.MaxKeys <= 0 {
		cfg.MaxKeys = DefaultMaxKeys
	}
	if cfg.Idle <= 0 {
		cfg.Idle = DefaultIdle
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Limiter{
		limit:   rate.Limit(float64(cfg.PerMinute) / 60),
		burst:   cfg.Burst,
		maxKeys: cfg.MaxKeys,
		idle:    cfg.Idle,
		now:     cfg.Now,
		buckets: make(map[string]*bucket),
	}
}

// Take spends cost units of key's bucket. It reports whether they were there; when not, nothing
// is spent and retryAfter is how long until they will be. A cost below 1 counts as 1, and one
// above the burst as the whole burst, so that every request can eventually pass.
func (l *Limiter) Take(key string, cost int) (retryAfter time.Duration, ok bool) {
	cost = min(max(cost, 1), l.burst)
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b := l.buckets[key]
	if b == nil {
		l.makeRoom(now)
		b = &bucket{lim: rate.NewLimiter(l.limit, l.burst)}
		l.buckets[key] = b
	}
	b.seen = now
	r := b.lim.ReserveN(now, cost)
	if !r.OK() { // cannot happen: cost <= burst
		return time.Duration(math.MaxInt64), false
	}
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return d, false
	}
	return 0, true
}

// Len is the number of buckets kept.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

// makeRoom keeps the map under maxKeys. A full bucket is dropped first: forgetting it changes
// nothing, since a new key starts full. Next go buckets idle for longer than the idle time. If the
// map is still full (many keys active at once), an arbitrary bucket goes: its key starts afresh,
// which is the price of bounded memory. Sweeps run at most once a second; in between, a full map
// evicts one arbitrary bucket per new key.
func (l *Limiter) makeRoom(now time.Time) {
	if len(l.buckets) < l.maxKeys {
		return
	}
	if now.Sub(l.lastSweep) >= time.Second {
		l.lastSweep = now
		for k, b := range l.buckets {
			if now.Sub(b.seen) > l.idle || b.lim.TokensAt(now) >= float64(l.burst) {
				delete(l.buckets, k)
			}
		}
	}
	for k := range l.buckets {
		if len(l.buckets) < l.maxKeys {
			break
		}
		delete(l.buckets, k)
	}
}

// RetryAfterSeconds renders a wait for the Retry-After header: whole seconds, at least 1.
func RetryAfterSeconds(d time.Duration) int {
	s := int(math.Ceil(d.Seconds()))
	return max(s, 1)
}
