package transcode

import (
	"slices"
	"strconv"

	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/worker/hw"
)

// softwareEncoder returns the CPU encoder of a codec.
func softwareEncoder(c media.VideoCodec) hw.Encoder {
	names := map[media.VideoCodec]string{
		media.H264: "libx264", media.HEVC: "libx265", media.VP9: "libvpx-vp9", media.AV1: "libsvtav1",
	}
	return hw.Encoder{Name: names[c], Codec: c}
}

// presetLevel maps an x264 preset name to 0 (ultrafast) … 9 (placebo).
func presetLevel(preset string) int {
	return max(0, slices.Index(media.Presets(), preset))
}

// encoding is how one output is encoded.
type encoding struct {
	preset  string
	gop     int // frames
	bitrate int
	// quality is a CRF (0: bitrate-driven); bitrate then caps it.
	quality int
	// tenBit asks for 10 bits per sample.
	tenBit bool
}

// videoArgs returns one output's encoder options: codec, speed, bitrate
// (or constant quality capped at the bitrate), bit depth and a fixed
// keyframe interval with scene-cut keyframes off.
func videoArgs(e hw.Encoder, enc encoding) []string {
	level := presetLevel(enc.preset)
	g, b := strconv.Itoa(enc.gop), strconv.Itoa(enc.bitrate)
	rate := []string{"-b:v", b, "-maxrate", b, "-bufsize", strconv.Itoa(2 * enc.bitrate)}
	if enc.quality > 0 && !e.Hardware() {
		q := strconv.Itoa(enc.quality)
		rate = []string{"-crf", q, "-maxrate", b, "-bufsize", strconv.Itoa(2 * enc.bitrate)}
		if e.Name == "libvpx-vp9" { // constrained quality: -b:v is the cap
			rate = []string{"-crf", q, "-b:v", b}
		}
	}
	args := []string{"-c:v", e.Name}
	if enc.tenBit {
		args = append(args, "-pix_fmt", "yuv420p10le")
	}
	switch e.Name {
	case "libx264":
		args = append(args, "-preset", enc.preset)
		args = append(args, rate...)
		return append(args, "-g", g, "-keyint_min", g, "-sc_threshold", "0")
	case "libx265":
		args = append(args, "-preset", enc.preset)
		args = append(args, rate...)
		return append(args, "-g", g, "-keyint_min", g, "-x265-params", "log-level=error:scenecut=0:open-gop=0")
	case "libvpx-vp9":
		cpuUsed := []int{8, 8, 8, 7, 6, 5, 4, 3, 2, 1}[level]
		args = append(args, "-deadline", "realtime", "-cpu-used", strconv.Itoa(cpuUsed), "-row-mt", "1")
		args = append(args, rate...)
		return append(args, "-g", g, "-keyint_min", g)
	case "libsvtav1":
		svt := []int{12, 11, 10, 9, 8, 7, 6, 5, 4, 3}[level]
		args = append(args, "-preset", strconv.Itoa(svt))
		if enc.quality > 0 {
			return append(args, "-crf", strconv.Itoa(enc.quality), "-g", g)
		}
		// SVT-AV1 1.4 refuses -maxrate equal to the target in VBR mode.
		return append(args, "-b:v", b, "-g", g)
	}
	return append(append(args, hardwareArgs(e, level)...), append(rate, "-g", g)...)
}

// hardwareArgs are the speed and keyframe options of hardware encoders.
// VA-API makes every I frame an IDR by default (idr_interval 0) and has no
// speed preset.
func hardwareArgs(e hw.Encoder, level int) []string {
	switch e.Kind {
	case hw.KindNVENC:
		p := []string{"p1", "p1", "p2", "p3", "p3", "p4", "p5", "p6", "p7", "p7"}[level]
		return []string{"-preset", p, "-forced-idr", "1", "-no-scenecut", "1"}
	case hw.KindQSV:
		p := []string{"veryfast", "veryfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow", "veryslow"}[level]
		return []string{"-preset", p}
	}
	return nil
}

// audioArgs returns the audio options of an output: copy AAC, encode
// anything else to AAC 128 kb/s stereo. Copied AAC going into MP4 needs its
// ADTS headers turned into an AudioSpecificConfig.
func audioArgs(srcAudio string, container media.Container) []string {
	switch {
	case srcAudio == "":
		return nil
	case srcAudio == "aac" && container == media.FMP4:
		return []string{"-c:a", "copy", "-bsf:a", "aac_adtstoasc"}
	case srcAudio == "aac":
		return []string{"-c:a", "copy"}
	}
	return []string{"-c:a", "aac", "-b:a", "128k", "-ac", "2"}
}

// containerArgs returns the muxer options of an output (see the package
// doc for why each fMP4 flag is there).
func containerArgs(c media.Container) []string {
	if c == media.FMP4 {
		return []string{
			"-muxdelay", "0", "-avoid_negative_ts", "disabled", "-video_track_timescale", "90000",
			"-movflags", "frag_keyframe+empty_moov+delay_moov+default_base_moof+frag_discont+skip_trailer",
			"-f", "mp4",
		}
	}
	return []string{"-muxdelay", "0", "-f", "mpegts"}
}
