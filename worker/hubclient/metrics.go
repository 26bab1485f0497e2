package hubclient

import (
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// Metrics are the worker's job metrics.
type Metrics struct {
	jobs     *prometheus.CounterVec
	seconds  prometheus.Histogram
	inFlight prometheus.Gauge
}

// NewMetrics registers the metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	f := promauto.With(reg)
	return &Metrics{
		jobs: f.NewCounterVec(prometheus.CounterOpts{
			Name: "castmesh_worker_jobs_total", Help: "Jobs finished by outcome (ok, input_error, failed).",
		}, []string{"outcome"}),
		seconds: f.NewHistogram(prometheus.HistogramOpts{
			Name: "castmesh_worker_job_seconds", Help: "Time to transcode one job.",
			Buckets: prometheus.ExponentialBuckets(0.125, 2, 10),
		}),
		inFlight: f.NewGauge(prometheus.GaugeOpts{
			Name: "castmesh_worker_jobs_in_flight", Help: "Jobs running now.",
		}),
	}
}

func (m *Metrics) observe(err error, d time.Duration) {
	outcome := "ok"
	switch {
	case errors.Is(err, ErrBadInput):
		outcome = "input_error"
	case err != nil:
		outcome = "failed"
	}
	m.jobs.WithLabelValues(outcome).Inc()
	m.seconds.Observe(d.Seconds())
}
