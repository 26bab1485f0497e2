package classical

import (
	"errors"

	"github.com/castmesh/castmesh/pkg/proc"
)

// ErrBadOutput means ffmpeg exited cleanly but did not write the frames
// asked for. It is this node's fault, never the caller's.
var ErrBadOutput = errors.New("unexpected ffmpeg output")

// FFmpegError is an ffmpeg run that failed: how the process ended (an
// *exec.ExitError, why it could not start, or the timeout) and the tail of
// its stderr.
type FFmpegError = proc.Error
