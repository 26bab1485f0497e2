package e2e

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/castmesh/castmesh/pkg/httpjson"
	"github.com/castmesh/castmesh/test/fixture"
	"github.com/castmesh/castmesh/test/harness"
)

// TestBadInputAndFaults feeds a cluster bad input of every kind and kills a
// worker mid-segment, while a healthy RTMP stream runs the whole time: each
// case must get a clear refusal (or be recovered) and the healthy stream
// must lose nothing.
func TestBadInputAndFaults(t *testing.T) {
	c := startCluster(t)
	small := fixture.Clip(t, fixture.ClipSpec{Width: 640, Height: 360, FPS: 30, Duration: 10 * time.Second, GOP: 2 * time.Second, Audio: true})
	healthy := harness.Start(t, "healthy-publisher", "ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin",
		"-re", "-stream_loop", "-1", "-i", small, "-c", "copy", "-f", "flv", "rtmp://"+c.rtmp+"/live/healthy-key")
	st := harness.WaitStream(t, c.http, 30*time.Second, func(s harness.Stream) bool { return s.Ingest == "rtmp" })
	began := time.Now()

	t.Run("garbage bytes on the RTMP port", func(t *testing.T) { garbageRTMP(t, c) })
	t.Run("wrong stream key", func(t *testing.T) { wrongKey(t, c, small) })
	t.Run("unsupported codec over RTMP", func(t *testing.T) { unsupportedRTMP(t, c) })
	t.Run("bad HTTP push bodies", func(t *testing.T) { badPushes(t, c) })
	t.Run("worker dies mid-segment", func(t *testing.T) { workerDies(t, c) })

	live := harness.WaitStream(t, c.http, time.Second, func(s harness.Stream) bool { return s.ID == st.ID })
	if live.Failed != 0 || live.Dropped != 0 {
		t.Errorf("healthy stream lost segments: %+v", live)
	}
	healthy.Stop(t) // ffmpeg ends the FLV stream cleanly on SIGTERM
	fixture.Eventually(t, time.Minute, func() bool { return harness.StreamGone(t, c.http, st.ID) })
	elapsed := time.Since(began)
	for _, r := range ladder {
		// A 640x360 source is never upscaled: every rung is 640x360.
		segs := checkRecording(t, resolve(st.PlaybackURL, r.name+"/recording.m3u8"), 640, 360)
		if min := int(elapsed/(2*time.Second)) - 1; len(segs) < min {
			t.Errorf("healthy %s recording has %d segments after %v of streaming, want at least %d", r.name, len(segs), elapsed, min)
		}
	}
}

func garbageRTMP(t *testing.T, c *cluster) {
	for _, junk := range [][]byte{randomBytes(t, 4096), []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n")} {
		conn, err := (&net.Dialer{Timeout: 5 * time.Second}).DialContext(t.Context(), "tcp", c.rtmp)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = conn.Write(junk)
		_ = conn.SetReadDeadline(time.Now().Add(15 * time.Second))
		_, err = io.Copy(io.Discard, conn)
		conn.Close()
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Fatal("the gateway kept a connection that sent garbage open")
		}
	}
	if n := len(harness.Streams(t, c.http)); n != 1 {
		t.Fatalf("%d streams after garbage, want only the healthy one", n)
	}
}

func wrongKey(t *testing.T, c *cluster, clip string) {
	out, err := runFFmpeg(t, 30*time.Second, "-re", "-t", "2", "-i", clip, "-c", "copy", "-f", "flv", "rtmp://"+c.rtmp+"/live/wrong-key")
	if err == nil {
		t.Fatal("a publisher with a wrong key was not refused")
	}
	t.Logf("ffmpeg with a wrong key: %v %s", err, strings.TrimSpace(out))
	if n := len(harness.Streams(t, c.http)); n != 1 {
		t.Fatalf("%d streams after a refused key, want only the healthy one", n)
	}
}

func unsupportedRTMP(t *testing.T, c *cluster) {
	// Sorenson H.263 (FLV codec 2) is valid FLV but not H.264.
	out, err := runFFmpeg(t, 30*time.Second, "-re", "-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=3",
		"-c:v", "flv1", "-f", "flv", "rtmp://"+c.rtmp+"/live/codec-key")
	t.Logf("ffmpeg publishing flv1: %v %s", err, strings.TrimSpace(out))
	if err == nil {
		t.Error("a publisher with an unsupported codec was not cut off")
	}
	// The stream may be admitted before its first video tag shows the
	// codec; once refused it must be gone, and only the healthy one left.
	fixture.Eventually(t, 15*time.Second, func() bool { return len(harness.Streams(t, c.http)) == 1 })
}

func badPushes(t *testing.T, c *cluster) {
	segs := fixture.Segments(t, source, 2*time.Second)
	good, err := os.ReadFile(segs[0])
	if err != nil {
		t.Fatal(err)
	}
	mpeg2 := fixture.Segments(t, fixture.ClipSpec{
		Width: 320, Height: 240, FPS: 25, Duration: 2 * time.Second, GOP: time.Second,
		Format: "mpegts", VideoCodec: "mpeg2video",
	}, time.Second)
	mpeg2TS, err := os.ReadFile(mpeg2[0])
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		body   []byte
		status int
		code   string
	}{
		{"not a transport stream", []byte("this is not video at all, just text"), http.StatusBadRequest, "not_mpegts"},
		{"truncated transport stream", good[:len(good)/2+77], http.StatusBadRequest, "truncated"},
		{"MPEG-2 video", mpeg2TS, http.StatusUnprocessableEntity, "unsupported_codec"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, body := harness.Push(t, fmt.Sprintf("%s/live/push-key/%d.ts", c.http, 100+i), tt.body, 2000)
			var e httpjson.ErrorBody
			if err := json.Unmarshal(body, &e); err != nil {
				t.Fatalf("status %d, body not JSON: %s", status, body)
			}
			if status != tt.status || e.Error.Code != tt.code || e.Error.Message == "" {
				t.Fatalf("status %d body %s, want %d %s", status, body, tt.status, tt.code)
			}
		})
	}
}

// workerDies kills a worker while it transcodes (SIGKILL to its process
// group, ffmpeg included): the orchestrator must move the segment to the
// other worker, so every push still gets its three renditions.
func workerDies(t *testing.T, c *cluster) {
	long := fixture.Segments(t, source, 8*time.Second) // 8 s of 1080p: a long transcode
	longTS, err := os.ReadFile(long[0])
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		status int
		parts  int
		body   []byte
	}
	results := make(chan result, 1)
	go func() {
		status, parts, body := harness.Push(t, c.http+"/live/push-key/0.ts", longTS, 8000)
		results <- result{status, len(parts), body}
	}()
	victim := -1
	fixture.Eventually(t, 30*time.Second, func() bool {
		for i, admin := range c.workerAdmins {
			if metric(t, "http://"+admin+"/metrics", "castmesh_worker_jobs_in_flight") >= 1 {
				victim = i
				return true
			}
		}
		return false
	})
	c.workers[victim].Kill()
	r := <-results
	if r.status != http.StatusOK || r.parts != 3 {
		t.Fatalf("push across a worker's death: %d, %d renditions: %s", r.status, r.parts, r.body)
	}
	if n := metric(t, "http://"+c.orchAdmin+"/metrics", "castmesh_orchestrator_job_retries_total"); n < 1 {
		t.Fatalf("orchestrator retried %v jobs; the killed worker held one", n)
	}
	if s := orchStatus(t, "http://"+c.orchAdmin); strings.Count(s, `"id":"w`) != 1 {
		t.Fatalf("orchestrator still lists the dead worker: %s", s)
	}
	// The stream goes on with the surviving worker.
	segs := fixture.Segments(t, source, 2*time.Second)
	for i := 1; i <= 3; i++ {
		data, err := os.ReadFile(segs[i])
		if err != nil {
			t.Fatal(err)
		}
		if status, parts, body := harness.Push(t, fmt.Sprintf("%s/live/push-key/%d.ts", c.http, i), data, 2000); status != 200 || len(parts) != 3 {
			t.Fatalf("push %d after the death: %d %s", i, status, body)
		}
	}
}

func randomBytes(t *testing.T, n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	b[0] = 0x03 // looks like an RTMP version byte, so the handshake starts
	return b
}
