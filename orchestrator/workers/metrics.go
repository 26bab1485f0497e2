package workers

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// Metrics are the dispatcher's Prometheus metrics.
type Metrics struct {
	workers  prometheus.Gauge
	inFlight prometheus.Gauge
	jobs     *prometheus.CounterVec
	retries  prometheus.Counter
	seconds  prometheus.Histogram
}

// NewMetrics registers the metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	f := promauto.With(reg)
	return &Metrics{
		workers: f.NewGauge(prometheus.GaugeOpts{
			Name: "castmesh_orchestrator_workers", Help: "Connected workers.",
		}),
		inFlight: f.NewGauge(prometheus.GaugeOpts{
			Name: "castmesh_orchestrator_jobs_in_flight", Help: "Jobs assigned to workers and not yet finished.",
		}),
		jobs: f.NewCounterVec(prometheus.CounterOpts{
			Name: "castmesh_orchestrator_jobs_total", Help: "Finished jobs by outcome (ok, input_error, failed).",
		}, []string{"outcome"}),
		retries: f.NewCounter(prometheus.CounterOpts{
			Name: "castmesh_orchestrator_job_retries_total", Help: "Jobs moved to another worker after a failure.",
		}),
		seconds: f.NewHistogram(prometheus.HistogramOpts{
			Name: "castmesh_orchestrator_job_seconds", Help: "Time from dispatch to result, retries included.",
			Buckets: prometheus.ExponentialBuckets(0.125, 2, 10),
		}),
	}
}
