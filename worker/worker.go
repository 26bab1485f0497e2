// Package worker assembles the worker role: it detects hardware encoders,
// dials out to its orchestrator's WorkerHub and runs one ffmpeg per segment
// for the whole ladder. It needs no inbound port besides its admin port.
// DESIGN.md §1.
package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/errgroup"

	"github.com/castmesh/castmesh/ai/builtin"
	"github.com/castmesh/castmesh/ai/pipeline"
	"github.com/castmesh/castmesh/pkg/admin"
	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/worker/airunner"
	"github.com/castmesh/castmesh/worker/hubclient"
	"github.com/castmesh/castmesh/worker/hw"
	"github.com/castmesh/castmesh/worker/transcode"
)

// Worker is a running worker node.
type Worker struct {
	cfg      Config
	logger   *slog.Logger
	ai       *airunner.Manager // nil: no AI models
	client   *hubclient.Client
	admin    *admin.Server
	encoders []hubclient.Encoder
}

// New checks the config, detects encoders and binds the admin port.
func New(ctx context.Context, cfg Config, reg *prometheus.Registry, logger *slog.Logger) (*Worker, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	logger = logger.With("role", "worker")
	var found []hw.Encoder
	if cfg.Hardware {
		var err error
		if found, err = hw.Detect(ctx, cfg.Transcode.FFmpeg, logger); err != nil {
			return nil, fmt.Errorf("hardware detection: %w", err)
		}
	}
	tr, err := transcode.New(cfg.Transcode, found, logger, transcode.NewMetrics(reg))
	if err != nil {
		return nil, err
	}
	w := &Worker{cfg: cfg, logger: logger}
	for _, c := range tr.Capabilities() {
		w.encoders = append(w.encoders, hubclient.Encoder{Codec: c.Codec, Name: c.Encoder, Hardware: c.Hardware})
	}
	capacity := cfg.Capacity
	if capacity == 0 {
		capacity = max(1, runtime.NumCPU()/2)
	}
	var ai hubclient.AIRunner
	if len(cfg.AI.Models) > 0 {
		if w.ai, err = airunner.New(ctx, cfg.AI, w.builtin, logger); err != nil {
			return nil, fmt.Errorf("ai: %w", err)
		}
		ai = aiRunner{w.ai}
	}
	w.client, err = hubclient.New(hubclient.Config{
		Orchestrator: cfg.Orchestrator, Secret: cfg.Secret, WorkerID: cfg.ID, Capacity: capacity,
		Fingerprint: cfg.OrchestratorFingerprint, ReconnectMin: cfg.ReconnectMin, ReconnectMax: cfg.ReconnectMax,
		MaxJobBytes: cfg.MaxJobBytes,
	}, runner{tr}, w.encoders, ai, logger, hubclient.NewMetrics(reg))
	if err != nil {
		return nil, err
	}
	if w.admin, err = admin.New(ctx, cfg.AdminAddr, reg, w.status, logger); err != nil {
		return nil, fmt.Errorf("admin_addr: %w", err)
	}
	logger.Info("worker ready", "capacity", capacity, "hardware_encoders", len(found))
	return w, nil
}

// AdminAddr is the bound admin address.
func (w *Worker) AdminAddr() string { return w.admin.Addr().String() }

// Connected reports whether the worker is registered with its orchestrator.
func (w *Worker) Connected() bool { return w.client.Connected() }

// Run works until ctx ends. It fails only if the orchestrator refuses the
// worker (a wrong secret): redialling cannot fix that.
func (w *Worker) Run(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return w.client.Run(ctx) })
	g.Go(func() error { return w.admin.Run(ctx) })
	if w.ai != nil {
		g.Go(func() error { return w.ai.Run(ctx) })
	}
	return g.Wait()
}

// Status is the worker's /status document.
type Status struct {
	Orchestrator string           `json:"orchestrator"`
	Connected    bool             `json:"connected"`
	Encoders     []string         `json:"encoders"`
	AI           []airunner.Model `json:"ai"`
}

func (w *Worker) status(context.Context) any {
	s := Status{Orchestrator: w.cfg.Orchestrator, Connected: w.client.Connected(), AI: []airunner.Model{}}
	for _, e := range w.encoders {
		s.Encoders = append(s.Encoders, e.Name)
	}
	if w.ai != nil {
		s.AI = w.ai.Models()
	}
	return s
}

// builtin makes a built-in model for the AI runner manager.
func (w *Worker) builtin(ctx context.Context, m airunner.ModelConfig) (pipeline.Model, error) {
	return builtin.New(ctx, builtin.Spec{Pipeline: m.Pipeline, ModelID: m.ModelID, Options: m.Options, AssetsDir: w.cfg.AIAssets}, w.logger)
}

// aiRunner adapts the AI runner manager to what the hub client runs.
type aiRunner struct{ m *airunner.Manager }

func (a aiRunner) Models() []hubclient.AIModel {
	ms := a.m.Models()
	out := make([]hubclient.AIModel, 0, len(ms))
	for _, m := range ms {
		out = append(out, hubclient.AIModel{Pipeline: m.Pipeline, ModelID: m.ModelID, Warm: m.Warm, Capacity: m.Capacity})
	}
	return out
}

func (a aiRunner) Run(ctx context.Context, job hubclient.AIJob, out func(string, []byte) error) error {
	err := a.m.Do(ctx, airunner.Job{
		RequestID: job.RequestID, Pipeline: job.Pipeline, ModelID: job.ModelID, ContentType: job.ContentType, Body: job.Body,
	}, out)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, pipeline.ErrUnsupportedMedia):
		return fmt.Errorf("%w: %w", hubclient.ErrUnsupportedMedia, err)
	case pipeline.IsInputError(err):
		return fmt.Errorf("%w: %w", hubclient.ErrBadInput, err)
	case errors.Is(err, airunner.ErrBusy):
		return fmt.Errorf("%w: %w", hubclient.ErrBusy, err)
	}
	return err
}

// runner adapts the transcoder to what the hub client runs.
type runner struct{ tr *transcode.Transcoder }

func (r runner) Transcode(ctx context.Context, job hubclient.Job) ([]media.Rendition, error) {
	res, err := r.tr.Transcode(ctx, transcode.Request{Input: job.Input, Profiles: job.Profiles, StreamID: job.StreamID, Seq: job.Seq})
	if transcode.IsInputError(err) {
		return nil, fmt.Errorf("%w: %w", hubclient.ErrBadInput, err)
	}
	return res.Renditions, err
}
