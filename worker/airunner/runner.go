package airunner

import (
	"context"
	"log/slog"
	"net"
	"sync"

	"github.com/castmesh/castmesh/ai/runnerapi"
	"github.com/castmesh/castmesh/ai/runnerclient"
)

// runner is one model's runner and its health.
type runner struct {
	cfg    ModelConfig
	client *runnerclient.Client
	// server and ln serve a built-in model; nil for an external runner.
	server *runnerapi.Server
	ln     net.Listener
	slots  chan struct{}

	mu    sync.Mutex
	ok    bool // in service
	fails int  // failed checks in a row
	state string
}

// failedChecks is how many failed checks in a row take a runner out of
// service, as go-livepeer restarts a container after two.
const failedChecks = 2

// check asks the runner's health and updates its state.
func (r *runner) check(ctx context.Context, logger *slog.Logger) {
	state, err := r.client.Health(ctx)
	if ctx.Err() != nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	was := r.ok
	switch {
	case err != nil:
		r.fails++
		state = "unreachable"
		if r.fails >= failedChecks {
			r.ok = false
		}
	case state == runnerapi.HealthOK || state == "IDLE":
		r.fails, r.ok = 0, true
	default: // LOADING, ERROR
		r.fails, r.ok = 0, false
	}
	if was != r.ok || state != r.state {
		logger.Info("runner health", "pipeline", r.cfg.Pipeline, "model", r.cfg.ModelID, "state", state,
			"in_service", r.ok, "url", r.client.URL(), "err", err)
	}
	r.state = state
}

func (r *runner) healthy() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.ok
}
