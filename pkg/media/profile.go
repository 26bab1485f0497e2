package media

import (
	"errors"
	"fmt"
	"regexp"
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
