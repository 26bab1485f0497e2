package aiapi

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// Metrics are the AI API's Prometheus metrics.
type Metrics struct {
	requests *prometheus.CounterVec
	seconds  *prometheus.HistogramVec
	retries  prometheus.Counter
	units    *prometheus.CounterVec
	refused  *prometheus.CounterVec
}

// NewMetrics registers the metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	f := promauto.With(reg)
	return &Metrics{
		requests: f.NewCounterVec(prometheus.CounterOpts{
			Name: "castmesh_gateway_ai_requests_total", Help: "AI requests by pipeline and HTTP status.",
		}, []string{"pipeline", "status"}),
		seconds: f.NewHistogramVec(prometheus.HistogramOpts{
			Name: "castmesh_gateway_ai_request_seconds", Help: "AI request time, from body read to answer written.",
			Buckets: prometheus.ExponentialBuckets(0.05, 2, 14),
		}, []string{"pipeline"}),
		retries: f.NewCounter(prometheus.CounterOpts{
			Name: "castmesh_gateway_ai_retries_total", Help: "AI requests tried again on another orchestrator.",
		}),
		units: f.NewCounterVec(prometheus.CounterOpts{
			Name: "castmesh_gateway_ai_billed_units_total",
			Help: "Billing units of the AI answers received, by orchestrator and pipeline (what payments cover).",
		}, []string{"orchestrator", "pipeline"}),
		refused: f.NewCounterVec(prometheus.CounterOpts{
			Name: "castmesh_gateway_ai_refused_total",
			Help: "AI requests refused before any work: no or unknown key, wrong scope, or the key's rate or concurrency limit.",
		}, []string{"key"}),
	}
}
