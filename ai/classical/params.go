package classical

import (
	"fmt"
	"math/rand/v2"

	"github.com/castmesh/castmesh/ai/pipeline"
)

// seedOr returns *seed, or, as the ai-runner does when the caller gives
// none, a random seed in [0, 2³²−1].
func seedOr(seed *int64) int64 {
	if seed != nil {
		return *seed
	}
	return int64(rand.Uint32())
}

// checkRange returns a *pipeline.FieldError unless lo ≤ v ≤ hi.
func checkRange(field string, v, lo, hi int) error {
	if v < lo || v > hi {
		return fieldError(field, "must be %d..%d, got %d", lo, hi, v)
	}
	return nil
}

// fieldError says that a request field is wrong: the caller's fault.
func fieldError(field, format string, args ...any) *pipeline.FieldError {
	return &pipeline.FieldError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// firstErr returns the first error that is not nil.
func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
