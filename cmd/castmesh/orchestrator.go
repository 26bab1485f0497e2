package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/errgroup"

	"github.com/castmesh/castmesh/orchestrator"
	"github.com/castmesh/castmesh/worker"
)

// orchestratorConfig is an orchestrator's config plus, for a combined node,
// its in-process worker's.
type orchestratorConfig struct {
	orchestrator.Config `yaml:",inline"`
	// Combined runs a worker in the same process, connected over loopback.
	Combined bool `yaml:"combined"`
	// Worker configures the combined worker; its orchestrator, secret and
	// fingerprint are filled in.
	Worker worker.Config `yaml:"worker"`
}

func defaultOrchestratorConfig() orchestratorConfig {
	w := worker.DefaultConfig()
	return orchestratorConfig{Config: orchestrator.DefaultConfig(), Worker: w}
}

func runOrchestrator(ctx context.Context, e env) error {
	cfg := defaultOrchestratorConfig()
	if err := load("orchestrator", &cfg, e); err != nil {
		return err
	}
	log, err := logger(cfg.Log, e)
	if err != nil {
		return err
	}
	if cfg.Combined && cfg.WorkerSecret == "" {
		cfg.WorkerSecret = randomSecret() // only the in-process worker needs it
	}
	return runNode(ctx, cfg, registry(), log)
}

// runNode runs an orchestrator and, when combined, its worker.
func runNode(ctx context.Context, cfg orchestratorConfig, reg *prometheus.Registry, log *slog.Logger) error {
	o, err := orchestrator.New(ctx, cfg.Config, version(), reg, log)
	if err != nil {
		return err
	}
	var w *worker.Worker
	if cfg.Combined {
		wc := cfg.Worker
		wc.Orchestrator, wc.Secret, wc.OrchestratorFingerprint = o.Addr(), cfg.WorkerSecret, o.Fingerprint()
		if w, err = worker.New(ctx, wc, reg, log); err != nil {
			return err
		}
	}
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return o.Run(ctx) })
	if w != nil {
		g.Go(func() error { return w.Run(ctx) })
	}
	return g.Wait()
}

func randomSecret() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b) // crypto/rand does not fail on Linux
	return hex.EncodeToString(b)
}
