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
	// ErrUnsupportedMedia marks an AI job whose media no runner decodes.
	ErrUnsupportedMedia = errors.New("unsupported media")
	// ErrBusy marks an AI job the worker has no free slot for.
	ErrBusy = errors.New("no free slot for the model")
)

// AIModel is one AI model the worker serves, as it stands now: a runner
// that turned unhealthy has capacity 0.
type AIModel struct {
	Pipeline string
	ModelID  string
	Warm     bool
	Capacity int
}

// AIJob is one AI request: the caller's body for the pipeline's runner.
type AIJob struct {
	RequestID   string
	Pipeline    string
	ModelID     string
	ContentType string
	Body        []byte
}

// AIRunner runs AI jobs.
type AIRunner interface {
	// Models lists the models served now.
	Models() []AIModel
	// Run runs job and passes the answer to out as it comes, its media type
	// with the first part. Errors wrapping ErrBadInput, ErrUnsupportedMedia
	// or ErrBusy say why the job cannot run here.
	Run(ctx context.Context, job AIJob, out func(contentType string, data []byte) error) error
}

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
