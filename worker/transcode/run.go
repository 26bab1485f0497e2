package transcode

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"

	"github.com/castmesh/castmesh/pkg/proc"
)

// inputFailure matches ffmpeg's fatal complaints about an input it cannot
// probe, has no decoder for, or of which it decoded no frame at all
// ("Cannot determine format of input stream 0:0 after EOF"). Decode errors
// ffmpeg survives ("Error while decoding stream", concealment messages)
// are not listed: they do not fail a run by themselves, and a run that
// fails for another reason (an encoder, a full disk) must stay retryable
// even if the input had glitches.
var inputFailure = regexp.MustCompile(`(?m)^\[(mpegts|h264|hevc) @ [^\]]+\] [Cc]ould not find codec parameters|` +
	`Decoding requested, but no decoder found|Cannot determine format of input stream`)

// decoderLog matches a log line of the input's demuxer or video decoder;
// at -loglevel error these are decode errors.
var decoderLog = regexp.MustCompile(`(?m)^\[(h264|hevc|mpegts) @ [^\]]+\] `)

// runFFmpeg runs one ffmpeg with args, killing it when ctx ends or after
// the configured timeout. It returns ffmpeg's stderr tail, and an error:
// ctx's own error when ctx ended, an *InputError around an *FFmpegError
// when the stderr blames the input file, else an *FFmpegError.
func (t *Transcoder) runFFmpeg(ctx context.Context, args []string, input string) (string, error) {
	runCtx, cancel := context.WithTimeout(ctx, t.cfg.Timeout)
	defer cancel()
	stderr := &proc.TailBuffer{Max: proc.StderrTail}
	cmd := exec.CommandContext(runCtx, t.cfg.FFmpeg, args...)
	cmd.Stderr = stderr
	cmd.Env = append(os.Environ(), "SVT_LOG=1") // silences SVT-AV1's banner
	cmd.WaitDelay = proc.WaitDelay
	err := cmd.Run()
	if err == nil {
		return stderr.String(), nil
	}
	if ctx.Err() != nil {
		return stderr.String(), fmt.Errorf("ffmpeg stopped: %w", ctx.Err())
	}
	if runCtx.Err() != nil { // stuck, whatever it said: retryable
		err = fmt.Errorf("killed after %v: %w", t.cfg.Timeout, runCtx.Err())
		return stderr.String(), &FFmpegError{Program: "ffmpeg", Err: err, Stderr: stderr.String()}
	}
	return stderr.String(), classify(&FFmpegError{Program: "ffmpeg", Err: err, Stderr: stderr.String()}, input)
}

// classify wraps a failed run's *FFmpegError in an *InputError when its
// stderr blames the input: ffmpeg reports a file it cannot open or probe
// as "<path>: <reason>" ("Invalid data found when processing input"), or
// says it has no decoder for the input's stream.
func classify(e *FFmpegError, input string) error {
	for line := range strings.Lines(e.Stderr) {
		if strings.HasPrefix(line, input+": ") {
			return &InputError{Err: e}
		}
	}
	if inputFailure.MatchString(e.Stderr) {
		return &InputError{Err: e}
	}
	return e
}
