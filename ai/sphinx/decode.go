package sphinx

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/castmesh/castmesh/ai/pipeline"
	"github.com/castmesh/castmesh/pkg/proc"
)

// The PCM PocketSphinx's en-us acoustic model was trained on: 16 kHz mono
// 16-bit little-endian.
const (
	sampleRate     = 16000
	bytesPerSecond = sampleRate * 2
)

// decode writes data into dir and has ffmpeg decode its first audio stream
// to raw PCM, returning the PCM file and its duration. Raw PCM rather than
// WAV: pocketsphinx_continuous skips a fixed 44-byte header in a .wav,
// so the LIST chunk ffmpeg writes after "fmt " would be read as samples.
func (m *Model) decode(ctx context.Context, dir string, data []byte) (string, time.Duration, error) {
	in, out := filepath.Join(dir, "input"), filepath.Join(dir, "audio.raw")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		return "", 0, err
	}
	// Decode a little past the limit, to tell audio that is too long from
	// audio that is exactly as long as allowed.
	limit := m.cfg.MaxDuration + time.Second
	// The caller's file: local protocols and audio containers only (a
	// playlist would have ffmpeg read what it names, or wait forever).
	args := append([]string{"-nostdin", "-hide_banner", "-loglevel", "error", "-format_whitelist", pipeline.AudioFormats},
		proc.Input(in)...)
	_, err := proc.Run(ctx, proc.Cmd{Path: m.ffmpeg, Args: append(args,
		"-map", "0:a:0", "-t", strconv.FormatFloat(limit.Seconds(), 'f', 3, 64),
		"-ac", "1", "-ar", strconv.Itoa(sampleRate), "-f", "s16le", "-c:a", "pcm_s16le", out,
	)})
	var te *proc.Error
	if errors.As(err, &te) {
		return "", 0, fmt.Errorf("%w: %w: %w", pipeline.ErrUnsupportedMedia, ErrUndecodable, err)
	}
	if err != nil {
		return "", 0, err
	}
	return checkPCM(out, m.cfg.MaxDuration)
}

// checkPCM returns the duration of the PCM file, refusing one that is
// empty or longer than max.
func checkPCM(path string, maxDur time.Duration) (string, time.Duration, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", 0, err
	}
	dur := time.Duration(st.Size()) * time.Second / bytesPerSecond
	switch {
	case st.Size() < 2:
		return "", 0, fmt.Errorf("%w: %w: the upload holds no samples", pipeline.ErrBadInput, ErrNoAudio)
	case dur > maxDur:
		return "", 0, fmt.Errorf("%w: %w: over %s", pipeline.ErrBadInput, ErrTooLong, maxDur)
	}
	return path, dur, nil
}
