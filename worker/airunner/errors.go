package airunner

import "errors"

// Errors callers branch on; the pipeline package's input errors pass
// through from runners as they are.
var (
	// ErrBusy means every slot of the model is taken.
	ErrBusy = errors.New("model at capacity")
	// ErrNoModel means the worker does not serve the model.
	ErrNoModel = errors.New("model not served here")
	// ErrUnhealthy means the model's runner is out of service.
	ErrUnhealthy = errors.New("model's runner is unhealthy")
)
