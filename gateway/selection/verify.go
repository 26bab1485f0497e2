package selection

import (
	"errors"
	"fmt"
	"math"

	"github.com/castmesh/castmesh/gateway/orchclient"
	"github.com/castmesh/castmesh/pkg/attest"
	"github.com/castmesh/castmesh/pkg/media"
)

// ErrBadRenditions means an orchestrator returned renditions that are not
// what was ordered, or not signed by it: a failed try, never the caller's
// fault.
var ErrBadRenditions = errors.New("renditions failed verification")

// check probes the renditions and returns their billed pixels (output
// pixels weighed by codec, media.CodecWeight). With
// Verify on it also checks they are what was ordered and paid for: one per
// profile in order, each decoding to OutputSize(source, profile) with the
// source's frame count (scaled for a lower frame rate), and signed by the
// signer the orchestrator's terms named.
func (s *Selector) check(j *job, info orchclient.Info, res orchclient.Result) (int64, error) {
	if !s.cfg.Verify && s.pay.Payer == nil {
		return 0, nil
	}
	if s.cfg.Verify {
		if err := attest.Verify(info.Signer, res.Signature, j.streamID, j.seg.Seq, res.Renditions); err != nil {
			return 0, fmt.Errorf("%w: %w", ErrBadRenditions, err)
		}
		if len(res.Renditions) != len(j.profiles) {
			return 0, fmt.Errorf("%w: %d renditions for %d profiles", ErrBadRenditions, len(res.Renditions), len(j.profiles))
		}
	}
	var delivered int64
	for i, r := range res.Renditions {
		v, err := probe(r)
		if err != nil {
			return 0, fmt.Errorf("%w: rendition %s: %w", ErrBadRenditions, r.Profile.Name, err)
		}
		// Billed as the orchestrator bills: weighted by codec (media.Pixels).
		delivered += int64(v.Width) * int64(v.Height) * v.Frames * media.CodecWeight(r.Profile.VideoCodec())
		if s.cfg.Verify {
			if err := j.matches(j.profiles[i], r.Profile.Name, v); err != nil {
				return 0, fmt.Errorf("%w: %w", ErrBadRenditions, err)
			}
		}
	}
	return delivered, nil
}

// probe reads a rendition's video facts from its container.
func probe(r media.Rendition) (media.VideoInfo, error) {
	if r.Container == media.FMP4 {
		info, err := media.ProbeFMP4(r.Init, r.Data)
		return info.Video, err
	}
	info, err := media.ProbeTS(r.Data)
	return info.Video, err
}

// matches checks one rendition against the profile it was ordered for.
func (j *job) matches(p media.Profile, name string, v media.VideoInfo) error {
	if name != p.Name {
		return fmt.Errorf("rendition %s where %s was ordered", name, p.Name)
	}
	w, h := media.OutputSize(j.src.Width, j.src.Height, p)
	if v.Width != w || v.Height != h {
		return fmt.Errorf("rendition %s is %dx%d, ordered %dx%d", name, v.Width, v.Height, w, h)
	}
	want, slack := j.src.Frames, int64(0)
	if fps := sourceFPS(j.src); p.FPS > 0 && float64(p.FPS) < fps-0.5 {
		want = int64(math.Round(float64(j.src.Frames) * float64(p.FPS) / fps))
		slack = 1 + want/20
	}
	if d := v.Frames - want; d < -slack || d > slack {
		return fmt.Errorf("rendition %s has %d frames, the source %d (want %d)", name, v.Frames, j.src.Frames, want)
	}
	return nil
}

// sourceFPS is the source's frame rate from its timestamps; 0 when unknown.
func sourceFPS(v media.VideoInfo) float64 {
	if v.Frames < 2 || v.LastPTS <= v.FirstPTS {
		return 0
	}
	return 90000 * float64(v.Frames-1) / float64(v.LastPTS-v.FirstPTS)
}
