package discovery

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// Cache holds a source's latest answer, refreshed every interval in the
// background by Run. Nodes never waits on the source.
type Cache struct {
	src      Source
	interval time.Duration
	timeout  time.Duration
	logger   *slog.Logger
	metrics  *Metrics

	mu      sync.Mutex
	nodes   []Node
	updated time.Time
	ready   chan struct{} // closed after the first refresh, good or not
	kick    chan struct{}
}

// CacheConfig tunes a Cache.
type CacheConfig struct {
	// Interval is how often the source is asked again.
	Interval time.Duration `yaml:"interval"`
	// Timeout bounds one refresh.
	Timeout time.Duration `yaml:"timeout"`
}

// DefaultCacheConfig returns the defaults.
func DefaultCacheConfig() CacheConfig {
	// 5 s: gossip and load move in seconds; a dead node is found by
	// selection's own failures long before that.
	return CacheConfig{Interval: 5 * time.Second, Timeout: 10 * time.Second}
}

// Metrics are a cache's Prometheus metrics.
type Metrics struct {
	nodes     prometheus.Gauge
	refreshes *prometheus.CounterVec
	seconds   prometheus.Histogram
}

// NewMetrics registers the metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	f := promauto.With(reg)
	return &Metrics{
		nodes: f.NewGauge(prometheus.GaugeOpts{Name: "castmesh_discovery_nodes", Help: "Orchestrators the last refresh found."}),
		refreshes: f.NewCounterVec(prometheus.CounterOpts{
			Name: "castmesh_discovery_refreshes_total", Help: "Discovery refreshes by outcome (ok, failed).",
		}, []string{"outcome"}),
		seconds: f.NewHistogram(prometheus.HistogramOpts{
			Name: "castmesh_discovery_refresh_seconds", Help: "Time one discovery refresh took.",
			Buckets: prometheus.ExponentialBuckets(0.001, 4, 10),
		}),
	}
}

// NewCache wraps src; Run refreshes it.
func NewCache(src Source, cfg CacheConfig, logger *slog.Logger, m *Metrics) *Cache {
	return &Cache{
		src: src, interval: cfg.Interval, timeout: cfg.Timeout, logger: logger.With("component", "discovery"),
		metrics: m, ready: make(chan struct{}), kick: make(chan struct{}, 1),
	}
}

// Run refreshes at once, then every interval and whenever Refresh asks,
// until ctx ends.
func (c *Cache) Run(ctx context.Context) error {
	tick := time.NewTicker(c.interval)
	defer tick.Stop()
	first := true
	for {
		c.refresh(ctx)
		if first {
			close(c.ready)
			first = false
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		case <-c.kick:
		}
	}
}

func (c *Cache) refresh(ctx context.Context) {
	start := time.Now()
	rctx, cancel := context.WithTimeout(ctx, c.timeout)
	nodes, err := c.src.Nodes(rctx)
	cancel()
	c.metrics.seconds.Observe(time.Since(start).Seconds())
	if err != nil {
		// Keep the last answer: a source that fails for a moment must
		// not empty the network.
		c.metrics.refreshes.WithLabelValues("failed").Inc()
		c.logger.Warn("discovery refresh failed; keeping the last answer", "err", err)
		return
	}
	c.metrics.refreshes.WithLabelValues("ok").Inc()
	c.metrics.nodes.Set(float64(len(nodes)))
	slices.SortFunc(nodes, func(a, b Node) int {
		switch {
		case a.Addr < b.Addr:
			return -1
		case a.Addr > b.Addr:
			return 1
		}
		return 0
	})
	c.mu.Lock()
	c.nodes, c.updated = nodes, time.Now()
	c.mu.Unlock()
}

// Refresh asks Run for a refresh soon, without waiting for it.
func (c *Cache) Refresh() {
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

// Ready is closed once the first refresh is done.
func (c *Cache) Ready() <-chan struct{} { return c.ready }

// Nodes returns the latest answer, sorted by address. The slice is the
// caller's.
func (c *Cache) Nodes() []Node {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.nodes)
}

// Validate names the first bad key.
func (c CacheConfig) Validate() error {
	switch {
	case c.Interval < 100*time.Millisecond:
		return fmt.Errorf("discovery.interval must be at least 100ms, got %s", c.Interval)
	case c.Timeout < 100*time.Millisecond:
		return fmt.Errorf("discovery.timeout must be at least 100ms, got %s", c.Timeout)
	}
	return nil
}
