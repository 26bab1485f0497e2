package media

import (
	"fmt"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/av1"
)

// AV1CodecString returns the short RFC 6381 value "av01.P.LLT.DD" of the AV1
// ISO media file format binding §5 ("Codecs Parameter String"): seq_profile,
// seq_level_idx[0] as two digits, the tier of operating point 0 (M or H) and
// the bit depth. The optional fields after DD (monochrome, chroma
// subsampling, colour) are left out; the spec makes them optional and says
// their absence means 4:2:0 BT.709 studio range, which is what castmesh
// encodes.
func AV1CodecString(sh *av1.SequenceHeader) string {
	level, tier := uint8(0), "M"
	if len(sh.SeqLevelIdx) > 0 {
		level = sh.SeqLevelIdx[0]
	}
	if len(sh.SeqTier) > 0 && sh.SeqTier[0] {
		tier = "H"
	}
	depth := sh.ColorConfig.BitDepth
	if depth == 0 {
		depth = 8
	}
	return fmt.Sprintf("av01.%d.%02d%s.%02d", sh.SeqProfile, level, tier, depth)
}

// VP9CodecString returns the short RFC 6381 value "vp09.PP.LL.DD" of the VP
// codec ISO media file format binding ("Codecs Parameter String"): profile,
// level (10 for level 1, 11 for 1.1, … as stored in vpcC) and bit depth.
// When level is 0 (unknown) it is estimated from the picture size and frame
// rate with VP9Level. The optional colour fields are left out, which the
// binding defines as 4:2:0 colocated BT.709 studio range.
func VP9CodecString(profile, level, bitDepth uint8, width, height int, fps float64) string {
	if level == 0 {
		level = VP9Level(width, height, fps)
	}
	if bitDepth == 0 {
		bitDepth = 8
	}
	return fmt.Sprintf("vp09.%02d.%02d.%02d", profile, level, bitDepth)
}

// vp9Level is one row of the level table of the VP9 bitstream
// specification, Annex A: the largest luma picture size and luma sample
// rate of a level.
type vp9Level struct {
	level      uint8
	pictureMax int64
	rateMax    int64
}

// vp9Levels returns the Annex A table, lowest level first.
func vp9Levels() []vp9Level {
	return []vp9Level{
		{10, 36864, 829440},
		{11, 73728, 2764800},
		{20, 122880, 4608000},
		{21, 245760, 9216000},
		{30, 552960, 20736000},
		{31, 983040, 36864000},
		{40, 2228224, 83558400},
		{41, 2228224, 160432128},
		{50, 8912896, 311951360},
		{51, 8912896, 588251136},
		{52, 8912896, 1176502272},
		{60, 35651584, 1176502272},
		{61, 35651584, 2353004544},
		{62, 35651584, 4706009088},
	}
}

// VP9Level returns the smallest VP9 level (Annex A) whose picture size and
// sample rate limits admit width×height at fps; bitrate limits are not
// checked. fps <= 0 is taken as 30.
func VP9Level(width, height int, fps float64) uint8 {
	if fps <= 0 {
		fps = 30
	}
	picture := int64(width) * int64(height)
	rate := int64(float64(picture) * fps)
	levels := vp9Levels()
	for _, l := range levels {
		if picture <= l.pictureMax && rate <= l.rateMax {
			return l.level
		}
	}
	return levels[len(levels)-1].level
}
