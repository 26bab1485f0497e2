package orchestrator

import (
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/castmesh/castmesh/orchestrator/session"
	"github.com/castmesh/castmesh/orchestrator/workers"
	"github.com/castmesh/castmesh/pkg/discovery/gossip"
	"github.com/castmesh/castmesh/pkg/logging"
)

// Config is the orchestrator's configuration.
type Config struct {
	// GRPCAddr is where gateways and workers connect (TLS).
	GRPCAddr string `yaml:"grpc_addr"`
	// ServiceAddr is the host:port gateways are told to use; empty means
	// GRPCAddr, with 127.0.0.1 for an unspecified host.
	ServiceAddr string `yaml:"service_addr"`
	// AdminAddr serves /metrics, /healthz and /status; loopback by default
	// because it has no authentication.
	AdminAddr string `yaml:"admin_addr"`
	// WorkerSecret is the shared secret workers register with. Required.
	WorkerSecret string `yaml:"worker_secret"`
	// TLS names the certificate of the gRPC port.
	TLS TLSConfig `yaml:"tls"`
	// MaxSegmentBytes caps an uploaded segment: 64 MiB holds 2 s of
	// 250 Mbit/s video, far above any live ingest.
	MaxSegmentBytes int64 `yaml:"max_segment_bytes"`
	// JobTimeout bounds one segment's transcode, retries included.
	JobTimeout time.Duration `yaml:"job_timeout"`
	// Heartbeat is how often workers must report; three missed intervals
	// drop a worker and move its jobs.
	Heartbeat time.Duration `yaml:"heartbeat"`
	// Sessions caps and times out gateway sessions.
	Sessions session.Config `yaml:"sessions"`
	// Dispatch tunes how jobs go to workers.
	Dispatch workers.Config `yaml:"dispatch"`
	// AI bounds AI requests.
	AI AIConfig `yaml:"ai"`
	// Join lists gossip seeds (host:port of any cluster member): set, the
	// orchestrator joins the memberlist cluster and gossips its address,
	// capabilities, prices, capacity and load, so gateways find it.
	Join []string `yaml:"join"`
	// Gossip is this node's part in the cluster; gossip.enabled starts a
	// cluster without seeds.
	Gossip gossip.Config `yaml:"gossip"`
	// DataDir keeps what must survive a restart: the node secret (session
	// tokens, ticket params), balances and the winning-ticket queue.
	// Required with payments on; empty means nothing is kept.
	DataDir  string         `yaml:"data_dir"`
	Payments PaymentsConfig `yaml:"payments"`
	Log      logging.Config `yaml:"log"`
}

// AIConfig bounds AI requests.
type AIConfig struct {
	// MaxRequestBytes caps a request body.
	MaxRequestBytes int64 `yaml:"max_request_bytes"`
	// Timeout bounds one request, retries on other workers included.
	Timeout time.Duration `yaml:"timeout"`
}

// TLSConfig names a certificate and key; both empty means a self-signed
// certificate, kept in data_dir (tls.crt, tls.key) so its fingerprint,
// logged at start for gateways to pin, survives restarts; with no
// data_dir, a fresh one at every start.
type TLSConfig struct {
	CertFile string `yaml:"cert_file"`
	KeyFile  string `yaml:"key_file"`
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{
		GRPCAddr:        ":8936",
		AdminAddr:       "127.0.0.1:7936",
		MaxSegmentBytes: 64 << 20,
		// A 2 s 1080p ladder takes ~1.8 s on 2 CPU cores; a minute covers
		// queueing behind other streams and a retry on a second worker.
		JobTimeout: time.Minute,
		// Five seconds: a dead worker is noticed within 15 s even when the
		// TCP connection stays half-open.
		Heartbeat: 5 * time.Second,
		Sessions:  session.DefaultConfig(),
		Dispatch:  workers.DefaultConfig(),
		AI: AIConfig{
			// 50 MB, as ai-runner takes at most.
			MaxRequestBytes: 50_000_000,
			// Ten minutes: a CPU worker upscales a 4096² image x4 in a few
			// minutes; an llm answer streams for as long as it takes.
			Timeout: 10 * time.Minute,
		},
		Gossip:   gossip.DefaultConfig(),
		Payments: DefaultPaymentsConfig(),
		Log:      logging.DefaultConfig(),
	}
}

// Validate names the first bad key.
func (c Config) Validate() error {
	if _, _, err := net.SplitHostPort(c.GRPCAddr); err != nil {
		return fmt.Errorf("grpc_addr: %w", err)
	}
	if _, _, err := net.SplitHostPort(c.AdminAddr); err != nil {
		return fmt.Errorf("admin_addr: %w", err)
	}
	if c.ServiceAddr != "" {
		if _, _, err := net.SplitHostPort(c.ServiceAddr); err != nil {
			return fmt.Errorf("service_addr: %w", err)
		}
	}
	switch {
	case c.WorkerSecret == "":
		return errors.New("worker_secret must be set: workers register with it")
	case len(c.WorkerSecret) < 16:
		return errors.New("worker_secret must be at least 16 characters")
	case (c.TLS.CertFile == "") != (c.TLS.KeyFile == ""):
		return errors.New("tls.cert_file and tls.key_file must be set together")
	case c.MaxSegmentBytes < 1<<16:
		return fmt.Errorf("max_segment_bytes must be at least 65536, got %d", c.MaxSegmentBytes)
	case c.JobTimeout < time.Second:
		return fmt.Errorf("job_timeout must be at least 1s, got %s", c.JobTimeout)
	case c.Heartbeat < 100*time.Millisecond:
		return fmt.Errorf("heartbeat must be at least 100ms, got %s", c.Heartbeat)
	case c.AI.MaxRequestBytes < 1<<10:
		return fmt.Errorf("ai.max_request_bytes must be at least 1024, got %d", c.AI.MaxRequestBytes)
	case c.AI.Timeout < time.Second:
		return fmt.Errorf("ai.timeout must be at least 1s, got %s", c.AI.Timeout)
	}
	if g := c.Gossip.WithJoin(c.Join); g.On() {
		if err := g.Validate(); err != nil {
			return err
		}
	}
	if err := c.Sessions.Validate(); err != nil {
		return fmt.Errorf("sessions.%w", err)
	}
	if err := c.Dispatch.Validate(); err != nil {
		return fmt.Errorf("dispatch.%w", err)
	}
	if err := c.Payments.Validate(); err != nil {
		return err
	}
	if c.Payments.On() && c.DataDir == "" {
		return errors.New("data_dir must be set with payments on: balances and winning tickets live there")
	}
	return c.Log.Validate()
}
