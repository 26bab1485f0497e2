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
	// SegmentTimeout bounds all the tries of one segment together.
	SegmentTimeout time.Duration `yaml:"segment_timeout"`
	// SuspendFor keeps a failed orchestrator away from a stream this long
	// after its first failure; each failure in a row doubles it, up to
	// SuspendMax.
	SuspendFor time.Duration `yaml:"suspend_for"`
	SuspendMax time.Duration `yaml:"suspend_max"`
	// InfoInterval is how often every orchestrator is asked for its terms
	// (capabilities, load, price) in the background.
	InfoInterval time.Duration `yaml:"info_interval"`
	// GoodLatency is the latency score (round trip / segment duration) up
	// to which a stream stays on its orchestrator whatever else scores
	// better; past it, the stream moves to a candidate whose score is
	// lower by SwitchMargin (a share of the current score).
	GoodLatency  float64 `yaml:"good_latency"`
	SwitchMargin float64 `yaml:"switch_margin"`
	// Weights weigh the score's parts.
	Weights Weights `yaml:"weights"`
	// Verify checks every segment's renditions: the orchestrator's
	// signature, and each one's decoded size and frame count against what
	// was ordered. A mismatch fails the try.
	Verify bool `yaml:"verify"`
	// MaxRenditionBytes caps the renditions of one segment, all together.
	MaxRenditionBytes int64 `yaml:"max_rendition_bytes"`
	// MaxOrchestrators caps the orchestrators the directory keeps terms
	// for; discovery's others (by address order) are left out, so a
	// source that lists millions cannot exhaust the gateway.
	MaxOrchestrators int `yaml:"max_orchestrators"`
	// InfoMaxAge is how old an orchestrator's last terms may be and still
	// be used; older ones (it stopped answering) are not.
	InfoMaxAge time.Duration `yaml:"info_max_age"`
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
		// 60 s for all tries: room for a stuck try and two more.
		SegmentTimeout: time.Minute,
		// 10 s after a first failure, doubling to 5 min: a restarting
		// node is back soon, one that keeps failing is left alone.
		SuspendFor: 10 * time.Second,
		SuspendMax: 5 * time.Minute,
		// 5 s: load moves in seconds; answers bring fresh terms as well.
		InfoInterval: 5 * time.Second,
		// 0.5: a segment transcoded in half of real time leaves room for
		// a slow one; past it a stream may move, to one 20 % better.
		GoodLatency: 0.5, SwitchMargin: 0.2,
		// Latency counts most; a failure costs as much as a latency
		// score of 2; price and load break near ties.
		Weights: Weights{Latency: 1, Failure: 2, Price: 0.3, Load: 0.3},
		Verify:  true,
		// 256 MiB: many times a 2 s 1080p ladder.
		MaxRenditionBytes: 256 << 20,
		// 1,000: far more than any gateway ranks usefully; each costs a
		// connection and one GetInfo per info_interval.
		MaxOrchestrators: 1000,
		// 30 s: six missed info_interval rounds.
		InfoMaxAge: 30 * time.Second,
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
	case c.SegmentTimeout < time.Second:
		return errors.New("selection.segment_timeout must be at least 1s")
	case c.SuspendFor < 0 || c.SuspendMax < c.SuspendFor:
		return errors.New("selection.suspend_for must not be negative nor above selection.suspend_max")
	case c.InfoInterval < 100*time.Millisecond:
		return errors.New("selection.info_interval must be at least 100ms")
	case c.GoodLatency < 0:
		return errors.New("selection.good_latency must not be negative")
	case c.SwitchMargin < 0 || c.SwitchMargin >= 1:
		return errors.New("selection.switch_margin must be in [0, 1)")
	case c.Weights.Latency < 0 || c.Weights.Failure < 0 || c.Weights.Price < 0 || c.Weights.Load < 0:
		return errors.New("selection.weights must not be negative")
	case c.MaxRenditionBytes < 1<<20:
		return errors.New("selection.max_rendition_bytes must be at least 1 MiB")
	case c.MaxOrchestrators < 1 || c.MaxOrchestrators > 100_000:
		return fmt.Errorf("selection.max_orchestrators must be 1..100000, got %d", c.MaxOrchestrators)
	case c.InfoMaxAge < c.InfoInterval:
		return errors.New("selection.info_max_age must be at least selection.info_interval")
	}
	return nil
}
