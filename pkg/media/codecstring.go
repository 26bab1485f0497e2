package media

import (
	"fmt"
	"strings"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
)

// H264CodecString returns the RFC 6381 "avc1.PPCCLL" value for an H.264 SPS
// NAL unit: profile_idc, the constraint flags byte and level_idc (ISO/IEC
// 14496-15 §3.3, as HLS's CODECS attribute wants, RFC 8216 §4.3.4.2).
func H264CodecString(sps []byte) string {
	if len(sps) < 4 {
		return "avc1"
	}
	return fmt.Sprintf("avc1.%02x%02x%02x", sps[1], sps[2], sps[3])
}

// H265CodecString returns the "hvc1.…" value of ISO/IEC 14496-15 Annex E for
// a parsed SPS.
func H265CodecString(sps *h265.SPS) string {
	ptl := sps.ProfileTierLevel
	var compat uint32
	for i, set := range ptl.GeneralProfileCompatibilityFlag {
		if set {
			compat |= 1 << i // the flags are written bit-reversed
		}
	}
	tier := "L"
	if ptl.GeneralTierFlag == 1 {
		tier = "H"
	}
	space := ""
	if ptl.GeneralProfileSpace > 0 {
		space = string(rune('A' + ptl.GeneralProfileSpace - 1))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "hvc1.%s%d.%X.%s%d", space, ptl.GeneralProfileIdc, compat, tier, ptl.GeneralLevelIdc)
	if ptl.GeneralProgressiveSourceFlag {
		b.WriteString(".B0") // progressive_source_flag is the top bit of the first constraint byte
	}
	return b.String()
}

// AACCodecString returns "mp4a.40.N" with N the audio object type.
func AACCodecString(conf *mpeg4audio.AudioSpecificConfig) string {
	return fmt.Sprintf("mp4a.40.%d", conf.Type)
}
