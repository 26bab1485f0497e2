package segmenter

import (
	"errors"
	"fmt"
	"time"
)

// TimestampOffset is added to every PTS and DTS the Segmenter writes (see
// the package doc for why).
const TimestampOffset = 10 * time.Second

// Config tunes where segments are cut.
type Config struct {
	// Target is the shortest segment: a segment ends at the first IDR at
	// least this far past its start.
	Target time.Duration `yaml:"target" help:"shortest segment; cut at the first IDR this far past the segment start"`
	// Max is the longest GOP accepted; a longer one is an error.
	Max time.Duration `yaml:"max" help:"longest GOP accepted before the stream is refused"`
	// MaxBytes caps the size of one segment's media, in bytes.
	MaxBytes int `yaml:"max_bytes" help:"largest segment accepted, bytes"`
}

// DefaultConfig returns the settings castmesh ships with.
func DefaultConfig() Config {
	return Config{
		// 2 s: short enough for low HLS latency (3 segments ≈ 6 s behind
		// live), long enough that one ffmpeg start per segment (~0.09 s)
		// stays a small share of the transcode.
		Target: 2 * time.Second,
		// 15 s: x264's default keyint of 250 frames is 10.4 s at 23.976 fps
		// and 8.3 s at 30 fps, so encoders left at their defaults still
		// work; beyond that, HLS players stall waiting for a segment.
		Max: 15 * time.Second,
		// 64 MiB: 15 s at 30 Mbit/s is 56 MiB; this bounds what one
		// publisher can make the gateway hold.
		MaxBytes: 64 << 20,
	}
}

// Validate reports the first setting that is out of range.
func (c Config) Validate() error {
	switch {
	case c.Target < 100*time.Millisecond || c.Target > time.Minute:
		return fmt.Errorf("target: %v out of range 100ms..1m", c.Target)
	case c.Max < c.Target || c.Max > 10*time.Minute:
		return fmt.Errorf("max: %v must be at least target (%v) and at most 10m", c.Max, c.Target)
	case c.MaxBytes < 1<<20:
		return errors.New("max_bytes: must be at least 1048576 (1 MiB)")
	}
	return nil
}
