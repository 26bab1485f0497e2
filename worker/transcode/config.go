package transcode

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/castmesh/castmesh/pkg/media"
)

// Config tunes the transcoder.
type Config struct {
	// FFmpeg is the ffmpeg binary: a path, or a name looked up in PATH.
	FFmpeg string `yaml:"ffmpeg"`
	// Preset is the x264/x265 speed preset (ultrafast … placebo); the other
	// encoders get their nearest equivalent (SVT-AV1 preset number,
	// libvpx-vp9 -cpu-used, NVENC p1–p7, QSV preset).
	Preset string `yaml:"preset"`
	// TempDir holds each job's input and outputs while ffmpeg runs; empty
	// means the system temp directory.
	TempDir string `yaml:"temp_dir"`
	// GOP is the fixed keyframe interval of every rendition.
	GOP time.Duration `yaml:"gop"`
	// Timeout bounds one ffmpeg run; a job that falls back to software
	// encoders may take two.
	Timeout time.Duration `yaml:"timeout"`
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{
		FFmpeg: "ffmpeg",
		// veryfast: a 2 s 1080p segment → 720p/480p/360p ladder takes
		// ~1.75 s on 2 cores, just faster than real time (media.md §2.2);
		// slower presets fall behind a live stream on such a machine.
		Preset: "veryfast",
		// 2 s: the segment length the gateway cuts, so each rendition of
		// a segment starts on its only IDR and lines up with the source.
		GOP: 2 * time.Second,
		// 30 s: fifteen times a segment's normal transcode time; an ffmpeg
		// that takes longer is stuck, not slow.
		Timeout: 30 * time.Second,
	}
}

// Validate names the first bad key.
func (c Config) Validate() error {
	switch {
	case c.FFmpeg == "":
		return errors.New("ffmpeg: must name the ffmpeg binary")
	case !slices.Contains(media.Presets(), c.Preset):
		return fmt.Errorf("preset: %q is not one of %v", c.Preset, media.Presets())
	case c.GOP < 100*time.Millisecond || c.GOP > 20*time.Second:
		return fmt.Errorf("gop: %v out of range 100ms..20s", c.GOP)
	case c.Timeout < time.Second:
		return fmt.Errorf("timeout: %v must be at least 1s", c.Timeout)
	}
	return nil
}
