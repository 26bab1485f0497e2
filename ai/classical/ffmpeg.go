package classical

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"log/slog"
	"os/exec"
	"strconv"
	"time"

	"github.com/castmesh/castmesh/pkg/proc"
)

// FFmpegConfig says how a model runs ffmpeg.
type FFmpegConfig struct {
	// Path is the ffmpeg binary: a path, or a name looked up in PATH.
	Path string `yaml:"path"`
	// Timeout bounds one ffmpeg run.
	Timeout time.Duration `yaml:"timeout"`
}

// DefaultFFmpegConfig returns the defaults.
func DefaultFFmpegConfig() FFmpegConfig {
	return FFmpegConfig{
		Path: "ffmpeg",
		// 2 min: the slowest run the default limits allow, the cartoon
		// style over a 4096² image, takes about 10 s on 2 cores (20 s
		// when they are busy); a run this long is stuck, not slow.
		Timeout: 2 * time.Minute,
	}
}

// Validate names the first bad key.
func (c FFmpegConfig) Validate() error {
	switch {
	case c.Path == "":
		return errors.New("ffmpeg.path: must name the ffmpeg binary")
	case c.Timeout < time.Second:
		return fmt.Errorf("ffmpeg.timeout: %v must be at least 1s", c.Timeout)
	}
	return nil
}

// ffmpeg runs filter graphs over raw RGBA frames.
type ffmpeg struct {
	cfg FFmpegConfig
	log *slog.Logger
}

// filterJob is one ffmpeg run: in goes through filter, which must make
// frames frames of outW × outH.
type filterJob struct {
	in         *image.NRGBA
	filter     string
	outW, outH int
	frames     int
}

// run feeds j.in to ffmpeg as one raw RGBA frame and returns the frames it
// writes back, each outW × outH, in order.
func (f ffmpeg) run(ctx context.Context, j filterJob) ([]*image.NRGBA, error) {
	frameBytes := j.outW * j.outH * 4
	runCtx, cancel := context.WithTimeout(ctx, f.cfg.Timeout)
	defer cancel()
	stdout := &capBuffer{max: frameBytes * j.frames}
	stdout.buf.Grow(stdout.max)
	stderr := &proc.TailBuffer{Max: proc.StderrTail}
	cmd := exec.CommandContext(runCtx, f.cfg.Path, j.args()...)
	cmd.Stdin = bytes.NewReader(j.in.Pix)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.WaitDelay = proc.WaitDelay
	start := time.Now()
	err := cmd.Run()
	switch {
	case ctx.Err() != nil:
		return nil, fmt.Errorf("ffmpeg stopped: %w", ctx.Err())
	case runCtx.Err() != nil:
		return nil, &FFmpegError{Program: "ffmpeg", Err: fmt.Errorf("killed after %v: %w", f.cfg.Timeout, runCtx.Err()), Stderr: stderr.String()}
	case err != nil:
		return nil, &FFmpegError{Program: "ffmpeg", Err: err, Stderr: stderr.String()}
	case stdout.buf.Len() != stdout.max:
		return nil, fmt.Errorf("%w: %d bytes, want %d frames of %d×%d RGBA", ErrBadOutput, stdout.buf.Len(), j.frames, j.outW, j.outH)
	}
	f.log.Debug("ffmpeg done", "filter", j.filter, "frames", j.frames, "took", time.Since(start))
	pix := stdout.buf.Bytes()
	out := make([]*image.NRGBA, j.frames)
	for i := range out {
		out[i] = &image.NRGBA{Pix: pix[i*frameBytes : (i+1)*frameBytes : (i+1)*frameBytes], Stride: 4 * j.outW, Rect: image.Rect(0, 0, j.outW, j.outH)}
	}
	return out, nil
}

func (j filterJob) args() []string {
	b := j.in.Bounds()
	return []string{
		"-hide_banner", "-loglevel", "error",
		"-f", "rawvideo", "-pix_fmt", "rgba", "-s", fmt.Sprintf("%dx%d", b.Dx(), b.Dy()), "-i", "pipe:0",
		"-filter_complex", j.filter, "-frames:v", strconv.Itoa(j.frames),
		"-f", "rawvideo", "-pix_fmt", "rgba", "pipe:1",
	}
}

// capBuffer is an io.Writer that holds at most max bytes; writing more is
// an error, which stops ffmpeg with a broken pipe.
type capBuffer struct {
	max int
	buf bytes.Buffer
}

func (b *capBuffer) Write(p []byte) (int, error) {
	if b.buf.Len()+len(p) > b.max {
		return 0, fmt.Errorf("%w: more than %d bytes", ErrBadOutput, b.max)
	}
	return b.buf.Write(p)
}

func newFFmpeg(cfg FFmpegConfig, log *slog.Logger, model string) ffmpeg {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return ffmpeg{cfg: cfg, log: log.With("component", "classical", "model", model)}
}
