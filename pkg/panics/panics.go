// Package panics turns a panic in a goroutine that handles one peer's input
// into an error for that stream or request alone. Go ends the whole process
// when any goroutine panics, and net/http is the only server in the stack
// that recovers its handlers (gRPC, RTMP and our own loops do not), so on
// an open network one malformed message would stop every stream on a node.
// Each recovery is logged with its stack and counted by component.
package panics

import (
	"fmt"
	"log/slog"
	"runtime/debug"

	"github.com/prometheus/client_golang/prometheus"
)

// Error is a recovered panic.
type Error struct {
	// Component is where it happened ("rtmp", "grpc", …).
	Component string
	// Value is what was passed to panic.
	Value any
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s: internal error (recovered panic: %v)", e.Component, e.Value)
}

// Metrics counts recovered panics.
type Metrics struct {
	recovered *prometheus.CounterVec
}

// NewMetrics registers castmesh_panics_recovered_total on reg (nil: none).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{recovered: prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "castmesh_panics_recovered_total",
		Help: "Panics recovered in goroutines handling remote input, by component; each failed only its own stream or request.",
	}, []string{"component"})}
	if reg != nil {
		reg.MustRegister(m.recovered)
	}
	return m
}

// Recover, deferred, stops a panic in the calling goroutine, logs it with
// its stack, counts it, and sets *err (when err is not nil) to an *Error.
// m and logger may be nil.
//
//	defer panics.Recover(&err, "rtmp", logger, m)
func Recover(err *error, component string, logger *slog.Logger, m *Metrics) {
	v := recover()
	if v == nil {
		return
	}
	if m != nil {
		m.recovered.WithLabelValues(component).Inc()
	}
	if logger != nil {
		logger.Error("recovered panic", "component", component, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
	}
	if err != nil {
		*err = &Error{Component: component, Value: v}
	}
}

// Counter is component's count of recovered panics (for tests and status).
func (m *Metrics) Counter(component string) prometheus.Counter {
	return m.recovered.WithLabelValues(component)
}
