package selection

import (
	"math"
	"math/big"
	"sync"
	"time"
)

// stats is how an orchestrator has served this gateway, over all streams.
type stats struct {
	mu sync.Mutex
	// latency is the smoothed latency score: a segment's round trip over
	// its duration (0.5: transcoded in half of real time); 0 until
	// measured.
	latency float64
	// success is the smoothed share of tries that succeeded, from 1.
	success float64
	tries   int
}

// alpha weighs the newest sample of the moving averages: about the last
// five segments count.
const alpha = 0.3

func newStats() stats { return stats{success: 1} }

// observe records one try: its round trip for a segment of duration d.
func (s *stats) observe(ok bool, rtt, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tries++
	v := 0.0
	if ok {
		v = 1
	}
	s.success += alpha * (v - s.success)
	if !ok || d <= 0 {
		return
	}
	sample := rtt.Seconds() / d.Seconds()
	if s.latency == 0 {
		s.latency = sample
		return
	}
	s.latency += alpha * (sample - s.latency)
}

func (s *stats) read() (latency, success float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.latency, s.success
}

// Weights weigh the parts of an orchestrator's score; lower scores win.
type Weights struct {
	// Latency multiplies the latency score (round trip / segment duration).
	Latency float64 `yaml:"latency"`
	// Failure multiplies the share of recent tries that failed.
	Failure float64 `yaml:"failure"`
	// Price multiplies the price over the dearest candidate's (0..1).
	Price float64 `yaml:"price"`
	// Load multiplies the share of its segment slots in use (0..1).
	Load float64 `yaml:"load"`
}

// maxLatencyScore caps the latency part, so one awful sample does not
// drown every other signal.
const maxLatencyScore = 4

// score rates a candidate; lower is better. price is its price and
// dearest the highest among the candidates, as floats (0 with payments
// off): a ranking needs no exact wei.
func score(w Weights, v view, price, dearest float64) float64 {
	latency, success := v.e.stats.read()
	l := v.info.Load
	s := w.Latency*math.Min(latency, maxLatencyScore) + w.Failure*(1-success) + w.Load*ratio(l.JobsInFlight, l.JobCapacity)
	if dearest > 0 {
		s += w.Price * price / dearest
	}
	return s
}

// priceFloat is a price as a float; 0 for none.
func priceFloat(p *big.Rat) float64 {
	if p == nil {
		return 0
	}
	f, _ := p.Float64()
	return f
}

func ratio(n, d int) float64 {
	if d <= 0 {
		return 1
	}
	return float64(n) / float64(d)
}
