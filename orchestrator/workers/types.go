package workers

import (
	"context"
	"time"

	"github.com/castmesh/castmesh/pkg/media"
)

// Job is one segment to transcode.
type Job struct {
	// ID is set by the pool, unique per orchestrator run.
	ID       uint64
	StreamID string
	Seq      int64
	Duration time.Duration
	Profiles []media.Profile
	// Input is the MPEG-TS segment.
	Input []byte
}

// Result is a finished job.
type Result struct {
	// Renditions are in the order of the job's profiles.
	Renditions []media.Rendition
	// Elapsed is the time the worker spent.
	Elapsed  time.Duration
	WorkerID string
}

// Encoder is one codec a worker can encode, and with what.
type Encoder struct {
	Codec    media.VideoCodec
	Name     string
	Hardware bool
}

// Info describes a worker as it registered.
type Info struct {
	ID       string
	Capacity int
	Encoders []Encoder
	// AI are the AI models the worker serves, each with its own capacity.
	AI []AIModel
}

func (i Info) canEncode(profiles []media.Profile) bool {
	for _, p := range profiles {
		found := false
		for _, e := range i.Encoders {
			found = found || e.Codec == p.VideoCodec()
		}
		if !found {
			return false
		}
	}
	return true
}

// Conn is one connected worker as the pool drives it.
type Conn interface {
	// Transcode runs a job on the worker and waits for its result. It
	// returns a *JobError for a failure the worker reported, ErrWorkerGone
	// when the connection ends first, or ctx's error.
	Transcode(ctx context.Context, job Job) (Result, error)
	// AI runs an AI job, passing the answer to out as it comes; it returns
	// the worker's time. Errors are as for Transcode.
	AI(ctx context.Context, job AIJob, out AIOutput) (time.Duration, error)
}

// Load is the pool's size and business.
type Load struct {
	Workers  int
	InFlight int
	Capacity int
}
