package chain

import (
	"strings"
	"testing"
	"time"

	"github.com/castmesh/castmesh/test/fixture"
)

func TestExampleConfigIsDefault(t *testing.T) {
	fixture.ExampleIsDefault(t, "config.example.yaml", &Config{}, DefaultConfig())
}

func TestValidateNamesTheKey(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		mutate func(*Config)
		key    string
	}{
		{"no data dir", func(c *Config) { c.DataDir = "" }, "data_dir"},
		{"addr without port", func(c *Config) { c.HTTPAddr = "127.0.0.1" }, "http_addr"},
		{"addr without host", func(c *Config) { c.HTTPAddr = ":8545" }, "http_addr"},
		{"named port", func(c *Config) { c.HTTPAddr = "127.0.0.1:http" }, "http_addr"},
		{"period too short", func(c *Config) { c.BlockPeriod = time.Millisecond }, "block_period"},
		{"no accounts", func(c *Config) { c.Accounts = 0 }, "accounts"},
		{"too many accounts", func(c *Config) { c.Accounts = maxAccounts + 1 }, "accounts"},
		{"no validity", func(c *Config) { c.TicketValidity = 0 }, "ticket_validity"},
		{"unlock not after validity", func(c *Config) { c.UnlockPeriod = c.TicketValidity }, "unlock_period"},
		{"log level", func(c *Config) { c.Log.Level = "loud" }, "log.level"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := DefaultConfig()
			tt.mutate(&c)
			if err := c.Validate(); err == nil || !strings.Contains(err.Error(), tt.key) {
				t.Fatalf("got %v, want an error naming %s", err, tt.key)
			}
		})
	}
}
