package hubclient

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/castmesh/castmesh/pkg/media"
)

// Errors.
var (
	// ErrRejected means the orchestrator refused the worker's secret or
	// registration; retrying cannot help.
	ErrRejected = errors.New("orchestrator rejected the worker")
	// ErrBadInput marks a transcoder error caused by the job's input; the
	// hub then does not retry the job on another worker.
	ErrBadInput = errors.New("bad input")
)

// Job is one segment to transcode.
type Job struct {
	StreamID string
	Seq      int64
	Duration time.Duration
	Profiles []media.Profile
	Input    []byte
}

// Transcoder does the work. An error wrapping ErrBadInput says the input is
// at fault.
type Transcoder interface {
	Transcode(ctx context.Context, job Job) ([]media.Rendition, error)
}

// Encoder is one codec the worker offers, and with what.
type Encoder struct {
	Codec    media.VideoCodec
	Name     string
	Hardware bool
}

// Config says where and how to connect.
type Config struct {
	// Orchestrator is the hub's host:port.
	Orchestrator string
	// Secret is the orchestrator's worker secret.
	Secret string
	// WorkerID names the worker; empty lets the hub pick one.
	WorkerID string
	// Capacity is how many jobs run at once.
	Capacity int
	// Fingerprint pins the orchestrator's TLS certificate (hex SHA-256).
	Fingerprint string
	// ReconnectMin and ReconnectMax bound the redial backoff.
	ReconnectMin time.Duration
	ReconnectMax time.Duration
	// MaxJobBytes caps one job's input.
	MaxJobBytes int64
}

// Validate names the first bad field.
func (c Config) Validate() error {
	switch {
	case c.Orchestrator == "":
		return errors.New("orchestrator address must be set")
	case c.Secret == "":
		return errors.New("secret must be set")
	case c.Capacity < 1:
		return fmt.Errorf("capacity must be at least 1, got %d", c.Capacity)
	case c.ReconnectMin <= 0 || c.ReconnectMax < c.ReconnectMin:
		return errors.New("reconnect backoff must satisfy 0 < min <= max")
	case c.MaxJobBytes <= 0:
		return errors.New("max job bytes must be positive")
	}
	return nil
}
