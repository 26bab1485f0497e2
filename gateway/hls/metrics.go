package hls

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// Metrics are the HLS output's Prometheus metrics.
type Metrics struct {
	// Streams is the number of streams being served, ended ones included.
	Streams prometheus.Gauge
	// Segments counts segments by what became of them: inserted, lost (skipped
	// or given up), or dropped (late, duplicate or after the end).
	Segments *prometheus.CounterVec
	// StoredBytes is the size of segments held in memory.
	StoredBytes prometheus.Gauge
	// Requests counts HTTP requests by what was asked for and the status.
	Requests *prometheus.CounterVec
	// RecordingsStopped counts recordings stopped at a memory cap.
	RecordingsStopped prometheus.Counter
}

// NewMetrics registers the metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	f := promauto.With(reg)
	return &Metrics{
		Streams: f.NewGauge(prometheus.GaugeOpts{
			Name: "castmesh_gateway_hls_streams",
			Help: "Streams served over HLS, ended ones still playable included.",
		}),
		Segments: f.NewCounterVec(prometheus.CounterOpts{
			Name: "castmesh_gateway_hls_segments_total",
			Help: "Segments by outcome: inserted, lost or dropped.",
		}, []string{"outcome"}),
		StoredBytes: f.NewGauge(prometheus.GaugeOpts{
			Name: "castmesh_gateway_hls_stored_bytes",
			Help: "Bytes of segments held in memory.",
		}),
		Requests: f.NewCounterVec(prometheus.CounterOpts{
			Name: "castmesh_gateway_hls_requests_total",
			Help: "HLS HTTP requests by kind of file and status code.",
		}, []string{"kind", "code"}),
		RecordingsStopped: f.NewCounter(prometheus.CounterOpts{
			Name: "castmesh_gateway_hls_recordings_stopped_total",
			Help: "Recordings stopped because the stream, or all streams, held hls.max_recording_bytes or hls.max_memory_bytes in memory.",
		}),
	}
}
