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

	"github.com/castmesh/castmesh/pkg/proc"
)

// FFprobe measures audio with ffprobe, for billing audio-to-text by its
// length. It reads a temporary copy of the file, since some containers
// (MP4 with its index at the end) cannot be read from a pipe.
//
// The file is a caller's: ffprobe reads it through local protocols only,
// as one of AudioFormats, within probeTimeout. A playlist (whose demuxer
// opens what it names, and waits forever when it has no end tag) is
// refused as unsupported media.
type FFprobe struct {
	// Path is the ffprobe binary; empty means "ffprobe" on PATH.
	Path string
}

// AudioFormats are the demuxers (ffmpeg's names, for -format_whitelist)
// FFprobe reads: the containers audio is sent in.
const AudioFormats = "wav,w64,mp3,flac,ogg,mov,mp4,matroska,webm,aac,aiff,caf,amr,mpegts"

// probeTimeout bounds one probe: it reads a file's headers, so a probe
// still running after this is stuck on a crafted file.
const probeTimeout = 30 * time.Second

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
	runCtx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	var out, stderr bytes.Buffer
	args := append([]string{
		"-v", "error", "-select_streams", "a:0",
		"-show_entries", "stream=duration:format=duration", "-of", "default=noprint_wrappers=1:nokey=1",
		"-format_whitelist", AudioFormats,
	}, proc.ProbeInput(in)...)
	cmd := exec.CommandContext(runCtx, bin, args...)
	cmd.Stdout, cmd.Stderr = &out, &stderr
	cmd.WaitDelay = proc.WaitDelay
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		if runCtx.Err() != nil {
			return 0, fmt.Errorf("%w: ffprobe found no end to it in %s", ErrUnsupportedMedia, probeTimeout)
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
