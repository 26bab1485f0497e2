package vod

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// Metrics are the VOD API's Prometheus metrics.
type Metrics struct {
	requests      *prometheus.CounterVec
	seconds       *prometheus.HistogramVec
	uploadedBytes prometheus.Counter
	jobsRunning   prometheus.Gauge
	jobs          *prometheus.CounterVec
}

// NewMetrics registers the metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	f := promauto.With(reg)
	return &Metrics{
		requests: f.NewCounterVec(prometheus.CounterOpts{
			Name: "castmesh_gateway_vod_requests_total", Help: "VOD API requests by route and HTTP status.",
		}, []string{"route", "status"}),
		seconds: f.NewHistogramVec(prometheus.HistogramOpts{
			Name: "castmesh_gateway_vod_request_seconds", Help: "VOD API request time by route.",
			Buckets: prometheus.ExponentialBuckets(0.001, 4, 10),
		}, []string{"route"}),
		uploadedBytes: f.NewCounter(prometheus.CounterOpts{
			Name: "castmesh_gateway_vod_uploaded_bytes_total", Help: "Bytes of upload parts received and kept.",
		}),
		jobsRunning: f.NewGauge(prometheus.GaugeOpts{
			Name: "castmesh_gateway_vod_jobs_running", Help: "File jobs this gateway runs now.",
		}),
		jobs: f.NewCounterVec(prometheus.CounterOpts{
			Name: "castmesh_gateway_vod_jobs_total", Help: "File jobs this gateway ended, by how (completed, failed, canceled).",
		}, []string{"status"}),
	}
}
