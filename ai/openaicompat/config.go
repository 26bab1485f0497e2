package openaicompat

import (
	"errors"
	"fmt"
	"net/url"
	"time"
)

// Config names the upstream server and bounds how long and how much it
// may answer.
type Config struct {
	// BaseURL is the API's root, the part before /chat/completions, e.g.
	// http://127.0.0.1:8000/v1.
	BaseURL string `yaml:"base_url"`
	// APIKey, when set, is sent as a bearer token.
	APIKey string `yaml:"api_key"`
	// Model is the upstream's model name; it is also this model's id, which
	// callers must name or leave empty.
	Model string `yaml:"model"`
	// ConnectTimeout bounds opening a connection to the upstream.
	ConnectTimeout time.Duration `yaml:"connect_timeout"`
	// Timeout bounds a whole request, streamed or not.
	Timeout time.Duration `yaml:"timeout"`
	// IdleTimeout bounds the wait for each event of a stream, the first
	// included.
	IdleTimeout time.Duration `yaml:"idle_timeout"`
	// StreamUsage asks streams for token usage (stream_options), which
	// some older servers refuse.
	StreamUsage bool `yaml:"stream_usage"`
	// MaxMessageBytes bounds a whole answer and each event of a stream.
	MaxMessageBytes int `yaml:"max_message_bytes"`
}

// DefaultConfig returns the defaults: a vLLM server on this host serving
// ai-runner's default llm model.
func DefaultConfig() Config {
	return Config{
		// vLLM's `vllm serve` listens on port 8000 under /v1.
		BaseURL: "http://127.0.0.1:8000/v1",
		Model:   "meta-llama/Meta-Llama-3.1-8B-Instruct",
		// 10 s: a server that cannot be reached in that time is down.
		ConnectTimeout: 10 * time.Second,
		// 5 minutes: 4096 tokens at 15 tokens/s, a slow GPU.
		Timeout: 5 * time.Minute,
		// 60 s: covers prefill of a long prompt on a busy server before
		// the first event; between tokens the gaps are milliseconds.
		IdleTimeout: 60 * time.Second,
		StreamUsage: true,
		// 8 MiB: far above any chat answer; bounds a broken upstream.
		MaxMessageBytes: 8 << 20,
	}
}

// Validate names the first bad key.
func (c Config) Validate() error {
	u, err := url.Parse(c.BaseURL)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return fmt.Errorf("base_url must be an http or https URL, got %q", c.BaseURL)
	case c.Model == "":
		return errors.New("model must be set")
	case c.ConnectTimeout <= 0:
		return errors.New("connect_timeout must be positive")
	case c.Timeout <= 0:
		return errors.New("timeout must be positive")
	case c.IdleTimeout <= 0:
		return errors.New("idle_timeout must be positive")
	case c.MaxMessageBytes <= 0:
		return errors.New("max_message_bytes must be positive")
	}
	return nil
}
