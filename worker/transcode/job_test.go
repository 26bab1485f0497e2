package transcode

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/worker/hw"
)

func TestOutputFPS(t *testing.T) {
	tests := []struct {
		name        string
		profile     int
		src         float64
		want        float64
		wantConvert bool
	}{
		{"keep source", 0, 29.97, 29.97, false},
		{"unknown source", 0, 0, 30, false},
		{"lower the rate", 15, 30, 15, true},
		{"never raise the rate", 60, 30, 30, false},
		{"same rate", 30, 29.999, 29.999, false},
		{"rate for an unknown source", 24, 0, 24, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, convert := outputFPS(tt.profile, tt.src)
			if got != tt.want || convert != tt.wantConvert {
				t.Fatalf("got %v %v, want %v %v", got, convert, tt.want, tt.wantConvert)
			}
		})
	}
}

// argsOf plans a job and returns its command line as one string.
func argsOf(src source, profiles []media.Profile, hardware ...hw.Encoder) string {
	hwMap := map[media.VideoCodec]hw.Encoder{}
	for _, e := range hardware {
		hwMap[e.Codec] = e
	}
	j := newJob(DefaultConfig(), src, profiles, hwMap, "/t/in.ts", "/t")
	return strings.Join(j.args(), " ")
}

func TestArgsDefaultLadder(t *testing.T) {
	got := argsOf(source{1920, 1080, 30, "aac"}, media.DefaultLadder())
	want := "-hide_banner -nostdin -loglevel error -y -copyts -protocol_whitelist file,pipe -f mpegts -i /t/in.ts -filter_complex " +
		"[0:v:0]split=3[s0][s1][s2];[s0]scale=1280:720,format=yuv420p[v0];[s1]scale=854:480,format=yuv420p[v1];[s2]scale=640:360,format=yuv420p[v2] " +
		"-map [v0] -map 0:a:0 -c:v libx264 -preset veryfast -b:v 3000000 -maxrate 3000000 -bufsize 6000000 -g 60 -keyint_min 60 -sc_threshold 0 -enc_time_base:v 1:90000 -fps_mode:v passthrough -c:a copy -muxdelay 0 -f mpegts /t/out0.ts " +
		"-map [v1] -map 0:a:0 -c:v libx264 -preset veryfast -b:v 1600000 -maxrate 1600000 -bufsize 3200000 -g 60 -keyint_min 60 -sc_threshold 0 -enc_time_base:v 1:90000 -fps_mode:v passthrough -c:a copy -muxdelay 0 -f mpegts /t/out1.ts " +
		"-map [v2] -map 0:a:0 -c:v libx264 -preset veryfast -b:v 800000 -maxrate 800000 -bufsize 1600000 -g 60 -keyint_min 60 -sc_threshold 0 -enc_time_base:v 1:90000 -fps_mode:v passthrough -c:a copy -muxdelay 0 -f mpegts /t/out2.ts"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

func TestArgsAV1(t *testing.T) {
	got := argsOf(source{640, 360, 30, "aac"}, []media.Profile{{Name: "av1", Width: 1280, Height: 720, Bitrate: 500_000, Codec: media.AV1}})
	want := "-hide_banner -nostdin -loglevel error -y -copyts -protocol_whitelist file,pipe -f mpegts -i /t/in.ts -filter_complex " +
		"[0:v:0]scale=640:360,format=yuv420p[v0] " +
		"-map [v0] -map 0:a:0 -c:v libsvtav1 -preset 10 -b:v 500000 -g 60 -enc_time_base:v 1:90000 -fps_mode:v passthrough -c:a copy -bsf:a aac_adtstoasc " +
		"-muxdelay 0 -avoid_negative_ts disabled -video_track_timescale 90000 " +
		"-movflags frag_keyframe+empty_moov+delay_moov+default_base_moof+frag_discont+skip_trailer -f mp4 /t/out0.mp4"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

func TestArgs(t *testing.T) {
	h264 := media.Profile{Name: "a", Width: 640, Height: 360, Bitrate: 800_000}
	with := func(p media.Profile, f func(*media.Profile)) media.Profile { f(&p); return p }
	nvenc := hw.Encoder{Name: "h264_nvenc", Codec: media.H264, Kind: hw.KindNVENC}
	vaapi := hw.Encoder{Name: "h264_vaapi", Codec: media.H264, Kind: hw.KindVAAPI, Device: "/dev/dri/renderD128"}
	qsvHEVC := hw.Encoder{Name: "hevc_qsv", Codec: media.HEVC, Kind: hw.KindQSV, Device: "/dev/dri/renderD129"}
	hevc := with(h264, func(p *media.Profile) { p.Name, p.Codec = "b", media.HEVC })
	tests := []struct {
		name     string
		src      source
		profiles []media.Profile
		hardware []hw.Encoder
		contains []string
		absent   []string
	}{
		{
			"no audio",
			source{640, 360, 30, ""},
			[]media.Profile{h264},
			nil,
			[]string{"-map [v0] -c:v libx264"},
			[]string{"0:a", "-c:a"},
		},
		{
			"mp3 audio is encoded to AAC",
			source{640, 360, 30, "mp3"},
			[]media.Profile{h264},
			nil,
			[]string{"-map 0:a:0", "-c:a aac -b:a 128k -ac 2"},
			[]string{"-c:a copy"},
		},
		{
			"constant quality capped, own preset, 10-bit",
			source{640, 360, 30, "aac"},
			[]media.Profile{with(h264, func(p *media.Profile) { p.Quality, p.Preset, p.BitDepth = 23, "slow", 10 })},
			nil,
			[]string{"-c:v libx264 -pix_fmt yuv420p10le -preset slow -crf 23 -maxrate 800000 -bufsize 1600000"},
			[]string{"-b:v"},
		},
		{
			"10-bit never goes to a hardware encoder",
			source{640, 360, 30, "aac"},
			[]media.Profile{with(h264, func(p *media.Profile) { p.BitDepth = 10 })},
			[]hw.Encoder{nvenc},
			[]string{"-c:v libx264 -pix_fmt yuv420p10le"},
			[]string{"nvenc"},
		},
		{
			"constant quality vp9 and av1",
			source{640, 360, 30, "aac"},
			[]media.Profile{
				with(h264, func(p *media.Profile) { p.Codec, p.Quality = media.VP9, 33 }),
				with(h264, func(p *media.Profile) { p.Name, p.Codec, p.Quality = "b", media.AV1, 35 }),
			},
			nil,
			[]string{"-crf 33 -b:v 800000", "-c:v libsvtav1 -preset 10 -crf 35 -g 60"},
			nil,
		},
		{
			"lower frame rate",
			source{640, 360, 30, "aac"},
			[]media.Profile{with(h264, func(p *media.Profile) { p.FPS = 15 })},
			nil,
			[]string{"scale=640:360,fps=15,format=yuv420p", "-g 30 -keyint_min 30"},
			nil,
		},
		{
			"29.97 source",
			source{640, 360, 29.97, "aac"},
			[]media.Profile{h264},
			nil,
			[]string{"-g 60 "},
			[]string{"fps="},
		},
		{
			"hevc",
			source{640, 360, 30, "aac"},
			[]media.Profile{hevc},
			nil,
			[]string{"-c:v libx265 -preset veryfast", "-x265-params log-level=error:scenecut=0:open-gop=0", "-f mpegts /t/out0.ts"},
			nil,
		},
		{
			"vp9",
			source{640, 360, 30, "aac"},
			[]media.Profile{with(h264, func(p *media.Profile) { p.Codec = media.VP9 })},
			nil,
			[]string{"-c:v libvpx-vp9 -deadline realtime -cpu-used 8 -row-mt 1", "-bsf:a aac_adtstoasc", "-f mp4 /t/out0.mp4"},
			nil,
		},
		{
			"nvenc",
			source{1920, 1080, 30, "aac"},
			[]media.Profile{h264},
			[]hw.Encoder{nvenc},
			[]string{"scale=640:360,format=yuv420p[v0]", "-c:v h264_nvenc -preset p2 -forced-idr 1 -no-scenecut 1 -b:v 800000"},
			[]string{"-vaapi_device", "-sc_threshold"},
		},
		{
			"vaapi uploads",
			source{1920, 1080, 30, "aac"},
			[]media.Profile{h264},
			[]hw.Encoder{vaapi},
			[]string{"-y -vaapi_device /dev/dri/renderD128 -copyts", "scale=640:360,format=nv12,hwupload[v0]", "-c:v h264_vaapi -b:v"},
			nil,
		},
		{
			"one device per job",
			source{1920, 1080, 30, "aac"},
			[]media.Profile{h264, hevc},
			[]hw.Encoder{vaapi, qsvHEVC},
			[]string{"-c:v h264_vaapi", "-c:v libx265"},
			[]string{"hevc_qsv", "-init_hw_device"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := argsOf(tt.src, tt.profiles, tt.hardware...)
			for _, s := range tt.contains {
				if !strings.Contains(got, s) {
					t.Errorf("missing %q in\n%s", s, got)
				}
			}
			for _, s := range tt.absent {
				if strings.Contains(got, s) {
					t.Errorf("unexpected %q in\n%s", s, got)
				}
			}
		})
	}
}

func TestPresetsMapToEveryEncoder(t *testing.T) {
	encoders := []hw.Encoder{
		softwareEncoder(media.H264), softwareEncoder(media.HEVC), softwareEncoder(media.VP9), softwareEncoder(media.AV1),
		{Name: "h264_nvenc", Kind: hw.KindNVENC},
		{Name: "h264_qsv", Kind: hw.KindQSV},
		{Name: "h264_vaapi", Kind: hw.KindVAAPI},
	}
	for _, preset := range media.Presets() {
		for _, e := range encoders {
			args := videoArgs(e, encoding{preset: preset, gop: 60, bitrate: 1_000_000})
			if !slices.Contains(args, "-g") || !slices.Contains(args, e.Name) {
				t.Errorf("%s %s: %v", preset, e.Name, args)
			}
		}
	}
}

func TestConfigValidate(t *testing.T) {
	ok := DefaultConfig()
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		edit func(*Config)
		key  string
	}{
		{"no ffmpeg", func(c *Config) { c.FFmpeg = "" }, "ffmpeg"},
		{"bad preset", func(c *Config) { c.Preset = "quick" }, "preset"},
		{"gop too short", func(c *Config) { c.GOP = time.Millisecond }, "gop"},
		{"gop too long", func(c *Config) { c.GOP = time.Minute }, "gop"},
		{"no timeout", func(c *Config) { c.Timeout = 0 }, "timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := DefaultConfig()
			tt.edit(&c)
			if err := c.Validate(); err == nil || !strings.HasPrefix(err.Error(), tt.key+":") {
				t.Fatalf("got %v, want an error naming %s", err, tt.key)
			}
		})
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		name   string
		stderr string
		input  bool
	}{
		{"unreadable input", "[mpegts @ 0x1] some warning\n/t/in.ts: Invalid data found when processing input\n", true},
		{"no codec parameters", "[mpegts @ 0x1] Could not find codec parameters for stream 0 (Video: h264): unspecified size", true},
		{"no decoder", "Decoding requested, but no decoder found for: none", true},
		{"nothing decoded", "[h264 @ 0x1] no frame!\nError while decoding stream #0:0: Invalid data found when processing input\n" +
			"Cannot determine format of input stream 0:0 after EOF\nError marking filters as finished", true},
		{"survived decode errors, then an encoder died", "Error while decoding stream #0:0: Invalid data found when processing input\n" +
			"[h264 @ 0x2] error while decoding MB 1 0\n[libx264 @ 0x3] malloc failed\nConversion failed!", false},
		{"an output path", "/t/out0.ts: No space left on device", false},
		{"encoder failure", "[h264_nvenc @ 0x1] Cannot load libcuda.so.1\nError initializing output stream 0:0 -- Error while opening encoder", false},
		{"disk full", "av_interleaved_write_frame(): No space left on device", false},
		{"unknown encoder", "Unknown encoder 'libsvtav1'", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := classify(&FFmpegError{Program: "ffmpeg", Stderr: tt.stderr}, "/t/in.ts")
			if IsInputError(err) != tt.input {
				t.Fatalf("input error %v, want %v", IsInputError(err), tt.input)
			}
		})
	}
}

// Issue #12 finding 14: ffmpeg read the gateway's segment with whatever
// demuxer and protocols the bytes asked for. The input is forced to
// MPEG-TS (what media.ProbeTS checked) through local protocols only.
func TestFFmpegInputConfined(t *testing.T) {
	got := argsOf(source{640, 360, 30, "aac"}, []media.Profile{{Name: "a", Width: 640, Height: 360, Bitrate: 500_000}})
	if want := " -protocol_whitelist file,pipe -f mpegts -i /t/in.ts "; !strings.Contains(got, want) {
		t.Fatalf("args %q lack %q", got, want)
	}
}
