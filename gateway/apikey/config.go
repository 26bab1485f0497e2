package apikey

import (
	"fmt"
	"strings"
	"time"

	"github.com/castmesh/castmesh/payments/wei"
)

// When keys are required.
const (
	// RequireAuto needs keys unless the HTTP port is on loopback and no
	// key is configured.
	RequireAuto = "auto"
	// RequireAlways needs keys wherever the port listens.
	RequireAlways = "always"
	// RequireNever serves everyone: for a gateway behind an authenticating
	// proxy only.
	RequireNever = "never"
)

// Scopes a key may carry; "ai:<pipeline>" allows one AI pipeline.
const (
	// ScopeAI allows every AI pipeline.
	ScopeAI = "ai"
	// ScopeStreams allows GET /api/streams.
	ScopeStreams = "streams"
)

// minKeyLen keeps keys out of reach of guessing.
const minKeyLen = 16

// Config is the gateway's API keys.
type Config struct {
	// Require is auto, always or never.
	Require string `yaml:"require"`
	// Keys are the callers.
	Keys []Key `yaml:"keys"`
	// Limits apply to every key; a key's own non-zero values win.
	Limits Limits `yaml:"limits"`
}

// Key is one caller's key.
type Key struct {
	// Key is the secret, at least 16 characters.
	Key string `yaml:"key"`
	// Name labels the key in logs and metrics.
	Name string `yaml:"name"`
	// Scopes: "ai", "ai:<pipeline>", "streams"; empty means all.
	Scopes []string `yaml:"scopes"`
	// Limits overrides the shared limits where non-zero.
	Limits Limits `yaml:"limits"`
}

// Limits bound one key. Zero means no limit (in the shared limits) or the
// shared value (in a key's own).
type Limits struct {
	// Rate is requests a second on average, Burst at once.
	Rate  float64 `yaml:"rate"`
	Burst int     `yaml:"burst"`
	// MaxConcurrent is requests running at once, asynchronous ones
	// included.
	MaxConcurrent int `yaml:"max_concurrent"`
	// MaxSpend is the wei the key's AI requests may cost per SpendWindow.
	MaxSpend    wei.Amount    `yaml:"max_spend"`
	SpendWindow time.Duration `yaml:"spend_window"`
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	spend, _ := wei.ParseAmount("10000000000000000")
	return Config{
		Require: RequireAuto,
		Limits: Limits{
			// 5 requests a second with bursts of 20: an app calling the
			// AI API in a loop, not a flood.
			Rate: 5, Burst: 20,
			// 4 at once: one CPU orchestrator is busy with that many.
			MaxConcurrent: 4,
			// 0.01 ETH a day: what one payment may carry at most
			// (payments.sender.max_total_ev), so a leaked key costs a day's
			// budget, not the deposit.
			MaxSpend: spend, SpendWindow: 24 * time.Hour,
		},
	}
}

// Validate names the first bad key.
func (c Config) Validate() error {
	switch c.Require {
	case RequireAuto, RequireAlways, RequireNever:
	default:
		return fmt.Errorf("require must be auto, always or never, got %q", c.Require)
	}
	if err := c.Limits.validate(); err != nil {
		return fmt.Errorf("limits.%w", err)
	}
	seen := map[string]bool{}
	for i, k := range c.Keys {
		switch {
		case len(k.Key) < minKeyLen:
			return fmt.Errorf("keys[%d].key must be at least %d characters", i, minKeyLen)
		case seen[k.Key]:
			return fmt.Errorf("keys[%d].key appears twice", i)
		case k.Name == "":
			return fmt.Errorf("keys[%d].name must be set", i)
		}
		seen[k.Key] = true
		for _, s := range k.Scopes {
			if s != ScopeAI && s != ScopeStreams && !strings.HasPrefix(s, ScopeAI+":") {
				return fmt.Errorf("keys[%d].scopes: unknown scope %q (ai, ai:<pipeline>, streams)", i, s)
			}
		}
		if err := k.Limits.validate(); err != nil {
			return fmt.Errorf("keys[%d].limits.%w", i, err)
		}
	}
	return nil
}

func (l Limits) validate() error {
	switch {
	case l.Rate < 0 || l.Burst < 0:
		return fmt.Errorf("rate and burst must not be negative")
	case l.Rate > 0 && l.Burst < 1:
		return fmt.Errorf("burst must be at least 1 with a rate")
	case l.MaxConcurrent < 0:
		return fmt.Errorf("max_concurrent must not be negative")
	case l.SpendWindow < 0:
		return fmt.Errorf("spend_window must not be negative")
	}
	return nil
}

// merge fills a key's zero limits from the shared ones.
func (l Limits) merge(shared Limits) Limits {
	if l.Rate == 0 {
		l.Rate, l.Burst = shared.Rate, shared.Burst
	}
	if l.MaxConcurrent == 0 {
		l.MaxConcurrent = shared.MaxConcurrent
	}
	if l.MaxSpend.Int().Sign() == 0 {
		l.MaxSpend = shared.MaxSpend
	}
	if l.SpendWindow == 0 {
		l.SpendWindow = shared.SpendWindow
	}
	return l
}
