package streams

import (
	"errors"
	"fmt"
	"time"

	"github.com/castmesh/castmesh/pkg/media"
)

// Config tunes the stream manager.
type Config struct {
	// MaxStreams is how many streams the gateway takes at once.
	MaxStreams int `yaml:"max_streams"`
	// MaxInFlight is how many segments of one stream are transcoded at once.
	MaxInFlight int `yaml:"max_in_flight"`
	// MaxQueued is how many more may wait before new ones are dropped.
	MaxQueued int `yaml:"max_queued"`
	// PushIdleTimeout ends an HTTP push stream that sent nothing this long.
	PushIdleTimeout time.Duration `yaml:"push_idle_timeout"`
	// Profiles is the ladder of streams that do not name their own.
	Profiles []media.Profile `yaml:"profiles"`
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{
		// 100 streams: ingest and segmenting cost ~4 % of a core per 1080p
		// stream; the network's transcoding capacity is the real limit.
		MaxStreams: 100,
		// Three 2 s segments in flight cover a round trip of up to 6 s
		// while the stream stays live.
		MaxInFlight: 3,
		// Six more (12 s of media) ride out a slow patch; past that the
		// stream is too far behind to catch up.
		MaxQueued: 6,
		// 60 s, as Livepeer's HTTP push.
		PushIdleTimeout: time.Minute,
		Profiles:        media.DefaultLadder(),
	}
}

// Validate names the first bad key.
func (c Config) Validate() error {
	switch {
	case c.MaxStreams < 1:
		return fmt.Errorf("streams.max_streams must be at least 1, got %d", c.MaxStreams)
	case c.MaxInFlight < 1:
		return fmt.Errorf("streams.max_in_flight must be at least 1, got %d", c.MaxInFlight)
	case c.MaxQueued < 0:
		return fmt.Errorf("streams.max_queued must not be negative, got %d", c.MaxQueued)
	case c.PushIdleTimeout < time.Second:
		return errors.New("streams.push_idle_timeout must be at least 1s")
	}
	if err := media.ValidateLadder(c.Profiles); err != nil {
		return fmt.Errorf("streams.profiles: %w", err)
	}
	return nil
}
