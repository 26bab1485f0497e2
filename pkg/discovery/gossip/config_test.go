package gossip

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestDefaultConfigValid(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatal(err)
	}
	if err := testConfig("gossip.example.com:7946", "10.0.0.1:7946").Validate(); err != nil {
		t.Fatal(err)
	}
}

// Issue #12 finding 7: the default bind address was 0.0.0.0; now it is
// loopback, and a secret opens it.
func TestGossipBindsLoopbackByDefault(t *testing.T) {
	cfg := DefaultConfig()
	if !cfg.OnLoopback() {
		t.Fatalf("default bind_addr %s is not loopback", cfg.BindAddr)
	}
	cfg.BindAddr, cfg.Secret = "0.0.0.0:7946", "a secret of sixteen+"
	if err := cfg.Validate(); err != nil {
		t.Fatalf("a public bind with a secret: %v", err)
	}
	if cfg.OnLoopback() {
		t.Error("0.0.0.0 counted as loopback")
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(*Config)
		key    string
	}{
		{"bind no port", func(c *Config) { c.BindAddr = "127.0.0.1" }, "gossip.bind_addr"},
		{"bind host name", func(c *Config) { c.BindAddr = "localhost:7946" }, "gossip.bind_addr"},
		{"bind empty host", func(c *Config) { c.BindAddr = ":7946" }, "gossip.bind_addr"},
		{"bind port range", func(c *Config) { c.BindAddr = "0.0.0.0:65536" }, "gossip.bind_addr"},
		{"advertise port 0", func(c *Config) { c.AdvertiseAddr = "10.0.0.1:0" }, "gossip.advertise_addr"},
		{"advertise host name", func(c *Config) { c.AdvertiseAddr = "gw.example.com:7946" }, "gossip.advertise_addr"},
		{"join no port", func(c *Config) { c.Join = []string{"10.0.0.1:1", "10.0.0.2"} }, "gossip.join[1]"},
		{"join empty", func(c *Config) { c.Join = []string{""} }, "gossip.join[0]"},
		{"name too long", func(c *Config) { c.Name = strings.Repeat("n", maxNameLen+1) }, "gossip.name"},
		{"short secret", func(c *Config) { c.Secret = "hunter2" }, "gossip.secret"},
		{"profile", func(c *Config) { c.Profile = "wan" }, "gossip.profile"},
		{"empty profile", func(c *Config) { c.Profile = "" }, "gossip.profile"},
		{"join retry", func(c *Config) { c.JoinRetry = 10 * time.Millisecond }, "gossip.join_retry"},
		// Issue #12 finding 7: gossip bound all interfaces with an optional
		// secret. Off loopback the secret is required.
		{"public bind without secret", func(c *Config) { c.BindAddr = "0.0.0.0:7946" }, "gossip.secret"},
		{"lan bind without secret", func(c *Config) { c.BindAddr = "10.0.0.5:7946" }, "gossip.secret"},
		{"public advertise without secret", func(c *Config) { c.AdvertiseAddr = "203.0.113.7:7946" }, "gossip.secret"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig()
			tc.mutate(&cfg)
			err := cfg.Validate()
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.Key != tc.key {
				t.Fatalf("Validate = %v, want an error for %s", err, tc.key)
			}
			if !strings.HasPrefix(err.Error(), tc.key+": ") {
				t.Errorf("message %q does not start with the key", err)
			}
		})
	}
}
