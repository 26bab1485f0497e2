package transcode_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/test/fixture"
	"github.com/castmesh/castmesh/worker/hw"
	"github.com/castmesh/castmesh/worker/transcode"
)

var (
	clip1080 = fixture.ClipSpec{Width: 1920, Height: 1080, FPS: 30, Duration: 4 * time.Second, GOP: 2 * time.Second, Audio: true, Format: "mp4"}
	clip360  = fixture.ClipSpec{Width: 640, Height: 360, FPS: 30, Duration: 4 * time.Second, GOP: 2 * time.Second, Audio: true, Format: "mp4"}
	clip180  = fixture.ClipSpec{Width: 320, Height: 180, FPS: 30, Duration: 4 * time.Second, GOP: 2 * time.Second, Audio: true, Format: "mp4"}
	clip4x3  = fixture.ClipSpec{Width: 640, Height: 480, FPS: 30, Duration: 2 * time.Second, GOP: 2 * time.Second, Format: "mp4"}
)

// segment returns the second 2 s segment of a clip (the first starts at 0,
// which would not show whether timestamps are kept).
func segment(t testing.TB, spec fixture.ClipSpec) []byte {
	t.Helper()
	segs := fixture.Segments(t, spec, spec.GOP)
	b, err := os.ReadFile(segs[len(segs)-1])
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type env struct {
	tc  *transcode.Transcoder
	reg *prometheus.Registry
	cfg transcode.Config
}

func newEnv(t testing.TB, edit func(*transcode.Config), encoders ...hw.Encoder) env {
	t.Helper()
	fixture.RequireTool(t, "ffmpeg")
	cfg := transcode.DefaultConfig()
	cfg.TempDir = t.TempDir()
	if edit != nil {
		edit(&cfg)
	}
	reg := prometheus.NewRegistry()
	tc, err := transcode.New(cfg, encoders, slog.New(slog.NewTextHandler(io.Discard, nil)), transcode.NewMetrics(reg))
	if err != nil {
		t.Fatal(err)
	}
	return env{tc: tc, reg: reg, cfg: cfg}
}

func (e env) transcode(t testing.TB, input []byte, profiles []media.Profile) (transcode.Result, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	return e.tc.Transcode(ctx, transcode.Request{Input: input, Profiles: profiles, StreamID: "test", Seq: 1})
}

// metric returns a counter's value, summed over its labels matching label.
func (e env) metric(t testing.TB, name, label string) float64 {
	t.Helper()
	families, err := e.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			if label == "" || len(m.GetLabel()) > 0 && m.GetLabel()[0].GetValue() == label {
				sum += m.GetCounter().GetValue()
			}
		}
	}
	return sum
}

// decodes checks that ffmpeg decodes b with no error.
func decodes(t *testing.T, b []byte, ext string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "r"+ext)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd := exec.CommandContext(t.Context(), "ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-i", path, "-f", "null", "-")
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		t.Fatalf("ffmpeg cannot decode the %s rendition: %v\n%s", ext, err, stderr.String())
	}
}

func TestLadder1080p(t *testing.T) {
	e := newEnv(t, nil)
	input := segment(t, clip1080)
	src, err := media.ProbeTS(input)
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.transcode(t, input, media.DefaultLadder())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("1080p ladder took %v", res.Elapsed)
	sizes := [][2]int{{1280, 720}, {854, 480}, {640, 360}}
	if len(res.Renditions) != 3 {
		t.Fatalf("%d renditions", len(res.Renditions))
	}
	for i, r := range res.Renditions {
		if r.Profile.Name != media.DefaultLadder()[i].Name || r.Width != sizes[i][0] || r.Height != sizes[i][1] {
			t.Errorf("rendition %d: %s %dx%d, want %v", i, r.Profile.Name, r.Width, r.Height, sizes[i])
		}
		checkTSRendition(t, r, src)
		decodes(t, r.Data, ".ts")
	}
	if got := e.metric(t, "castmesh_worker_transcode_jobs_total", "ok"); got != 1 {
		t.Errorf("ok jobs %v", got)
	}
	if got := e.metric(t, "castmesh_worker_transcode_output_pixels_total", ""); got != float64((1280*720+854*480+640*360)*60) {
		t.Errorf("pixels %v", got)
	}
}

// checkTSRendition checks a rendition against its source segment: same
// frames, the same first and last PTS exactly, audio kept.
func checkTSRendition(t *testing.T, r media.Rendition, src media.TSInfo) {
	t.Helper()
	info, err := media.ProbeTS(r.Data)
	if err != nil {
		t.Fatalf("%s: %v", r.Profile.Name, err)
	}
	if r.Container != media.MPEGTS || r.Init != nil || r.Codecs != info.Codecs() || r.Frames != src.Video.Frames {
		t.Errorf("%s: container %s codecs %q frames %d (source %d)", r.Profile.Name, r.Container, r.Codecs, r.Frames, src.Video.Frames)
	}
	if info.Video.FirstPTS != src.Video.FirstPTS || info.Video.LastPTS != src.Video.LastPTS {
		t.Errorf("%s: PTS %d..%d, source %d..%d: timestamps not kept", r.Profile.Name,
			info.Video.FirstPTS, info.Video.LastPTS, src.Video.FirstPTS, src.Video.LastPTS)
	}
	if !info.Video.StartsWithIDR {
		t.Errorf("%s: does not start with an IDR", r.Profile.Name)
	}
	if (info.Audio == nil) != (src.Audio == nil) || info.Audio != nil && info.Audio.Codec != "aac" {
		t.Errorf("%s: audio %+v, source %+v", r.Profile.Name, info.Audio, src.Audio)
	}
}

func TestNoUpscaling(t *testing.T) {
	e := newEnv(t, func(c *transcode.Config) { c.Preset = "ultrafast" })
	tests := []struct {
		name  string
		spec  fixture.ClipSpec
		sizes [][2]int
	}{
		{"360p source", clip360, [][2]int{{640, 360}, {640, 360}, {640, 360}}},
		{"4:3 source", clip4x3, [][2]int{{640, 480}, {640, 480}, {480, 360}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			input := segment(t, tt.spec)
			src, err := media.ProbeTS(input)
			if err != nil {
				t.Fatal(err)
			}
			res, err := e.transcode(t, input, media.DefaultLadder())
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range res.Renditions {
				if r.Width != tt.sizes[i][0] || r.Height != tt.sizes[i][1] {
					t.Errorf("%s: %dx%d, want %v", r.Profile.Name, r.Width, r.Height, tt.sizes[i])
				}
				checkTSRendition(t, r, src)
			}
		})
	}
}

func TestCodecs(t *testing.T) {
	e := newEnv(t, func(c *transcode.Config) { c.Preset = "ultrafast" })
	input := segment(t, clip180)
	src, err := media.ProbeTS(input)
	if err != nil {
		t.Fatal(err)
	}
	profiles := []media.Profile{
		{Name: "hevc", Width: 320, Height: 180, Bitrate: 300_000, Codec: media.HEVC},
		{Name: "vp9", Width: 320, Height: 180, Bitrate: 300_000, Codec: media.VP9},
		{Name: "av1", Width: 320, Height: 180, Bitrate: 300_000, Codec: media.AV1},
	}
	res, err := e.transcode(t, input, profiles)
	if err != nil {
		t.Fatal(err)
	}
	hevc, vp9, av1 := res.Renditions[0], res.Renditions[1], res.Renditions[2]
	checkTSRendition(t, hevc, src)
	if !strings.HasPrefix(hevc.Codecs, "hvc1.") {
		t.Errorf("hevc codecs %q", hevc.Codecs)
	}
	decodes(t, hevc.Data, ".ts")
	for _, r := range []media.Rendition{vp9, av1} {
		checkFMP4Rendition(t, r, src)
		decodes(t, append(append([]byte{}, r.Init...), r.Data...), ".mp4")
	}
	if vp9.Codecs != "vp09.00.11.08,mp4a.40.2" || av1.Codecs != "av01.0.00M.08,mp4a.40.2" {
		t.Errorf("codecs %q %q", vp9.Codecs, av1.Codecs)
	}
}

// TestQualityTenBit encodes constant-quality 10-bit H.264 and HEVC with a
// profile's own preset; the renditions must be 10-bit and still pass as
// renditions of the segment.
func TestQualityTenBit(t *testing.T) {
	e := newEnv(t, nil)
	input := segment(t, clip180)
	src, err := media.ProbeTS(input)
	if err != nil {
		t.Fatal(err)
	}
	profiles := []media.Profile{
		{Name: "h264", Width: 320, Height: 180, Bitrate: 600_000, Quality: 24, Preset: "ultrafast", BitDepth: 10},
		{Name: "hevc", Width: 320, Height: 180, Bitrate: 600_000, Quality: 28, Preset: "ultrafast", BitDepth: 10, Codec: media.HEVC},
	}
	res, err := e.transcode(t, input, profiles)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Renditions {
		checkTSRendition(t, r, src)
		path := filepath.Join(t.TempDir(), r.Profile.Name+".ts")
		if err := os.WriteFile(path, r.Data, 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.CommandContext(t.Context(), "ffprobe", "-v", "error", "-select_streams", "v:0",
			"-show_entries", "stream=pix_fmt", "-of", "csv=p=0", path).Output()
		// MPEG-TS lists the stream under its program as well.
		if f := strings.Fields(string(out)); err != nil || len(f) == 0 || f[0] != "yuv420p10le" {
			t.Errorf("%s: pix_fmt %q (%v)", r.Profile.Name, out, err)
		}
	}
}

func checkFMP4Rendition(t *testing.T, r media.Rendition, src media.TSInfo) {
	t.Helper()
	info, err := media.ProbeFMP4(r.Init, r.Data)
	if err != nil {
		t.Fatalf("%s: %v", r.Profile.Name, err)
	}
	if r.Container != media.FMP4 || r.Codecs != info.Codecs() || r.Frames != src.Video.Frames || r.Width != 320 || r.Height != 180 {
		t.Errorf("%s: %+v", r.Profile.Name, info)
	}
	if d := info.Video.FirstPTS - src.Video.FirstPTS; d < -3000 || d > 3000 {
		t.Errorf("%s: first PTS %d, source %d: timestamps not kept", r.Profile.Name, info.Video.FirstPTS, src.Video.FirstPTS)
	}
	if info.FirstDecodeTime != info.Video.FirstPTS || !info.Video.StartsWithIDR || info.Audio == nil {
		t.Errorf("%s: tfdt %d, first PTS %d, %+v", r.Profile.Name, info.FirstDecodeTime, info.Video.FirstPTS, info)
	}
}
