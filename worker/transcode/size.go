package transcode

import (
	"math"
	"time"

	"github.com/castmesh/castmesh/pkg/media"
)

// defaultFPS is assumed when a segment is too short to measure its rate.
const defaultFPS = 30

// sourceFPS estimates a segment's frame rate from its PTS span; 0 when it
// has fewer than two frames.
func sourceFPS(v media.VideoInfo) float64 {
	if v.Frames < 2 || v.LastPTS <= v.FirstPTS {
		return 0
	}
	fps := float64(v.Frames-1) * media.TimeBase / float64(v.LastPTS-v.FirstPTS)
	return math.Round(fps*1000) / 1000
}

// outputFPS returns the frame rate of a rendition and whether an fps
// filter must change it: a profile rate below the source's is applied, a
// higher one is not (no frame-rate upscaling), 0 keeps the source rate.
func outputFPS(profileFPS int, src float64) (fps float64, convert bool) {
	switch {
	case profileFPS <= 0 && src > 0:
		return src, false
	case profileFPS <= 0:
		return defaultFPS, false
	case src > 0 && float64(profileFPS) >= src-0.01:
		return src, false
	}
	return float64(profileFPS), true
}

// gopFrames is the keyframe interval in frames at fps.
func gopFrames(fps float64, gop time.Duration) int {
	return max(1, int(math.Round(fps*gop.Seconds())))
}
