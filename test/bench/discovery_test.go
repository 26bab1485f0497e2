package bench

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/castmesh/castmesh/gateway/selection"
	"github.com/castmesh/castmesh/orchestrator"
	"github.com/castmesh/castmesh/pkg/discovery"
)

// refreshOrchestrators is how many orchestrators BenchmarkDiscoveryRefresh
// runs.
const refreshOrchestrators = 200

// BenchmarkDiscoveryRefresh runs 200 orchestrators in this process, each
// with its own TLS gRPC port on loopback (payments off), and times the
// gateway's refresh of its view of them: discovery's list in, every
// orchestrator asked for its terms (capabilities, load, price, a token),
// their answers kept. The first refresh also dials every orchestrator
// (TCP and TLS handshakes); later ones reuse the connections, as the
// gateway does every selection.info_interval. It reports the cold time and
// the median and worst of the warm ones.
func BenchmarkDiscoveryRefresh(b *testing.B) {
	ctx, cancel := context.WithCancel(b.Context())
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()
	logger := slog.New(slog.DiscardHandler)
	var nodes []discovery.Node
	for i := range refreshOrchestrators {
		cfg := orchestrator.DefaultConfig()
		cfg.GRPCAddr, cfg.AdminAddr = "127.0.0.1:0", "127.0.0.1:0"
		cfg.WorkerSecret = "bench-worker-secret"
		cfg.Payments.Mode = "off"
		o, err := orchestrator.New(ctx, cfg, "bench", prometheus.NewRegistry(), logger)
		if err != nil {
			b.Fatalf("orchestrator %d: %v", i, err)
		}
		wg.Go(func() {
			if err := o.Run(ctx); err != nil && ctx.Err() == nil {
				b.Errorf("orchestrator %d: %v", i, err)
			}
		})
		nodes = append(nodes, discovery.Node{Addr: o.Addr(), Fingerprint: o.Fingerprint()})
	}
	s, err := selection.New(selection.DefaultConfig(), "bench-gateway", selection.Payments{},
		func() []discovery.Node { return nodes },
		logger, selection.NewMetrics(prometheus.NewRegistry()))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	refresh := func() time.Duration {
		start := time.Now()
		if n := s.Refresh(ctx); n != refreshOrchestrators {
			b.Fatalf("%d of %d orchestrators answered", n, refreshOrchestrators)
		}
		return time.Since(start)
	}
	cold := refresh()
	var warm []time.Duration
	for b.Loop() {
		warm = append(warm, refresh())
	}
	b.ReportMetric(ms(cold), "cold-ms")
	b.ReportMetric(ms(median(warm)), "warm-p50-ms")
	b.ReportMetric(ms(slices.Max(warm)), "warm-max-ms")
}
