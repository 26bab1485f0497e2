package airunner

import (
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/castmesh/castmesh/ai/pipeline"
)

// Config lists the worker's AI models.
type Config struct {
	Models []ModelConfig `yaml:"models"`
	// HealthInterval is how often each runner's /health is checked.
	HealthInterval time.Duration `yaml:"health_interval"`
	// FFmpeg encodes image-to-video frames to MP4.
	FFmpeg string `yaml:"ffmpeg"`
}

// ModelConfig is one model the worker serves.
type ModelConfig struct {
	Pipeline string `yaml:"pipeline"`
	// ModelID names the model. For a built-in it picks the model (see
	// package ai/builtin); for an external runner it is what the runner
	// serves.
	ModelID string `yaml:"model_id"`
	// URL is an external runner's base URL; empty means a built-in model.
	URL string `yaml:"url"`
	// Token is the external runner's bearer token.
	Token string `yaml:"token"`
	// Warm loads the model at start; a cold one loads on first use.
	Warm bool `yaml:"warm"`
	// Capacity is the requests run at once.
	Capacity int `yaml:"capacity"`
	// Timeout bounds one request.
	Timeout time.Duration `yaml:"timeout"`
	// Options configure a built-in model (see package ai/builtin).
	Options map[string]string `yaml:"options"`
}

// DefaultConfig has no models.
func DefaultConfig() Config {
	return Config{
		// 5 s, as go-livepeer watches its runner containers.
		HealthInterval: 5 * time.Second,
		FFmpeg:         "ffmpeg",
	}
}

// Validate names the first bad key.
func (c Config) Validate() error {
	if c.HealthInterval < 100*time.Millisecond {
		return fmt.Errorf("health_interval must be at least 100ms, got %s", c.HealthInterval)
	}
	if c.FFmpeg == "" {
		return errors.New("ffmpeg must be set")
	}
	seen := map[[2]string]bool{}
	for i, m := range c.Models {
		if err := m.validate(); err != nil {
			return fmt.Errorf("models[%d].%w", i, err)
		}
		k := [2]string{m.Pipeline, m.ModelID}
		if seen[k] {
			return fmt.Errorf("models[%d]: %s %s is listed twice", i, m.Pipeline, m.ModelID)
		}
		seen[k] = true
	}
	return nil
}

func (m ModelConfig) validate() error {
	if _, ok := pipeline.Parse(m.Pipeline); !ok {
		return fmt.Errorf("pipeline: %q is not a batch pipeline", m.Pipeline)
	}
	switch {
	case m.ModelID == "":
		return errors.New("model_id must be set")
	case m.Capacity < 1 || m.Capacity > 64:
		return fmt.Errorf("capacity must be 1..64, got %d", m.Capacity)
	case m.Timeout < time.Second:
		return fmt.Errorf("timeout must be at least 1s, got %s", m.Timeout)
	}
	if m.URL != "" {
		if u, err := url.Parse(m.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("url must be an http(s) URL, got %q", m.URL)
		}
	}
	return nil
}
