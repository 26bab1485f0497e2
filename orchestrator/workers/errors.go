package workers

import (
	"errors"
	"fmt"
)

// Errors the rpc adapter maps to gRPC statuses.
var (
	// ErrNoWorkers means no connected worker can encode the job's profiles.
	ErrNoWorkers = errors.New("no worker can take the job")
	// ErrWorkerGone means the worker disconnected while it held the job.
	ErrWorkerGone = errors.New("worker disconnected")
	// ErrDuplicateWorker means a worker registered with an id already in use.
	ErrDuplicateWorker = errors.New("a worker with this id is connected")
	// ErrNoModel means no connected worker serves the AI model asked for.
	ErrNoModel = errors.New("no worker serves the model")
	// ErrModelBusy means every worker serving the model is at capacity.
	ErrModelBusy = errors.New("every worker serving the model is busy")
)

// JobError is a failure a worker reported for a job.
type JobError struct {
	// Input is true when the input itself cannot be transcoded.
	Input bool
	// UnsupportedMedia is true, with Input, for media no runner decodes.
	UnsupportedMedia bool
	// Busy is true when the worker had no free capacity for the job.
	Busy    bool
	Message string
}

func (e *JobError) Error() string {
	if e.Input {
		return "bad input: " + e.Message
	}
	return "worker failed: " + e.Message
}

// IsInputError reports whether err says the job's input is bad.
func IsInputError(err error) bool {
	var je *JobError
	return errors.As(err, &je) && je.Input
}

// AttemptsError wraps the last error after every attempt failed.
type AttemptsError struct {
	Attempts int
	Err      error
}

func (e *AttemptsError) Error() string {
	return fmt.Sprintf("gave up after %d attempts: %v", e.Attempts, e.Err)
}

func (e *AttemptsError) Unwrap() error { return e.Err }
