package hw

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/test/fixture"
)

// listing is an excerpt of `ffmpeg -hide_banner -encoders` from Debian's
// ffmpeg 5.1.
const listing = `Encoders:
 V..... = Video
 A..... = Audio
 ------
 V....D libx264              libx264 H.264 / AVC / MPEG-4 AVC / MPEG-4 part 10 (codec h264)
 V....D h264_nvenc           NVIDIA NVENC H.264 encoder (codec h264)
 V..... h264_qsv             H.264 / AVC / MPEG-4 AVC / MPEG-4 part 10 (Intel Quick Sync Video acceleration) (codec h264)
 V..... h264_v4l2m2m         V4L2 mem2mem H.264 encoder wrapper (codec h264)
 V....D h264_vaapi           H.264/AVC (VAAPI) (codec h264)
 V....D hevc_nvenc           NVIDIA NVENC hevc encoder (codec hevc)
 V....D mpeg2_vaapi          MPEG-2 (VAAPI) (codec mpeg2video)
 V....D vp9_vaapi            VP9 (VAAPI) (codec vp9)
 A....D aac                  AAC (Advanced Audio Coding)
`

func TestParseEncoders(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"ffmpeg 5.1", listing, []string{"h264_nvenc", "h264_qsv", "h264_vaapi", "hevc_nvenc", "vp9_vaapi"}},
		{"empty", "", nil},
		{"software only", " V....D libx264  x264 (codec h264)\n V....D libsvtav1 SVT (codec av1)\n", nil},
		{"av1 nvenc of ffmpeg 6", " V....D av1_nvenc  NVIDIA NVENC av1 encoder (codec av1)\n", []string{"av1_nvenc"}},
		{"listed twice", " V....D h264_nvenc a\n V....D h264_nvenc b\n", []string{"h264_nvenc"}},
		{"audio flag", " A....D h264_nvenc not video\n", nil},
		{"no flags", "h264_nvenc\n", nil},
		{"unknown family", " V....D h264_amf AMD (codec h264)\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, e := range ParseEncoders([]byte(tt.in)) {
				got = append(got, e.Name)
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
	e := ParseEncoders([]byte(listing))[2]
	if e != (Encoder{Name: "h264_vaapi", Codec: media.H264, Kind: KindVAAPI}) {
		t.Fatalf("parsed %+v", e)
	}
}

func TestTestArgs(t *testing.T) {
	tests := []struct {
		name string
		e    Encoder
		want string
	}{
		{
			"nvenc",
			Encoder{Name: "h264_nvenc", Kind: KindNVENC},
			"-hide_banner -nostdin -loglevel error -f lavfi -i color=s=256x144:d=0.04 -frames:v 1 -c:v h264_nvenc -f null -",
		},
		{
			"vaapi",
			Encoder{Name: "hevc_vaapi", Kind: KindVAAPI, Device: "/dev/dri/renderD128"},
			"-hide_banner -nostdin -loglevel error -vaapi_device /dev/dri/renderD128 -f lavfi -i color=s=256x144:d=0.04 -vf format=nv12,hwupload -frames:v 1 -c:v hevc_vaapi -f null -",
		},
		{
			"qsv",
			Encoder{Name: "h264_qsv", Kind: KindQSV, Device: "/dev/dri/renderD129"},
			"-hide_banner -nostdin -loglevel error -init_hw_device qsv=qsv:hw_any,child_device=/dev/dri/renderD129 -filter_hw_device qsv -f lavfi -i color=s=256x144:d=0.04 -vf format=nv12,hwupload=extra_hw_frames=64 -frames:v 1 -c:v h264_qsv -f null -",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := strings.Join(TestArgs(tt.e), " "); got != tt.want {
				t.Fatalf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// fakeFFmpeg writes a shell script standing in for ffmpeg: it appends its
// arguments to a log, prints listing for -encoders (exiting listExit), and
// passes a test encode only when its arguments match the shell pattern pass.
func fakeFFmpeg(t *testing.T, listExit int, pass string) (path, log string) {
	t.Helper()
	dir := t.TempDir()
	path, log = filepath.Join(dir, "ffmpeg"), filepath.Join(dir, "calls")
	script := "#!/bin/sh\n" +
		"echo \"$*\" >> '" + log + "'\n" +
		"case \"$*\" in *-encoders*) cat <<'EOF'\n" + listing + "EOF\n" +
		"  echo 'listing failed' >&2; exit " + string(rune('0'+listExit)) + ";; esac\n" +
		"case \"$*\" in " + pass + ") exit 0;; esac\n" +
		"echo '[h264_nvenc @ 0x1] Cannot load libcuda.so.1' >&2\nexit 1\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path, log
}

func TestDetectFake(t *testing.T) {
	nodes := []string{"/dev/dri/renderD128", "/dev/dri/renderD129"}
	tests := []struct {
		name     string
		listExit int
		pass     string
		nodes    []string
		want     []Encoder
		tests    int // test encodes run
		wantErr  bool
	}{
		{
			"nvenc passes", 0, `*"-c:v h264_nvenc "*`, nil,
			[]Encoder{{Name: "h264_nvenc", Codec: media.H264, Kind: KindNVENC}},
			2, false,
		},
		{"all fail", 0, "no-such-args", nil, nil, 2, false},
		{
			"vaapi on the second node", 0, `*"-vaapi_device /dev/dri/renderD129 "*"hwupload -frames:v 1 -c:v h264_vaapi "*`, nodes,
			[]Encoder{{Name: "h264_vaapi", Codec: media.H264, Kind: KindVAAPI, Device: nodes[1]}},
			8, false,
		},
		{"listing fails", 1, "*", nil, nil, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ffmpeg, log := fakeFFmpeg(t, tt.listExit, tt.pass)
			d := detector{ffmpeg: ffmpeg, nodes: tt.nodes, logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
			got, err := d.detect(t.Context())
			if (err != nil) != tt.wantErr || !slices.Equal(got, tt.want) {
				t.Fatalf("got %+v, %v; want %+v", got, err, tt.want)
			}
			calls, _ := os.ReadFile(log)
			if n := strings.Count(string(calls), "-frames:v 1"); n != tt.tests {
				t.Fatalf("%d test encodes, want %d:\n%s", n, tt.tests, calls)
			}
		})
	}
}

func TestDetectCanceled(t *testing.T) {
	ffmpeg, _ := fakeFFmpeg(t, 0, "*")
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	d := detector{ffmpeg: ffmpeg, logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if _, err := d.detect(ctx); err == nil {
		t.Fatal("detect ran with a canceled context")
	}
}

// TestDetectReal runs the installed ffmpeg. On a machine without a GPU or
// render node (CI, this project's dev boxes) it must find nothing, fast.
func TestDetectReal(t *testing.T) {
	ffmpeg := fixture.RequireTool(t, "ffmpeg")
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	start := time.Now()
	got, err := Detect(ctx, ffmpeg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	t.Logf("found %+v in %v", got, elapsed)
	if elapsed > 10*time.Second {
		t.Errorf("detection took %v", elapsed)
	}
	if !hasGPU() && len(got) != 0 {
		t.Errorf("found %+v on a machine without a GPU", got)
	}
}

func hasGPU() bool {
	nodes, _ := filepath.Glob("/dev/dri/renderD*")
	_, err := os.Stat("/dev/nvidia0")
	return len(nodes) > 0 || err == nil
}

func FuzzParseEncoders(f *testing.F) {
	f.Add([]byte(listing))
	f.Add([]byte(" V....D h264_nvenc\n V....D av1_qsv x\n"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, out []byte) {
		seen := map[string]bool{}
		for _, e := range ParseEncoders(out) {
			if !e.Codec.Valid() || !e.Hardware() || e.Device != "" || seen[e.Name] {
				t.Fatalf("bad encoder %+v", e)
			}
			if !strings.HasPrefix(e.Name, string(e.Codec)+"_") || !strings.HasSuffix(e.Name, "_"+e.Kind) {
				t.Fatalf("name %q does not match codec %s kind %s", e.Name, e.Codec, e.Kind)
			}
			seen[e.Name] = true
		}
	})
}
