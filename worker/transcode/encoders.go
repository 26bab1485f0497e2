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
	return max(0, slices.Index(presets(), preset))
}

// videoArgs returns one output's encoder options: codec, speed, bitrate
// and a fixed keyframe interval of gop frames with scene-cut keyframes off.
func videoArgs(e hw.Encoder, preset string, gop, bitrate int) []string {
	level := presetLevel(preset)
	g, b := strconv.Itoa(gop), strconv.Itoa(bitrate)
	capped := []string{"-b:v", b, "-maxrate", b, "-bufsize", strconv.Itoa(2 * bitrate)}
	args := []string{"-c:v", e.Name}
	switch e.Name {
	case "libx264":
		args = append(args, "-preset", preset)
		args = append(args, capped...)
		return append(args, "-g", g, "-keyint_min", g, "-sc_threshold", "0")
	case "libx265":
		args = append(args, "-preset", preset)
		args = append(args, capped...)
		return append(args, "-g", g, "-keyint_min", g, "-x265-params", "log-level=error:scenecut=0:open-gop=0")
	case "libvpx-vp9":
		cpuUsed := []int{8, 8, 8, 7, 6, 5, 4, 3, 2, 1}[level]
		args = append(args, "-deadline", "realtime", "-cpu-used", strconv.Itoa(cpuUsed), "-row-mt", "1")
		args = append(args, capped...)
		return append(args, "-g", g, "-keyint_min", g)
	case "libsvtav1":
		svt := []int{12, 11, 10, 9, 8, 7, 6, 5, 4, 3}[level]
		// SVT-AV1 1.4 refuses -maxrate equal to the target in VBR mode.
		return append(args, "-preset", strconv.Itoa(svt), "-b:v", b, "-g", g)
	}
	return append(append(args, hardwareArgs(e, level)...), append(capped, "-g", g)...)
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
