package gossip

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkConvergence50 starts 50 members on loopback (local profile),
// all joining one seed, each publishing an orchestrator's state as soon
// as it is made, and measures the time from making the first member
// until every member knows all 50 members and their states.
func BenchmarkConvergence50(b *testing.B) {
	const n = 50
	var total time.Duration
	for i := range b.N {
		total += converge(b, n, i)
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "converge-ms")
	b.ReportMetric(0, "ns/op")
}

func converge(b *testing.B, n, round int) time.Duration {
	b.Helper()
	b.StopTimer()
	ms := make([]*member, 0, n)
	t0 := time.Now()
	b.StartTimer()
	seed := start(b, testConfig(), RoleOrchestrator)
	ms = append(ms, seed)
	for range n - 1 {
		ms = append(ms, start(b, testConfig(seed.Addr()), RoleOrchestrator))
	}
	for i, m := range ms {
		if err := m.SetState(nodeState(fmt.Sprintf("10.%d.0.%d:8935", round, i), i)); err != nil {
			b.Fatal(err)
		}
	}
	eventually(b, 60*time.Second, func() error {
		for _, m := range ms {
			if withState, alive := m.t.published(); withState != n || alive != n {
				return fmt.Errorf("%s knows %d members and %d states, want %d", m.Name(), alive, withState, n)
			}
		}
		return nil
	})
	took := time.Since(t0)
	b.StopTimer()
	for _, m := range ms {
		m.cancel()
	}
	for _, m := range ms {
		m.stop(b)
	}
	b.StartTimer()
	return took
}
