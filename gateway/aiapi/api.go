package aiapi

import (
	"context"
	"fmt"
	"log/slog"
	"math/big"
	"net/http"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/castmesh/castmesh/ai/openapi"
	"github.com/castmesh/castmesh/ai/pipeline"
	"github.com/castmesh/castmesh/gateway/apikey"
	"github.com/castmesh/castmesh/payments/balance"
	"github.com/castmesh/castmesh/payments/sender"
	"github.com/castmesh/castmesh/payments/ticket"
	"github.com/castmesh/castmesh/pkg/discovery"
)

// Payer pays orchestrators with tickets (payments/sender).
type Payer interface {
	Address() common.Address
	Pay(ctx context.Context, req sender.Request) (*ticket.Payment, error)
	Settle(ctx context.Context, key balance.Key, held, cost *big.Rat) (balance.Balance, error)
	Release(ctx context.Context, key balance.Key, held *big.Rat, refused *ticket.Payment) error
}

// Payments is how the gateway pays; the zero value means payments are off.
type Payments struct{ Payer Payer }

// Deps are what the AI API works with.
type Deps struct {
	// GatewayID names the gateway to orchestrators.
	GatewayID string
	// Orchestrators is a fixed list; with Nodes set instead, the list
	// follows discovery and Dial connects to each node found.
	Orchestrators []Orchestrator
	Nodes         func() []discovery.Node
	Dial          func(discovery.Node) (Orchestrator, error)
	Payments      Payments
	// BaseURL is the public base URL of the gateway for a request, for the
	// URLs of re-hosted results.
	BaseURL func(r *http.Request) string
	// Audio measures audio-to-text inputs for billing.
	Audio pipeline.AudioProber
	// Keys are the callers' API keys; nil lets everyone in.
	Keys *apikey.Keyring
}

// resultsPath is where re-hosted results are served.
const resultsPath = "/ai/results/"

// API serves the AI routes.
type API struct {
	cfg       Config
	deps      Deps
	pay       Payments
	validator *openapi.Validator
	decoder   pipeline.Decoder
	router    *router
	results   *results
	async     *asyncJobs
	logger    *slog.Logger
	metrics   *Metrics
	now       func() time.Time

	// runCtx is Run's context, set once Run starts: asynchronous requests
	// live as long as it.
	runMu   sync.Mutex
	runCtx  context.Context //nolint:containedctx // the lifetime of background work, not a request's
	asyncWG sync.WaitGroup
}

// New checks the config and loads the OpenAPI document.
func New(ctx context.Context, cfg Config, deps Deps, logger *slog.Logger, m *Metrics) (*API, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if deps.BaseURL == nil {
		return nil, fmt.Errorf("aiapi: BaseURL must be set")
	}
	v, err := openapi.NewValidator(ctx)
	if err != nil {
		return nil, err
	}
	logger = logger.With("component", "aiapi")
	var from common.Address
	if deps.Payments.Payer != nil {
		from = deps.Payments.Payer.Address()
	}
	return &API{
		cfg: cfg, deps: deps, pay: deps.Payments, validator: v,
		decoder: pipeline.Decoder{Limits: pipeline.DefaultLimits(), Audio: deps.Audio},
		router:  newRouter(deps, from, cfg, logger),
		results: newResults(cfg.Results), async: newAsyncJobs(cfg.MaxAsync, cfg.Results.TTL),
		logger: logger, metrics: m, now: time.Now,
	}, nil
}

// Run sweeps expired results until ctx ends, then waits for asynchronous
// requests, which end with ctx.
func (api *API) Run(ctx context.Context) error {
	api.runMu.Lock()
	api.runCtx = ctx
	api.runMu.Unlock()
	defer api.router.close() // after the asynchronous requests end
	defer api.asyncWG.Wait()
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			api.results.sweep()
			api.async.sweep()
		}
	}
}

// Handler serves the AI routes, /openapi.yaml and the results.
func (api *API) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, name := range pipeline.Batch() {
		h := api.generate(name)
		mux.Handle("POST /"+string(name), h)
		mux.Handle("POST /"+string(name)+"/", h)
	}
	mux.Handle("POST /image-to-video/result", api.auth(apikey.ScopeAI+":"+string(pipeline.ImageToVideo), api.serveResult))
	mux.Handle("GET "+resultsPath, api.results)
	mux.HandleFunc("GET /openapi.yaml", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/yaml")
		_, _ = w.Write(openapi.Document())
	})
	return mux
}

// Paths lists the URL paths Handler serves, for mounting it.
func Paths() []string {
	out := []string{"/openapi.yaml", resultsPath, "/image-to-video/result"}
	for _, name := range pipeline.Batch() {
		out = append(out, "/"+string(name), "/"+string(name)+"/")
	}
	return out
}

// auth lets a request with a key of scope through, before its body is
// read.
func (api *API) auth(scope string, next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := api.deps.Keys.Authenticate(r, scope); err != nil {
			api.fail(w, r, err)
			return
		}
		next(w, r)
	})
}

// admit authenticates a request before its body is read and takes a
// token and a concurrent slot of its key; release gives the slot back.
func (api *API) admit(w http.ResponseWriter, r *http.Request, scope string) (c *apikey.Caller, release func(), ok bool) {
	c, err := api.deps.Keys.Authenticate(r, scope)
	if err == nil {
		release, err = c.Begin()
	}
	if err != nil {
		api.metrics.refused.WithLabelValues(c.Name()).Inc()
		api.fail(w, r, err)
		return nil, nil, false
	}
	return c, release, true
}

// runContext returns Run's context once it runs; nil before.
func (api *API) runContext() context.Context {
	api.runMu.Lock()
	defer api.runMu.Unlock()
	return api.runCtx
}
