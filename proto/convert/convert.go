// Package convert translates between the wire messages of castmesh.v1 and
// the media types the rest of the code uses, and cuts renditions into the
// chunks the wire carries (at most ChunkSize bytes, well under gRPC's 4 MiB
// default message limit) and joins them again. Only the adapter packages
// import it.
package convert

import (
	"errors"
	"fmt"

	"github.com/castmesh/castmesh/pkg/media"
	pb "github.com/castmesh/castmesh/proto/castmesh/v1"
)

// ChunkSize is the largest data chunk put in one message.
const ChunkSize = 1 << 20

// codecs pairs each codec with its wire value.
func codecs() []struct {
	media media.VideoCodec
	wire  pb.VideoCodec
} {
	return []struct {
		media media.VideoCodec
		wire  pb.VideoCodec
	}{
		{media.H264, pb.VideoCodec_VIDEO_CODEC_H264},
		{media.HEVC, pb.VideoCodec_VIDEO_CODEC_HEVC},
		{media.VP9, pb.VideoCodec_VIDEO_CODEC_VP9},
		{media.AV1, pb.VideoCodec_VIDEO_CODEC_AV1},
	}
}

// CodecToPB converts a codec; unknown codecs become UNSPECIFIED.
func CodecToPB(c media.VideoCodec) pb.VideoCodec {
	for _, p := range codecs() {
		if p.media == c {
			return p.wire
		}
	}
	return pb.VideoCodec_VIDEO_CODEC_UNSPECIFIED
}

// CodecFromPB converts a codec; UNSPECIFIED becomes "".
func CodecFromPB(c pb.VideoCodec) media.VideoCodec {
	for _, p := range codecs() {
		if p.wire == c {
			return p.media
		}
	}
	return ""
}

// ContainerToPB converts a container.
func ContainerToPB(c media.Container) pb.Container {
	if c == media.FMP4 {
		return pb.Container_CONTAINER_FMP4
	}
	return pb.Container_CONTAINER_MPEGTS
}

// ContainerFromPB converts a container.
func ContainerFromPB(c pb.Container) media.Container {
	if c == pb.Container_CONTAINER_FMP4 {
		return media.FMP4
	}
	return media.MPEGTS
}

// ProfilesToPB converts a ladder.
func ProfilesToPB(ps []media.Profile) []*pb.Profile {
	out := make([]*pb.Profile, len(ps))
	for i, p := range ps {
		out[i] = &pb.Profile{
			Name: p.Name, Width: uint32(p.Width), Height: uint32(p.Height), //nolint:gosec // validated sizes
			Bitrate: uint32(p.Bitrate), Fps: uint32(p.FPS), Codec: CodecToPB(p.VideoCodec()), //nolint:gosec // validated
			Preset: p.Preset, Quality: uint32(p.Quality), BitDepth: uint32(p.BitDepth), //nolint:gosec // validated
		}
	}
	return out
}

// MaxProfiles caps a ladder's rungs on the wire. Each rung is a full
// encode of the segment; Livepeer's largest ladders have eight.
const MaxProfiles = 16

// ErrTooManyProfiles means a ladder has more than MaxProfiles rungs.
var ErrTooManyProfiles = errors.New("too many profiles")

// ProfilesFromPB converts a ladder of at most MaxProfiles rungs; the
// caller validates each rung (media.ValidateLadder).
func ProfilesFromPB(ps []*pb.Profile) ([]media.Profile, error) {
	if len(ps) > MaxProfiles {
		return nil, fmt.Errorf("%w: %d, the most is %d", ErrTooManyProfiles, len(ps), MaxProfiles)
	}
	out := make([]media.Profile, len(ps))
	for i, p := range ps {
		out[i] = media.Profile{
			Name: p.GetName(), Width: int(p.GetWidth()), Height: int(p.GetHeight()),
			Bitrate: int(p.GetBitrate()), FPS: int(p.GetFps()), Codec: CodecFromPB(p.GetCodec()),
			Preset: p.GetPreset(), Quality: int(p.GetQuality()), BitDepth: int(p.GetBitDepth()),
		}
	}
	return out, nil
}

// RenditionInfo describes a rendition on the wire (its data goes separately).
func RenditionInfo(r media.Rendition) *pb.RenditionInfo {
	return &pb.RenditionInfo{
		Name: r.Profile.Name, Width: uint32(r.Width), Height: uint32(r.Height), //nolint:gosec // sizes from a probe
		Frames: uint64(r.Frames), Container: ContainerToPB(r.Container), Codecs: r.Codecs, //nolint:gosec // counts
		Size: int64(len(r.Data)), Init: r.Init,
	}
}
