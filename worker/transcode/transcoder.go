package transcode

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/worker/hw"
)

// Request is one segment to transcode.
type Request struct {
	// Input is the segment, MPEG-TS.
	Input []byte
	// Profiles is the ladder; each gets one rendition.
	Profiles []media.Profile
	// StreamID and Seq identify the segment in logs.
	StreamID string
	Seq      int64
}

// Result is a transcoded segment.
type Result struct {
	// Renditions are in the order of the request's profiles.
	Renditions []media.Rendition
	// Elapsed is the job's wall time, a software fallback included.
	Elapsed time.Duration
}

// Capability is one codec the transcoder can encode and the encoder it uses.
type Capability struct {
	Codec    media.VideoCodec
	Encoder  string
	Hardware bool
}

// Transcoder runs ffmpeg for segments. It is safe for concurrent use; each
// Transcode call runs its own ffmpeg.
type Transcoder struct {
	cfg      Config
	hardware map[media.VideoCodec]hw.Encoder
	logger   *slog.Logger
	metrics  *Metrics
}

// New makes a transcoder that prefers the given hardware encoders (from
// hw.Detect; the first one per codec is used) and encodes everything else
// in software.
func New(cfg Config, encoders []hw.Encoder, logger *slog.Logger, m *Metrics) (*Transcoder, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if logger == nil || m == nil {
		return nil, errors.New("transcode: a logger and metrics are required")
	}
	hardware := map[media.VideoCodec]hw.Encoder{}
	for _, e := range encoders {
		if _, ok := hardware[e.Codec]; !ok && e.Codec.Valid() && e.Hardware() {
			hardware[e.Codec] = e
		}
	}
	return &Transcoder{cfg: cfg, hardware: hardware, logger: logger.With("component", "transcode"), metrics: m}, nil
}

// Capabilities lists every codec with the encoder a job would use for it.
func (t *Transcoder) Capabilities() []Capability {
	var caps []Capability
	for _, c := range []media.VideoCodec{media.H264, media.HEVC, media.VP9, media.AV1} {
		e, ok := t.hardware[c]
		if !ok {
			e = softwareEncoder(c)
		}
		caps = append(caps, Capability{Codec: c, Encoder: e.Name, Hardware: e.Hardware()})
	}
	return caps
}

// Transcode makes every rendition of req's ladder from its segment. A bad
// segment or ladder gives an *InputError (see IsInputError); when ctx ends
// ffmpeg is killed and ctx's error returned; other errors are retryable.
func (t *Transcoder) Transcode(ctx context.Context, req Request) (Result, error) {
	start := time.Now()
	res, err := t.transcode(ctx, req)
	res.Elapsed = time.Since(start)
	t.record(ctx, res, err)
	if err != nil {
		return Result{}, fmt.Errorf("transcode stream %q seq %d: %w", req.StreamID, req.Seq, err)
	}
	return res, nil
}

func (t *Transcoder) transcode(ctx context.Context, req Request) (Result, error) {
	if err := media.ValidateLadder(req.Profiles); err != nil {
		return Result{}, &InputError{Err: fmt.Errorf("ladder: %w", err)}
	}
	info, err := media.ProbeTS(req.Input)
	if err != nil {
		return Result{}, &InputError{Err: err}
	}
	logger := t.logger.With("stream", req.StreamID, "seq", req.Seq)
	dir, err := os.MkdirTemp(t.cfg.TempDir, "castmesh-transcode-")
	if err != nil {
		return Result{}, fmt.Errorf("temp dir: %w", err)
	}
	defer func() {
		if err := os.RemoveAll(dir); err != nil {
			logger.Warn("temp dir left behind", "dir", dir, "error", err)
		}
	}()
	input := filepath.Join(dir, "in.ts")
	if err := os.WriteFile(input, req.Input, 0o600); err != nil {
		return Result{}, fmt.Errorf("write input: %w", err)
	}
	src := sourceOf(info)
	j := newJob(t.cfg, src, req.Profiles, t.hardware, input, dir)
	res, err := t.run(ctx, j)
	if err == nil || !j.hardware() || IsInputError(err) || ctx.Err() != nil {
		return res, err
	}
	logger.Warn("hardware encode failed, running the job in software", "error", err)
	t.metrics.fallbacks.Inc()
	return t.run(ctx, newJob(t.cfg, src, req.Profiles, nil, input, dir))
}

// run runs ffmpeg for a job and reads its renditions back.
func (t *Transcoder) run(ctx context.Context, j job) (Result, error) {
	stderr, err := t.runFFmpeg(ctx, j.args(), j.input)
	if err != nil {
		return Result{}, err
	}
	res := Result{Renditions: make([]media.Rendition, len(j.outputs))}
	for i, o := range j.outputs {
		r, err := readRendition(o)
		if err != nil {
			// A rendition without a single frame from an input the
			// decoder complained about means nothing could be decoded.
			noFrames := errors.Is(err, media.ErrNoVideo) && decoderLog.MatchString(stderr)
			// Not wrapped: a media error about our output is no input error.
			err = fmt.Errorf("%w: rendition %q: %s", ErrBadOutput, o.profile.Name, err.Error())
			if noFrames {
				return Result{}, &InputError{Err: &FFmpegError{Program: "ffmpeg", Err: err, Stderr: stderr}}
			}
			return Result{}, &FFmpegError{Program: "ffmpeg", Err: err, Stderr: stderr}
		}
		res.Renditions[i] = r
	}
	return res, nil
}

// record updates the metrics for a finished job.
func (t *Transcoder) record(ctx context.Context, res Result, err error) {
	t.metrics.seconds.Observe(res.Elapsed.Seconds())
	outcome := outcomeOK
	switch {
	case err == nil:
		for _, r := range res.Renditions {
			t.metrics.renditions.WithLabelValues(string(r.Profile.VideoCodec())).Inc()
			t.metrics.pixels.Add(float64(r.Pixels()))
		}
	case IsInputError(err):
		outcome = outcomeInputError
	case ctx.Err() != nil:
		outcome = outcomeCanceled
	default:
		outcome = outcomeFailed
	}
	t.metrics.jobs.WithLabelValues(outcome).Inc()
}
