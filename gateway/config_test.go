package gateway

import (
	"strings"
	"testing"

	"github.com/castmesh/castmesh/test/fixture"
)

func TestExampleConfigIsDefault(t *testing.T) {
	fixture.ExampleIsDefault(t, "config.example.yaml", &Config{}, DefaultConfig())
}

func TestValidateNamesTheKey(t *testing.T) {
	if err := DefaultConfig().Validate(); err == nil || !strings.Contains(err.Error(), "payments.eth.key_file") {
		t.Fatalf("the defaults turn payments on without a key: %v", err)
	}
	tests := []struct {
		name   string
		mutate func(*Config)
		key    string
	}{
		{"http addr", func(c *Config) { c.HTTPAddr = "x" }, "http_addr"},
		{"public url", func(c *Config) { c.PublicURL = "ftp://x" }, "public_url"},
		{"rtmp", func(c *Config) { c.RTMP.App = "" }, "rtmp"},
		{"hls", func(c *Config) { c.HLS.Window = 1 }, "hls"},
		{"auth", func(c *Config) { c.Auth.WebhookURL = "nope" }, "auth"},
		{"streams", func(c *Config) { c.Streams.Profiles = nil }, "streams"},
		{"selection", func(c *Config) { c.Selection.MaxAttempts = 0 }, "selection"},
		{"payments mode", func(c *Config) { c.Payments.Mode = "sometimes" }, "payments.mode"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := DefaultConfig()
			c.Payments.Mode = "off"
			tt.mutate(&c)
			if err := c.Validate(); err == nil || !strings.Contains(err.Error(), tt.key) {
				t.Fatalf("got %v, want an error naming %s", err, tt.key)
			}
		})
	}
}
