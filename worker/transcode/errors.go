package transcode

import (
	"errors"

	"github.com/castmesh/castmesh/pkg/proc"
)

// ErrBadOutput means ffmpeg exited cleanly but a rendition could not be
// read back; it is retryable.
var ErrBadOutput = errors.New("unreadable ffmpeg output")

// InputError says the job itself is bad (its segment cannot be read or
// decoded, or its ladder is invalid), so retrying it on another worker
// cannot help.
type InputError struct {
	// Err is the cause: a pkg/media error about the segment, a ladder
	// error or an *FFmpegError.
	Err error
}

func (e *InputError) Error() string { return "bad input: " + e.Err.Error() }

// Unwrap returns the cause.
func (e *InputError) Unwrap() error { return e.Err }

// IsInputError reports whether err says the job's input is bad. Every
// input failure is an *InputError; pkg/media errors about the renditions
// ffmpeg wrote are not, since a bad output is this worker's fault.
func IsInputError(err error) bool {
	var ie *InputError
	return errors.As(err, &ie)
}

// FFmpegError is an ffmpeg run that failed: how the process ended (an
// *exec.ExitError, why it could not start, or the timeout) and the tail of
// its stderr.
type FFmpegError = proc.Error
