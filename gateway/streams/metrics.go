package streams

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// Metrics are the stream manager's Prometheus metrics.
type Metrics struct {
	streams  *prometheus.GaugeVec
	opened   *prometheus.CounterVec
	refused  *prometheus.CounterVec
	segments *prometheus.CounterVec
}

// NewMetrics registers the metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	f := promauto.With(reg)
	return &Metrics{
		streams: f.NewGaugeVec(prometheus.GaugeOpts{
			Name: "castmesh_gateway_streams", Help: "Live streams by ingest protocol.",
		}, []string{"protocol"}),
		opened: f.NewCounterVec(prometheus.CounterOpts{
			Name: "castmesh_gateway_streams_opened_total", Help: "Streams started by ingest protocol.",
		}, []string{"protocol"}),
		refused: f.NewCounterVec(prometheus.CounterOpts{
			Name: "castmesh_gateway_streams_refused_total", Help: "Publishers refused, by reason.",
		}, []string{"reason"}),
		segments: f.NewCounterVec(prometheus.CounterOpts{
			Name: "castmesh_gateway_stream_segments_total", Help: "Segments by fate (played, failed, dropped).",
		}, []string{"fate"}),
	}
}
