package panics

import (
	"errors"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func handle(m *Metrics, trigger bool) (err error) {
	defer Recover(&err, "test", nil, m)
	if trigger {
		var table map[string]int
		table["boom"]++ // a nil map write panics
	}
	return nil
}

func TestRecoverFailsOnlyTheCall(t *testing.T) {
	m := NewMetrics(prometheus.NewRegistry())
	if err := handle(m, false); err != nil {
		t.Fatalf("no panic: %v", err)
	}
	err := handle(m, true)
	var pe *Error
	if !errors.As(err, &pe) || pe.Component != "test" {
		t.Fatalf("err = %v, want a recovered *Error from test", err)
	}
	if got := testutil.ToFloat64(m.Counter("test")); got != 1 {
		t.Errorf("counted %v recoveries, want 1", got)
	}
	if err := handle(m, false); err != nil {
		t.Fatalf("after a recovered panic: %v", err)
	}
}
