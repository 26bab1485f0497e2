package vod

import (
	"fmt"
	"time"
)

// Config tunes the VOD API.
type Config struct {
	// Enabled serves the /v1 routes.
	Enabled bool `yaml:"enabled"`
	// Store is a postgres:// URL, or a SQLite file; empty means vod.db in
	// the gateway's data_dir.
	Store string `yaml:"store"`
	// MediaDir keeps uploads and outputs; empty means vod/ in data_dir.
	MediaDir string `yaml:"media_dir"`
	// APIKeys are the keys callers send as Bearer tokens. With none, the
	// API is open: every caller has every scope (for the devnet).
	APIKeys []APIKey `yaml:"api_keys"`
	// MaxUploadBytes caps a file.
	MaxUploadBytes int64 `yaml:"max_upload_bytes"`
	// MaxDuration caps a source's length.
	MaxDuration time.Duration `yaml:"max_duration"`
	// UploadTTL is how long an upload may take from creation to complete.
	UploadTTL time.Duration `yaml:"upload_ttl"`
	// RateLimit bounds requests per key and per client address.
	RateLimit RateLimitConfig `yaml:"rate_limit"`
	// FFprobe is the ffprobe binary; empty means "ffprobe" on PATH.
	FFprobe string `yaml:"ffprobe"`
	// FFmpeg is the ffmpeg binary (cutting, muxing, quality); empty means
	// "ffmpeg" on PATH.
	FFmpeg string `yaml:"ffmpeg"`
	// Jobs tunes how jobs run.
	Jobs JobsConfig `yaml:"jobs"`
	// Quota bounds the jobs of one owner (every key with that owner).
	Quota QuotaConfig `yaml:"quota"`
	// Webhooks tunes event deliveries.
	Webhooks WebhooksConfig `yaml:"webhooks"`
	// PlayTTL is how long the tokened /v1/play/ URL of an HLS output
	// plays; the output's route hands out a fresh one each time.
	PlayTTL time.Duration `yaml:"play_ttl"`
	// AllowPrivateURLs lets URL sources and webhooks point at loopback and
	// private addresses, and webhooks use plain http: for tests and closed
	// networks only.
	AllowPrivateURLs bool `yaml:"allow_private_urls"`
}

// WebhooksConfig tunes event deliveries.
type WebhooksConfig struct {
	// Timeout bounds one delivery attempt.
	Timeout time.Duration `yaml:"timeout"`
	// Retries are the waits before the second, third … attempt; after the
	// last the delivery is logged as failed.
	Retries []time.Duration `yaml:"retries"`
}

// JobsConfig tunes how jobs run.
type JobsConfig struct {
	// Concurrent is how many jobs this gateway runs at once.
	Concurrent int `yaml:"concurrent"`
	// Parallel is how many segments of one job are out at once, spread
	// over the orchestrators.
	Parallel int `yaml:"parallel"`
	// SegmentDuration is where sources are cut (at the next keyframe).
	SegmentDuration time.Duration `yaml:"segment_duration"`
	// Lease is how long a gateway holds a job without renewing it; a job
	// whose gateway died is taken up by another after it.
	Lease time.Duration `yaml:"lease"`
	// StallTimeout fails a try of a job that made no progress this long.
	StallTimeout time.Duration `yaml:"stall_timeout"`
	// AutoSSIM is the quality the auto profile keeps: the SSIM of the
	// output against the source, from 0 to 1.
	AutoSSIM float64 `yaml:"auto_ssim"`
}

// QuotaConfig bounds what one owner may ask of the network, so that one
// key cannot fill it: a job over quota is refused with 429 quota_exceeded
// and a Retry-After. (The runner also takes owners in turn, so the jobs an
// owner may queue wait behind no other owner's backlog.) Zero means no
// limit.
type QuotaConfig struct {
	// MaxActiveJobs is how many jobs an owner may have queued or running
	// at once.
	MaxActiveJobs int `yaml:"max_active_jobs"`
	// MaxJobsPerWindow is how many jobs an owner may create in any Window.
	MaxJobsPerWindow int `yaml:"max_jobs_per_window"`
	// MaxUploadBytesPerWindow is how many bytes an owner may declare in
	// uploads (and send to /api/optimize) in any Window: disk the gateway
	// keeps for it, and source the network would encode.
	MaxUploadBytesPerWindow int64 `yaml:"max_upload_bytes_per_window"`
	// Window is the span the per-window limits count over.
	Window time.Duration `yaml:"window"`
}

// APIKey is one caller's key.
type APIKey struct {
	// Key is the secret the caller sends (at least 16 characters). Only
	// its SHA-256 is stored.
	Key string `yaml:"key"`
	// Name labels the key in logs.
	Name string `yaml:"name"`
	// Owner groups keys that see the same uploads, jobs and webhooks;
	// empty means the key's name.
	Owner string `yaml:"owner"`
	// Scopes are what the key may do (Scopes lists them); empty means all.
	Scopes []string `yaml:"scopes"`
}

// RateLimitConfig is two token buckets: one per API key, one per client
// address.
type RateLimitConfig struct {
	PerKey Bucket `yaml:"per_key"`
	PerIP  Bucket `yaml:"per_ip"`
}

// Bucket allows Rate requests a second on average and Burst at once;
// a zero Rate means no limit.
type Bucket struct {
	Rate  float64 `yaml:"rate"`
	Burst int     `yaml:"burst"`
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{
		// 10 GiB and 4 h: a feature film in a mezzanine quality.
		MaxUploadBytes: 10 << 30,
		MaxDuration:    4 * time.Hour,
		// 24 h, as SOPHON's upload sessions.
		UploadTTL: 24 * time.Hour,
		// 20 requests a second per key with bursts of 100 (a client
		// sending parts four at a time never meets it); 50 a second per
		// address, so one host cannot starve the gateway.
		RateLimit: RateLimitConfig{PerKey: Bucket{Rate: 20, Burst: 100}, PerIP: Bucket{Rate: 50, Burst: 200}},
		// 24 h: a day of watching from one link; links leaked later die.
		PlayTTL: 24 * time.Hour,
		// 10 s per attempt, as SOPHON; five attempts over about 36 minutes.
		Webhooks: WebhooksConfig{Timeout: 10 * time.Second, Retries: []time.Duration{
			10 * time.Second, time.Minute, 5 * time.Minute, 30 * time.Minute,
		}},
		Jobs: JobsConfig{
			// Two jobs at once, eight segments each: enough to keep a few
			// orchestrators busy without flooding one.
			Concurrent: 2, Parallel: 8,
			// 4 s segments: a cut costs a keyframe and a startup, so not
			// shorter; not longer, or few orchestrators share a short clip.
			SegmentDuration: 4 * time.Second,
			Lease:           30 * time.Second,
			StallTimeout:    5 * time.Minute,
			// 0.95: differences are hard to see at normal viewing distance.
			AutoSSIM: 0.95,
		},
		// 10 at once: five times what a gateway runs, so a client that
		// submits a batch keeps the lanes busy, yet one owner's backlog is
		// bounded. 500 a day: a busy library re-encoding a few hundred
		// titles; more is an operator's decision.
		// 100 GiB a day: ten uploads of the largest file.
		Quota: QuotaConfig{MaxActiveJobs: 10, MaxJobsPerWindow: 500, MaxUploadBytesPerWindow: 100 << 30, Window: 24 * time.Hour},
	}
}

// Validate names the first bad key.
func (c Config) Validate() error {
	switch {
	case c.MaxUploadBytes < 1<<20:
		return fmt.Errorf("max_upload_bytes must be at least 1 MiB, got %d", c.MaxUploadBytes)
	case c.MaxDuration < time.Second:
		return fmt.Errorf("max_duration must be at least 1s, got %s", c.MaxDuration)
	case c.UploadTTL < time.Minute:
		return fmt.Errorf("upload_ttl must be at least 1m, got %s", c.UploadTTL)
	case c.PlayTTL < time.Minute:
		return fmt.Errorf("play_ttl must be at least 1m, got %s", c.PlayTTL)
	}
	j := c.Jobs
	switch {
	case j.Concurrent < 1 || j.Parallel < 1:
		return fmt.Errorf("jobs.concurrent and jobs.parallel must be at least 1")
	case j.SegmentDuration < time.Second || j.SegmentDuration > time.Minute:
		return fmt.Errorf("jobs.segment_duration must be from 1s to 1m, got %s", j.SegmentDuration)
	case j.Lease < time.Second:
		return fmt.Errorf("jobs.lease must be at least 1s, got %s", j.Lease)
	case j.StallTimeout < time.Second:
		return fmt.Errorf("jobs.stall_timeout must be at least 1s, got %s", j.StallTimeout)
	case j.AutoSSIM <= 0 || j.AutoSSIM >= 1:
		return fmt.Errorf("jobs.auto_ssim must be between 0 and 1, got %g", j.AutoSSIM)
	}
	switch q := c.Quota; {
	case q.MaxActiveJobs < 0:
		return fmt.Errorf("quota.max_active_jobs must not be negative, got %d", q.MaxActiveJobs)
	case q.MaxJobsPerWindow < 0:
		return fmt.Errorf("quota.max_jobs_per_window must not be negative, got %d", q.MaxJobsPerWindow)
	case q.MaxUploadBytesPerWindow < 0:
		return fmt.Errorf("quota.max_upload_bytes_per_window must not be negative, got %d", q.MaxUploadBytesPerWindow)
	case (q.MaxJobsPerWindow > 0 || q.MaxUploadBytesPerWindow > 0) && q.Window < time.Minute:
		return fmt.Errorf("quota.window must be at least 1m with a per-window limit, got %s", q.Window)
	}
	if c.Webhooks.Timeout < time.Second {
		return fmt.Errorf("webhooks.timeout must be at least 1s, got %s", c.Webhooks.Timeout)
	}
	for i, d := range c.Webhooks.Retries {
		if d <= 0 {
			return fmt.Errorf("webhooks.retries[%d] must be positive", i)
		}
	}
	for name, b := range map[string]Bucket{"per_key": c.RateLimit.PerKey, "per_ip": c.RateLimit.PerIP} {
		if b.Rate < 0 || b.Rate > 0 && b.Burst < 1 {
			return fmt.Errorf("rate_limit.%s: rate must not be negative, and burst at least 1 with a rate", name)
		}
	}
	seen := map[string]bool{}
	for i, k := range c.APIKeys {
		switch {
		case len(k.Key) < 16:
			return fmt.Errorf("api_keys[%d].key must be at least 16 characters", i)
		case seen[k.Key]:
			return fmt.Errorf("api_keys[%d].key appears twice", i)
		case k.Name == "":
			return fmt.Errorf("api_keys[%d].name must be set", i)
		}
		seen[k.Key] = true
		for _, s := range k.Scopes {
			if !validScope(s) {
				return fmt.Errorf("api_keys[%d].scopes: unknown scope %q (known: %v)", i, s, Scopes())
			}
		}
	}
	return nil
}
