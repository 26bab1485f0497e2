package apikey

import (
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/castmesh/castmesh/payments/wei"
	"github.com/castmesh/castmesh/test/fixture"
)

const (
	aiKey     = "ai-key-0123456789"
	ttsKey    = "tts-key-0123456789"
	streamKey = "streams-key-0123456789"
)

func testKeyring(t *testing.T, mutate func(*Config)) (*Keyring, *fixture.Clock) {
	t.Helper()
	cfg := DefaultConfig()
	cfg.Keys = []Key{
		{Key: aiKey, Name: "app", Scopes: []string{ScopeAI}},
		{Key: ttsKey, Name: "tts", Scopes: []string{"ai:text-to-speech"}},
		{Key: streamKey, Name: "ops", Scopes: []string{ScopeStreams}},
	}
	if mutate != nil {
		mutate(&cfg)
	}
	k, err := New(cfg, "0.0.0.0:8935", false)
	if err != nil {
		t.Fatal(err)
	}
	clock := fixture.NewClock(time.Unix(1_000_000, 0))
	k.now = clock.Now
	return k, clock
}

func request(t *testing.T, key string) *http.Request {
	t.Helper()
	r := httptest.NewRequestWithContext(t.Context(), http.MethodPost, "/text-to-image", nil)
	if key != "" {
		r.Header.Set("Authorization", "Bearer "+key)
	}
	return r
}

// TestOpenOnlyOnLoopback: Issue #12 finding 4: the AI API spent the
// deposit for anyone. Keys are needed off loopback, with or without any
// configured.
func TestOpenOnlyOnLoopback(t *testing.T) {
	tests := []struct {
		name    string
		require string
		addr    string
		keys    []Key
		proxied bool
		open    bool
	}{
		{"loopback without keys", RequireAuto, "127.0.0.1:8935", nil, false, true},
		{"localhost without keys", RequireAuto, "localhost:8935", nil, false, true},
		{"ipv6 loopback", RequireAuto, "[::1]:8935", nil, false, true},
		{"every interface", RequireAuto, ":8935", nil, false, false},
		{"public address", RequireAuto, "0.0.0.0:8935", nil, false, false},
		{"loopback with keys", RequireAuto, "127.0.0.1:8935", []Key{{Key: aiKey, Name: "a"}}, false, false},
		{"always", RequireAlways, "127.0.0.1:8935", nil, false, false},
		{"never", RequireNever, "0.0.0.0:8935", nil, false, true},
		{"loopback behind a proxy", RequireAuto, "127.0.0.1:8935", nil, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Require, cfg.Keys = tt.require, tt.keys
			k, err := New(cfg, tt.addr, tt.proxied)
			if err != nil {
				t.Fatal(err)
			}
			if k.Open() != tt.open {
				t.Fatalf("open %v, want %v", k.Open(), tt.open)
			}
			_, err = k.Authenticate(request(t, ""), ScopeAI)
			if tt.open != (err == nil) {
				t.Fatalf("a request without a key: %v", err)
			}
			if !tt.open && !errors.Is(err, ErrNoKey) {
				t.Fatalf("got %v, want ErrNoKey", err)
			}
		})
	}
}

func TestScopes(t *testing.T) {
	k, _ := testKeyring(t, nil)
	tests := []struct {
		name  string
		key   string
		scope string
		want  error
	}{
		{"ai key, any pipeline", aiKey, "ai:upscale", nil},
		{"pipeline key, its pipeline", ttsKey, "ai:text-to-speech", nil},
		{"pipeline key, another", ttsKey, "ai:upscale", ErrScope},
		{"ai key lists no streams", aiKey, ScopeStreams, ErrScope},
		{"streams key", streamKey, ScopeStreams, nil},
		{"streams key spends nothing", streamKey, "ai:llm", ErrScope},
		{"unknown", "nobody-0123456789", "ai:llm", ErrUnknownKey},
		{"missing", "", "ai:llm", ErrNoKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := k.Authenticate(request(t, tt.key), tt.scope)
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if st, _, ok := HTTPStatus(err); err != nil && (!ok || st < 400) {
				t.Fatalf("unmapped error %v", err)
			}
		})
	}
}

func TestRateAndConcurrency(t *testing.T) {
	k, clock := testKeyring(t, func(c *Config) {
		c.Limits.Rate, c.Limits.Burst, c.Limits.MaxConcurrent = 1, 3, 2
	})
	c, err := k.Authenticate(request(t, aiKey), ScopeAI)
	if err != nil {
		t.Fatal(err)
	}
	r1, err1 := c.Begin()
	r2, err2 := c.Begin()
	if err1 != nil || err2 != nil {
		t.Fatalf("within the caps: %v %v", err1, err2)
	}
	if _, err := c.Begin(); !errors.Is(err, ErrConcurrency) {
		t.Fatalf("third at once: %v", err)
	}
	r1()
	r1() // twice gives back one slot only
	r3, err := c.Begin()
	if err != nil {
		t.Fatalf("after a release: %v", err)
	}
	r2()
	r3()
	// The bucket's burst of 3 is spent (the refused try gave its token back).
	_, err = c.Begin()
	var le *LimitError
	if !errors.Is(err, ErrRateLimited) || !errors.As(err, &le) || le.RetryAfter <= 0 {
		t.Fatalf("past the burst: %v", err)
	}
	clock.Advance(time.Second)
	if rel, err := c.Begin(); err != nil {
		t.Fatalf("a second later: %v", err)
	} else {
		rel()
	}
}

func TestSpendCap(t *testing.T) {
	k, clock := testKeyring(t, func(c *Config) {
		c.Limits.MaxSpend, _ = wei.ParseAmount("1000")
		c.Limits.SpendWindow = time.Hour
	})
	c, err := k.Authenticate(request(t, aiKey), ScopeAI)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Reserve(big.NewRat(600, 1)); err != nil {
		t.Fatal(err)
	}
	if err := c.Reserve(big.NewRat(600, 1)); !errors.Is(err, ErrSpendLimit) {
		t.Fatalf("past the cap: %v", err)
	}
	c.Settle(big.NewRat(600, 1), big.NewRat(100, 1)) // it cost less
	if err := c.Reserve(big.NewRat(800, 1)); err != nil {
		t.Fatalf("after settling lower: %v", err)
	}
	c.Settle(big.NewRat(800, 1), nil) // it failed
	if err := c.Reserve(big.NewRat(900, 1)); err != nil {
		t.Fatalf("after a failure's refund: %v", err)
	}
	if err := c.Reserve(big.NewRat(1, 1)); !errors.Is(err, ErrSpendLimit) {
		t.Fatalf("at the cap: %v", err)
	}
	// Another key has its own budget.
	other, _ := k.Authenticate(request(t, ttsKey), "ai:text-to-speech")
	if err := other.Reserve(big.NewRat(1000, 1)); err != nil {
		t.Fatalf("another key: %v", err)
	}
	clock.Advance(time.Hour)
	if err := c.Reserve(big.NewRat(1000, 1)); err != nil {
		t.Fatalf("a new window: %v", err)
	}
}

func TestValidateNamesTheKey(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Config)
		want   string
	}{
		{"require", func(c *Config) { c.Require = "sometimes" }, "require"},
		{"short key", func(c *Config) { c.Keys = []Key{{Key: "short", Name: "a"}} }, "keys[0].key"},
		{"no name", func(c *Config) { c.Keys = []Key{{Key: aiKey}} }, "keys[0].name"},
		{"twice", func(c *Config) { c.Keys = []Key{{Key: aiKey, Name: "a"}, {Key: aiKey, Name: "b"}} }, "keys[1].key"},
		{"scope", func(c *Config) { c.Keys = []Key{{Key: aiKey, Name: "a", Scopes: []string{"admin"}}} }, "keys[0].scopes"},
		{"burst", func(c *Config) { c.Limits.Burst = 0 }, "limits.burst"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := DefaultConfig()
			tt.mutate(&c)
			err := c.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error naming %s", err, tt.want)
			}
		})
	}
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatal(err)
	}
}
