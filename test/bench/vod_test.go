package bench

import (
	"fmt"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/castmesh/castmesh/gateway/vod/vodclient"
	"github.com/castmesh/castmesh/test/fixture"
	"github.com/castmesh/castmesh/test/harness"
)

// vodSource is a minute of 1080p30 at 8 Mbit/s, as a phone records it.
var vodSource = fixture.ClipSpec{
	Width: 1920, Height: 1080, FPS: 30, Duration: time.Minute, GOP: 2 * time.Second, Audio: true, Format: "mp4", Bitrate: 8_000_000,
}

// BenchmarkVODJob times one file job, h264-fast into MP4, on a network of
// 1, 2 and 4 orchestrators (one worker each, every node its own process,
// payments off), from the job's creation to its completion, and one bare
// ffmpeg with the same settings (x264 veryfast, CRF 22, the same cap) on
// the same file. The job's time includes what bare ffmpeg does not do:
// cutting, the network hops, joining, and measuring SSIM and PSNR against
// the source.
func BenchmarkVODJob(b *testing.B) {
	clip := fixture.Clip(b, vodSource)
	var bare time.Duration
	ours := map[int]time.Duration{}
	for b.Loop() {
		bare = bareVOD(b, clip)
		for _, n := range []int{1, 2, 4} {
			ours[n] = vodJobOn(b, n, clip)
		}
	}
	b.ReportMetric(bare.Seconds(), "ffmpeg-s")
	for _, n := range []int{1, 2, 4} {
		b.ReportMetric(ours[n].Seconds(), fmt.Sprintf("%dorch-s", n))
		b.ReportMetric(bare.Seconds()/ours[n].Seconds(), fmt.Sprintf("%dorch-speedup", n))
	}
}

// bareVOD encodes as h264-fast does: the whole file in one ffmpeg.
func bareVOD(b *testing.B, clip string) time.Duration {
	out := filepath.Join(b.TempDir(), "bare.mp4")
	start := time.Now()
	cmd := exec.CommandContext(b.Context(), "ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-i", clip,
		"-c:v", "libx264", "-preset", "veryfast", "-crf", "22", "-maxrate", "15552000", "-bufsize", "31104000",
		"-g", "60", "-keyint_min", "60", "-sc_threshold", "0", "-c:a", "copy", "-movflags", "+faststart", out)
	if b2, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("ffmpeg: %v\n%s", err, b2)
	}
	return time.Since(start)
}

// vodJobOn starts a network of n orchestrators, uploads the clip and
// times its job.
func vodJobOn(b *testing.B, n int, clip string) time.Duration {
	a := harness.FreeAddrs(b, 3+3*n)
	var list []string
	for i := range n {
		grpc, admin, workerAdmin := a[3+3*i], a[4+3*i], a[5+3*i]
		harness.Start(b, fmt.Sprintf("vod-orchestrator-%d-of-%d", i+1, n), binary, "orchestrator", "--grpc-addr", grpc,
			"--admin-addr", admin, "--worker-secret", routeSecret, "--payments.mode", "off", "--log.level", "warn")
		harness.Start(b, fmt.Sprintf("vod-worker-%d-of-%d", i+1, n), binary, "worker", "--orchestrator", grpc,
			"--secret", routeSecret, "--id", fmt.Sprintf("w%d", i+1), "--capacity", "1", "--admin-addr", workerAdmin,
			"--reconnect-min", "100ms", "--log.level", "warn")
		fixture.Eventually(b, 30*time.Second, func() bool {
			_, status := harness.Get(b, "http://"+admin+"/status")
			return strings.Contains(string(status), fmt.Sprintf(`"id":"w%d"`, i+1))
		}, "the worker registers")
		list = append(list, `{"addr":"`+grpc+`"}`)
	}
	dir := b.TempDir()
	harness.Start(b, fmt.Sprintf("vod-gateway-%d", n), binary, "gateway", "--rtmp.addr", a[0], "--http-addr", a[1],
		"--admin-addr", a[2], "--selection.orchestrators", "["+strings.Join(list, ",")+"]", "--selection.info-interval", "1s",
		"--payments.mode", "off", "--vod.enabled=true", "--data-dir", dir, "--log.level", "warn")
	base := "http://" + a[1]
	fixture.Eventually(b, 30*time.Second, func() bool {
		code, _ := harness.Get(b, base+"/v1/jobs")
		return code == http.StatusOK
	}, "the gateway serves the file API")
	c := &vodclient.Client{Base: base, HTTP: http.DefaultClient}
	id, err := c.Upload(b.Context(), clip, func(int64, int64) {})
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	j, err := c.CreateJob(b.Context(), map[string]any{"source": map[string]any{"type": "upload", "upload_id": id}, "profile": "h264-fast"}, id)
	if err != nil {
		b.Fatal(err)
	}
	if j, err = c.Wait(b.Context(), j.ID, func(vodclient.Job) {}); err != nil || j.Status != "completed" {
		b.Fatalf("job on %d orchestrators: %+v %v", n, j, err)
	}
	took := time.Since(start)
	b.Logf("%d orchestrators: %s, %.1f%% smaller, SSIM %.4f", n, took.Round(100*time.Millisecond), j.Result.ReductionPct, j.Result.SSIM)
	return took
}
