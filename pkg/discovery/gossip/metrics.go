package gossip

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// Metrics are a cluster member's Prometheus metrics.
type Metrics struct {
	members    prometheus.Gauge
	updates    *prometheus.CounterVec
	badMessage prometheus.Counter
	refused    *prometheus.CounterVec
}

// NewMetrics registers the metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	f := promauto.With(reg)
	return &Metrics{
		members: f.NewGauge(prometheus.GaugeOpts{
			Name: "castmesh_gossip_members", Help: "Alive cluster members this one knows, itself included.",
		}),
		updates: f.NewCounterVec(prometheus.CounterOpts{
			Name: "castmesh_gossip_state_updates_total",
			Help: "Member states taken in, by origin: local (SetState) or remote (a newer state from another member).",
		}, []string{"origin"}),
		badMessage: f.NewCounter(prometheus.CounterOpts{
			Name: "castmesh_gossip_bad_messages_total", Help: "Gossip payloads dropped because they could not be decoded.",
		}),
		refused: f.NewCounterVec(prometheus.CounterOpts{
			Name: "castmesh_gossip_records_refused_total",
			Help: "Gossip records refused, by reason: forged (bad signature, or not signed by its member's key), future (boot ahead of this clock).",
		}, []string{"reason"}),
	}
}
