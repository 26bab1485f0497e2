package httppush

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
		key    string
	}{
		{"body limit under a packet", func(c *Config) { c.MaxBody = 100 }, "max_body"},
		{"body limit over 1 GiB", func(c *Config) { c.MaxBody = 2 << 30 }, "max_body"},
		{"zero max duration", func(c *Config) { c.MaxDuration = 0 }, "max_duration"},
		{"max duration over 5 minutes", func(c *Config) { c.MaxDuration = time.Hour }, "max_duration"},
		{"default over max", func(c *Config) { c.DefaultDuration = time.Minute }, "default_duration"},
		{"zero default", func(c *Config) { c.DefaultDuration = 0 }, "default_duration"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := DefaultConfig()
			c.change(&cfg)
			if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), c.key) {
				t.Fatalf("err = %v, want one naming %s", err, c.key)
			}
		})
	}
}

func TestNewRefusesNilOpener(t *testing.T) {
	if _, err := New(DefaultConfig(), nil, nil, nil); err == nil {
		t.Fatal("New accepted a nil opener")
	}
}
