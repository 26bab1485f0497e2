package rtmp

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// Metrics are the RTMP server's Prometheus metrics.
type Metrics struct {
	// Connections is the number of open RTMP connections.
	Connections prometheus.Gauge
	// Publishes counts publishes accepted.
	Publishes prometheus.Counter
	// Rejected counts connections and streams refused, by reason.
	Rejected *prometheus.CounterVec
	// ReceivedBytes counts bytes read from publishers.
	ReceivedBytes prometheus.Counter
	// Segments counts segments cut and pushed to streams.
	Segments prometheus.Counter
}

// NewMetrics registers the RTMP metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	f := promauto.With(reg)
	return &Metrics{
		Connections: f.NewGauge(prometheus.GaugeOpts{
			Name: "castmesh_gateway_rtmp_connections",
			Help: "Open RTMP connections.",
		}),
		Publishes: f.NewCounter(prometheus.CounterOpts{
			Name: "castmesh_gateway_rtmp_publishes_total",
			Help: "RTMP publishes accepted.",
		}),
		Rejected: f.NewCounterVec(prometheus.CounterOpts{
			Name: "castmesh_gateway_rtmp_rejected_total",
			Help: "RTMP connections and streams refused, by reason.",
		}, []string{"reason"}),
		ReceivedBytes: f.NewCounter(prometheus.CounterOpts{
			Name: "castmesh_gateway_rtmp_received_bytes_total",
			Help: "Bytes read from RTMP publishers.",
		}),
		Segments: f.NewCounter(prometheus.CounterOpts{
			Name: "castmesh_gateway_rtmp_segments_total",
			Help: "Segments cut from RTMP streams.",
		}),
	}
}
