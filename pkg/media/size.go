package media

import "math"

// OutputSize returns the size of profile p's rendition of a srcW×srcH
// source: the source aspect ratio fitted inside p's Width×Height box, never
// larger than the source, both sides even (4:2:0 chroma) and at least 2.
func OutputSize(srcW, srcH int, p Profile) (w, h int) {
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

// EstimatePixels is an upper bound of the output pixels a ladder makes of a
// segment: each rendition's size (OutputSize) times the source's frames
// (a rendition at a lower frame rate has fewer). Gateways pay ahead and
// orchestrators check payments with it; both then settle on Pixels. Each
// rung counts its codec's weight (CodecWeight).
func EstimatePixels(src VideoInfo, ladder []Profile) int64 {
	var n int64
	for _, p := range ladder {
		w, h := OutputSize(src.Width, src.Height, p)
		n += int64(w) * int64(h) * src.Frames * CodecWeight(p.VideoCodec())
	}
	return n
}

// Pixels is the billed pixels of renditions, the unit transcoding is paid
// in: each rendition's output pixels times its codec's weight.
func Pixels(rs []Rendition) int64 {
	var n int64
	for _, r := range rs {
		n += r.Pixels() * CodecWeight(r.Profile.VideoCodec())
	}
	return n
}
