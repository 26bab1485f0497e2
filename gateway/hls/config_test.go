package hls

import (
	"strings"
	"testing"
	"time"
)

func TestConfigValidate(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatalf("default config: %v", err)
	}
	cases := []struct {
		name   string
		change func(c *Config)
		key    string // named in the error
	}{
		{"window too small", func(c *Config) { c.Window = 2 }, "window"},
		{"unknown storage", func(c *Config) { c.Storage = "s3" }, "storage"},
		{"disk without dir", func(c *Config) { c.Storage = StorageDisk }, "dir"},
		{"retain under a second", func(c *Config) { c.RetainEnded = time.Millisecond }, "retain_ended"},
		{"negative max pending", func(c *Config) { c.MaxPending = -1 }, "max_pending"},
		{"zero sweep interval", func(c *Config) { c.SweepInterval = 0 }, "sweep_interval"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := DefaultConfig()
			c.change(&cfg)
			err := cfg.Validate()
			if err == nil || !strings.Contains(err.Error(), c.key) {
				t.Fatalf("err = %v, want one naming %s", err, c.key)
			}
		})
	}
}
