package selection

import (
	"errors"
	"fmt"
	"net"
	"time"
)

// Orchestrator is one candidate.
type Orchestrator struct {
	// Addr is the orchestrator's gRPC host:port.
	Addr string `yaml:"addr"`
	// Fingerprint pins its TLS certificate (hex SHA-256); empty accepts any.
	Fingerprint string `yaml:"fingerprint"`
}

// Config tunes selection.
type Config struct {
	Orchestrators []Orchestrator `yaml:"orchestrators"`
	// InfoTimeout bounds the parallel GetInfo round.
	InfoTimeout time.Duration `yaml:"info_timeout"`
	// AttemptTimeout bounds one try of one segment (upload, transcode,
	// download).
	AttemptTimeout time.Duration `yaml:"attempt_timeout"`
	// MaxAttempts is how many tries a segment gets across orchestrators.
	MaxAttempts int `yaml:"max_attempts"`
	// SuspendFor keeps a failed orchestrator away from a stream this long.
	SuspendFor time.Duration `yaml:"suspend_for"`
	// MaxRenditionBytes caps the renditions of one segment, all together.
	MaxRenditionBytes int64 `yaml:"max_rendition_bytes"`
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{
		// Two seconds: Livepeer found 500 ms dropped slow but good
		// orchestrators, and one GetInfo round is per stream, not per segment.
		InfoTimeout: 2 * time.Second,
		// 30 s: a 2 s 1080p ladder takes ~1.8 s on 2 CPU cores when idle; a
		// loaded worker may queue it behind several others.
		AttemptTimeout: 30 * time.Second,
		// Three tries, as Livepeer.
		MaxAttempts: 3,
		// 30 s: long enough for a restarting node, short enough that a
		// small network gets its orchestrators back.
		SuspendFor: 30 * time.Second,
		// 256 MiB: many times a 2 s 1080p ladder.
		MaxRenditionBytes: 256 << 20,
	}
}

// Validate names the first bad key.
func (c Config) Validate() error {
	for i, o := range c.Orchestrators {
		if _, _, err := net.SplitHostPort(o.Addr); err != nil {
			return fmt.Errorf("selection.orchestrators[%d].addr: %w", i, err)
		}
	}
	switch {
	case c.InfoTimeout <= 0:
		return errors.New("selection.info_timeout must be positive")
	case c.AttemptTimeout < time.Second:
		return errors.New("selection.attempt_timeout must be at least 1s")
	case c.MaxAttempts < 1 || c.MaxAttempts > 10:
		return fmt.Errorf("selection.max_attempts must be 1..10, got %d", c.MaxAttempts)
	case c.SuspendFor < 0:
		return errors.New("selection.suspend_for must not be negative")
	case c.MaxRenditionBytes < 1<<20:
		return errors.New("selection.max_rendition_bytes must be at least 1 MiB")
	}
	return nil
}
