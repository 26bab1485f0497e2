package runnerapi

import (
	"errors"

	"github.com/castmesh/castmesh/ai/pipeline"
)

// Config tunes a runner server.
type Config struct {
	// Token, when set, is the bearer token every request must carry.
	Token string `yaml:"token"`
	// MaxBodyBytes bounds a request body; larger ones get 413.
	MaxBodyBytes int64 `yaml:"max_body_bytes"`
	// Warm loads the model's weights when the server starts; a cold model
	// loads them on its first request.
	Warm bool `yaml:"warm"`
	// Limits bound what one request may ask for.
	Limits pipeline.Limits `yaml:"-"`
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{
		// 50 MB, as ai-runner refuses larger uploads with 413.
		MaxBodyBytes: 50_000_000,
		Warm:         true,
		Limits:       pipeline.DefaultLimits(),
	}
}

// Validate names the first bad key.
func (c Config) Validate() error {
	if c.MaxBodyBytes <= 0 {
		return errors.New("max_body_bytes must be positive")
	}
	return nil
}
