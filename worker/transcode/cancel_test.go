package transcode_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/castmesh/castmesh/test/fixture"

	"github.com/castmesh/castmesh/pkg/media"
	"github.com/castmesh/castmesh/worker/hw"
	"github.com/castmesh/castmesh/worker/transcode"
)

// TestCancel cancels a job while ffmpeg runs: ffmpeg is the real one, made
// to read its input at the native rate (-re) so the job lasts ~2 s.
func TestCancel(t *testing.T) {
	input := segment(t, clip180)
	e := newEnv(t, func(c *transcode.Config) { c.FFmpeg = script(t, "exec ffmpeg -re \"$@\"\n") })
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := e.tc.Transcode(ctx, transcode.Request{Input: input, Profiles: smallLadder})
		done <- err
	}()
	waitFor(t, "ffmpeg to write output", func() bool {
		outs, _ := filepath.Glob(filepath.Join(e.cfg.TempDir, "*", "out0.ts"))
		return len(outs) > 0
	})
	if pids := ffmpegsIn(e.cfg.TempDir); len(pids) != 1 {
		t.Fatalf("ffmpeg processes %v, want one running", pids)
	}
	cancel()
	canceled := time.Now()
	var err error
	select {
	case err = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Transcode did not return after cancel")
	}
	if d := time.Since(canceled); d > 2*time.Second {
		t.Errorf("returned %v after cancel", d)
	}
	if !errors.Is(err, context.Canceled) || transcode.IsInputError(err) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if pids := ffmpegsIn(e.cfg.TempDir); len(pids) != 0 {
		t.Errorf("ffmpeg processes left: %v", pids)
	}
	if left, _ := os.ReadDir(e.cfg.TempDir); len(left) != 0 {
		t.Errorf("temp files left: %v", left)
	}
	if got := e.metric(t, "castmesh_worker_transcode_jobs_total", "canceled"); got != 1 {
		t.Errorf("canceled jobs %v", got)
	}
}

// waitFor polls cond until it holds, failing the test after a while.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	fixture.Eventually(t, 20*time.Second, cond, what)
}

// ffmpegsIn lists the processes whose command line mentions dir.
func ffmpegsIn(dir string) []string {
	cmdlines, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	var pids []string
	for _, p := range cmdlines {
		b, err := os.ReadFile(p)
		if err == nil && strings.Contains(string(b), dir) {
			pids = append(pids, filepath.Base(filepath.Dir(p)))
		}
	}
	return pids
}

// TestHardwareFallback gives the transcoder a VA-API encoder on a device
// that does not exist: the hardware run fails, and the job must succeed in
// software, counted as a fallback.
func TestHardwareFallback(t *testing.T) {
	broken := hw.Encoder{Name: "h264_vaapi", Codec: media.H264, Kind: hw.KindVAAPI, Device: "/nonexistent/renderD128"}
	e := newEnv(t, func(c *transcode.Config) { c.Preset = "ultrafast" }, broken)
	caps := e.tc.Capabilities()
	if caps[0] != (transcode.Capability{Codec: media.H264, Encoder: "h264_vaapi", Hardware: true}) ||
		caps[3] != (transcode.Capability{Codec: media.AV1, Encoder: "libsvtav1"}) {
		t.Fatalf("capabilities %+v", caps)
	}
	input := segment(t, clip180)
	src, err := media.ProbeTS(input)
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.transcode(t, input, smallLadder)
	if err != nil {
		t.Fatal(err)
	}
	checkTSRendition(t, res.Renditions[0], src)
	if got := e.metric(t, "castmesh_worker_transcode_hardware_fallbacks_total", ""); got != 1 {
		t.Errorf("fallbacks %v, want 1", got)
	}
}
