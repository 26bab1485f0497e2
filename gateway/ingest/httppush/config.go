package httppush

import (
	"fmt"
	"time"
)

// Config limits what a push may carry.
type Config struct {
	// MaxBody is the largest segment accepted, in bytes. 64 MiB holds 30 s
	// at 17 Mbit/s, above any contribution bitrate for the segment lengths
	// allowed.
	MaxBody int64 `yaml:"max_body" help:"largest pushed segment in bytes"`
	// DefaultDuration is the segment duration assumed without a
	// Content-Duration header; 2 s is Livepeer's default and castmesh's
	// segment length.
	DefaultDuration time.Duration `yaml:"default_duration" help:"segment duration when Content-Duration is absent"`
	// MaxDuration is the longest Content-Duration accepted. Pushes are
	// synchronous and transcoding runs at about real time, so a 30 s segment
	// already keeps a request open for 30 s or more (common proxy timeouts
	// are 60 s); it also covers the 10 s segments of HLS packagers.
	// Livepeer's 5 minutes would hold connections, memory and payment
	// for minutes per request.
	MaxDuration time.Duration `yaml:"max_duration" help:"longest Content-Duration accepted"`
}

// DefaultConfig returns the settings castmesh ships with.
func DefaultConfig() Config {
	return Config{
		MaxBody:         64 << 20,
		DefaultDuration: 2 * time.Second,
		MaxDuration:     30 * time.Second,
	}
}

// Validate reports the first bad value, naming its key.
func (c Config) Validate() error {
	switch {
	case c.MaxBody < 188 || c.MaxBody > 1<<30:
		return fmt.Errorf("http_push max_body: %d out of range 188..1073741824 bytes", c.MaxBody)
	case c.MaxDuration < time.Millisecond || c.MaxDuration > 5*time.Minute:
		return fmt.Errorf("http_push max_duration: %v out of range 1ms..5m", c.MaxDuration)
	case c.DefaultDuration < time.Millisecond || c.DefaultDuration > c.MaxDuration:
		return fmt.Errorf("http_push default_duration: %v out of range 1ms..max_duration", c.DefaultDuration)
	}
	return nil
}
