package httppush

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// Metrics are the HTTP push ingest's Prometheus metrics.
type Metrics struct {
	// Requests counts pushes by response code ("canceled" when the
	// publisher hung up first).
	Requests *prometheus.CounterVec
	// ReceivedBytes counts segment bytes read from publishers.
	ReceivedBytes prometheus.Counter
	// Duration observes how long pushes take, transcoding included.
	Duration prometheus.Histogram
}

// NewMetrics registers the metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	f := promauto.With(reg)
	return &Metrics{
		Requests: f.NewCounterVec(prometheus.CounterOpts{
			Name: "castmesh_gateway_httppush_requests_total",
			Help: "HTTP push requests by response code.",
		}, []string{"code"}),
		ReceivedBytes: f.NewCounter(prometheus.CounterOpts{
			Name: "castmesh_gateway_httppush_received_bytes_total",
			Help: "Segment bytes received by HTTP push.",
		}),
		Duration: f.NewHistogram(prometheus.HistogramOpts{
			Name:    "castmesh_gateway_httppush_request_duration_seconds",
			Help:    "Time from request to response, transcoding included.",
			Buckets: []float64{0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30, 60},
		}),
	}
}
