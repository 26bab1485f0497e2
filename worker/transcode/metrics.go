package transcode

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// Metrics are the transcoder's Prometheus metrics.
type Metrics struct {
	jobs       *prometheus.CounterVec
	seconds    prometheus.Histogram
	fallbacks  prometheus.Counter
	renditions *prometheus.CounterVec
	pixels     prometheus.Counter
}

// Job outcomes, the values of the jobs counter's outcome label.
const (
	outcomeOK         = "ok"
	outcomeInputError = "input_error"
	outcomeFailed     = "failed"
	outcomeCanceled   = "canceled"
)

// NewMetrics registers the metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	f := promauto.With(reg)
	return &Metrics{
		jobs: f.NewCounterVec(prometheus.CounterOpts{
			Name: "castmesh_worker_transcode_jobs_total",
			Help: "Transcode jobs by outcome (ok, input_error, failed, canceled).",
		}, []string{"outcome"}),
		seconds: f.NewHistogram(prometheus.HistogramOpts{
			Name: "castmesh_worker_transcode_seconds",
			Help: "Wall time of a transcode job, software fallback included.",
			// 0.125 s to 64 s: a 2 s segment takes 0.2–2 s normally.
			Buckets: prometheus.ExponentialBuckets(0.125, 2, 10),
		}),
		fallbacks: f.NewCounter(prometheus.CounterOpts{
			Name: "castmesh_worker_transcode_hardware_fallbacks_total",
			Help: "Jobs whose hardware encode failed and were run again in software.",
		}),
		renditions: f.NewCounterVec(prometheus.CounterOpts{
			Name: "castmesh_worker_transcode_renditions_total",
			Help: "Renditions produced, by video codec.",
		}, []string{"codec"}),
		pixels: f.NewCounter(prometheus.CounterOpts{
			Name: "castmesh_worker_transcode_output_pixels_total",
			Help: "Output pixels (width × height × frames) of all renditions, the unit transcoding is paid in.",
		}),
	}
}
