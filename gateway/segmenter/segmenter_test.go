package segmenter_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/castmesh/castmesh/gateway/segmenter"
	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/test/fixture"
)

var clip10s = fixture.ClipSpec{
	Width: 640, Height: 360, FPS: 30, Duration: 10 * time.Second, GOP: 2 * time.Second,
	Audio: true, Format: "flv",
}

// collect runs frames through a Segmenter with cfg and returns the segments.
func collect(t testing.TB, cfg segmenter.Config, frames []frame) []media.Segment {
	t.Helper()
	var segs []media.Segment
	s, err := segmenter.New(cfg, func(seg media.Segment) { segs = append(segs, seg) })
	if err != nil {
		t.Fatal(err)
	}
	feed(t, s, frames)
	return segs
}

func TestSegmenterClip(t *testing.T) {
	frames := readFLV(t, fixture.Clip(t, clip10s))
	segs := collect(t, segmenter.DefaultConfig(), frames)
	if len(segs) != 5 {
		t.Fatalf("%d segments, want 5", len(segs))
	}
	var audioIn, audioOut int64
	for _, f := range frames {
		if !f.video && !f.config {
			audioIn++
		}
	}
	for i, seg := range segs {
		info := probe(t, seg, i)
		if info.Video.Frames != 60 || info.Video.Width != 640 || info.Video.Height != 360 {
			t.Errorf("segment %d: %d frames %dx%d, want 60 at 640x360", i, info.Video.Frames, info.Video.Width, info.Video.Height)
		}
		if d := seg.Duration; d < 1990*time.Millisecond || d > 2010*time.Millisecond {
			t.Errorf("segment %d: duration %v, want 2s", i, d)
		}
		audioOut += info.Audio.Frames
	}
	if audioOut != audioIn {
		t.Errorf("%d AAC frames out, %d in", audioOut, audioIn)
	}
	checkContinuous(t, segs)
	decodeWithFFmpeg(t, segs)
}

// probe checks what every segment must be and returns its info.
func probe(t testing.TB, seg media.Segment, i int) media.TSInfo {
	t.Helper()
	if seg.Seq != int64(i) {
		t.Errorf("segment %d has seq %d", i, seg.Seq)
	}
	info, err := media.ProbeTS(seg.Data)
	if err != nil {
		t.Fatalf("segment %d: %v", i, err)
	}
	if !info.Video.StartsWithIDR {
		t.Errorf("segment %d does not start with an IDR", i)
	}
	if info.Audio == nil || info.Audio.Frames == 0 {
		t.Errorf("segment %d has no audio", i)
	}
	if info.Video.FirstPTS != seg.StartPTS {
		t.Errorf("segment %d: first PTS %d, StartPTS %d", i, info.Video.FirstPTS, seg.StartPTS)
	}
	return info
}

// checkContinuous checks that each segment starts where the last one ended,
// within a frame, and that the offset keeps the first one well above zero.
func checkContinuous(t testing.TB, segs []media.Segment) {
	t.Helper()
	if first := media.Duration(segs[0].StartPTS); first < segmenter.TimestampOffset {
		t.Errorf("first PTS %v, want at least %v", first, segmenter.TimestampOffset)
	}
	frame := media.Ticks(time.Second / 30)
	for i := 1; i < len(segs); i++ {
		want := segs[i-1].StartPTS + media.Ticks(segs[i-1].Duration)
		if diff := segs[i].StartPTS - want; diff < -frame || diff > frame {
			t.Errorf("segment %d starts at %d, previous ends at %d", i, segs[i].StartPTS, want)
		}
	}
}

// decodeWithFFmpeg decodes every segment on its own and fails on any error
// ffmpeg reports.
func decodeWithFFmpeg(t testing.TB, segs []media.Segment) {
	t.Helper()
	fixture.RequireTool(t, "ffmpeg")
	dir := t.TempDir()
	for i, seg := range segs {
		path := filepath.Join(dir, "seg.ts")
		if err := os.WriteFile(path, seg.Data, 0o600); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
		out, err := exec.CommandContext(ctx, "ffmpeg", "-v", "error", "-i", path, "-f", "null", "-").CombinedOutput()
		cancel()
		if err != nil || len(out) > 0 {
			t.Errorf("segment %d: ffmpeg: %v\n%s", i, err, out)
		}
	}
}

// TestSegmenterIgnoresKeyFlag uses a stream whose non-IDR I-frames (x264
// open GOP) carry the FLV keyframe flag, as GStreamer's flvmux does: cuts
// must still come only at IDRs.
func TestSegmenterIgnoresKeyFlag(t *testing.T) {
	fixture.RequireTool(t, "ffmpeg")
	path := filepath.Join(t.TempDir(), "opengop.flv")
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	// I-frames every second (not IDR: open GOP), IDRs forced every 2 s.
	out, err := exec.CommandContext(ctx, "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
		"-f", "lavfi", "-i", "testsrc2=s=320x180:r=30:d=6",
		"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:d=6",
		"-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
		"-x264-params", "keyint=30:min-keyint=30:scenecut=0:open-gop=1",
		"-forced-idr", "1", "-force_key_frames", "expr:gte(t,n_forced*2)",
		"-c:a", "aac", "-shortest", "-f", "flv", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, out)
	}
	frames := readFLV(t, path)
	flagged := 0
	for _, f := range frames {
		if f.video && !f.config && f.keyFlag {
			flagged++
		}
	}
	if flagged < 5 {
		t.Fatalf("fixture has %d flagged keyframes, want non-IDR ones flagged too", flagged)
	}
	cfg := segmenter.DefaultConfig()
	cfg.Target = time.Second // a flag-trusting cutter would cut every second
	segs := collect(t, cfg, frames)
	if len(segs) != 3 {
		t.Fatalf("%d segments, want 3 (one per IDR)", len(segs))
	}
	for i, seg := range segs {
		if info := probe(t, seg, i); info.Video.Frames != 60 {
			t.Errorf("segment %d: %d frames, want 60", i, info.Video.Frames)
		}
	}
	checkContinuous(t, segs)
	decodeWithFFmpeg(t, segs)
}
