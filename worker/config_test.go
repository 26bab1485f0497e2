package worker

import (
	"strings"
	"testing"

	"github.com/castmesh/castmesh/test/fixture"
)

func TestExampleConfigIsDefault(t *testing.T) {
	fixture.ExampleIsDefault(t, "config.example.yaml", &Config{}, DefaultConfig())
}

func TestValidateNamesTheKey(t *testing.T) {
	good := DefaultConfig()
	good.Secret = "s"
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		mutate func(*Config)
		key    string
	}{
		{"secret", func(c *Config) { c.Secret = "" }, "secret"},
		{"orchestrator", func(c *Config) { c.Orchestrator = "x" }, "orchestrator"},
		{"capacity", func(c *Config) { c.Capacity = -1 }, "capacity"},
		{"backoff", func(c *Config) { c.ReconnectMax = 0 }, "reconnect"},
		{"transcode", func(c *Config) { c.Transcode.Preset = "warp" }, "transcode.preset"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good
			tt.mutate(&c)
			if err := c.Validate(); err == nil || !strings.Contains(err.Error(), tt.key) {
				t.Fatalf("got %v, want an error naming %s", err, tt.key)
			}
		})
	}
}
