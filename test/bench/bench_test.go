// Package bench measures castmesh against bare ffmpeg, side by side in one
// run, so the ratios hold on whatever machine runs them (`make bench`).
// The numbers and the command are recorded in docs/benchmarks.md.
package bench

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/castmesh/castmesh/test/fixture"
	"github.com/castmesh/castmesh/test/harness"
)

// binary is castmesh built without the race detector: the build operators run.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "castmesh-bench-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if binary, err = harness.Build(context.Background(), dir, false); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// source is the input of both benchmarks: 1080p30 H.264 + AAC, 2 s GOPs.
var source = fixture.ClipSpec{Width: 1920, Height: 1080, FPS: 30, Duration: 20 * time.Second, GOP: 2 * time.Second, Audio: true}

// rounds is how many times each side runs; medians are reported.
const rounds = 7

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// BenchmarkSegmentLatency sends one 2 s 1080p segment through gateway →
// orchestrator → worker → playlist (HTTP push answers once the renditions
// are in the playlists) and runs the same ladder with bare ffmpeg on the
// same segment, alternating, and reports both medians and their ratio.
// The devnet runs the default preset (veryfast) and one job per worker, so
// both sides run one ffmpeg at a time.
func BenchmarkSegmentLatency(b *testing.B) {
	d := harness.StartDevnet(b, binary, "--worker-capacity", "1", "--log.level", "warn")
	segs := fixture.Segments(b, source, 2*time.Second)
	seg := segs[1]
	data, err := os.ReadFile(seg)
	if err != nil {
		b.Fatal(err)
	}
	out := b.TempDir()
	var ours, bare []time.Duration
	for b.Loop() {
		for i := range rounds {
			start := time.Now()
			code, parts, body := harness.Push(b, fmt.Sprintf("%s/live/bench/%d.ts", d.HTTP, i), data, 2000)
			if code != 200 || len(parts) != 3 {
				b.Fatalf("push: %d %s", code, body)
			}
			ours = append(ours, time.Since(start))
			start = time.Now()
			bareLadder(b, seg, out)
			bare = append(bare, time.Since(start))
		}
	}
	o, f := median(ours), median(bare)
	b.ReportMetric(ms(o), "castmesh-ms/segment")
	b.ReportMetric(ms(f), "ffmpeg-ms/segment")
	b.ReportMetric(float64(o)/float64(f), "ratio")
	b.ReportMetric(ms(o-f), "overhead-ms/segment")
}

// bareLadder is the reference ladder command of shared/reference/media.md
// §2.1 (one ffmpeg, one decode, split into three x264 veryfast encoders)
// with the worker's timestamp options, so the two sides differ by the
// network path alone.
func bareLadder(b *testing.B, in, dir string) {
	b.Helper()
	args := []string{
		"-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-copyts", "-i", in, "-filter_complex",
		"[0:v]split=3[a][b][c];[a]scale=1280:720[v720];[b]scale=854:480[v480];[c]scale=640:360[v360]",
	}
	for _, r := range []struct{ label, rate string }{{"v720", "3000k"}, {"v480", "1600k"}, {"v360", "800k"}} {
		args = append(args, "-map", "["+r.label+"]", "-map", "0:a", "-c:v", "libx264", "-preset", "veryfast",
			"-b:v", r.rate, "-maxrate", r.rate, "-bufsize", r.rate, "-g", "60", "-keyint_min", "60", "-sc_threshold", "0",
			"-enc_time_base:v", "1:90000", "-fps_mode:v", "passthrough", "-c:a", "copy", "-muxdelay", "0", "-f", "mpegts", filepath.Join(dir, r.label+".ts"))
	}
	if out, err := exec.CommandContext(b.Context(), "ffmpeg", args...).CombinedOutput(); err != nil {
		b.Fatalf("ffmpeg: %v\n%s", err, out)
	}
}

// BenchmarkPublishToMaster times an RTMP publish (ffmpeg -re, 1080p30) from
// the publisher's start to the first 200 of the stream's master playlist,
// which needs one whole segment cut (2 s of real time) and transcoded
// into every rendition.
func BenchmarkPublishToMaster(b *testing.B) {
	d := harness.StartDevnet(b, binary, "--log.level", "warn")
	clip := fixture.Clip(b, source)
	var times []time.Duration
	for b.Loop() {
		for i := range 3 {
			times = append(times, publishToMaster(b, d, clip, fmt.Sprintf("first-%d", i)))
		}
	}
	b.ReportMetric(ms(median(times)), "publish-to-master-ms")
}

func publishToMaster(b *testing.B, d *harness.Devnet, clip, key string) time.Duration {
	ctx, cancel := context.WithCancel(b.Context())
	defer cancel()
	pub := exec.CommandContext(ctx, "ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-re", "-i", clip,
		"-c", "copy", "-f", "flv", d.RTMP+"/"+key)
	start := time.Now()
	if err := pub.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { cancel(); _ = pub.Wait() }()
	var url string
	fixture.Eventually(b, 30*time.Second, func() bool {
		for _, s := range harness.Streams(b, d.HTTP) {
			if s.Ingest == "rtmp" && s.Segments == 0 && url == "" {
				url = s.PlaybackURL
			}
		}
		if url == "" {
			return false
		}
		code, _ := harness.Get(b, url)
		return code == 200
	})
	elapsed := time.Since(start)
	cancel()
	_ = pub.Wait()
	// Let the stream end before the next round so they do not overlap.
	fixture.Eventually(b, time.Minute, func() bool { return len(harness.Streams(b, d.HTTP)) == 0 })
	return elapsed
}
