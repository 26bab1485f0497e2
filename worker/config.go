package worker

import (
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"time"

	"github.com/castmesh/castmesh/pkg/logging"
	"github.com/castmesh/castmesh/worker/airunner"
	"github.com/castmesh/castmesh/worker/transcode"
)

// Config is the worker's configuration.
type Config struct {
	// Orchestrator is the host:port of the orchestrator to work for.
	Orchestrator string `yaml:"orchestrator"`
	// OrchestratorFingerprint pins its TLS certificate (hex SHA-256); empty
	// accepts any certificate.
	OrchestratorFingerprint string `yaml:"orchestrator_fingerprint"`
	// Secret is the orchestrator's worker secret. Required.
	Secret string `yaml:"secret"`
	// ID names the worker to its orchestrator; empty lets it pick one.
	ID string `yaml:"id"`
	// Capacity is how many segments run at once; 0 means one per two CPU
	// cores (one 1080p ladder keeps about two cores busy).
	Capacity int `yaml:"capacity"`
	// AdminAddr serves /metrics, /healthz and /status.
	AdminAddr string `yaml:"admin_addr"`
	// Hardware detects NVENC, VAAPI and QSV encoders at start and uses
	// those that pass a one-frame test encode.
	Hardware bool `yaml:"hardware"`
	// ReconnectMin and ReconnectMax bound the redial backoff.
	ReconnectMin time.Duration `yaml:"reconnect_min"`
	ReconnectMax time.Duration `yaml:"reconnect_max"`
	// MaxJobBytes caps one segment sent by the orchestrator.
	MaxJobBytes int64            `yaml:"max_job_bytes"`
	Transcode   transcode.Config `yaml:"transcode"`
	// AI lists the AI models the worker serves: built-in CPU models and
	// external ai-runner compatible runners.
	AI airunner.Config `yaml:"ai"`
	// AIAssets is where built-in models find the files the setup script
	// installs (the onnxruntime library, ESRGAN-slim weights).
	AIAssets string         `yaml:"ai_assets"`
	Log      logging.Config `yaml:"log"`
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{
		Orchestrator: "127.0.0.1:8936",
		AdminAddr:    "127.0.0.1:7937",
		Hardware:     true,
		// One second, doubling to 30 s: a restarting orchestrator gets its
		// workers back within seconds without a storm of redials.
		ReconnectMin: time.Second,
		ReconnectMax: 30 * time.Second,
		// 64 MiB: a segment, or an AI request of up to 50 MB.
		MaxJobBytes: 64 << 20,
		Transcode:   transcode.DefaultConfig(),
		AI:          airunner.DefaultConfig(),
		// Relative to the working directory: the repository root when run
		// as the README does.
		AIAssets: filepath.Join(".tools", "ai"),
		Log:      logging.DefaultConfig(),
	}
}

// Validate names the first bad key.
func (c Config) Validate() error {
	if _, _, err := net.SplitHostPort(c.Orchestrator); err != nil {
		return fmt.Errorf("orchestrator: %w", err)
	}
	if _, _, err := net.SplitHostPort(c.AdminAddr); err != nil {
		return fmt.Errorf("admin_addr: %w", err)
	}
	switch {
	case c.Secret == "":
		return errors.New("secret must be set to the orchestrator's worker_secret")
	case c.Capacity < 0 || c.Capacity > 256:
		return fmt.Errorf("capacity must be 0..256, got %d", c.Capacity)
	case c.ReconnectMin <= 0 || c.ReconnectMax < c.ReconnectMin:
		return errors.New("reconnect_min and reconnect_max must satisfy 0 < min <= max")
	case c.MaxJobBytes < 1<<16:
		return fmt.Errorf("max_job_bytes must be at least 65536, got %d", c.MaxJobBytes)
	}
	if err := c.Transcode.Validate(); err != nil {
		return fmt.Errorf("transcode.%w", err)
	}
	if err := c.AI.Validate(); err != nil {
		return fmt.Errorf("ai.%w", err)
	}
	return c.Log.Validate()
}
