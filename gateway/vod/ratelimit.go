package vod

import (
	"math"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/castmesh/castmesh/pkg/clientip"
)

// limiter keeps one token bucket per API key and one per client address.
// Buckets are per gateway: several gateways behind one address each allow
// the configured rate.
type limiter struct {
	perKey, perIP *buckets
	// clients finds the address behind trusted proxies; nil trusts none.
	clients *clientip.Resolver
}

func newLimiter(cfg RateLimitConfig, clients *clientip.Resolver) *limiter {
	return &limiter{perKey: newBuckets(cfg.PerKey), perIP: newBuckets(cfg.PerIP), clients: clients}
}

func (l *limiter) allowIP(r *http.Request) error {
	return l.perIP.allow(l.clients.ClientIP(r), "this address")
}

// allowKey takes a token from the caller's key's bucket. Without keys
// (an open API) every caller is the same one, and only the address limit
// applies.
func (l *limiter) allowKey(c caller) error {
	if c.keyID == openCaller().keyID {
		return nil
	}
	return l.perKey.allow(c.keyID, "this API key")
}

// buckets is a token bucket per name; idle ones are dropped.
type buckets struct {
	cfg Bucket
	now func() time.Time

	mu sync.Mutex
	m  map[string]*bucket
}

type bucket struct {
	lim  *rate.Limiter
	last time.Time
}

// maxBuckets is how many names are kept before idle ones are dropped.
const maxBuckets = 10_000

func newBuckets(cfg Bucket) *buckets {
	return &buckets{cfg: cfg, now: time.Now, m: map[string]*bucket{}}
}

// allow takes a token from name's bucket, or says when to come back.
func (b *buckets) allow(name, who string) error {
	if b.cfg.Rate == 0 {
		return nil
	}
	now := b.now()
	b.mu.Lock()
	defer b.mu.Unlock()
	e, ok := b.m[name]
	if !ok {
		if len(b.m) >= maxBuckets {
			b.prune(now)
		}
		e = &bucket{lim: rate.NewLimiter(rate.Limit(b.cfg.Rate), b.cfg.Burst)}
		b.m[name] = e
	}
	e.last = now
	res := e.lim.ReserveN(now, 1)
	delay := res.DelayFrom(now)
	if delay == 0 {
		return nil
	}
	res.CancelAt(now)
	return &Error{
		Status: http.StatusTooManyRequests, Code: codeRateLimited, Retryable: true,
		Message:    "too many requests from " + who + "; retry after the Retry-After seconds",
		RetryAfter: int(math.Ceil(delay.Seconds())),
	}
}

// prune drops the buckets idle long enough to be full again.
func (b *buckets) prune(now time.Time) {
	full := time.Duration(float64(b.cfg.Burst) / b.cfg.Rate * float64(time.Second))
	for name, e := range b.m {
		if now.Sub(e.last) > full {
			delete(b.m, name)
		}
	}
}
