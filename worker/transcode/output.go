package transcode

import (
	"fmt"
	"os"

	"github.com/castmesh/castmesh/pkg/media"
)

// readRendition reads an output file back and describes it from its own
// bytes: MPEG-TS with media.ProbeTS, fMP4 split into its init section and
// fragments and read with media.ProbeFMP4.
func readRendition(o output) (media.Rendition, error) {
	b, err := os.ReadFile(o.path)
	if err != nil {
		return media.Rendition{}, fmt.Errorf("read output: %w", err)
	}
	codec := o.profile.VideoCodec()
	r := media.Rendition{Profile: o.profile, Container: codec.Container()}
	var v media.VideoInfo
	if r.Container == media.FMP4 {
		if r.Init, r.Data, err = media.SplitFMP4(b); err != nil {
			return media.Rendition{}, err
		}
		info, err := media.ProbeFMP4(r.Init, r.Data)
		if err != nil {
			return media.Rendition{}, err
		}
		v, r.Codecs = info.Video, info.Codecs()
	} else {
		info, err := media.ProbeTS(b)
		if err != nil {
			return media.Rendition{}, err
		}
		v, r.Data, r.Codecs = info.Video, b, info.Codecs()
	}
	if v.Codec != codec {
		return media.Rendition{}, fmt.Errorf("encoded %s, want %s", v.Codec, codec)
	}
	r.Width, r.Height, r.Frames = v.Width, v.Height, v.Frames
	return r, nil
}
