package aiapi

import (
	"errors"
	"fmt"
	"time"

	"github.com/castmesh/castmesh/ai/pipeline"
	"github.com/castmesh/castmesh/payments/wei"
)

// Config tunes the AI API.
type Config struct {
	// Enabled serves the AI routes.
	Enabled bool `yaml:"enabled"`
	// MaxBodyBytes bounds a request body; larger ones get 413.
	MaxBodyBytes int64 `yaml:"max_body_bytes"`
	// RetryTimeout is how long the gateway keeps trying orchestrators for a
	// request: no new try starts after it, and the caller gets 503.
	RetryTimeout time.Duration `yaml:"retry_timeout"`
	// RequestTimeout bounds one try, streaming included.
	RequestTimeout time.Duration `yaml:"request_timeout"`
	// InfoTTL is how long an orchestrator's advertised models, load and
	// prices are trusted before they are asked again.
	InfoTTL time.Duration `yaml:"info_ttl"`
	// Suspend is how long an orchestrator that failed a request is passed
	// over for that pipeline.
	Suspend time.Duration `yaml:"suspend"`
	// MaxPrices caps the price per unit paid for each pipeline, in wei;
	// "default" applies to pipelines not listed. No entry means no cap.
	MaxPrices map[string]wei.Price `yaml:"max_prices"`
	// Results keeps re-hosted files.
	Results ResultsConfig `yaml:"results"`
	// MaxAsync bounds the asynchronous image-to-video requests running at
	// once; more get 429.
	MaxAsync int `yaml:"max_async"`
}

// ResultsConfig bounds the files the gateway re-hosts.
type ResultsConfig struct {
	// TTL is how long a file stays fetchable.
	TTL time.Duration `yaml:"ttl"`
	// MaxBytes caps the memory the files take; the oldest go first.
	MaxBytes int64 `yaml:"max_bytes"`
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	price := func(s string) wei.Price {
		p, _ := wei.ParsePrice(s)
		return p
	}
	return Config{
		Enabled: true,
		// 50 MB, as ai-runner takes at most.
		MaxBodyBytes: 50_000_000,
		// 15 s of trying: enough for a refresh and a few orchestrators,
		// short enough that a caller with nowhere to go hears so quickly.
		// (Livepeer's gateway gives 2 s, tuned for GPUs that answer at once.)
		RetryTimeout: 15 * time.Second,
		// 10 min for one try: a CPU worker's largest upscale or an llm
		// answer streamed at reading speed.
		RequestTimeout: 10 * time.Minute,
		// 10 s: load moves fast; every answer also brings fresh terms.
		InfoTTL: 10 * time.Second,
		Suspend: 30 * time.Second,
		// Twice the orchestrators' default prices (orchestrator/pricing).
		MaxPrices: map[string]wei.Price{
			"default": price("2000"), string(pipeline.Upscale): price("100000"),
			string(pipeline.AudioToText): price("200000"), string(pipeline.TextToSpeech): price("2000000"),
			string(pipeline.LLM): price("20000000"),
		},
		// An hour and 1 GiB: long enough to fetch, small enough for RAM.
		Results:  ResultsConfig{TTL: time.Hour, MaxBytes: 1 << 30},
		MaxAsync: 16,
	}
}

// Validate names the first bad key.
func (c Config) Validate() error {
	switch {
	case c.MaxBodyBytes < 1<<10:
		return fmt.Errorf("max_body_bytes must be at least 1024, got %d", c.MaxBodyBytes)
	case c.RetryTimeout < 100*time.Millisecond:
		return fmt.Errorf("retry_timeout must be at least 100ms, got %s", c.RetryTimeout)
	case c.RequestTimeout < time.Second:
		return fmt.Errorf("request_timeout must be at least 1s, got %s", c.RequestTimeout)
	case c.InfoTTL < 100*time.Millisecond:
		return fmt.Errorf("info_ttl must be at least 100ms, got %s", c.InfoTTL)
	case c.Suspend < 0:
		return errors.New("suspend must not be negative")
	case c.Results.TTL < time.Second || c.Results.MaxBytes < 1<<20:
		return errors.New("results.ttl must be at least 1s and results.max_bytes at least 1 MiB")
	case c.MaxAsync < 1:
		return fmt.Errorf("max_async must be at least 1, got %d", c.MaxAsync)
	}
	for k, p := range c.MaxPrices {
		if _, ok := pipeline.Parse(k); !ok && k != "default" {
			return fmt.Errorf("max_prices: %q is not a pipeline", k)
		}
		if p.Rat().Sign() < 0 {
			return fmt.Errorf("max_prices.%s must not be negative", k)
		}
	}
	return nil
}
