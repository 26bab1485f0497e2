package vod

import (
	"fmt"
	"math"
	"strings"

	"github.com/castmesh/castmesh/pkg/media"
)

// profileAuto probes the source, picks settings, measures the result's
// quality against the source and encodes again, stricter, when it falls
// short; when no smaller output keeps the quality it returns the source.
const profileAuto = "auto"

// tier is a speed/quality trade: the preset the encoders run and how hard
// the constant-quality target compresses.
type tier struct {
	name   string
	preset string
	// offset is added to a codec's base CRF: positive compresses harder.
	offset int
}

func tiers() []tier {
	return []tier{
		{"fast", "veryfast", -1},  // quick, a larger file
		{"balanced", "medium", 0}, // the default trade
		{"small", "slow", 2},      // slower, the smallest file at a similar look
	}
}

// baseCRF is each codec's balanced constant-quality value: about the same
// look, as each encoder's scale counts it.
func baseCRF(c media.VideoCodec) int {
	switch c {
	case media.HEVC:
		return 27
	case media.VP9:
		return 34
	case media.AV1:
		return 34
	}
	return 23
}

// ProfileNames lists the profiles a job may name: {codec}-{tier} and auto.
func ProfileNames() []string {
	names := []string{profileAuto}
	for _, c := range []media.VideoCodec{media.H264, media.HEVC, media.VP9, media.AV1} {
		for _, t := range tiers() {
			names = append(names, string(c)+"-"+t.name)
		}
	}
	return names
}

// settings are the encode a job runs: one codec, preset and CRF for every
// rendition, and the container.
type settings struct {
	codec    media.VideoCodec
	preset   string
	crf      int
	bitDepth int
	height   int // the top rendition's height; never above the source
	hls      bool
}

// name is the effective profile, e.g. "h264-medium-crf23".
func (s settings) name() string {
	n := fmt.Sprintf("%s-%s-crf%d", s.codec, s.preset, s.crf)
	if s.bitDepth == 10 {
		n += "-10bit"
	}
	return n
}

// parseProfile reads a named profile; ok is false for an unknown name.
func parseProfile(name string) (media.VideoCodec, tier, bool) {
	codec, tierName, found := strings.Cut(name, "-")
	if !found || !media.VideoCodec(codec).Valid() {
		return "", tier{}, false
	}
	for _, t := range tiers() {
		if t.name == tierName {
			return media.VideoCodec(codec), t, true
		}
	}
	return "", tier{}, false
}

// autoCRF picks auto's first CRF from how hard the source is already
// compressed: a source with few bits per pixel gets a gentler target, so
// its second generation keeps the look.
func autoCRF(codec media.VideoCodec, src SourceInfo) int {
	base := baseCRF(codec)
	pixelsPerSecond := float64(src.Width*src.Height) * math.Max(src.FrameRate, 1)
	if src.DurationSeconds <= 0 || pixelsPerSecond <= 0 {
		return base
	}
	bpp := float64(src.Bytes*8) / src.DurationSeconds / pixelsPerSecond
	switch {
	case bpp < 0.05:
		return base - 3
	case bpp < 0.1:
		return base - 1
	}
	return base + 1
}

// ladderHeights are the HLS rungs, tallest first; a ladder takes those at
// or below the top rendition's height, at most four.
func ladderHeights() []int { return []int{2160, 1440, 1080, 720, 480, 360, 240} }

// profiles turns settings into the renditions to encode for a source of
// w×h: one for a file, a ladder for HLS. Bitrate caps the constant quality
// at 0.25 bits per pixel, generous enough to bind only on noise.
func (s settings) profiles(w, h int, fps float64) []media.Profile {
	heights := []int{s.height}
	if s.hls {
		heights = heights[:0]
		for _, lh := range ladderHeights() {
			if lh <= s.height && len(heights) < 4 {
				heights = append(heights, lh)
			}
		}
		if len(heights) == 0 || heights[0] != s.height {
			heights = append([]int{s.height}, heights...)
		}
	}
	var out []media.Profile
	for i, ht := range heights {
		width := even(int(math.Round(float64(w) * float64(ht) / float64(h))))
		ht = even(ht)
		cap := int(math.Min(100_000_000, math.Max(300_000, 0.25*float64(width*ht)*math.Max(fps, 24))))
		out = append(out, media.Profile{
			Name: fmt.Sprintf("r%d_%dp", i, ht), Width: width, Height: ht, Bitrate: cap, Codec: s.codec,
			Preset: s.preset, Quality: s.crf, BitDepth: s.bitDepth,
		})
	}
	return out
}

func even(n int) int { return max(2, n&^1) }
