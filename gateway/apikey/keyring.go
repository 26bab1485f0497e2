package apikey

import (
	"crypto/sha256"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Keyring checks bearer keys and holds each key's limits.
type Keyring struct {
	open bool
	keys map[[sha256.Size]byte]*entry
	now  func() time.Time
}

// entry is one key's state; the secret itself is not kept.
type entry struct {
	name   string
	scopes []string
	limits Limits
	bucket *rate.Limiter // nil: no rate limit
	slots  chan struct{} // nil: no concurrency cap
	cap    *big.Rat      // nil: no spend cap
	mu     sync.Mutex    // guards spent and since
	spent  *big.Rat      // wei this window
	since  time.Time     // start of the window
}

// New builds the keyring. httpAddr is where the HTTP port listens, and
// proxied says a reverse proxy forwards to it (trusted_proxies is set):
// with require auto and no key configured, the keyring is open on a
// loopback port that no proxy exposes.
func New(cfg Config, httpAddr string, proxied bool) (*Keyring, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	k := &Keyring{keys: map[[sha256.Size]byte]*entry{}, now: time.Now}
	switch cfg.Require {
	case RequireNever:
		k.open = true
	case RequireAuto:
		k.open = len(cfg.Keys) == 0 && IsLoopback(httpAddr) && !proxied
	}
	for _, key := range cfg.Keys {
		l := key.Limits.merge(cfg.Limits)
		e := &entry{name: key.Name, scopes: key.Scopes, limits: l, spent: new(big.Rat)}
		if l.Rate > 0 {
			e.bucket = rate.NewLimiter(rate.Limit(l.Rate), l.Burst)
		}
		if l.MaxConcurrent > 0 {
			e.slots = make(chan struct{}, l.MaxConcurrent)
		}
		if l.MaxSpend.Int().Sign() > 0 && l.SpendWindow > 0 {
			e.cap = new(big.Rat).SetInt(l.MaxSpend.Int())
		}
		k.keys[sha256.Sum256([]byte(key.Key))] = e
	}
	return k, nil
}

// IsLoopback reports whether addr (host:port) listens on loopback only:
// an IP on a loopback network, or "localhost". An empty host is every
// interface.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Open reports whether every caller is let in without a key.
func (k *Keyring) Open() bool { return k == nil || k.open }

// Len is the number of configured keys.
func (k *Keyring) Len() int {
	if k == nil {
		return 0
	}
	return len(k.keys)
}

// Authenticate finds the caller of r by its bearer key and checks it may
// use scope ("ai:<pipeline>" is allowed by "ai" too). An open keyring
// answers the anonymous caller, which has no limits.
func (k *Keyring) Authenticate(r *http.Request, scope string) (*Caller, error) {
	if k.Open() {
		return &Caller{}, nil
	}
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || tok == "" {
		return nil, ErrNoKey
	}
	e := k.keys[sha256.Sum256([]byte(tok))]
	if e == nil {
		return nil, ErrUnknownKey
	}
	if !e.may(scope) {
		return nil, fmt.Errorf("%w %s", ErrScope, scope)
	}
	return &Caller{e: e, now: k.now}, nil
}

func (e *entry) may(scope string) bool {
	if len(e.scopes) == 0 || slices.Contains(e.scopes, scope) {
		return true
	}
	family, _, ok := strings.Cut(scope, ":")
	return ok && slices.Contains(e.scopes, family)
}

// Caller is an authenticated caller; the anonymous one of an open
// keyring has no limits.
type Caller struct {
	e   *entry // nil: anonymous
	now func() time.Time
}

// Name is the key's name, or "anonymous".
func (c *Caller) Name() string {
	if c == nil || c.e == nil {
		return "anonymous"
	}
	return c.e.name
}

// Begin takes one of the key's concurrent slots and a token from its
// bucket; release gives the slot back, once. A refused request costs
// neither.
func (c *Caller) Begin() (release func(), err error) {
	if c == nil || c.e == nil {
		return func() {}, nil
	}
	free := func() {}
	if c.e.slots != nil {
		select {
		case c.e.slots <- struct{}{}:
		default:
			return nil, &LimitError{Err: ErrConcurrency, RetryAfter: time.Second}
		}
		var once sync.Once
		free = func() { once.Do(func() { <-c.e.slots }) }
	}
	if b := c.e.bucket; b != nil {
		now := c.now()
		res := b.ReserveN(now, 1)
		if d := res.DelayFrom(now); d > 0 {
			res.CancelAt(now)
			free()
			return nil, &LimitError{Err: ErrRateLimited, RetryAfter: d}
		}
	}
	return free, nil
}

// Reserve counts wei against the key's spend cap before they are paid;
// it fails when the window's spending would pass max_spend.
func (c *Caller) Reserve(amount *big.Rat) error {
	if c == nil || c.e == nil || c.e.cap == nil || amount == nil {
		return nil
	}
	e := c.e
	e.mu.Lock()
	defer e.mu.Unlock()
	now := c.now()
	if now.Sub(e.since) >= e.limits.SpendWindow {
		e.since, e.spent = now, new(big.Rat)
	}
	next := new(big.Rat).Add(e.spent, amount)
	if next.Cmp(e.cap) > 0 {
		return &LimitError{Err: ErrSpendLimit, RetryAfter: e.since.Add(e.limits.SpendWindow).Sub(now)}
	}
	e.spent = next
	return nil
}

// Settle replaces a reservation by what was paid in the end: zero for a
// request that failed. Work done is counted even past the cap.
func (c *Caller) Settle(reserved, actual *big.Rat) {
	if c == nil || c.e == nil || c.e.cap == nil {
		return
	}
	e := c.e
	e.mu.Lock()
	defer e.mu.Unlock()
	if reserved != nil {
		e.spent.Sub(e.spent, reserved)
	}
	if actual != nil {
		e.spent.Add(e.spent, actual)
	}
	if e.spent.Sign() < 0 {
		e.spent.SetInt64(0) // a window turned between the two
	}
}
