package transcode

import (
	"math"
	"time"

	"github.com/castmesh/castmesh/pkg/media"
)

// OutputSize returns the size of profile p's rendition of a srcW×srcH
// source: the source aspect ratio fitted inside p's Width×Height box, never
// larger than the source, both sides even (4:2:0 chroma) and at least 2.
func OutputSize(srcW, srcH int, p media.Profile) (w, h int) {
	if srcW <= 0 || srcH <= 0 {
		return p.Width, p.Height
	}
	scale := math.Min(1, math.Min(float64(p.Width)/float64(srcW), float64(p.Height)/float64(srcH)))
	return even(float64(srcW)*scale, srcW), even(float64(srcH)*scale, srcH)
}

// even rounds x to the nearest even number in 2..src (src rounded down to
// even, so an odd source side is never exceeded).
func even(x float64, src int) int {
	n := 2 * int(math.Round(x/2))
	return max(2, min(n, src&^1))
}

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
