package selection

import (
	"fmt"
	"log/slog"
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/castmesh/castmesh/pkg/media"
)

// BenchmarkSelect10000 times choosing an orchestrator for a new stream
// among 10,000 known ones with varied load, latency history and price:
// ranking them all, then confirming the best with a (fake, instant)
// GetInfo. It reports the median and 99th percentile of one choice.
func BenchmarkSelect10000(b *testing.B) {
	const n = 10_000
	var cands []orchestrator
	for i := range n {
		o := idle(fmt.Sprintf("orch-%05d:8935", i))
		o.load.JobsInFlight = i % 3
		cands = append(cands, o)
	}
	nodes, dial := fakeNet(cands)
	s := newSelector(logicConfig(), "gw", Payments{}, nodes, dial, slog.New(slog.DiscardHandler), NewMetrics(prometheus.NewRegistry()))
	s.dir.refresh(b.Context())
	for i, v := range s.dir.snapshot() {
		v.e.stats.observe(i%7 != 0, time.Duration(200+i%900)*time.Millisecond, 2*time.Second)
		v.e.info.Price = big.NewRat(int64(500+i%1000), 1)
	}
	profiles := media.DefaultLadder()
	var took []time.Duration
	for b.Loop() {
		st := newStreamState()
		start := time.Now()
		if _, _, err := s.choose(b.Context(), st, profiles, time.Time{}); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
}
