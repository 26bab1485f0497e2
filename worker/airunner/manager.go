package airunner

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sort"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/castmesh/castmesh/ai/pipeline"
	"github.com/castmesh/castmesh/ai/runnerapi"
	"github.com/castmesh/castmesh/ai/runnerclient"
)

// Builtin makes the built-in model a ModelConfig names.
type Builtin func(ctx context.Context, m ModelConfig) (pipeline.Model, error)

// Model is a model as the worker offers it now.
type Model struct {
	Pipeline string `json:"pipeline"`
	ModelID  string `json:"model_id"`
	Warm     bool   `json:"warm"`
	// Capacity is 0 while the model's runner is out of service.
	Capacity int `json:"capacity"`
}

// Job is one AI request: the caller's body for the model's runner.
type Job struct {
	RequestID   string
	Pipeline    string
	ModelID     string
	ContentType string
	Body        []byte
}

// Manager runs the worker's models.
type Manager struct {
	cfg     Config
	logger  *slog.Logger
	runners []*runner
	byKey   map[[2]string]*runner
	decoder pipeline.Decoder
}

// New makes every model's runner: a client for an external one, a
// loopback ai-runner server and a client for a built-in one. Run serves
// them.
func New(ctx context.Context, cfg Config, builtin Builtin, logger *slog.Logger) (*Manager, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	m := &Manager{
		cfg: cfg, logger: logger.With("component", "airunner"), byKey: map[[2]string]*runner{},
		decoder: pipeline.Decoder{Limits: pipeline.DefaultLimits()},
	}
	for _, mc := range cfg.Models {
		r, err := m.newRunner(ctx, mc, builtin)
		if err != nil {
			m.close()
			return nil, fmt.Errorf("%s %s: %w", mc.Pipeline, mc.ModelID, err)
		}
		m.runners = append(m.runners, r)
		m.byKey[[2]string{mc.Pipeline, mc.ModelID}] = r
	}
	return m, nil
}

func (m *Manager) newRunner(ctx context.Context, mc ModelConfig, builtin Builtin) (*runner, error) {
	r := &runner{cfg: mc, slots: make(chan struct{}, mc.Capacity)}
	url := mc.URL
	if url == "" {
		if builtin == nil {
			return nil, errors.New("no built-in models in this build")
		}
		model, err := builtin(ctx, mc)
		if err != nil {
			return nil, err
		}
		if string(model.Pipeline()) != mc.Pipeline || model.ModelID() != mc.ModelID {
			return nil, fmt.Errorf("built-in is %s %s", model.Pipeline(), model.ModelID())
		}
		sc := runnerapi.DefaultConfig()
		sc.Warm = mc.Warm
		if r.server, err = runnerapi.New(sc, model, m.logger); err != nil {
			return nil, err
		}
		if r.ln, err = (&net.ListenConfig{}).Listen(ctx, "tcp", "127.0.0.1:0"); err != nil {
			return nil, err
		}
		url = "http://" + r.ln.Addr().String()
	}
	var err error
	r.client, err = runnerclient.New(runnerclient.Config{URL: url, Token: mc.Token, Timeout: mc.Timeout})
	return r, err
}

func (m *Manager) close() {
	for _, r := range m.runners {
		if r.ln != nil {
			r.ln.Close()
		}
	}
}

// Run serves the built-in runners and checks every runner's health until
// ctx ends.
func (m *Manager) Run(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	for _, r := range m.runners {
		if r.server == nil {
			continue
		}
		srv := &http.Server{Handler: r.server.Handler(), ReadHeaderTimeout: 10 * time.Second}
		g.Go(func() error {
			if err := srv.Serve(r.ln); !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			return nil
		})
		g.Go(func() error { return r.server.Run(ctx) })
		g.Go(func() error {
			<-ctx.Done()
			return srv.Close()
		})
	}
	g.Go(func() error { m.watch(ctx); return nil })
	return g.Wait()
}

// watch checks every runner's health now and then every HealthInterval.
func (m *Manager) watch(ctx context.Context) {
	t := time.NewTicker(m.cfg.HealthInterval)
	defer t.Stop()
	for {
		var wg sync.WaitGroup
		for _, r := range m.runners {
			wg.Go(func() { r.check(ctx, m.logger) })
		}
		wg.Wait()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Models lists the models, sorted, with capacity 0 for those out of
// service.
func (m *Manager) Models() []Model {
	out := make([]Model, 0, len(m.runners))
	for _, r := range m.runners {
		c := 0
		if r.healthy() {
			c = r.cfg.Capacity
		}
		out = append(out, Model{Pipeline: r.cfg.Pipeline, ModelID: r.cfg.ModelID, Warm: r.cfg.Warm, Capacity: c})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Pipeline != out[j].Pipeline {
			return out[i].Pipeline < out[j].Pipeline
		}
		return out[i].ModelID < out[j].ModelID
	})
	return out
}

// Do runs job on its model's runner and passes the answer to out as it
// comes.
func (m *Manager) Do(ctx context.Context, job Job, out func(contentType string, data []byte) error) error {
	r := m.byKey[[2]string{job.Pipeline, job.ModelID}]
	if r == nil {
		return fmt.Errorf("%w: %s %s", ErrNoModel, job.Pipeline, job.ModelID)
	}
	if !r.healthy() {
		return fmt.Errorf("%w: %s %s", ErrUnhealthy, job.Pipeline, job.ModelID)
	}
	select {
	case r.slots <- struct{}{}:
		defer func() { <-r.slots }()
	default:
		return fmt.Errorf("%w: %s %s runs %d already", ErrBusy, job.Pipeline, job.ModelID, r.cfg.Capacity)
	}
	name := pipeline.Name(job.Pipeline)
	resp, err := r.client.Generate(ctx, name, job.ContentType, job.Body)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if name == pipeline.ImageToVideo {
		return m.video(ctx, job, resp, out)
	}
	return stream(resp, out)
}
