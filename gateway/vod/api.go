package vod

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/castmesh/castmesh/pkg/clientip"
	"github.com/castmesh/castmesh/pkg/httpjson"
	"github.com/castmesh/castmesh/pkg/store"
)

// API serves the VOD routes.
type API struct {
	cfg        Config
	deps       Deps
	db         *store.DB
	files      files
	keys       *keyring
	limits     *limiter
	logger     *slog.Logger
	metrics    *Metrics
	now        func() time.Time
	mux        *http.ServeMux
	runner     *runner
	quota      *quota
	deliverCh  chan struct{}
	playSecret []byte
}

// Deps are the API's collaborators.
type Deps struct {
	// Transcoder sends segments to the network (gateway/selection).
	Transcoder Transcoder
	// ClientIP finds a caller's address behind the gateway's trusted
	// proxies, for the per-address rate limit; nil trusts no proxy.
	ClientIP *clientip.Resolver
}

// New opens the store, migrates it and registers the configured keys.
// dataDir is where the store and media go when their keys are empty.
func New(ctx context.Context, cfg Config, dataDir string, deps Deps, logger *slog.Logger, m *Metrics) (*API, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Store == "" || cfg.MediaDir == "" {
		if dataDir == "" {
			return nil, fmt.Errorf("vod: data_dir, or both vod.store and vod.media_dir, must be set")
		}
		if cfg.Store == "" {
			cfg.Store = filepath.Join(dataDir, "vod.db")
		}
		if cfg.MediaDir == "" {
			cfg.MediaDir = filepath.Join(dataDir, "vod")
		}
	}
	if err := os.MkdirAll(cfg.MediaDir, 0o700); err != nil {
		return nil, fmt.Errorf("vod: media_dir: %w", err)
	}
	db, err := store.OpenURL(ctx, cfg.Store)
	if err != nil {
		return nil, fmt.Errorf("vod: %w", err)
	}
	if err := db.Migrate(ctx, "vod", migrations()); err != nil {
		db.Close()
		return nil, fmt.Errorf("vod: %w", err)
	}
	a := &API{
		cfg: cfg, deps: deps, db: db, files: files{dir: cfg.MediaDir}, logger: logger.With("component", "vod"), metrics: m,
		now: time.Now, limits: newLimiter(cfg.RateLimit, deps.ClientIP), runner: newRunner(), deliverCh: make(chan struct{}, 1),
		quota: &quota{cfg: cfg.Quota, db: db},
	}
	if a.keys, err = newKeyring(ctx, db, cfg.APIKeys, a.now); err != nil {
		db.Close()
		return nil, fmt.Errorf("vod: %w", err)
	}
	if a.playSecret, err = loadPlaySecret(ctx, a); err != nil {
		db.Close()
		return nil, fmt.Errorf("vod: %w", err)
	}
	a.routes()
	return a, nil
}

// Close closes the store.
func (a *API) Close() error { return a.db.Close() }

// Handler serves the /v1/ routes, each answer with an X-Request-Id.
func (a *API) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := newID("req_")
		w.Header().Set("X-Request-Id", id)
		a.mux.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id)))
	})
}

// Run runs jobs, delivers webhooks and expires stale uploads until ctx
// ends; jobs running then are left for the next start (or another
// gateway) to resume.
func (a *API) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Go(func() { a.runJobs(ctx) })
	wg.Go(func() { a.deliverLoop(ctx) })
	tick := time.NewTicker(time.Minute)
	defer tick.Stop()
	for {
		if err := a.expireUploads(ctx); err != nil && ctx.Err() == nil {
			a.logger.Warn("expiring uploads", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// handler is one route's work for an authenticated caller; it writes the
// answer or returns the error to answer with.
type handler func(w http.ResponseWriter, r *http.Request, c caller) error

// route is a pattern, the scope it needs and its handler.
type route struct {
	pattern string
	scope   string
	h       handler
}

// optimizeRoute takes a file as its POST body: its handler keeps its
// Idempotency-Key itself, without buffering the body.
const optimizeRoute = "POST /api/optimize"

func (a *API) routes() {
	a.mux = http.NewServeMux()
	for _, rt := range []route{
		{"POST /v1/uploads", scopeUploadsCreate, a.createUpload},
		{"GET /v1/uploads/{id}", scopeUploadsRead, a.getUpload},
		{"PUT /v1/uploads/{id}/parts/{n}", scopeUploadsWrite, a.putPart},
		{"POST /v1/uploads/{id}/complete", scopeUploadsWrite, a.completeUpload},
		{"DELETE /v1/uploads/{id}", scopeUploadsWrite, a.deleteUpload},
		{"POST /v1/jobs", scopeJobsCreate, a.createJob},
		{"GET /v1/jobs", scopeJobsRead, a.listJobs},
		{"GET /v1/jobs/{id}", scopeJobsRead, a.getJob},
		{"DELETE /v1/jobs/{id}", scopeJobsCancel, a.cancelJob},
		{"GET /v1/jobs/{id}/events", scopeJobsRead, a.jobEvents},
		{"GET /v1/jobs/{id}/deliveries", scopeJobsRead, a.jobDeliveries},
		{"GET /v1/jobs/{id}/output", scopeOutputsRead, a.getOutput},
		{"POST /v1/webhooks", scopeWebhooksManage, a.createWebhook},
		{"GET /v1/webhooks", scopeWebhooksManage, a.listWebhooks},
		{"DELETE /v1/webhooks/{id}", scopeWebhooksManage, a.deleteWebhook},
		{optimizeRoute, scopeJobsCreate, a.optimize},
		{"GET /api/optimize/{id}", scopeJobsRead, a.optimizeStatus},
		{"GET /api/optimize/{id}/download", scopeOutputsRead, a.getOutput},
	} {
		a.mux.Handle(rt.pattern, a.wrap(rt))
	}
	a.mux.HandleFunc("GET /v1/openapi.yaml", serveDocument)
	a.mux.HandleFunc("GET /v1/play/{token}/{file...}", a.servePlay)
	a.mux.Handle("/v1/", a.wrap(route{h: func(http.ResponseWriter, *http.Request, caller) error {
		return errorf(http.StatusNotFound, codeNotFound, "no such route")
	}}))
}

// wrap runs a route behind the rate limits, the key check and, for POST,
// idempotency.
func (a *API) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &httpjson.StatusWriter{ResponseWriter: w}
		start := a.now()
		err := a.serve(rec, r, rt)
		if err != nil {
			a.writeError(rec, r, err)
		}
		a.metrics.requests.WithLabelValues(rt.pattern, fmt.Sprint(rec.Status())).Inc()
		a.metrics.seconds.WithLabelValues(rt.pattern).Observe(a.now().Sub(start).Seconds())
	})
}

func (a *API) serve(w http.ResponseWriter, r *http.Request, rt route) error {
	if err := a.limits.allowIP(r); err != nil {
		return err
	}
	c, err := a.keys.authenticate(r)
	if err != nil {
		return err
	}
	if rt.scope != "" && !c.may(rt.scope) {
		return errorf(http.StatusForbidden, codeForbidden, "this key lacks the %s scope", rt.scope)
	}
	if err := a.limits.allowKey(c); err != nil {
		return err
	}
	if r.Method == http.MethodPost && r.Header.Get("Idempotency-Key") != "" && rt.pattern != optimizeRoute {
		return a.idempotent(w, r, c, rt)
	}
	return rt.h(w, r, c)
}

type requestIDKey struct{}

// requestID is the id wrap gave the request.
func requestID(r *http.Request) string {
	id, _ := r.Context().Value(requestIDKey{}).(string)
	return id
}

// newID is prefix and 16 random hex digits, like upl_3f9a….
func newID(prefix string) string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return prefix + hex.EncodeToString(b)
}
