package media

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
)

// VideoCodec names an output video codec.
type VideoCodec string

// The video codecs a worker can encode.
const (
	H264 VideoCodec = "h264"
	HEVC VideoCodec = "hevc"
	VP9  VideoCodec = "vp9"
	AV1  VideoCodec = "av1"
)

// Container names how a rendition's bytes are packaged.
type Container string

// Containers. fMP4 is used where MPEG-TS cannot carry the codec: ffmpeg 5.1
// writes AV1 into TS as opaque data that nothing can read back.
const (
	MPEGTS Container = "mpegts"
	FMP4   Container = "fmp4"
)

// Container returns the container a rendition in this codec is packaged in.
func (c VideoCodec) Container() Container {
	if c == VP9 || c == AV1 {
		return FMP4
	}
	return MPEGTS
}

// Valid reports whether c is a codec castmesh knows.
func (c VideoCodec) Valid() bool {
	switch c {
	case H264, HEVC, VP9, AV1:
		return true
	}
	return false
}

// Profile is one rung of an ABR ladder.
type Profile struct {
	// Name identifies the rendition in playlists and URLs ([A-Za-z0-9_-]).
	Name string `yaml:"name" json:"name"`
	// Width and Height are the largest output size; a smaller source is
	// never upscaled, and the source aspect ratio is kept.
	Width  int `yaml:"width" json:"width"`
	Height int `yaml:"height" json:"height"`
	// Bitrate is the target video bitrate in bits per second.
	Bitrate int `yaml:"bitrate" json:"bitrate"`
	// FPS is the output frame rate; 0 keeps the source rate.
	FPS int `yaml:"fps" json:"fps"`
	// Codec is the output video codec; empty means h264.
	Codec VideoCodec `yaml:"codec" json:"codec"`
	// Preset is the x264-style speed preset (Presets) for this rung; empty
	// means the worker's own. Other encoders get their nearest equivalent.
	Preset string `yaml:"preset,omitempty" json:"preset,omitempty"`
	// Quality asks for constant quality (a CRF: lower is better, 1 to 63)
	// capped at Bitrate; 0 means bitrate-driven encoding, as live uses.
	Quality int `yaml:"quality,omitempty" json:"quality,omitempty"`
	// BitDepth is 8 or 10 bits per sample; 0 means 8.
	BitDepth int `yaml:"bit_depth,omitempty" json:"bit_depth,omitempty"`
}

// Presets are x264's speed presets, fastest first; their index maps them
// to the other encoders' speed settings.
func Presets() []string {
	return []string{"ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow", "placebo"}
}

var profileName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// ErrNoProfiles means a ladder has no rungs.
var ErrNoProfiles = errors.New("no profiles")

// Validate reports the first problem with p.
func (p Profile) Validate() error {
	switch {
	case !profileName.MatchString(p.Name):
		return fmt.Errorf("profile %q: name must be 1-64 of [A-Za-z0-9_-]", p.Name)
	case p.Width <= 0 || p.Height <= 0 || p.Width > 7680 || p.Height > 4320:
		return fmt.Errorf("profile %q: size %dx%d out of range 1x1..7680x4320", p.Name, p.Width, p.Height)
	case p.Width%2 != 0 || p.Height%2 != 0:
		return fmt.Errorf("profile %q: width and height must be even for 4:2:0 video", p.Name)
	case p.Bitrate < 10_000 || p.Bitrate > 100_000_000:
		return fmt.Errorf("profile %q: bitrate %d out of range 10000..100000000 bps", p.Name, p.Bitrate)
	case p.FPS < 0 || p.FPS > 240:
		return fmt.Errorf("profile %q: fps %d out of range 0..240", p.Name, p.FPS)
	case p.Codec != "" && !p.Codec.Valid():
		return fmt.Errorf("profile %q: codec %q is not one of h264, hevc, vp9, av1", p.Name, p.Codec)
	case p.Preset != "" && !slices.Contains(Presets(), p.Preset):
		return fmt.Errorf("profile %q: preset %q is not one of %v", p.Name, p.Preset, Presets())
	case p.Quality < 0 || p.Quality > 63:
		return fmt.Errorf("profile %q: quality %d out of range 0..63", p.Name, p.Quality)
	case p.BitDepth != 0 && p.BitDepth != 8 && p.BitDepth != 10:
		return fmt.Errorf("profile %q: bit_depth %d is not 8 or 10", p.Name, p.BitDepth)
	}
	return nil
}

// VideoCodec returns p's codec, h264 when unset.
func (p Profile) VideoCodec() VideoCodec {
	if p.Codec == "" {
		return H264
	}
	return p.Codec
}

// ValidateLadder checks every profile and that names are unique.
func ValidateLadder(ladder []Profile) error {
	if len(ladder) == 0 {
		return ErrNoProfiles
	}
	seen := make(map[string]bool, len(ladder))
	for _, p := range ladder {
		if err := p.Validate(); err != nil {
			return err
		}
		if seen[p.Name] {
			return fmt.Errorf("profile %q appears twice", p.Name)
		}
		seen[p.Name] = true
	}
	return nil
}

// DefaultLadder is the ladder used when a stream names none: 720p, 480p and
// 360p H.264 at the bitrates Livepeer's reference ladder uses.
func DefaultLadder() []Profile {
	return []Profile{
		{Name: "720p", Width: 1280, Height: 720, Bitrate: 3_000_000, Codec: H264},
		{Name: "480p", Width: 854, Height: 480, Bitrate: 1_600_000, Codec: H264},
		{Name: "360p", Width: 640, Height: 360, Bitrate: 800_000, Codec: H264},
	}
}
