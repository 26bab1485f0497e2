package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// FFprobe measures audio with ffprobe, for billing audio-to-text by its
// length. It reads a temporary copy of the file, since some containers
// (MP4 with its index at the end) cannot be read from a pipe.
type FFprobe struct {
	// Path is the ffprobe binary; empty means "ffprobe" on PATH.
	Path string
}

// AudioDuration implements AudioProber.
func (f FFprobe) AudioDuration(ctx context.Context, data []byte) (time.Duration, error) {
	dir, err := os.MkdirTemp("", "castmesh-probe-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "audio")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		return 0, err
	}
	bin := f.Path
	if bin == "" {
		bin = "ffprobe"
	}
	var out, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "-v", "error", "-select_streams", "a:0",
		"-show_entries", "stream=duration:format=duration", "-of", "default=noprint_wrappers=1:nokey=1", in)
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		if _, notFound := err.(*exec.Error); notFound { //nolint:errorlint // exec.Error is never wrapped here
			return 0, fmt.Errorf("ffprobe: %w", err)
		}
		return 0, fmt.Errorf("%w: not audio ffmpeg can read: %s", ErrUnsupportedMedia, firstLine(stderr.String()))
	}
	// The stream's duration comes first; a container without one has only
	// the format's.
	for _, line := range strings.Fields(out.String()) {
		if secs, err := strconv.ParseFloat(line, 64); err == nil && secs > 0 {
			return time.Duration(secs * float64(time.Second)), nil
		}
	}
	return 0, fmt.Errorf("%w: no audio stream with a duration", ErrUnsupportedMedia)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	const maxLen = 200
	if len(s) > maxLen {
		s = s[:maxLen]
	}
	return s
}
