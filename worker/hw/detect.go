package hw

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// testTimeout bounds one test encode: opening a GPU and encoding one tiny
// frame takes well under a second; a driver that hangs must not stall the
// worker's start.
const testTimeout = 15 * time.Second

// Detect lists the hardware encoders that ffmpeg offers and that pass a
// one-frame test encode, in ffmpeg's order, VA-API and QSV once per render
// node that works. It fails only when ffmpeg cannot list its encoders; an
// encoder that fails its test is logged at debug level and left out.
func Detect(ctx context.Context, ffmpeg string, logger *slog.Logger) ([]Encoder, error) {
	nodes, err := filepath.Glob("/dev/dri/renderD*")
	if err != nil {
		return nil, fmt.Errorf("list render nodes: %w", err)
	}
	d := detector{ffmpeg: ffmpeg, nodes: nodes, logger: logger.With("component", "hw")}
	return d.detect(ctx)
}

// detector holds what one detection needs; tests give it render nodes.
type detector struct {
	ffmpeg string
	nodes  []string
	logger *slog.Logger
}

func (d detector) detect(ctx context.Context) ([]Encoder, error) {
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, d.ffmpeg, "-hide_banner", "-nostdin", "-encoders")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("list ffmpeg encoders: %w: %s", err, tail(stderr.String()))
	}
	var works []Encoder
	for _, e := range ParseEncoders(stdout.Bytes()) {
		for _, e := range d.withDevices(e) {
			if err := d.test(ctx, e); err != nil {
				if ctx.Err() != nil {
					return nil, fmt.Errorf("test %s: %w", e.Name, ctx.Err())
				}
				d.logger.Debug("hardware encoder unusable", "encoder", e.Name, "device", e.Device, "error", err)
				continue
			}
			d.logger.Info("hardware encoder works", "encoder", e.Name, "device", e.Device)
			works = append(works, e)
		}
	}
	return works, nil
}

// withDevices returns e once per device it could run on: NVENC as is,
// VA-API and QSV once per render node (none without one).
func (d detector) withDevices(e Encoder) []Encoder {
	if e.Kind == KindNVENC {
		return []Encoder{e}
	}
	out := make([]Encoder, 0, len(d.nodes))
	for _, node := range d.nodes {
		e.Device = node
		out = append(out, e)
	}
	return out
}

// TestArgs returns the ffmpeg arguments of e's one-frame test encode: a
// 256x144 colour frame, uploaded as the encoder needs, encoded and thrown
// away.
func TestArgs(e Encoder) []string {
	args := []string{"-hide_banner", "-nostdin", "-loglevel", "error"}
	args = append(args, e.InputArgs()...)
	args = append(args, "-f", "lavfi", "-i", "color=s=256x144:d=0.04")
	if f := e.UploadFilter(); f != "" {
		args = append(args, "-vf", f)
	}
	return append(args, "-frames:v", "1", "-c:v", e.Name, "-f", "null", "-")
}

func (d detector) test(ctx context.Context, e Encoder) error {
	ctx, cancel := context.WithTimeout(ctx, testTimeout)
	defer cancel()
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, d.ffmpeg, TestArgs(e)...)
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%w: %s", err, tail(stderr.String()))
	}
	return nil
}

// tail keeps the last lines of ffmpeg's stderr for an error message.
func tail(s string) string {
	s = strings.TrimSpace(s)
	const keep = 512
	if len(s) > keep {
		s = "…" + s[len(s)-keep:]
	}
	return s
}
