package selection

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// Metrics are selection's Prometheus metrics.
type Metrics struct {
	segments *prometheus.CounterVec
	retries  prometheus.Counter
	seconds  prometheus.Histogram
	swaps    prometheus.Counter
	// Payments.
	pixels     *prometheus.CounterVec
	overbilled prometheus.Counter
	rejected   prometheus.Counter
}

// NewMetrics registers the metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	f := promauto.With(reg)
	return &Metrics{
		segments: f.NewCounterVec(prometheus.CounterOpts{
			Name: "castmesh_gateway_segments_total", Help: "Segments sent for transcoding, by outcome (ok, bad_input, failed).",
		}, []string{"outcome"}),
		retries: f.NewCounter(prometheus.CounterOpts{
			Name: "castmesh_gateway_segment_retries_total", Help: "Segment tries after the first.",
		}),
		seconds: f.NewHistogram(prometheus.HistogramOpts{
			Name: "castmesh_gateway_segment_seconds", Help: "Time from sending a segment to having all its renditions.",
			Buckets: prometheus.ExponentialBuckets(0.125, 2, 10),
		}),
		swaps: f.NewCounter(prometheus.CounterOpts{
			Name: "castmesh_gateway_orchestrator_swaps_total", Help: "Times a stream moved to another orchestrator.",
		}),
		pixels: f.NewCounterVec(prometheus.CounterOpts{
			Name: "castmesh_gateway_delivered_pixels_total", Help: "Output pixels received and paid for, by orchestrator.",
		}, []string{"orchestrator"}),
		rejected: f.NewCounter(prometheus.CounterOpts{
			Name: "castmesh_gateway_rejected_renditions_total",
			Help: "Segments whose renditions failed verification (size, frames, signature) and were tried elsewhere.",
		}),
		overbilled: f.NewCounter(prometheus.CounterOpts{
			Name: "castmesh_gateway_overbilled_segments_total", Help: "Segments an orchestrator billed more pixels for than it delivered.",
		}),
	}
}
