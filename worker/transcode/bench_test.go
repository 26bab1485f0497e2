package transcode_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/test/fixture"
	"github.com/castmesh/castmesh/worker/transcode"
)

// bareLadder is media.md §2.1's ladder command: one ffmpeg, x264 veryfast,
// 720p/480p/360p, audio copied, nothing else.
func bareLadder(in, dir string) []string {
	out := func(name string) string { return filepath.Join(dir, name) }
	x264 := func(rate string, bufsize string) []string {
		return []string{
			"-c:v", "libx264", "-preset", "veryfast", "-r", "30", "-b:v", rate, "-maxrate", rate, "-bufsize", bufsize,
			"-g", "60", "-keyint_min", "60", "-sc_threshold", "0", "-c:a", "copy", "-f", "mpegts",
		}
	}
	args := []string{
		"-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-i", in, "-filter_complex",
		"[0:v]split=3[a][b][c];[a]scale=1280:720[v720];[b]scale=854:480[v480];[c]scale=640:360[v360]",
	}
	args = append(append(append(args, "-map", "[v720]", "-map", "0:a"), x264("3000k", "6000k")...), out("720.ts"))
	args = append(append(append(args, "-map", "[v480]", "-map", "0:a"), x264("1600k", "3200k")...), out("480.ts"))
	return append(append(append(args, "-map", "[v360]", "-map", "0:a"), x264("800k", "1600k")...), out("360.ts"))
}

// BenchmarkLadder1080p runs our Transcoder and the bare ffmpeg ladder on
// the same 2 s 1080p30 segment, alternating, and reports both times and
// their ratio (ours / bare): the cost of probing, temp files, -copyts and
// reading the renditions back.
func BenchmarkLadder1080p(b *testing.B) {
	e := newEnv(b, nil)
	segs := fixture.Segments(b, clip1080, clip1080.GOP)
	path := segs[len(segs)-1]
	input, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	req := transcode.Request{Input: input, Profiles: media.DefaultLadder(), StreamID: "bench"}
	var ours, bare time.Duration
	n := 0
	for b.Loop() {
		start := time.Now()
		if _, err := e.tc.Transcode(b.Context(), req); err != nil {
			b.Fatal(err)
		}
		ours += time.Since(start)
		start = time.Now()
		cmd := exec.CommandContext(b.Context(), "ffmpeg", bareLadder(path, b.TempDir())...)
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%v\n%s", err, out)
		}
		bare += time.Since(start)
		n++
	}
	b.ReportMetric(ours.Seconds()/float64(n), "ours-s/op")
	b.ReportMetric(bare.Seconds()/float64(n), "bare-s/op")
	b.ReportMetric(ours.Seconds()/bare.Seconds(), "ours/bare")
}
