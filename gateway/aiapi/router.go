package aiapi

import (
	"context"
	"io"
	"log/slog"
	"maps"
	"math/big"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/castmesh/castmesh/gateway/orchclient"
	"github.com/castmesh/castmesh/payments/ticket"
	"github.com/castmesh/castmesh/pkg/discovery"
)

// Orchestrator is what the AI API needs of an orchestrator client.
type Orchestrator interface {
	Addr() string
	GetInfo(ctx context.Context, gatewayID, sessionID string, sender common.Address) (orchclient.Info, error)
	AI(ctx context.Context, tok orchclient.Token, req orchclient.AIRequest, pay *ticket.Payment, out orchclient.AIOutput) (orchclient.AIResult, bool, error)
}

// candidate is an orchestrator and what the gateway knows of it.
type candidate struct {
	o Orchestrator

	mu        sync.Mutex
	info      orchclient.Info
	fetched   time.Time // zero: never, or the last fetch failed
	suspended map[string]time.Time
	latency   map[string]time.Duration // per pipeline, moving average
}

// choice is one orchestrator and model to try a request on.
type choice struct {
	c     *candidate
	info  orchclient.Info
	model orchclient.AIModel
	price *big.Rat // nil with payments off
}

// router keeps the candidates' terms fresh and orders them for a request.
type router struct {
	nodes func() []discovery.Node // nil: cands is fixed
	dial  func(discovery.Node) (Orchestrator, error)

	mu    sync.Mutex
	cands map[string]*candidate // by address

	gatewayID string
	sender    common.Address
	ttl       time.Duration
	suspend   time.Duration
	logger    *slog.Logger
	now       func() time.Time
}

func newRouter(deps Deps, sender common.Address, cfg Config, logger *slog.Logger) *router {
	r := &router{
		nodes: deps.Nodes, dial: deps.Dial, cands: map[string]*candidate{}, gatewayID: deps.GatewayID, sender: sender,
		ttl: cfg.InfoTTL, suspend: cfg.Suspend, logger: logger, now: time.Now,
	}
	for _, o := range deps.Orchestrators {
		r.cands[o.Addr()] = newCandidate(o)
	}
	return r
}

func newCandidate(o Orchestrator) *candidate {
	return &candidate{o: o, suspended: map[string]time.Time{}, latency: map[string]time.Duration{}}
}

// list is the candidates now, by address.
func (r *router) list() []*candidate {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := slices.Collect(maps.Values(r.cands))
	slices.SortFunc(out, func(a, b *candidate) int { return strings.Compare(a.o.Addr(), b.o.Addr()) })
	return out
}

// sync follows discovery: it connects to orchestrators found since and
// drops (and closes) the ones lost.
func (r *router) sync() {
	if r.nodes == nil {
		return
	}
	nodes := r.nodes()
	r.mu.Lock()
	defer r.mu.Unlock()
	discovery.Reconcile(r.cands, nodes,
		func(n discovery.Node) (*candidate, error) {
			o, err := r.dial(n)
			return newCandidate(o), err
		},
		func(c *candidate) { closeOrchestrator(c.o) },
		func(n discovery.Node, err error) {
			r.logger.Warn("cannot use discovered orchestrator", "orchestrator", n.Addr, "err", err)
		})
}

// close drops every connection the router made.
func (r *router) close() {
	if r.nodes == nil {
		return // the caller's
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for addr, c := range r.cands {
		closeOrchestrator(c.o)
		delete(r.cands, addr)
	}
}

func closeOrchestrator(o Orchestrator) {
	if c, ok := o.(io.Closer); ok {
		_ = c.Close()
	}
}

// infoTimeout bounds one GetInfo.
const infoTimeout = 3 * time.Second

// refresh asks, in parallel, every orchestrator whose terms are older than
// the TTL (all of them with force) for fresh ones.
func (r *router) refresh(ctx context.Context, force bool) {
	r.sync()
	var wg sync.WaitGroup
	for _, c := range r.list() {
		c.mu.Lock()
		stale := force || r.now().Sub(c.fetched) > r.ttl
		session := c.info.Token.SessionID
		c.mu.Unlock()
		if !stale {
			continue
		}
		wg.Go(func() {
			ictx, cancel := context.WithTimeout(ctx, infoTimeout)
			defer cancel()
			info, err := c.o.GetInfo(ictx, r.gatewayID, session, r.sender)
			if err != nil {
				r.logger.Debug("orchestrator did not answer GetInfo", "orchestrator", c.o.Addr(), "err", err)
				c.mu.Lock()
				c.fetched = time.Time{}
				c.info.AI = nil
				c.mu.Unlock()
				return
			}
			c.update(info, r.now())
		})
	}
	wg.Wait()
}

func (c *candidate) update(info orchclient.Info, at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.info, c.fetched = info, at
}

// known reports whether some orchestrator offers the pipeline with the
// model (any model when model is empty), whether or not it is free now.
func (r *router) known(pipeline, model string) bool {
	for _, c := range r.list() {
		c.mu.Lock()
		models := c.info.AI
		c.mu.Unlock()
		for _, m := range models {
			if m.Pipeline == pipeline && (model == "" || m.ModelID == model) && m.Capacity > 0 {
				return true
			}
		}
	}
	return false
}

// choices orders where a request may go: models with a free slot, within
// the price cap, on orchestrators not tried or suspended for the
// pipeline; warm before cold, then the fastest measured, then the
// cheapest. maxPrice nil means payments are off.
func (r *router) choices(pipeline, model string, paying bool, maxPrice *big.Rat, tried map[*candidate]bool) []choice {
	now := r.now()
	var out []choice
	for _, c := range r.list() {
		if tried[c] {
			continue
		}
		c.mu.Lock()
		info, until := c.info, c.suspended[pipeline]
		c.mu.Unlock()
		if now.Before(until) {
			continue
		}
		for _, m := range info.AI {
			if m.Pipeline != pipeline || (model != "" && m.ModelID != model) || !m.Free() {
				continue
			}
			ch := choice{c: c, info: info, model: m}
			if paying {
				if ch.price = info.AIPrices[m.AIKey]; ch.price == nil || info.Params == nil ||
					(maxPrice != nil && ch.price.Cmp(maxPrice) > 0) {
					continue
				}
			}
			out = append(out, ch)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return r.better(out[i], out[j], pipeline) })
	return out
}

func (r *router) better(a, b choice, pipeline string) bool {
	if a.model.Warm != b.model.Warm {
		return a.model.Warm
	}
	la, lb := a.c.measured(pipeline), b.c.measured(pipeline)
	if la != lb {
		return la < lb // unmeasured (0) first, so every orchestrator gets measured
	}
	if a.price != nil && b.price != nil && a.price.Cmp(b.price) != 0 {
		return a.price.Cmp(b.price) < 0
	}
	return a.c.o.Addr() < b.c.o.Addr()
}

func (c *candidate) measured(pipeline string) time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.latency[pipeline]
}

// observe folds a request's duration into the orchestrator's average for
// the pipeline, weighting the newest a quarter.
func (c *candidate) observe(pipeline string, d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.latency[pipeline]; old > 0 {
		d = (3*old + d) / 4
	}
	c.latency[pipeline] = max(d, time.Nanosecond)
}

// suspendFor passes the orchestrator over for the pipeline for a while.
func (r *router) suspendFor(c *candidate, pipeline string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.suspended[pipeline] = r.now().Add(r.suspend)
}
