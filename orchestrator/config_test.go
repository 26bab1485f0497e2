package orchestrator

import (
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/castmesh/castmesh/test/fixture"
)

func TestExampleConfigIsDefault(t *testing.T) {
	fixture.ExampleIsDefault(t, "config.example.yaml", &Config{}, DefaultConfig())
}

func TestValidate(t *testing.T) {
	good := DefaultConfig()
	good.WorkerSecret = "0123456789abcdef"
	good.Payments.Mode = "off"
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		mutate func(*Config)
		key    string
	}{
		{"no secret", func(c *Config) { c.WorkerSecret = "" }, "worker_secret"},
		{"short secret", func(c *Config) { c.WorkerSecret = "short" }, "worker_secret"},
		{"bad addr", func(c *Config) { c.GRPCAddr = "nope" }, "grpc_addr"},
		{"half tls", func(c *Config) { c.TLS.CertFile = "a.pem" }, "tls.cert_file"},
		{"sessions", func(c *Config) { c.Sessions.MaxSessions = 0 }, "sessions.max_sessions"},
		{"dispatch", func(c *Config) { c.Dispatch.MaxAttempts = 0 }, "dispatch.max_attempts"},
		{"heartbeat", func(c *Config) { c.Heartbeat = 0 }, "heartbeat"},
		{"log", func(c *Config) { c.Log.Format = "xml" }, "log.format"},
		{"payments mode", func(c *Config) { c.Payments.Mode = "maybe" }, "payments.mode"},
		{"payments without a key", func(c *Config) { c.Payments.Mode = "on" }, "payments.eth.key_file"},
		{"payments without a data dir", func(c *Config) {
			c.Payments.Mode, c.Payments.Eth.KeyFile = "on", "k"
			c.Payments.Eth.Contracts.TicketBroker, c.Payments.Eth.Contracts.ServiceRegistry = common.Address{1}, common.Address{2}
		}, "data_dir"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good
			tt.mutate(&c)
			err := c.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.key) {
				t.Fatalf("got %v, want an error naming %s", err, tt.key)
			}
		})
	}
}
